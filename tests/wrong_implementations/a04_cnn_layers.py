"""Wrong implementations of assignment 04 (spec §6; a row with several variants is split into several fixtures,
and a few extra fixtures cover hidden-only behaviour of §5).

Each ``code`` is appended to the solution module it names, where the module's own names are already defined
(``np``, ``conv_output_size``, ``_check_shapes``, ``_pad``, ``im2col``, ``col2im`` and the conv functions in
conv2d.py; ``np`` in maxpool2d.py; 03's layers and the conv/pool functions in small_cnn.py; ``np``, ``torch``,
``nn``, ``math`` in digits_cnn.py). Which function a fixture redefines decides what it reaches: the fast conv
calls ``conv_output_size``, ``_pad`` (through ``im2col``), ``im2col`` and ``col2im``; the naive conv calls
``conv_output_size`` and ``_pad``; ``SmallConvNet.loss`` calls the fast conv and the pool. The size fixtures
redefine ``conv_output_size`` and the padding fixtures ``_pad``, so they reach every conv. A naive-only mistake
redefines ``conv2d_forward_naive`` or ``conv2d_backward_naive`` (wrapping the saved original where the mistake
is an addition), knowing the naive cache ``(x, w, b, stride, pad)``.

The solution's max-pool cache keeps the argmax only, so the routing mistakes that need the input values (every
tied maximum, split ties, last maximum) redefine the pair ``maxpool2d_forward``/``maxpool2d_backward`` as a
student would write it: the forward is correct and caches x, the backward routes wrongly.

``catches`` lists the local tests of the spec's "caught by" and the grade_ids of the hidden checks that fail.
"""

from . import Wrong

CONV = "cnn/conv2d.py"
POOL = "cnn/maxpool2d.py"
SMALL = "cnn/small_cnn.py"
DIGITS = "cnn/digits_cnn.py"

L1 = "test_l1_conv_output_size"
L2 = "test_l2_hand_example"
L3 = "test_l3_linspace_example"
L4 = "test_l4_naive_backward"
L5 = "test_l5_im2col_col2im"
L6 = "test_l6_fast_matches_naive"
L7 = "test_l7_col2im_adjoint"
L8 = "test_l8_maxpool_forward"
L9 = "test_l9_maxpool_backward"
L11 = "test_l11_copy_numpy_params"
L12 = "test_l12_train_and_evaluate"
L13 = "test_l13_confusion_matrix"
L14 = "test_l14_filters_to_grid"


def _size(ho: str, wo: str, checks: bool = True) -> str:
    """A conv_output_size with its formula replaced (and, with ``checks=False``, no ValueError at all)."""
    guard = (
        """
    if stride < 1 or pad < 0:
        raise ValueError("bad stride or pad")
    if Ho < 1 or Wo < 1:
        raise ValueError("kernel does not fit")"""
        if checks
        else ""
    )
    return f"""
def conv_output_size(H, W, KH, KW, stride=1, pad=0):
    Ho = {ho}
    Wo = {wo}{guard}
    return Ho, Wo
"""


def _naive_forward(window: str) -> str:
    """The solution's naive forward with the window product replaced (``window`` and ``w`` in scope)."""
    return f"""
def conv2d_forward_naive(x, w, b, stride=1, pad=0):
    _check_shapes(x, w, b)
    N, _, H, W = x.shape
    F, _, KH, KW = w.shape
    Ho, Wo = conv_output_size(H, W, KH, KW, stride, pad)
    xp = _pad(x, pad)
    out = np.zeros((N, F, Ho, Wo), dtype=np.result_type(x, w, b))
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    window = xp[n, :, i * stride : i * stride + KH, j * stride : j * stride + KW]
                    out[n, f, i, j] = np.sum({window}) + b[f]
    return out, (x, w, b, stride, pad)
"""


def _naive_backward(dx: str) -> str:
    """The solution's naive backward with the crop of dxp replaced."""
    return f"""
def conv2d_backward_naive(dout, cache):
    x, w, b, stride, pad = cache
    N, F, Ho, Wo = dout.shape
    _, _, KH, KW = w.shape
    H, W = x.shape[2], x.shape[3]
    xp = _pad(x, pad)
    dxp = np.zeros(xp.shape)
    dw = np.zeros(w.shape)
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    rows = slice(i * stride, i * stride + KH)
                    cols = slice(j * stride, j * stride + KW)
                    dw[f] += dout[n, f, i, j] * xp[n, :, rows, cols]
                    dxp[n, :, rows, cols] += dout[n, f, i, j] * w[f]
    return {dx}, dw, dout.sum(axis=(0, 2, 3))
"""


