"""Local tests of svm/kernels.py: Gram matrices from an explicit feature map, pairwise squared distances, RBF and
polynomial kernels against scikit-learn, the kernel-validity check, and a precomputed SVC on moons."""

import math

import numpy as np
from sklearn.metrics import pairwise
from sklearn.svm import SVC

from svm.kernels import is_valid_kernel, kernel_construction, pairwise_sq_dists, polynomial_kernel, rbf_kernel
from utils.datasets import make_moons_split
from utils.testing import check, check_close

CONSTRUCTION_HINT = "K[i,j] needs φ of row i and φ of row j, not φ(x_i) twice."
PHI2_HINT = "The cross term needs √2 so its square gives the 2x₁x₂y₁y₂ of (1+x·y)²."
SQ_DISTS_HINT = "Expand ‖x−y‖² = ‖x‖²+‖y‖²−2x·y; broadcast a column against a row; clip at 0."
RBF_HINT = "RBF uses the squared distance and exp(−γ·d²); gamma=None means 1/n_features."
POLY_HINT = "It is (γ·x·y + coef0)^degree; coef0 sits inside the power."
PSD_HINT = "A Gram matrix of a real kernel must be symmetric with no negative eigenvalues."
VALID_HINT = "Check symmetry and the smallest eigenvalue of the symmetrized matrix."
PRECOMPUTED_HINT = "Predict with K(X_test, X_train), shape (n_test, n_train), not K(X_test, X_test)."


class _NotOneRow(Exception):
    """Raised by the test's φ when it is handed something other than one 1-D row."""


def _data():
    """X (30, 4) and Y (20, 4), standard normal from default_rng(0)."""
    rng = np.random.default_rng(0)
    return rng.standard_normal((30, 4)), rng.standard_normal((20, 4))


def _moons():
    """The 210 training and 90 test points of moons, labels ±1."""
    data = make_moons_split(300, 0.2, 0, 90, standardize=False, signed_labels=True)
    return data["X_train"], data["y_train"], data["X_test"]


