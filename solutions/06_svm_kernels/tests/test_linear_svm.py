"""Local tests of svm/linear_svm.py (optional section): the hinge objective and its subgradient against torch
autograd, and subgradient descent against scikit-learn's linear SVM on blobs."""

import numpy as np
import torch
from sklearn.svm import SVC

from svm.linear_svm import fit_linear_svm, hinge_objective
from utils.datasets import blobs
from utils.testing import check, check_close

HINGE_HINT = "Average the hinge over N; do not regularize b; only points with margin < 1 contribute."
FIT_HINT = "Use a decaying step lr/√(t+1) and start from zeros."


def _objective(w, b, X, y, lam):
    """The reference J = λ/2·‖w‖² + mean(max(0, 1 − y(Xw + b)))."""
    return 0.5 * lam * float(w @ w) + float(np.mean(np.maximum(0.0, 1.0 - y * (X @ w + b))))


def test_hinge_objective():
    """On 20×3 random data with a random w and b ≠ 0 (no point on the margin) and λ = 0.3: J, grad_w and
    grad_b equal torch autograd in float64 (1e-10)."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 3))
    y = rng.choice([-1, 1], size=20)
    w = rng.standard_normal(3)
    b, lam = 0.4, 0.3
    # These data have 14 active and 6 inactive points, the closest margin 5e-3 away from 1.
    w_t = torch.tensor(w, requires_grad=True)
    b_t = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y.astype(np.float64))
    J_t = 0.5 * lam * (w_t @ w_t) + torch.clamp(1.0 - y_t * (X_t @ w_t + b_t), min=0.0).mean()
    J_t.backward()
    result = hinge_objective(w.copy(), b, X.copy(), y.copy(), lam)
    triple = isinstance(result, tuple | list) and len(result) == 3
    check(triple, HINGE_HINT, f"hinge_objective returned a {type(result).__name__}, expected (J, grad_w, grad_b)")
    J, grad_w, grad_b = result
    check_close(J, J_t.item(), HINGE_HINT + " (J)", atol=1e-10)
    check_close(grad_w, w_t.grad, HINGE_HINT + " (grad_w)", atol=1e-10)
    check_close(grad_b, b_t.grad.item(), HINGE_HINT + " (grad_b)", atol=1e-10)


def test_fit_linear_svm():
    """On blobs with λ = 1/(C·N), C = 0.1: fit_linear_svm (lr=1, 3000 steps) gives a w whose cosine with
    SVC(kernel="linear", C=0.1).coef_ exceeds 0.999, and an objective within 1% of scikit-learn's."""
    X, y = blobs()
    C = 0.1
    lam = 1.0 / (C * len(y))
    svc = SVC(kernel="linear", C=C).fit(X, y)
    w_ref, b_ref = svc.coef_[0], float(svc.intercept_[0])
    result = fit_linear_svm(X.copy(), y.copy(), lam)
    triple = isinstance(result, tuple | list) and len(result) == 3
    check(triple, FIT_HINT, f"fit_linear_svm returned a {type(result).__name__}, expected (w, b, history)")
    w, b = np.asarray(result[0], dtype=np.float64), float(result[1])
    check(w.shape == (2,), FIT_HINT, f"w has shape {w.shape}, expected (2,)")
    norm = np.linalg.norm(w) * np.linalg.norm(w_ref)
    cosine = float(w @ w_ref / norm) if norm > 0 else 0.0
    check(cosine > 0.999, FIT_HINT, f"cosine with scikit-learn's w is {cosine:.4f}, needs > 0.999")
    J, J_ref = _objective(w, b, X, y, lam), _objective(w_ref, b_ref, X, y, lam)
    check_close(J, J_ref, FIT_HINT + f" (objective {J:.5f}, scikit-learn's {J_ref:.5f})", rtol=0.01)
