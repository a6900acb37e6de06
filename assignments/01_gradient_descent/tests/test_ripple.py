"""Local tests of ripple.py: the gradient of the rippled bowl and gradient descent on it from (3, 2)."""

import numpy as np

from ripple import ripple_descent, ripple_f, ripple_grad
from utils.gradcheck import eval_numerical_gradient
from utils.testing import check, check_close

_START_HINT = "x_hist and y_hist start with the initial point, so they hold steps+1 values."


def test_ripple_grad():
    hint = "∂f/∂x = 2x − 3sin(3x) + y + 2; ∂f/∂y = x + 2y."
    check_close(ripple_grad(3.0, 2.0), [8.763645, 7.0], hint, atol=1e-6)
    rng = np.random.default_rng(0)
    for point in rng.uniform(-4, 4, size=(5, 2)):
        numeric = eval_numerical_gradient(lambda p: ripple_f(p[0], p[1]), point)
        check_close(ripple_grad(*point), numeric, hint, rtol=1e-5)
    dfdx, dfdy = ripple_grad(rng.uniform(-4, 4, size=(3, 4)), rng.uniform(-4, 4, size=(3, 4)))
    shapes = (np.shape(dfdx), np.shape(dfdy))
    check(shapes == ((3, 4), (3, 4)), hint, f"shapes {shapes}, expected (3, 4) each")


def test_ripple_one_step():
    hint = "Compute both partials at the old point, then update both coordinates."
    x, y, f, x_hist, y_hist = ripple_descent(3.0, 2.0, 0.1, 1)
    check(len(x_hist) == 2 and len(y_hist) == 2, _START_HINT, f"lengths {len(x_hist)}, {len(y_hist)}, expected 2")
    check_close([x, y, f], [2.123636, 1.3, 14.203980], hint, atol=1e-6)
    check_close([x_hist, y_hist], [[3.0, 2.123636], [2.0, 1.3]], hint, atol=1e-6)


def test_ripple_stuck():
    hint = "With a small constant step GD settles in the nearest basin — expected here."
    f = ripple_descent(3.0, 2.0, 0.1, 10)[2]
    check_close(f, 1.296762, hint, atol=1e-5)
    x, y = ripple_descent(3.0, 2.0, 0.1, 100)[:2]
    check_close([x, y], [0.605946, -0.302973], hint, atol=1e-5)


def test_ripple_window():
    hint = "Constant step 0.15 should reach the global minimum; check the update."
    x, y, f, _, _ = ripple_descent(3.0, 2.0, 0.15, 50)
    check_close([x, y, f], [-1.088162, 0.544081, -2.280710], hint, atol=1e-5)


def test_ripple_decay():
    hint = "Step t uses step_size·decay**t with t starting at 0."
    x_hist = ripple_descent(0.123, 0.456, 0.01, 2, decay=0.1)[3]
    check_close(x_hist, [0.123, 0.106800, 0.105086], hint, atol=1e-6)
    decayed, constant = ripple_descent(3.0, 2.0, 0.1, 1, decay=0.5), ripple_descent(3.0, 2.0, 0.1, 1)
    check_close(decayed[:2], constant[:2], hint + " (decay must not change the first step)", atol=1e-12)
    f = ripple_descent(3.0, 2.0, 0.2, 10, decay=0.8)[2]
    check_close(f, -2.164153, hint, atol=1e-5)
