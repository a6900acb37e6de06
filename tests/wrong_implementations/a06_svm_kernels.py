"""Wrong implementations of assignment 06 (spec §6; a row with several variants is split into several fixtures).

Each ``code`` is appended to the solution module it names, where the module's own names are already defined
(``np`` in every module; ``_as_2d_float``, ``_pair`` and the five kernel functions in kernels.py; ``math`` and
``hinge_objective`` in linear_svm.py). The package's ``__init__`` imports the names after each module has run, so a
redefinition reaches every caller: ``rbf_kernel`` calls ``pairwise_sq_dists`` and ``fit_linear_svm`` calls
``hinge_objective``.

``catches`` lists the local tests of the spec's "caught by" and the grade_ids of the hidden checks that fail. Where
the spec names only local tests, the grade_id is the check of the function the fixture redefines; a
``pairwise_sq_dists`` mistake also fails ``rbf_kernel``, which is built on it, and a ``hinge_objective`` mistake
also fails ``fit_linear_svm``, which calls it.

S11 (the test Gram matrix built as K(X_te, X_te)) is a mistake in the code that calls the kernel, not in a graded
function. It is represented by an ``rbf_kernel`` that ignores a given Y and returns K(X, X): every
K(X_test, X_train) the precomputed test and the notebook build then comes out as K(X_test, X_test), (90, 90)
instead of (90, 210).
"""

from . import Wrong

FEATURES = "svm/features.py"
KERNELS = "svm/kernels.py"
DUAL = "svm/dual.py"
LINEAR = "svm/linear_svm.py"

CONSTRUCTION = "test_kernel_construction_matches_phi"
SQ = "test_sq_dists"
RBF = "test_rbf_matches_sklearn"
POLY = "test_poly_matches_sklearn"
VALID = "test_is_valid_kernel"
PRECOMPUTED = "test_precomputed_equals_builtin"
DUAL_TEST = "test_dual_decision_function"
HINGE = "test_hinge_objective"
FIT = "test_fit_linear_svm"


def _rbf(value: str, default_gamma: str = "1.0 / X_checked.shape[1]", Y: str = "Y") -> str:
    """The solution's rbf_kernel returning ``value`` (``gamma`` and the squared distances ``D2`` in scope)."""
    return f"""
def rbf_kernel(X, Y=None, gamma=None):
    X_checked = _as_2d_float(X)
    gamma = {default_gamma} if gamma is None else gamma
    if gamma <= 0:
        raise ValueError(f"gamma must be positive, got {{gamma}}")
    D2 = pairwise_sq_dists(X_checked, {Y})
    return {value}
"""


def _sq_dists(
    norms: str = "(X**2).sum(axis=1)[:, None] + (Y**2).sum(axis=1)[None, :]",
    clip: bool = True,
    zero_diagonal: bool = True,
    result: str = "sq",
) -> str:
    """The solution's pairwise_sq_dists with its squared norms, its clipping, its diagonal or its result changed."""
    clipping = "np.maximum(sq, 0.0, out=sq)" if clip else "pass"
    diagonal = "np.fill_diagonal(sq, 0.0)" if zero_diagonal else "pass"
    return f"""
def pairwise_sq_dists(X, Y=None):
    same = Y is None
    X, Y = _pair(X, Y)
    sq = {norms} - 2.0 * (X @ Y.T)
    {clipping}
    if same:
        {diagonal}
    return {result}
"""


def _poly(value: str = "(gamma * (X @ Y.T) + coef0) ** degree", default_degree: int = 3, Y: str = "Y") -> str:
    """The solution's polynomial_kernel returning ``value``, with its default degree or its Y replaced."""
    return f"""
def polynomial_kernel(X, Y=None, degree={default_degree}, gamma=None, coef0=1.0):
    if isinstance(degree, bool) or not isinstance(degree, int | np.integer) or degree < 1:
        raise ValueError(f"degree must be an int >= 1, got {{degree!r}}")
    X, Y = _pair(X, {Y})
    gamma = 1.0 / X.shape[1] if gamma is None else gamma
    return {value}
"""


def _dual(value: str) -> str:
    """The solution's dual_decision_function returning ``value`` (``K`` is the support-vector columns)."""
    return f"""
def dual_decision_function(K_test, svc):
    if len(svc.classes_) != 2:
        raise ValueError("dual_decision_function needs a binary SVC")
    K = np.asarray(K_test, dtype=np.float64)[:, svc.support_]
    return {value}
"""


