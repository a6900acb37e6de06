"""Local tests of svm/dual.py: the dual decision function against scikit-learn's on moons."""

import numpy as np
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.svm import SVC

from svm.dual import dual_decision_function
from utils.datasets import make_moons_split
from utils.testing import check, check_close

DUAL_HINT = "Use only the support-vector columns, the signed dual coefficients and the intercept."


def test_dual_decision_function():
    """On moons with scikit-learn's RBF Gram matrices (γ=1) and SVC(kernel="precomputed", C=1): dual_decision_function
    of the (90, 210) test matrix equals svc.decision_function of it (1e-8) and has shape (90,)."""
    data = make_moons_split(300, 0.2, 0, 90, standardize=False, signed_labels=True)
    X_tr, y_tr, X_te = data["X_train"], data["y_train"], data["X_test"]
    svc = SVC(kernel="precomputed", C=1.0).fit(rbf_kernel(X_tr, gamma=1.0), y_tr)
    K_te = rbf_kernel(X_te, X_tr, gamma=1.0)
    try:
        scores = np.asarray(dual_decision_function(K_te.copy(), svc), dtype=np.float64)
    except (ValueError, IndexError) as error:
        crash = f"dual_decision_function raised {type(error).__name__}: {str(error).strip()}"
    else:
        crash = ""
    check(not crash, DUAL_HINT, crash)  # outside `except`, so only the hint line is printed
    check(scores.shape == (90,), DUAL_HINT, f"shape {scores.shape} for 90 test points, expected (90,)")
    check_close(scores, svc.decision_function(K_te), DUAL_HINT, atol=1e-8)