def _pool_pair(route: str) -> str:
    """A max-pool forward that caches x, and a backward whose window mask is ``route`` (``window``, ``mask``
    in scope; the mask starts at zeros and the window's gradient is ``mask * g``, added into dx)."""
    return f"""
_solution_pool_forward = maxpool2d_forward


def maxpool2d_forward(x, pool_h=2, pool_w=2, stride=2):
    out, _ = _solution_pool_forward(x, pool_h, pool_w, stride)
    return out, (x, pool_h, pool_w, stride)


def maxpool2d_backward(dout, cache):
    x, pool_h, pool_w, stride = cache
    dx = np.zeros(x.shape)
    N, C, Ho, Wo = dout.shape
    for n in range(N):
        for c in range(C):
            for i in range(Ho):
                for j in range(Wo):
                    r, s = i * stride, j * stride
                    window = x[n, c, r : r + pool_h, s : s + pool_w]
                    mask = np.zeros(window.shape)
{route}
                    dx[n, c, r : r + pool_h, s : s + pool_w] += mask * dout[n, c, i, j]
    return dx
"""


def _evaluate(mode: str = "model.eval()", context: str = "torch.no_grad()", accuracy: str = "correct / seen") -> str:
    """The solution's evaluate with its mode call, its grad context or its accuracy replaced."""
    return f"""
def evaluate(model, loader, loss_fn):
    {mode}
    total_loss, correct, seen, batch_accuracies = 0.0, 0, 0, []
    with {context}:
        for inputs, targets in loader:
            logits = model(inputs)
            total_loss += float(loss_fn(logits, targets)) * len(targets)
            hits = int((logits.argmax(dim=1) == targets).sum())
            batch_accuracies.append(hits / len(targets))
            correct += hits
            seen += len(targets)
    return total_loss / seen, {accuracy}
"""


def _train_one_epoch(zero_grad: str = "optimizer.zero_grad()", loss: str = "total_loss / seen") -> str:
    """The solution's train_one_epoch with its zero_grad call or its returned loss replaced."""
    return f"""
def train_one_epoch(model, loader, loss_fn, optimizer):
    model.train()
    total_loss, correct, seen, batch_losses = 0.0, 0, 0, []
    for inputs, targets in loader:
        {zero_grad}
        logits = model(inputs)
        loss = loss_fn(logits, targets)
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(targets)
        batch_losses.append(loss.item())
        correct += int((logits.argmax(dim=1) == targets).sum())
        seen += len(targets)
    return {loss}, correct / seen
"""