def _hinge(
    active: str = "margins < 1",
    J: str = "0.5 * lam * float(w @ w) + float(np.sum(1.0 - margins[active])) / n",
    grad_b: str = "-float(np.sum(y[active])) / n",
) -> str:
    """The solution's hinge_objective with its active test, its J or its grad_b replaced."""
    return f"""
def hinge_objective(w, b, X, y, lam):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if not np.all(np.isin(y, (-1.0, 1.0))):
        raise ValueError("labels must be -1 or +1")
    n = len(y)
    margins = y * (X @ w + b)
    active = {active}
    J = {J}
    grad_w = lam * w - (y[active] @ X[active]) / n
    grad_b = {grad_b}
    return J, grad_w, grad_b
"""


def _wave(columns: str) -> str:
    return f"""
def wave_features(X):
    X = np.asarray(X, dtype=np.float64)
    return np.column_stack({columns})
"""


RBF_CATCHERS = (RBF, "rbf_kernel")
POLY_CATCHERS = (POLY, "polynomial_kernel")
DUAL_CATCHERS = (DUAL_TEST, "dual_decision_function")

WRONG = [
    # ------------------------------------------------------------------------------------------ rbf_kernel
    Wrong("S1", KERNELS, _rbf("np.exp(-gamma * np.sqrt(D2))"), RBF_CATCHERS),
    Wrong("S2a", KERNELS, _rbf("np.exp(-D2 / (2 * gamma))"), RBF_CATCHERS),
    Wrong("S2b", KERNELS, _rbf("np.exp(-gamma * D2 / 2)"), RBF_CATCHERS),
    Wrong("S2c", KERNELS, _rbf("np.exp(-D2 / gamma)"), RBF_CATCHERS),
    Wrong("S3", KERNELS, _rbf("np.exp(-gamma * D2)", default_gamma="1.0"), RBF_CATCHERS),
    # ----------------------------------------------------------------------------------- pairwise_sq_dists
    Wrong("S4a", KERNELS, _sq_dists(clip=False), ("pairwise_sq_dists", "rbf_kernel")),
    Wrong("S4b", KERNELS, _sq_dists(zero_diagonal=False), (SQ, RBF, "pairwise_sq_dists", "rbf_kernel")),
    Wrong(
        "S5",
        KERNELS,
        _sq_dists(norms="(X**2).sum(axis=0)[:, None] + (Y**2).sum(axis=0)[None, :]"),
        (SQ, "pairwise_sq_dists", "rbf_kernel"),
    ),
    Wrong("S6a", KERNELS, _poly(Y="None"), POLY_CATCHERS),  # Y ignored: K(X, X)
    Wrong("S6b", KERNELS, _sq_dists(result="sq.T"), (SQ, "pairwise_sq_dists", "rbf_kernel")),  # (M, N)
    # ----------------------------------------------------------------------------------- polynomial_kernel
    Wrong("S7a", KERNELS, _poly("(gamma * (X @ Y.T)) ** degree + coef0"), POLY_CATCHERS),
    Wrong("S7b", KERNELS, _poly("(X @ Y.T + coef0) ** degree"), POLY_CATCHERS),
    Wrong("S7c", KERNELS, _poly(default_degree=2), POLY_CATCHERS),
    # --------------------------------------------------------------------------------- kernel_construction
    Wrong(
        "S8a",  # ⟨φ(x_i), φ(x_i)⟩ in every column
        KERNELS,
        """
def kernel_construction(X, phi, Y=None):
    X, Y = _pair(X, Y)
    phi_x = np.stack([np.atleast_1d(np.asarray(phi(row), dtype=np.float64)) for row in X])
    own = np.sum(phi_x * phi_x, axis=1)
    return np.repeat(own[:, None], len(Y), axis=1)
""",
        (CONSTRUCTION, "kernel_construction"),
    ),
    Wrong(
        "S8b",  # phi called on the whole 2-D X
        KERNELS,
        """
def kernel_construction(X, phi, Y=None):
    X, Y = _pair(X, Y)
    phi_x = np.asarray(phi(X), dtype=np.float64).reshape(len(X), -1)
    phi_y = np.asarray(phi(Y), dtype=np.float64).reshape(len(Y), -1)
    return phi_x @ phi_y.T
""",
        (CONSTRUCTION, "kernel_construction"),
    ),
    # ------------------------------------------------------------------------------------- is_valid_kernel
    Wrong(
        "S9a",  # eigenvalues only: eigvalsh reads one triangle
        KERNELS,
        """
def is_valid_kernel(K, tol=1e-8):
    K = np.asarray(K, dtype=np.float64)
    if K.ndim != 2 or K.shape[0] != K.shape[1]:
        return False
    eigenvalues = np.linalg.eigvalsh(K)
    return bool(eigenvalues.min() >= -tol * max(1.0, np.max(np.abs(eigenvalues))))
""",
        ("is_valid_kernel",),  # test_is_valid_kernel has no asymmetric PSD case: only the hidden one catches it
    ),
    Wrong(
        "S9b",  # symmetry only
        KERNELS,
        """
def is_valid_kernel(K, tol=1e-8):
    K = np.asarray(K, dtype=np.float64)
    if K.ndim != 2 or K.shape[0] != K.shape[1]:
        return False
    return bool(np.max(np.abs(K - K.T)) <= tol * max(1.0, np.max(np.abs(K))))
""",
        (VALID, "is_valid_kernel"),
    ),
    # ------------------------------------------------------------------------------ dual_decision_function
    Wrong("S10a", DUAL, _dual("K @ svc.dual_coef_[0]"), DUAL_CATCHERS),
    Wrong("S10b", DUAL, _dual("K @ svc.dual_coef_[0] - svc.intercept_[0]"), DUAL_CATCHERS),
    Wrong("S10c", DUAL, _dual("K @ np.abs(svc.dual_coef_[0]) + svc.intercept_[0]"), DUAL_CATCHERS),
    # ------------------------------------------------------------ the test Gram matrix (see the docstring)
    Wrong("S11", KERNELS, _rbf("np.exp(-gamma * D2)", Y="None"), (PRECOMPUTED, "rbf_kernel")),
    # --------------------------------------------------------------------------------------- wave_features
    Wrong(
        "S12a",  # memorises the training labels of make_wave(seed=0)
        FEATURES,
        """
def wave_features(X):
    from utils.datasets import make_wave

    X = np.asarray(X, dtype=np.float64)
    X_train, y_train = make_wave(seed=0)
    labels = {tuple(row): float(label) for row, label in zip(X_train, y_train)}
    return np.column_stack([X, np.array([labels.get(tuple(row), 0.0) for row in X])])
""",
        ("wave_features",),
    ),
    Wrong("S12b", FEATURES, _wave("[X, X[:, 0] ** 2, X[:, 0] ** 3]"), ("wave_features",)),
    # ------------------------------------------------------------------------ hinge_objective (optional)
    Wrong(
        "S13a",  # the hinge and its subgradient averaged over the active points only
        LINEAR,
        """
def hinge_objective(w, b, X, y, lam):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if not np.all(np.isin(y, (-1.0, 1.0))):
        raise ValueError("labels must be -1 or +1")
    margins = y * (X @ w + b)
    active = margins < 1
    n_active = max(int(active.sum()), 1)
    J = 0.5 * lam * float(w @ w) + float(np.sum(1.0 - margins[active])) / n_active
    grad_w = lam * w - (y[active] @ X[active]) / n_active
    grad_b = -float(np.sum(y[active])) / n_active
    return J, grad_w, grad_b
""",
        (HINGE, FIT, "hinge_objective", "fit_linear_svm"),
    ),
    Wrong(
        "S13b",  # b regularized
        LINEAR,
        _hinge(
            J="0.5 * lam * (float(w @ w) + b * b) + float(np.sum(1.0 - margins[active])) / n",
            grad_b="lam * b - float(np.sum(y[active])) / n",
        ),
        (HINGE, "hinge_objective", "fit_linear_svm"),
    ),
    Wrong("S13c", LINEAR, _hinge(active="margins <= 1"), ("hinge_objective",)),  # a margin point counts as active
    # ------------------------------------------------------------------------- fit_linear_svm (optional)
    Wrong(
        "S14",  # constant step lr
        LINEAR,
        """
def fit_linear_svm(X, y, lam, lr=1.0, steps=3000):
    X = np.asarray(X, dtype=np.float64)
    w, b = np.zeros(X.shape[1]), 0.0
    history = []
    for _ in range(steps):
        J, grad_w, grad_b = hinge_objective(w, b, X, y, lam)
        history.append(J)
        w, b = w - lr * grad_w, b - lr * grad_b
    return w, b, history
""",
        ("fit_linear_svm",),
    ),
]
