"""Update rules as pure functions on one array, and the given `Optimizer` that applies one to every parameter.

A rule is ``rule(w, dw, state, lr=…, decoupled_wd=0.0, **hyper) -> (new_w, new_state)``: ``state`` is a dict
(empty on the first call) and nothing passed in, including the arrays inside ``state``, is modified.
``decoupled_wd`` is AdamW-style decay, scaled by lr: w·(1 − lr·wd) next to the rule's own step. (Coupled L2
lives in ``MLP.loss(l2=…)``; in assignment 02 and torch, ``weight_decay`` means that coupled L2.)
Write the bodies marked "raise NotImplementedError"; `pytest tests/test_optim.py` checks them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

Rule = Callable[..., tuple[np.ndarray, dict]]


def sgd(
    w: np.ndarray, dw: np.ndarray, state: dict, lr: float = 1e-2, decoupled_wd: float = 0.0
) -> tuple[np.ndarray, dict]:
    """Plain SGD: new_w = w − lr·dw − lr·decoupled_wd·w. The state is returned as it came."""
    raise NotImplementedError


def sgd_momentum(
    w: np.ndarray, dw: np.ndarray, state: dict, lr: float = 1e-2, momentum: float = 0.9, decoupled_wd: float = 0.0
) -> tuple[np.ndarray, dict]:
    """SGD with momentum as in torch.optim.SGD (no dampening, no Nesterov).

    velocity = momentum·velocity + dw (velocity starts at 0), new_w = w − lr·velocity − lr·decoupled_wd·w.
    Returns (new_w, {"velocity": velocity}).
    """
    raise NotImplementedError


def adam(
    w: np.ndarray,
    dw: np.ndarray,
    state: dict,
    lr: float = 1e-3,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    decoupled_wd: float = 0.0,
) -> tuple[np.ndarray, dict]:
    """Adam with bias correction; with decoupled_wd it is AdamW.

    t = t + 1 (t starts at 0, so the first update has t = 1); m = β1·m + (1 − β1)·dw; v = β2·v + (1 − β2)·dw²;
    m̂ = m/(1 − β1^t); v̂ = v/(1 − β2^t); new_w = w·(1 − lr·decoupled_wd) − lr·m̂/(√v̂ + eps).
    Returns (new_w, {"t": t, "m": m, "v": v}).
    """
    raise NotImplementedError


class Optimizer:
    """Applies one rule to every parameter, each with its own state.

    Biases (keys starting with "b") get no decoupled decay unless ``decay_biases``. ``lr`` may be changed
    between steps (``fit`` multiplies it by ``lr_decay`` each epoch).
    """

    def __init__(
        self, rule: Rule, lr: float, decoupled_wd: float = 0.0, decay_biases: bool = False, **hyper: Any
    ) -> None:
        self.rule = rule
        self.lr = lr
        self.decoupled_wd = decoupled_wd
        self.decay_biases = decay_biases
        self.hyper = hyper
        self.states: dict[str, dict] = {}

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        """Replace each ``params[key]`` by its updated array."""
        for key, w in params.items():
            wd = self.decoupled_wd if self.decay_biases or not key.startswith("b") else 0.0
            params[key], self.states[key] = self.rule(
                w, grads[key], self.states.get(key, {}), lr=self.lr, decoupled_wd=wd, **self.hyper
            )