def _call(hint, fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` as a float64 array; a ValueError or IndexError inside it fails with ``hint``."""
    try:
        return np.asarray(fn(*args, **kwargs), dtype=np.float64)
    except (ValueError, IndexError) as error:
        crash = f"{fn.__name__} raised {type(error).__name__}: {str(error).strip()}"
    check(False, hint, crash)  # outside `except`, so only the hint line is printed


def _shape(K, expected, hint, call):
    """Fail with ``hint`` unless K has the shape ``expected``."""
    check(K.shape == expected, hint, f"{call} has shape {K.shape}, expected {expected}")


def test_kernel_construction_matches_phi():
    """φ(x) = [x₁, x₁x₂] on 6×2 data: kernel_construction equals a brute-force double loop (1e-12), is symmetric
    when Y is None, and with Y given (4 rows of X against the 6 rows of Y) has shape (4, 6)."""
    rng = np.random.default_rng(0)
    X6, X4 = rng.standard_normal((6, 2)), rng.standard_normal((4, 2))
    seen = []

    def phi(x):
        x = np.asarray(x)
        if x.ndim != 1:
            seen.append(x.shape)
            raise _NotOneRow
        return [x[0], x[0] * x[1]]

    def brute_force(A, B):
        return np.array([[np.dot(phi(a), phi(b)) for b in B] for a in A])

    def construct(*args, **kwargs):
        try:
            return _call(CONSTRUCTION_HINT, kernel_construction, *args, **kwargs)
        except _NotOneRow:
            pass
        check(False, CONSTRUCTION_HINT, f"phi was called with shape {seen[-1]}; it takes one row of shape (D,)")

    K = construct(X6, phi)
    _shape(K, (6, 6), CONSTRUCTION_HINT, "kernel_construction(X (6, 2), phi)")
    check_close(K, brute_force(X6, X6), CONSTRUCTION_HINT + " (Y=None)", atol=1e-12)
    check_close(K, K.T, CONSTRUCTION_HINT + " (Y=None must give a symmetric K)", atol=1e-12)
    K = construct(X4, phi, Y=X6)
    _shape(K, (4, 6), CONSTRUCTION_HINT, "kernel_construction(X (4, 2), phi, Y (6, 2))")
    check_close(K, brute_force(X4, X6), CONSTRUCTION_HINT + " (Y given)", atol=1e-12)


def test_phi2_equals_poly2():
    """The explicit map φ(x) = [1, √2x₁, √2x₂, x₁², x₂², √2x₁x₂] through kernel_construction equals scikit-learn's
    polynomial_kernel(degree=2, gamma=1, coef0=1), for Y=None and for Y given (1e-10)."""
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((8, 2)), rng.standard_normal((5, 2))
    root2 = math.sqrt(2.0)

    def phi2(x):
        return np.array([1.0, root2 * x[0], root2 * x[1], x[0] ** 2, x[1] ** 2, root2 * x[0] * x[1]])

    for Y_arg, name in ((None, "Y=None"), (Y, "Y given")):
        K = _call(PHI2_HINT, kernel_construction, X, phi2, Y=Y_arg)
        expected = pairwise.polynomial_kernel(X, Y_arg, degree=2, gamma=1.0, coef0=1.0)
        check_close(K, expected, PHI2_HINT + f" ({name})", atol=1e-10)


def test_sq_dists():
    """pairwise_sq_dists equals scikit-learn's euclidean_distances(X, Y, squared=True) for (30, 4) × (20, 4) and for
    Y=None (rtol 1e-9, atol 1e-9), has no negative entry, and has an exactly 0 diagonal when Y is None."""
    X, Y = _data()
    D2 = _call(SQ_DISTS_HINT, pairwise_sq_dists, X, Y)
    _shape(D2, (30, 20), SQ_DISTS_HINT, "pairwise_sq_dists(X (30, 4), Y (20, 4))")
    expected = pairwise.euclidean_distances(X, Y, squared=True)
    check_close(D2, expected, SQ_DISTS_HINT + " (Y given)", rtol=1e-9, atol=1e-9)
    check(np.all(D2 >= 0), SQ_DISTS_HINT, f"{int(np.sum(D2 < 0))} negative entries (Y given)")
    D2 = _call(SQ_DISTS_HINT, pairwise_sq_dists, X)
    _shape(D2, (30, 30), SQ_DISTS_HINT, "pairwise_sq_dists(X (30, 4))")
    check_close(D2, pairwise.euclidean_distances(X, squared=True), SQ_DISTS_HINT + " (Y=None)", rtol=1e-9, atol=1e-9)
    check(np.all(D2 >= 0), SQ_DISTS_HINT, f"{int(np.sum(D2 < 0))} negative entries (Y=None)")
    diagonal = np.diag(D2)
    off = np.abs(diagonal).max()
    fact = f"Y=None: {int(np.sum(diagonal != 0))} diagonal entries are not exactly 0 (largest {off:.1e})"
    check(np.all(diagonal == 0), SQ_DISTS_HINT, fact)


def test_rbf_matches_sklearn():
    """rbf_kernel equals scikit-learn's rbf_kernel for γ ∈ {0.7, None}, for (30, 4) × (20, 4) and for Y=None (1e-12);
    with Y=None its diagonal is exactly 1.0; no entry exceeds 1."""
    X, Y = _data()
    for gamma in (0.7, None):
        K = _call(RBF_HINT, rbf_kernel, X, Y, gamma=gamma)
        _shape(K, (30, 20), RBF_HINT, f"rbf_kernel(X (30, 4), Y (20, 4), gamma={gamma})")
        check_close(K, pairwise.rbf_kernel(X, Y, gamma=gamma), RBF_HINT + f" (gamma={gamma}, Y given)", atol=1e-12)
        K = _call(RBF_HINT, rbf_kernel, X, gamma=gamma)
        _shape(K, (30, 30), RBF_HINT, f"rbf_kernel(X (30, 4), gamma={gamma})")
        check_close(K, pairwise.rbf_kernel(X, gamma=gamma), RBF_HINT + f" (gamma={gamma}, Y=None)", atol=1e-12)
        diagonal = np.diag(K)
        off = np.abs(diagonal - 1.0).max()
        fact = f"gamma={gamma}, Y=None: diagonal entries differ from 1.0 by up to {off:.1e}; it must be exactly 1"
        check(np.all(diagonal == 1.0), RBF_HINT, fact)
        check(np.all(K <= 1.0), RBF_HINT, f"gamma={gamma}: largest entry 1 + {K.max() - 1.0:.1e}, must be <= 1")


def test_poly_matches_sklearn():
    """polynomial_kernel equals scikit-learn's for (degree, gamma, coef0) = (3, None, 1), called with the defaults, and
    (2, 0.5, 2), for (30, 4) × (20, 4) and for Y=None (rtol 1e-10)."""
    X, Y = _data()
    for kwargs in ({}, {"degree": 2, "gamma": 0.5, "coef0": 2.0}):
        called = (
            "called with the defaults degree=3, gamma=None, coef0=1"
            if not kwargs
            else ", ".join(f"{k}={v}" for k, v in kwargs.items())
        )
        for Y_arg, name in ((Y, "Y given"), (None, "Y=None")):
            K = _call(POLY_HINT, polynomial_kernel, X, Y_arg, **kwargs)
            expected = pairwise.polynomial_kernel(X, Y_arg, **kwargs)
            check_close(K, expected, POLY_HINT + f" ({called}, {name})", rtol=1e-10)


def test_gram_symmetric_psd():
    """Your rbf_kernel (γ=1) and polynomial_kernel (degree 3, γ=1, coef0=1) on the 210 moons training points give
    (210, 210) matrices that are symmetric (1e-12, relative) with λ_min ≥ −1e-10·λ_max."""
    X_tr, _, _ = _moons()
    grams = [
        ("rbf_kernel(X, gamma=1)", rbf_kernel, {"gamma": 1.0}),
        (
            "polynomial_kernel(X, degree=3, gamma=1, coef0=1)",
            polynomial_kernel,
            {"degree": 3, "gamma": 1.0, "coef0": 1.0},
        ),
    ]
    for call, kernel, kwargs in grams:
        K = _call(PSD_HINT, kernel, X_tr, **kwargs)
        _shape(K, (210, 210), PSD_HINT, call)
        asymmetry = np.abs(K - K.T).max()
        check(asymmetry <= 1e-12 * max(1.0, np.abs(K).max()), PSD_HINT, f"{call}: max |K − Kᵀ| = {asymmetry:.1e}")
        eigenvalues = np.linalg.eigvalsh((K + K.T) / 2)
        fact = f"{call}: λ_min = {eigenvalues.min():.2e}, λ_max = {eigenvalues.max():.2e}"
        check(eigenvalues.min() >= -1e-10 * eigenvalues.max(), PSD_HINT, fact)


def test_is_valid_kernel():
    """On the 210 moons training points is_valid_kernel is True for scikit-learn's RBF (γ=1) and polynomial (degree 3)
    Gram matrices, and False for tanh(XXᵀ − 1), for −D² and for a non-square (5, 210) matrix, which must not raise."""
    X_tr, _, _ = _moons()
    cases = [
        ("RBF", pairwise.rbf_kernel(X_tr, gamma=1.0), True),
        ("polynomial degree 3", pairwise.polynomial_kernel(X_tr, degree=3, gamma=1.0, coef0=1.0), True),
        ("tanh(XXᵀ − 1)", np.tanh(X_tr @ X_tr.T - 1.0), False),
        ("−D²", -pairwise.euclidean_distances(X_tr, squared=True), False),
        ("a non-square (5, 210) matrix", pairwise.rbf_kernel(X_tr[:5], X_tr, gamma=1.0), False),
    ]
    for name, K, expected in cases:
        try:
            result = is_valid_kernel(K)
        except (ValueError, IndexError) as error:
            crash = f"{name}: is_valid_kernel raised {type(error).__name__}, expected {expected}"
        else:
            crash = ""
        check(not crash, VALID_HINT, crash)  # outside `except`, so only the hint line is printed
        boolean = isinstance(result, bool | np.bool_)
        got = repr(bool(result)) if boolean else f"a {type(result).__name__}"
        check(boolean and bool(result) == expected, VALID_HINT, f"{name}: returned {got}, expected {expected}")


def test_precomputed_equals_builtin():
    """SVC(kernel="precomputed", C=1) trained on your rbf_kernel(X_train, gamma=1) and evaluated on
    rbf_kernel(X_test, X_train, gamma=1) gives the decision function (1e-8) and support_ of SVC(kernel="rbf",
    gamma=1, C=1) on moons."""
    X_tr, y_tr, X_te = _moons()
    K_tr = _call(PRECOMPUTED_HINT, rbf_kernel, X_tr, gamma=1.0)
    _shape(K_tr, (210, 210), PRECOMPUTED_HINT, "rbf_kernel(X_train, gamma=1)")
    K_te = _call(PRECOMPUTED_HINT, rbf_kernel, X_te, X_tr, gamma=1.0)
    _shape(K_te, (90, 210), PRECOMPUTED_HINT, "rbf_kernel(X_test, X_train, gamma=1)")
    precomputed = SVC(kernel="precomputed", C=1.0).fit(K_tr, y_tr)
    builtin = SVC(kernel="rbf", gamma=1.0, C=1.0).fit(X_tr, y_tr)
    check_close(
        precomputed.decision_function(K_te),
        builtin.decision_function(X_te),
        PRECOMPUTED_HINT + " (decision function on the test points)",
        atol=1e-8,
    )
    same = np.array_equal(precomputed.support_, builtin.support_)
    fact = f"{len(precomputed.support_)} support vectors, the built-in RBF has {len(builtin.support_)}"
    check(same, PRECOMPUTED_HINT, fact + (", at other indices" if not same else ""))
