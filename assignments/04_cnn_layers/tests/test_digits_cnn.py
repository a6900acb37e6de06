"""Local tests of cnn/digits_cnn.py: the torch CNN against the numpy one, one training epoch and evaluation,
the confusion matrix and the filter grid."""

import numpy as np
import torch
from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from cnn.digits_cnn import DigitsCNN, confusion_matrix, copy_numpy_params, evaluate, filters_to_grid, train_one_epoch
from cnn.small_cnn import SmallConvNet
from utils.testing import check, check_close, pick_hint

WEIGHT_HINT = "weight by batch size, do not average batch means"


def test_l11_copy_numpy_params():
    """DigitsCNN maps (5,1,8,8) to (5,10) with 1,370 parameters; after copy_numpy_params its float64 logits
    equal SmallConvNet.loss(X) on 4 random inputs."""
    hint = "torch flattens (C,H,W) in that order, and nn.Linear stores weight as (out,in): transpose fc_w"
    layers_hint = (
        "self.conv = nn.Conv2d(1, F, K, padding=K//2), self.pool = nn.MaxPool2d(2), "
        "self.fc = nn.Linear(F*4*4, num_classes)"
    )
    torch.manual_seed(0)
    model = DigitsCNN()
    for name in ("conv", "pool", "fc"):
        check(isinstance(getattr(model, name, None), nn.Module), layers_hint, f"DigitsCNN has no module `{name}`")
    count = sum(p.numel() for p in model.parameters())
    check(count == 1370, layers_hint, f"{count} parameters, expected 1370 (80 + 1290)")
    with torch.no_grad():
        logits = model(torch.zeros(5, 1, 8, 8))
    check(tuple(logits.shape) == (5, 10), "forward: fc(flatten(pool(relu(conv(x)))))", f"shape {tuple(logits.shape)}")

    net = SmallConvNet(seed=0)
    # Nonzero biases, so a bias that is not copied shows.
    net.params["conv_b"] = np.linspace(-0.2, 0.2, 8)
    net.params["fc_b"] = np.linspace(0.3, -0.3, 10)
    numpy_before = {name: value.copy() for name, value in net.params.items()}
    model = DigitsCNN().double()
    copy_numpy_params(net, model)
    for name, value in numpy_before.items():
        check(np.array_equal(net.params[name], value), hint, f"copy_numpy_params changed params[{name!r}]")
    dtypes = sorted({str(p.dtype) for p in model.parameters()})
    check(dtypes == ["torch.float64"], "keep torch_net's dtype when copying", f"parameter dtypes {dtypes}")
    X = np.random.default_rng(0).standard_normal((4, 1, 8, 8))
    scores = net.loss(X)
    scores_ok = isinstance(scores, np.ndarray) and scores.shape == (4, 10)
    check(scores_ok, "SmallConvNet.loss(X) with y=None returns the scores (N, 10)", f"got {type(scores).__name__}")
    with torch.no_grad():
        logits = model(torch.from_numpy(X))
    softmax_hint = "forward returns raw logits: no softmax (nn.CrossEntropyLoss applies log-softmax itself)"
    reference = torch.from_numpy(scores)
    wrong = [(torch.softmax(reference, 1), softmax_hint), (torch.log_softmax(reference, 1), softmax_hint)]
    check_close(logits, scores, pick_hint(logits, wrong, hint), atol=1e-10)


def _tiny_model():
    """A linear model on flattened 8x8 inputs (no dropout, no batch norm), seeded."""
    torch.manual_seed(0)
    return nn.Sequential(nn.Flatten(), nn.Linear(64, 10))


def _loader(X, y, batch_size=4):
    """Batches in order (4, 4, 2 for 10 samples), no shuffling."""
    return DataLoader(TensorDataset(torch.from_numpy(X), torch.from_numpy(y)), batch_size=batch_size, shuffle=False)


def _reference(model, loader, loss_fn, optimizer=None):
    """The expected loop: batch losses and correct counts weighted by batch size; one SGD step per batch."""
    total, correct, seen, batch_losses, batch_accs = 0.0, 0, 0, [], []
    for xb, yb in loader:
        if optimizer is not None:
            optimizer.zero_grad()
        logits = model(xb)
        loss = loss_fn(logits, yb)
        if optimizer is not None:
            loss.backward()
            optimizer.step()
        hits = int((logits.argmax(dim=1) == yb).sum())
        total += loss.item() * len(yb)
        correct += hits
        seen += len(yb)
        batch_losses.append(loss.item())
        batch_accs.append(hits / len(yb))
    return total / seen, correct / seen, float(np.mean(batch_losses)), float(np.mean(batch_accs))


