"""The SVM's decision function in dual form, from a fitted binary `SVC(kernel="precomputed")`.

Write the body marked "raise NotImplementedError"; `pytest tests/test_dual.py` checks it.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def dual_decision_function(K_test: Any, svc: Any) -> np.ndarray:
    """f(x) = Σ_i α_i y_i K(x_i, x) + b over the support vectors only.

    K_test: (M, N_train), the kernel between the test points and ALL training points (what you would pass to
    svc.decision_function). Uses svc.support_ (support indices), svc.dual_coef_ (1, n_SV) holding α_i·y_i, and
    svc.intercept_ (1,). Returns (M,). ValueError if svc has more than two classes.
    """
    raise NotImplementedError
