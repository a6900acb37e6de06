"""Wrong implementations of assignment 05 (spec §6; a row with several variants is split into several fixtures).

Each ``code`` is appended to the solution module it names, where the module's own names are already defined
(``math``, ``np``, ``SCHEMES``, ``SMALL_STD``, ``LARGE_STD``, ``init_std`` and ``init_weights`` in init_schemes.py;
``np``, ``ACTIVATIONS``, ``activate``, ``activate_grad`` and the MLP functions in deep_mlp.py; ``np``, ``torch``,
``nn``, ``init_weights`` and ``ResidualBlock`` in torch_init.py). The package's ``__init__`` imports the names after
each module has run, so a redefinition reaches every caller: ``init_weights`` calls ``init_std``,
``init_linear_layers_`` calls ``init_weights``, ``mlp_forward`` calls ``activate`` and ``mlp_backward`` calls
``activate_grad``. The ``init_std`` mistakes wrap the saved original, which keeps its ValueErrors.

``catches`` lists the local tests of the spec's "caught by" and the grade_ids of the hidden checks that fail. Where
the spec names only local tests, the grade_id is the check of the function the fixture redefines (or, for
``zs_post_activation``, ``mlp_forward``, whose H4 compares zs with torch's pre-activations; ``mlp_backward`` feeds the
student's backward with the check's own hs and zs). An ``init_std`` mistake also fails ``init_weights``, whose H2
compares the sample std with the formula and with torch's ``nn.init``.
"""

from . import Wrong

SCHEMES = "initialization/init_schemes.py"
DEEP = "initialization/deep_mlp.py"
TORCH = "initialization/torch_init.py"

L1 = "test_l1_init_std"
L2 = "test_l2_init_weights_sampling"
L3 = "test_l3_determinism"
L4 = "test_l4_scale"
L5 = "test_l5_mlp_forward"
L6 = "test_l6_mlp_backward"
L7 = "test_l7_layer_stats"
L9 = "test_l9_init_linear_layers"


def _std(schemes: tuple[str, ...], value: str) -> str:
    """An init_std that returns ``value`` for ``schemes`` (validation and the other schemes as the solution)."""
    return f"""
_solution_init_std = init_std


def init_std(scheme, fan_in, fan_out):
    std = _solution_init_std(scheme, fan_in, fan_out)
    if scheme in {schemes!r}:
        return {value}
    return std
"""


XAVIER = ("xavier", "xavier_uniform")


def _weights(
    shape: str = "(fan_in, fan_out)",
    normal: str = "scale * std * rng.standard_normal(shape)",
    bound: str = "scale * math.sqrt(3.0) * std",
    uniform: str = "rng.uniform(-bound, bound, shape)",
) -> str:
    """The solution's init_weights with its shape, its normal draw, its uniform bound or its uniform draw replaced."""
    return f"""
def init_weights(scheme, fan_in, fan_out, rng, scale=1.0):
    if scale < 0:
        raise ValueError("scale must be >= 0")
    std = init_std(scheme, fan_in, fan_out)
    shape = {shape}
    if scheme == "zero":
        return np.zeros(shape)
    if scheme == "xavier_uniform":
        bound = {bound}
        return {uniform}
    return {normal}
"""


def _forward(first: str = "x", z: str = "hs[-1] @ W", h: str = "activate(zs[-1], activation)") -> str:
    """The solution's mlp_forward with hs[0], the stored z or the next h replaced (``layer``, ``W`` in scope)."""
    return f"""
def mlp_forward(x, weights, activation):
    hs, zs = [{first}], []
    for layer, W in enumerate(weights):
        if hs[-1].shape[1] != W.shape[0]:
            raise ValueError("shapes do not chain")
        zs.append({z})
        hs.append({h})
    return hs, zs
"""


def _activate_grad(name: str, value: str) -> str:
    """An activate_grad that returns ``value`` for ``name`` and the solution's derivative otherwise."""
    return f"""
_solution_activate_grad = activate_grad


def activate_grad(z, name):
    if name == {name!r}:
        return {value}
    return _solution_activate_grad(z, name)
"""