def test_l12_train_and_evaluate():
    """train_one_epoch (SGD lr 0.1, batches 4, 4, 2) gives the parameters of a reference loop and the weighted loss;
    evaluate runs in eval mode without grad, changes nothing, and weights its accuracy by batch size."""
    zero_grad_hint = "did you call optimizer.zero_grad() every batch?"
    loss_fn = nn.CrossEntropyLoss()
    rng = np.random.default_rng(0)
    X = rng.standard_normal((10, 1, 8, 8)).astype(np.float32)
    y = rng.integers(0, 10, size=10)
    model, reference = _tiny_model(), _tiny_model()
    states = []  # (model.training, grad enabled) at every forward call

    def record(module, inputs, output):
        states.append((module.training, torch.is_grad_enabled()))

    model.register_forward_hook(record)
    model.eval()  # train_one_epoch must switch it back
    result = train_one_epoch(model, _loader(X, y), loss_fn, torch.optim.SGD(model.parameters(), lr=0.1))
    expected = _reference(reference, _loader(X, y), loss_fn, torch.optim.SGD(reference.parameters(), lr=0.1))
    pair = isinstance(result, tuple) and len(result) == 2
    check(pair, "return (mean_loss, accuracy)", f"train_one_epoch returned a {type(result).__name__}")
    check(states and all(training for training, _ in states), "call model.train() first", "forward ran in eval mode")
    for (name, mine), theirs in zip(model.named_parameters(), reference.parameters(), strict=True):
        check_close(mine, theirs, zero_grad_hint + f" ({name} after one epoch)", atol=1e-6)
    mean_loss, accuracy = result
    loss_hint = pick_hint(mean_loss, [(expected[2], WEIGHT_HINT)], "return sum(loss.item() * batch size) / samples")
    check_close(mean_loss, expected[0], loss_hint + " (train_one_epoch loss)", atol=1e-6)
    check_close(accuracy, expected[1], "accuracy = correct predictions / samples (train_one_epoch)", atol=1e-6)

    # Labels: the model's own predictions on batch 1 (accuracy 1), on half of batch 2 (0.5), on none of batch 3 (0).
    X = rng.standard_normal((10, 1, 8, 8)).astype(np.float32)
    with torch.no_grad():
        predictions = model(torch.from_numpy(X)).argmax(dim=1).numpy()
    y = np.where(np.arange(10) < 6, predictions, (predictions + 1) % 10)
    with torch.no_grad():
        for p in model.parameters():
            p.grad = torch.full_like(p, 0.5)  # a known .grad that evaluate must leave alone
    params = [p.detach().clone() for p in model.parameters()]
    grads = [p.grad.clone() for p in model.parameters()]
    model.train()
    states.clear()
    mean_loss, accuracy = evaluate(model, _loader(X, y), loss_fn)
    check(states, "evaluate must run the model on every batch", "the model was never called")
    check(not any(training for training, _ in states), "call model.eval() in evaluate", "forward ran in train mode")
    check(not any(grad for _, grad in states), "run evaluate under torch.no_grad()", "forward ran with grad enabled")
    for (name, p), before, grad in zip(model.named_parameters(), params, grads, strict=True):
        check(torch.equal(p.detach(), before), "evaluate must not change the parameters", f"{name} changed")
        check(p.grad is not None and torch.equal(p.grad, grad), "evaluate must not touch .grad", f"{name}.grad changed")
    with torch.no_grad():
        expected = _reference(model.eval(), _loader(X, y), loss_fn)
    accuracy_hint = pick_hint(accuracy, [(expected[3], WEIGHT_HINT)], "accuracy = correct predictions / samples")
    check_close(accuracy, expected[1], accuracy_hint + " (evaluate accuracy)", atol=1e-6)
    loss_hint = pick_hint(mean_loss, [(expected[2], WEIGHT_HINT)], "return sum(loss.item() * batch size) / samples")
    check_close(mean_loss, expected[0], loss_hint + " (evaluate loss)", atol=1e-6)


def test_l13_confusion_matrix():
    """Equal to sklearn's confusion matrix on 200 random labels with K = 10 and K = 12 (two classes absent),
    and on a small 3-class case that is not symmetric."""
    hint = "rows are TRUE classes, columns are predictions"
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 10, size=200)
    y_pred = rng.integers(0, 10, size=200)
    cases = [(y_true, y_pred, 10), (y_true, y_pred, 12), (np.array([0, 0, 1, 2]), np.array([1, 1, 2, 2]), 3)]
    for labels, predictions, k in cases:
        M = confusion_matrix(labels, predictions, k)
        expected = sklearn_confusion_matrix(labels, predictions, labels=range(k))
        check(np.shape(M) == (k, k), "every class gets a row and a column: shape (K, K)", f"shape {np.shape(M)}, K={k}")
        check_close(M, expected, pick_hint(M, [(expected.T, hint)], hint) + f" (K = {k})")
        check(np.asarray(M).dtype == np.int64, "return an int64 array of counts", f"dtype {np.asarray(M).dtype}")


def test_l14_filters_to_grid():
    """10 filters (1 channel, 3x3), ncols 4, pad 1: a (11, 15) grid, each tile scaled to [0, 1] on its own and laid
    out row-major, every other pixel 1.0."""
    hint = "normalize each filter on its own"
    w = np.random.default_rng(0).standard_normal((10, 1, 3, 3))
    grid = filters_to_grid(w, ncols=4, pad=1)
    check(np.shape(grid) == (11, 15), "R*KH + (R-1)*pad rows, Cc*KW + (Cc-1)*pad columns", f"shape {np.shape(grid)}")
    grid = np.asarray(grid)
    filler = np.ones((11, 15), dtype=bool)
    for k in range(10):
        r, c = divmod(k, 4)
        tile = grid[4 * r : 4 * r + 3, 4 * c : 4 * c + 3]
        filler[4 * r : 4 * r + 3, 4 * c : 4 * c + 3] = False
        check(tile.min() == 0.0 and tile.max() == 1.0, hint, f"tile {k}: min {tile.min():.3g}, max {tile.max():.3g}")
        f = w[k, 0]
        layout_hint = "lay the filters out row-major: filter k at row k // ncols, column k % ncols"
        check_close(tile, (f - f.min()) / (f.max() - f.min()), layout_hint + f" (tile {k})", atol=1e-12)
    check(np.all(grid[filler] == 1.0), "padding and unused cells are 1.0", "some filler pixels are not 1.0")
