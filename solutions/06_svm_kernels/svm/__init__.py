"""Feature maps, Gram matrices and kernels for support vector machines, the dual decision function, and an
optional primal SVM trained by subgradient descent."""

from .dual import dual_decision_function
from .features import lift_circles, lift_xor, wave_features
from .kernels import is_valid_kernel, kernel_construction, pairwise_sq_dists, polynomial_kernel, rbf_kernel
from .linear_svm import fit_linear_svm, hinge_objective

__all__ = [
    "dual_decision_function",
    "fit_linear_svm",
    "hinge_objective",
    "is_valid_kernel",
    "kernel_construction",
    "lift_circles",
    "lift_xor",
    "pairwise_sq_dists",
    "polynomial_kernel",
    "rbf_kernel",
    "wave_features",
]