def _layer_stats(std: str = "a.std()", norm: str = "np.sqrt(np.sum(a * a))") -> str:
    """The solution's layer_stats with its std or its norm replaced (``a`` is one float64 array)."""
    return f"""
def layer_stats(arrays):
    stats = {{"mean": [], "std": [], "frac_zero": [], "frac_saturated": [], "norm": []}}
    for array in arrays:
        a = np.asarray(array, dtype=np.float64)
        stats["mean"].append(float(a.mean()))
        stats["std"].append(float({std}))
        stats["frac_zero"].append(float(np.mean(a == 0)))
        stats["frac_saturated"].append(float(np.mean(np.abs(a) > 0.99)))
        stats["norm"].append(float({norm}))
    return {{key: np.array(values, dtype=np.float64) for key, values in stats.items()}}
"""


def _init_linear(
    fans: str = "module.in_features, module.out_features",
    copied: str = "W.T.copy()",
    bias: str = "module.bias.zero_()",
    rng_in_loop: bool = False,
) -> str:
    """The solution's init_linear_layers_ with its fans, the copied array, the bias line or the rng's place
    replaced."""
    once, per_layer = (
        ("", "rng = np.random.default_rng(seed)") if rng_in_loop else ("rng = np.random.default_rng(seed)", "")
    )
    return f"""
def init_linear_layers_(model, scheme, seed=0, scale=1.0):
    {once}
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.Linear):
                {per_layer}
                W = init_weights(scheme, {fans}, rng, scale)
                module.weight.copy_(torch.as_tensor({copied}, dtype=module.weight.dtype))
                if module.bias is not None:
                    {bias}
    return model
"""


def _residual(value: str) -> str:
    return f"""
def _wrong_residual_forward(self, x):
    return {value}


ResidualBlock.forward = _wrong_residual_forward
"""


STD_CATCHERS = (L1, "init_std", "init_weights")