WRONG = [
    # ---------------------------------------------------------------------------------- conv_output_size (L1, H1)
    Wrong(
        "size_ceil",
        CONV,
        _size("-(-(H + 2 * pad - KH) // stride) + 1", "-(-(W + 2 * pad - KW) // stride) + 1"),
        (L1, "conv_output_size"),
    ),
    Wrong(
        "size_no_plus_one",
        CONV,
        _size("(H + 2 * pad - KH) // stride", "(W + 2 * pad - KW) // stride"),
        (L1, "conv_output_size"),
    ),
    Wrong(
        "size_ignores_pad",
        CONV,
        _size("(H - KH) // stride + 1", "(W - KW) // stride + 1"),
        (L1, "conv_output_size"),
    ),
    Wrong(
        "size_ignores_stride",
        CONV,
        _size("H + 2 * pad - KH + 1", "W + 2 * pad - KW + 1"),
        (L1, "conv_output_size"),
    ),
    Wrong(
        "size_no_value_error",  # extra: H1's invalid configurations
        CONV,
        _size("(H + 2 * pad - KH) // stride + 1", "(W + 2 * pad - KW) // stride + 1", checks=False),
        (L1, "conv_output_size"),
    ),
    # ------------------------------------------------------------------------------ naive forward (L2, L3, H2)
    Wrong("kernel_flipped", CONV, _naive_forward("window * w[f, :, ::-1, ::-1]"), (L2, "conv2d_forward_naive")),
    Wrong(
        "kernel_transposed",  # a broadcast error where KH != KW
        CONV,
        _naive_forward("window * w[f].transpose(0, 2, 1)"),
        (L2, "conv2d_forward_naive"),
    ),
    Wrong(
        "pad_all_axes",
        CONV,
        """
def _pad(x, pad):
    return np.pad(x, pad)
""",
        (L3, L4, "conv2d_forward_naive", "conv2d_backward_naive", "conv2d_forward"),
    ),
    Wrong(
        "pad_top_left",  # L2's s2 p1 case never reads the bottom/right padding, so L2 does not see it
        CONV,
        """
def _pad(x, pad):
    return np.pad(x, ((0, 0), (0, 0), (pad, 0), (pad, 0)))
""",
        (L3, L4, "conv2d_forward_naive", "conv2d_backward_naive", "conv2d_forward"),
    ),
    Wrong(
        "bias_wrong_axis",  # runs wherever Wo == F (L3: out (2, 2, 3, 2))
        CONV,
        """
_solution_forward_naive = conv2d_forward_naive


def conv2d_forward_naive(x, w, b, stride=1, pad=0):
    out, cache = _solution_forward_naive(x, w, np.zeros_like(b), stride, pad)
    return out + b[None, None, None, :], cache
""",
        (L3, "conv2d_forward_naive"),
    ),
    Wrong(
        "bias_sum_everywhere",
        CONV,
        """
_solution_forward_naive = conv2d_forward_naive


def conv2d_forward_naive(x, w, b, stride=1, pad=0):
    out, cache = _solution_forward_naive(x, w, np.zeros_like(b), stride, pad)
    return out + b.sum(), cache
""",
        (L3, "conv2d_forward_naive"),
    ),
    # --------------------------------------------------------------------------------- naive backward (L4, H2)
    Wrong(
        "db_not_summed",  # summed over n only: (F, Ho, Wo)
        CONV,
        """
_solution_backward_naive = conv2d_backward_naive


def conv2d_backward_naive(dout, cache):
    dx, dw, _ = _solution_backward_naive(dout, cache)
    return dx, dw, dout.sum(axis=0)
""",
        (L4, "conv2d_backward_naive"),
    ),
    Wrong(
        "dw_last_sample",  # dw overwritten per sample instead of accumulated: only the last sample's remains
        CONV,
        """
_solution_backward_naive = conv2d_backward_naive


def conv2d_backward_naive(dout, cache):
    dx, _, db = _solution_backward_naive(dout, cache)
    last = np.zeros_like(dout)
    last[-1] = dout[-1]
    _, dw, _ = _solution_backward_naive(last, cache)
    return dx, dw, db
""",
        (L4, "conv2d_backward_naive"),
    ),
    Wrong("dx_padded", CONV, _naive_backward("dxp"), (L4, "conv2d_backward_naive")),
    Wrong(
        "dx_crop_off_by_one",
        CONV,
        _naive_backward("dxp[:, :, pad + 1 : pad + 1 + H, pad + 1 : pad + 1 + W]"),
        (L4, "conv2d_backward_naive"),
    ),
    # -------------------------------------------------------------------------------- im2col / col2im / fast
    Wrong(
        "im2col_row_order",  # rows (a, e, c) while w.reshape(F, -1) is (c, a, e)
        CONV,
        """
_solution_im2col = im2col


def im2col(x, KH, KW, stride=1, pad=0):
    cols = _solution_im2col(x, KH, KW, stride, pad)
    C = x.shape[1]
    return cols.reshape(C, KH, KW, -1).transpose(1, 2, 0, 3).reshape(C * KH * KW, -1)
""",
        (L5, L6, "im2col", "conv2d_forward", "conv2d_backward"),
    ),
    Wrong(
        "col2im_overwrites",
        CONV,
        """
def col2im(cols, x_shape, KH, KW, stride=1, pad=0):
    N, C, H, W = x_shape
    Ho, Wo = conv_output_size(H, W, KH, KW, stride, pad)
    blocks = cols.reshape(C, KH, KW, N, Ho, Wo)
    xp = np.zeros((N, C, H + 2 * pad, W + 2 * pad), dtype=cols.dtype)
    for a in range(KH):
        for e in range(KW):
            xp[:, :, a : a + stride * Ho : stride, e : e + stride * Wo : stride] = blocks[:, a, e].transpose(1, 0, 2, 3)
    return xp[:, :, pad : pad + H, pad : pad + W]
""",
        (L5, L7, "im2col", "conv2d_backward"),
    ),
    Wrong(
        "fast_calls_naive",  # right values, but the loops run: only H4's line count sees it
        CONV,
        """
_solution_forward = conv2d_forward


def conv2d_forward(x, w, b, stride=1, pad=0):
    out, _ = conv2d_forward_naive(x, w, b, stride, pad)
    _, cache = _solution_forward(x, w, b, stride, pad)
    return out, cache
""",
        ("conv2d_backward",),
    ),
    Wrong(
        "fast_float64_output",  # extra: H3, float32 inputs must give float32
        CONV,
        """
_solution_forward = conv2d_forward


def conv2d_forward(x, w, b, stride=1, pad=0):
    out, cache = _solution_forward(x, w, b, stride, pad)
    return out.astype(np.float64), cache
""",
        ("conv2d_forward",),
    ),
    # ----------------------------------------------------------------------------------------- max pool (L8, L9, H5)
    Wrong(
        "pool_grad_every_cell",
        POOL,
        """
def maxpool2d_backward(dout, cache):
    x_shape, _, pool_h, pool_w, stride = cache
    dx = np.zeros(x_shape)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            dx[:, :, i * stride : i * stride + pool_h, j * stride : j * stride + pool_w] += dout[:, :, i, j, None, None]
    return dx
""",
        (L9, "maxpool2d_backward"),
    ),
    Wrong(
        "pool_grad_every_tied_max",
        POOL,
        _pool_pair("                    mask[window == window.max()] = 1.0"),
        (L9, "maxpool2d_backward"),
    ),
    Wrong(
        "pool_grad_split",
        POOL,
        _pool_pair("                    mask[window == window.max()] = 1.0\n                    mask /= mask.sum()"),
        (L9, "maxpool2d_backward"),
    ),
    Wrong(
        "pool_last_max",
        POOL,
        _pool_pair(
            "                    last = window.size - 1 - np.argmax(window.reshape(-1)[::-1])\n"
            "                    mask.flat[last] = 1.0"
        ),
        (L9, "maxpool2d_backward"),
    ),
    Wrong(
        "pool_overlap_assigns",  # fancy-index assignment keeps one of the overlapping contributions
        POOL,
        """
def maxpool2d_backward(dout, cache):
    x_shape, argmax, pool_h, pool_w, stride = cache
    N, C, Ho, Wo = dout.shape
    rows = np.arange(Ho)[:, None] * stride + argmax // pool_w
    cols = np.arange(Wo)[None, :] * stride + argmax % pool_w
    dx = np.zeros(x_shape, dtype=dout.dtype)
    dx[np.arange(N)[:, None, None, None], np.arange(C)[None, :, None, None], rows, cols] = dout
    return dx
""",
        ("maxpool2d_backward",),
    ),
    Wrong(
        "pool_stride_ignored",  # the window size used as the stride
        POOL,
        """
_solution_pool_forward = maxpool2d_forward


def maxpool2d_forward(x, pool_h=2, pool_w=2, stride=2):
    return _solution_pool_forward(x, pool_h, pool_w, pool_h)
""",
        (L8, "maxpool2d_forward"),
    ),
    Wrong(
        "pool_over_channels",
        POOL,
        """
_solution_pool_forward = maxpool2d_forward


def maxpool2d_forward(x, pool_h=2, pool_w=2, stride=2):
    out, cache = _solution_pool_forward(x, pool_h, pool_w, stride)
    return np.broadcast_to(out.max(axis=1, keepdims=True), out.shape).copy(), cache
""",
        (L8, "maxpool2d_forward"),
    ),
    # ------------------------------------------------------------------------------------- networks (L11, H6, H8)
    Wrong(
        "flatten_hwc",
        DIGITS,
        """
def _forward_hwc(self, x):
    pooled = self.pool(torch.relu(self.conv(x)))
    return self.fc(pooled.permute(0, 2, 3, 1).flatten(1))


DigitsCNN.forward = _forward_hwc
""",
        (L11, "digits_cnn__forward"),
    ),
    Wrong(
        "flatten_hwc_numpy",  # the numpy net's own gradient check still passes: only the comparisons see it
        SMALL,
        """
def _loss_hwc(self, X, y=None):
    p = self.params
    conv, conv_cache = conv2d_forward(X, p["conv_w"], p["conv_b"], stride=1, pad=(self.kernel_size - 1) // 2)
    relu, relu_cache = relu_forward(conv)
    pooled, pool_cache = maxpool2d_forward(relu, 2, 2, 2)
    hwc = pooled.transpose(0, 2, 3, 1)
    scores, fc_cache = fc_forward(hwc.reshape(len(X), -1), p["fc_w"], p["fc_b"])
    if y is None:
        return scores
    loss, dscores = softmax_cross_entropy(scores, y)
    grads = {}
    dflat, grads["fc_w"], grads["fc_b"] = fc_backward(dscores, fc_cache)
    dpooled = dflat.reshape(hwc.shape).transpose(0, 3, 1, 2)
    dconv = relu_backward(maxpool2d_backward(dpooled, pool_cache), relu_cache)
    _, grads["conv_w"], grads["conv_b"] = conv2d_backward(dconv, conv_cache)
    return float(loss), grads


SmallConvNet.loss = _loss_hwc
""",
        (L11, "small_conv_net__loss"),
    ),
    Wrong(
        "digits_softmax",  # extra: forward returns probabilities, not logits
        DIGITS,
        """
def _forward_softmax(self, x):
    return torch.softmax(self.fc(torch.flatten(self.pool(torch.relu(self.conv(x))), 1)), dim=1)


DigitsCNN.forward = _forward_softmax
""",
        (L11, "digits_cnn__forward"),
    ),
    Wrong(
        "fc_reshaped",
        DIGITS,
        """
def copy_numpy_params(numpy_net, torch_net):
    p = numpy_net.params
    with torch.no_grad():
        for target, value in (
            (torch_net.conv.weight, p["conv_w"]),
            (torch_net.conv.bias, p["conv_b"]),
            (torch_net.fc.weight, p["fc_w"].reshape(torch_net.fc.weight.shape)),
            (torch_net.fc.bias, p["fc_b"]),
        ):
            target.copy_(torch.as_tensor(value, dtype=target.dtype))
""",
        (L11, "copy_numpy_params"),
    ),
    # ----------------------------------------------------------------------------------- training loops (L12, H7)
    Wrong("no_zero_grad", DIGITS, _train_one_epoch(zero_grad="pass"), (L12, "train_one_epoch")),
    Wrong(
        "train_loss_unweighted",  # extra: the returned loss is the mean of batch means
        DIGITS,
        _train_one_epoch(loss="sum(batch_losses) / len(batch_losses)"),
        (L12, "train_one_epoch"),
    ),
    Wrong("evaluate_train_mode", DIGITS, _evaluate(mode="model.train()"), (L12, "evaluate")),
    Wrong("evaluate_with_grad", DIGITS, _evaluate(context="torch.enable_grad()"), (L12, "evaluate")),
    Wrong(
        "accuracy_unweighted",
        DIGITS,
        _evaluate(accuracy="sum(batch_accuracies) / len(batch_accuracies)"),
        (L12, "evaluate"),
    ),
    # ----------------------------------------------------------------------------- confusion matrix, filter grid
    Wrong(
        "confusion_transposed",
        DIGITS,
        """
_solution_confusion = confusion_matrix


def confusion_matrix(y_true, y_pred, num_classes):
    return _solution_confusion(y_pred, y_true, num_classes)
""",
        (L13, "confusion_matrix"),
    ),
    Wrong(
        "confusion_no_value_error",  # extra: H8, labels out of range and mismatched lengths must raise
        DIGITS,
        """
def confusion_matrix(y_true, y_pred, num_classes):
    M = np.zeros((num_classes, num_classes), dtype=np.int64)
    for t, p in zip(np.asarray(y_true), np.asarray(y_pred)):
        if 0 <= t < num_classes and 0 <= p < num_classes:
            M[t, p] += 1
    return M
""",
        ("confusion_matrix",),
    ),
    Wrong(
        "filters_joint_norm",
        DIGITS,
        """
def filters_to_grid(w, ncols=8, pad=1):
    w = np.asarray(w, dtype=np.float64)
    F, C, KH, KW = w.shape
    rows, cols = math.ceil(F / ncols), min(F, ncols)
    span = w.max() - w.min()
    scaled = (w - w.min()) / span if span > 0 else np.full(w.shape, 0.5)
    grid = np.ones((rows * KH + (rows - 1) * pad, cols * KW + (cols - 1) * pad, C))
    for f in range(F):
        r, c = divmod(f, ncols)
        grid[r * (KH + pad) : r * (KH + pad) + KH, c * (KW + pad) : c * (KW + pad) + KW] = scaled[f].transpose(1, 2, 0)
    return grid[..., 0] if C == 1 else grid
""",
        (L14, "filters_to_grid"),
    ),
    Wrong(
        "filters_constant_nan",  # extra: H8, a constant filter must render as 0.5 (0/0 here)
        DIGITS,
        """
def filters_to_grid(w, ncols=8, pad=1):
    w = np.asarray(w, dtype=np.float64)
    F, C, KH, KW = w.shape
    rows, cols = math.ceil(F / ncols), min(F, ncols)
    low = w.min(axis=(1, 2, 3), keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        scaled = (w - low) / (w.max(axis=(1, 2, 3), keepdims=True) - low)
    grid = np.ones((rows * KH + (rows - 1) * pad, cols * KW + (cols - 1) * pad, C))
    for f in range(F):
        r, c = divmod(f, ncols)
        grid[r * (KH + pad) : r * (KH + pad) + KH, c * (KW + pad) : c * (KW + pad) + KW] = scaled[f].transpose(1, 2, 0)
    return grid[..., 0] if C == 1 else grid
""",
        ("filters_to_grid",),
    ),
]
