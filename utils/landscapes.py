"""Loss landscapes for the optimisation notebooks (01, 02): the bowl ‖B(x − c)‖, its quadratic twin, and
01's rippled bowl (plain numpy).

The only `utils` module that imports torch at module level: a `Bowl` is a loss that autograd can
differentiate, so students can check `x.grad` against the analytic `Bowl.grad`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from numpy.typing import ArrayLike

# B maps the plane onto an elongated ellipse: singular values 2.38 (steep, ≈ x[0]) and 0.13 (flat, ≈ x[1]).
DEFAULT_B = torch.tensor([[2.3, -0.3], [-0.5, 0.2]])
# The start point every notebook descends from.
X0 = torch.tensor([-1.5, 1.2])


class Bowl:
    """``scale·‖B(x − c)‖`` (an elliptic cone) or, with ``squared=True``, ``scale·½‖B(x − c)‖²``.

    Call it on a (d,) tensor to get a 0-d tensor that autograd can differentiate; the value is
    computed in x's dtype.
    """

    def __init__(
        self,
        B: torch.Tensor | Sequence[Sequence[float]] = DEFAULT_B,
        center: torch.Tensor | Sequence[float] = (0, 0),
        squared: bool = False,
        scale: float = 1.0,
    ) -> None:
        # Kept in float64 and cast on use, so a float64 x is not limited to float32 precision.
        self.B = torch.as_tensor(B, dtype=torch.float64).clone()
        self.center = torch.as_tensor(center, dtype=torch.float64).clone()
        if self.B.ndim != 2 or self.center.shape != (self.B.shape[1],):
            shapes = f"{tuple(self.B.shape)} and {tuple(self.center.shape)}"
            raise ValueError(f"B must be (m, d) and center (d,); got {shapes}")
        self.squared = squared
        self.scale = float(scale)

    def __repr__(self) -> str:
        kind = "½‖B(x − c)‖²" if self.squared else "‖B(x − c)‖"
        return f"Bowl({kind}, center={self.center.tolist()}, scale={self.scale})"

    def _residual(self, x: torch.Tensor) -> torch.Tensor:
        """r = B(x − c), in x's dtype."""
        return self.B.to(x.dtype) @ (x - self.center.to(x.dtype))

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """The loss at a (d,) tensor ``x``: a 0-d tensor in x's dtype, differentiable by autograd."""
        r = self._residual(x)
        if self.squared:
            return self.scale * 0.5 * (r @ r)
        return self.scale * torch.linalg.vector_norm(r)

    def grad(self, x: torch.Tensor) -> torch.Tensor:
        """The analytic gradient at ``x``: ``scale·Bᵀr`` (squared) or ``scale·Bᵀr/‖r‖`` (cone; 0 at its tip)."""
        x = x.detach()
        r = self._residual(x)
        g = self.B.to(x.dtype).T @ r
        if not self.squared:
            norm = torch.linalg.vector_norm(r)
            # The cone has no gradient at its tip; 0 is the subgradient that keeps GD standing still.
            g = g / norm if norm > 0 else torch.zeros_like(g)
        return self.scale * g

    def hessian(self) -> torch.Tensor:
        """``scale·BᵀB`` as a float32 (d, d) tensor; only the quadratic bowl has a constant Hessian."""
        if not self.squared:
            raise ValueError("the cone ‖B(x − c)‖ has no constant Hessian; use Bowl(squared=True)")
        return (self.scale * self.B.T @ self.B).to(torch.get_default_dtype())

    def grid(self, lim: float = 1.6, n: int = 200) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The loss on an n×n grid over [−lim, lim]²: numpy float64 (X, Y, Z), each (n, n), for contour plots."""
        if self.B.shape[1] != 2:
            raise ValueError("grid() needs a bowl over the plane (B with 2 columns)")
        axis = np.linspace(-lim, lim, n)
        X, Y = np.meshgrid(axis, axis)
        points = np.stack([X.ravel(), Y.ravel()], axis=1) - self.center.numpy()
        r = points @ self.B.numpy().T
        values = 0.5 * np.sum(r * r, axis=1) if self.squared else np.linalg.norm(r, axis=1)
        return X, Y, self.scale * values.reshape(X.shape)


def ripple_f(x: ArrayLike, y: ArrayLike) -> np.ndarray:
    """The rippled bowl ``x² + y² + x(y + 2) + cos(3x)``, elementwise on scalars or same-shape arrays (float64)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    return x**2 + y**2 + x * (y + 2) + np.cos(3 * x)


# The rippled bowl's three local minima, name -> (x, y, f), from left to right; all lie on y = −x/2.
RIPPLE_MINIMA = {
    "left": (-2.853722, 1.426861, -0.249343),
    "global": (-1.088162, 0.544081, -2.280710),
    "right": (0.605946, -0.302973, 1.242733),
}
