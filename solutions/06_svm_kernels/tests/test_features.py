"""Local tests of svm/features.py: the two hand-made lifts on fixed points and on circles and XOR, and the wave
features by a linear SVM's training accuracy."""

import numpy as np
from sklearn.svm import SVC

from svm.features import lift_circles, lift_xor, wave_features
from utils.datasets import circles, make_wave, make_xor
from utils.testing import check, check_close

LIFT_HINT = "Keep the two original coordinates and append one new column."
WAVE_HINT = "Look at the shape of the boundary in the scatter plot: which single function of x₁ traces it?"


def _train_accuracy(features, y, C):
    """Training accuracy of SVC(kernel="linear", C) fitted on ``features``."""
    svc = SVC(kernel="linear", C=C).fit(features, y)
    return float(np.mean(svc.predict(features) == y))


def test_lift_shapes_and_values():
    """On three hand-picked points both lifts return (3, 3): x₁ and x₂ unchanged, then r² (lift_circles) or x₁x₂
    (lift_xor) within 1e-12; a linear SVC (C=10) on the lifted circles and XOR sets reaches training accuracy 1."""
    points = np.array([[1.0, 2.0], [-0.5, 3.0], [0.0, -1.5]])
    new_columns = {lift_circles: [5.0, 9.25, 2.25], lift_xor: [2.0, -1.5, 0.0]}
    for lift, expected in new_columns.items():
        name = lift.__name__
        lifted = np.asarray(lift(points.copy()))
        check(lifted.shape == (3, 3), LIFT_HINT, f"{name}: shape {lifted.shape} for 3 points, expected (3, 3)")
        check_close(lifted[:, :2], points, LIFT_HINT + f" ({name}: columns 1 and 2 must be x₁ and x₂)")
        check_close(lifted[:, 2], expected, LIFT_HINT + f" ({name}: column 3)", atol=1e-12)
    for lift, (X, y) in {lift_circles: circles(), lift_xor: make_xor()}.items():
        accuracy = _train_accuracy(lift(X), y, C=10.0)
        check(accuracy == 1.0, LIFT_HINT, f"{lift.__name__}: linear SVC training accuracy {accuracy:.3f}, expected 1")


def test_wave_separable():
    """SVC(kernel="linear", C=1e3) on wave_features(X) of make_wave(seed=0) reaches training accuracy 1."""
    X, y = make_wave(seed=0)
    features = np.asarray(wave_features(X.copy()), dtype=np.float64)
    two_d = features.ndim == 2 and features.shape[0] == len(X) and features.shape[1] >= 1
    check(two_d, WAVE_HINT, f"wave_features returned shape {features.shape}, expected ({len(X)}, k)")
    accuracy = _train_accuracy(features, y, C=1e3)
    check(accuracy == 1.0, WAVE_HINT, f"linear SVC training accuracy {accuracy:.3f}, expected 1")