WRONG = [
    # ------------------------------------------------------------------------------------- init_std (L1, H1)
    Wrong("xavier_fan_out_only", SCHEMES, _std(XAVIER, "math.sqrt(1.0 / fan_out)"), STD_CATCHERS),
    Wrong("xavier_fan_out_only_factor_2", SCHEMES, _std(XAVIER, "math.sqrt(2.0 / fan_out)"), STD_CATCHERS),
    Wrong("xavier_lecun", SCHEMES, _std(XAVIER, "math.sqrt(1.0 / fan_in)"), STD_CATCHERS),
    Wrong("xavier_no_factor_2", SCHEMES, _std(XAVIER, "math.sqrt(1.0 / (fan_in + fan_out))"), STD_CATCHERS),
    Wrong(
        "xavier_uniform_bound_as_std",  # the normal scheme only: the uniform one keeps its correct bound
        SCHEMES,
        _std(("xavier",), "math.sqrt(6.0 / (fan_in + fan_out))"),
        (L1, L2, "init_std", "init_weights"),
    ),
    Wrong("he_no_factor_2", SCHEMES, _std(("he",), "math.sqrt(1.0 / fan_in)"), STD_CATCHERS),
    Wrong("he_fan_out", SCHEMES, _std(("he",), "math.sqrt(2.0 / fan_out)"), STD_CATCHERS),
    Wrong("he_fan_sum", SCHEMES, _std(("he",), "math.sqrt(2.0 / (fan_in + fan_out))"), STD_CATCHERS),
    Wrong(
        "variance_not_std",
        SCHEMES,
        _std(("small", "large", *XAVIER, "he"), "std ** 2"),
        (L1, L2, "init_std", "init_weights"),
    ),
    # ------------------------------------------------------------------------------ init_weights (L2–L4, H2, H3)
    Wrong("weights_transposed", SCHEMES, _weights(shape="(fan_out, fan_in)"), (L2, "init_weights")),
    Wrong(
        "scale_squared",
        SCHEMES,
        _weights(normal="scale**2 * std * rng.standard_normal(shape)", bound="scale**2 * math.sqrt(3.0) * std"),
        (L4, "init_weights", "init_linear_layers_"),
    ),
    Wrong(
        "scale_ignored",
        SCHEMES,
        _weights(normal="std * rng.standard_normal(shape)", bound="math.sqrt(3.0) * std"),
        (L4, "init_weights", "init_linear_layers_"),
    ),
    Wrong(
        "global_rng",
        SCHEMES,
        _weights(
            normal="scale * std * np.random.standard_normal(shape)", uniform="np.random.uniform(-bound, bound, shape)"
        ),
        (L3, "init_weights"),
    ),
    Wrong(
        "uniform_bound_sqrt3",
        SCHEMES,
        _weights(bound="scale * math.sqrt(3.0 / (fan_in + fan_out))"),
        (L4, "init_weights"),
    ),
    Wrong(
        "uniform_normal_draws",  # xavier_uniform drawn like xavier: the right std, but beyond the bound
        SCHEMES,
        _weights(uniform="scale * std * rng.standard_normal(shape)"),
        (L4, "init_weights"),
    ),
    # -------------------------------------------------------------------------------------- mlp_forward (L5, L6)
    Wrong(
        "no_activation_last_layer",
        DEEP,
        _forward(h="activate(zs[-1], activation) if layer < len(weights) - 1 else zs[-1]"),
        (L5, "mlp_forward"),
    ),
    Wrong("activation_on_input", DEEP, _forward(first="activate(x, activation)"), (L5, "mlp_forward")),
    Wrong("zs_post_activation", DEEP, _forward(z="activate(hs[-1] @ W, activation)", h="zs[-1]"), (L6, "mlp_forward")),
    # ---------------------------------------------------------------------------- activate_grad, mlp_backward (L6)
    Wrong("tanh_grad_from_z", DEEP, _activate_grad("tanh", "1.0 - z**2"), (L6, "mlp_backward")),
    Wrong("relu_grad_one_at_zero", DEEP, _activate_grad("relu", "(z >= 0).astype(np.float64)"), (L6, "mlp_backward")),
    Wrong(
        "backward_w_not_transposed",
        DEEP,
        """
def mlp_backward(dout, weights, hs, zs, activation):
    L = len(weights)
    dWs, dhs = [None] * L, [None] * L
    delta = dout * activate_grad(zs[L - 1], activation)
    for layer in range(L - 1, -1, -1):
        dWs[layer] = hs[layer].T @ delta
        dhs[layer] = delta @ weights[layer]
        if layer > 0:
            delta = dhs[layer] * activate_grad(zs[layer - 1], activation)
    return dWs, dhs
""",
        (L6, "mlp_backward"),
    ),
    # ----------------------------------------------------------------------------------------- layer_stats (L7)
    Wrong("std_per_unit", DEEP, _layer_stats(std="a.std(axis=0).mean()"), (L7, "layer_stats")),
    Wrong("norm_squared", DEEP, _layer_stats(norm="np.sum(a * a)"), (L7, "layer_stats")),
    Wrong("norm_abs_sum", DEEP, _layer_stats(norm="np.abs(a).sum()"), (L7, "layer_stats")),
    # ---------------------------------------------------------------------------- init_linear_layers_ (L9, H7)
    Wrong(
        "torch_fan_from_shape0",  # weight.shape read as (fan_in, fan_out), so W is copied without a transpose
        TORCH,
        _init_linear(fans="module.weight.shape[0], module.weight.shape[1]", copied="W"),
        (L9, "init_linear_layers_"),
    ),
    Wrong(
        "torch_reshape",
        TORCH,
        _init_linear(copied="W.reshape(module.out_features, module.in_features)"),
        (L9, "init_linear_layers_"),
    ),
    Wrong("torch_bias_default", TORCH, _init_linear(bias="pass"), (L9, "init_linear_layers_")),
    Wrong("torch_rng_per_layer", TORCH, _init_linear(rng_in_loop=True), (L9, "init_linear_layers_")),
    # ------------------------------------------------------------------------ ResidualBlock.forward (H8 bonus)
    Wrong("residual_fx_only", TORCH, _residual("self.act(self.linear(x))"), ("residual_block__forward",)),
    Wrong("residual_x_only", TORCH, _residual("x"), ("residual_block__forward",)),
]
