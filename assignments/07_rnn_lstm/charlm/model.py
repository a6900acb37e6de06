"""The character language model: embedding → recurrence → linear head, and its training loop.

The recurrence is either torch's fused layer (``backend="fused"``, fast, used for training) or your cell unrolled
by ``run_rnn`` (``backend="scratch"``, used for sampling and gradient analysis); both take x (B, T, E) and a state
and return (outputs (B, T, H), state), batch-first with no layer dimension. `to_backend` copies the weights
across. Write `CharRNN.forward` (`pytest tests/test_model.py` checks it); everything else here is given.
"""

from __future__ import annotations

import copy
import math
import time
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F

from .cells import LSTMCell, RNNCell, State, run_rnn
from .gradients import clip_grad_norm

CELL_TYPES = ("rnn", "lstm")
BACKENDS = ("fused", "scratch")
_PARAMETER_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def _check_cell_type(cell_type: str) -> None:
    if cell_type not in CELL_TYPES:
        raise ValueError(f"cell_type must be one of {CELL_TYPES}, got {cell_type!r}")


class FusedRecurrent(nn.Module):
    """torch's ``nn.RNN(nonlinearity="tanh")`` or ``nn.LSTM`` (one layer, batch-first) behind the run_rnn
    contract: forward(x (B, T, D), state) → (outputs (B, T, H), state), states without the layer dimension.
    Its parameters are ``rnn.weight_ih_l0`` and so on."""

    def __init__(self, cell_type: str, input_size: int, hidden_size: int) -> None:
        super().__init__()
        _check_cell_type(cell_type)
        self.cell_type = cell_type
        if cell_type == "rnn":
            self.rnn: nn.Module = nn.RNN(input_size, hidden_size, nonlinearity="tanh", batch_first=True)
        else:
            self.rnn = nn.LSTM(input_size, hidden_size, batch_first=True)

    def forward(self, x: torch.Tensor, state: State | None = None) -> tuple[torch.Tensor, State]:
        if state is not None:
            state = tuple(s.unsqueeze(0) for s in state) if isinstance(state, tuple) else state.unsqueeze(0)
        outputs, final = self.rnn(x, state)
        if isinstance(final, tuple):
            return outputs, (final[0][0], final[1][0])
        return outputs, final[0]

    def cell_parameters(self) -> dict[str, torch.Tensor]:
        """The four weights under the cells' names (weight_ih, …)."""
        return {name: getattr(self.rnn, f"{name}_l0") for name in _PARAMETER_NAMES}


class ScratchRecurrent(nn.Module):
    """Your cell (``self.cell``: RNNCell or LSTMCell) unrolled by your ``run_rnn``."""

    def __init__(self, cell_type: str, input_size: int, hidden_size: int) -> None:
        super().__init__()
        _check_cell_type(cell_type)
        self.cell_type = cell_type
        self.cell = (RNNCell if cell_type == "rnn" else LSTMCell)(input_size, hidden_size)

    def forward(self, x: torch.Tensor, state: State | None = None) -> tuple[torch.Tensor, State]:
        return run_rnn(self.cell, x, state)

    def cell_parameters(self) -> dict[str, torch.Tensor]:
        """The four weights under the cells' names (weight_ih, …)."""
        return {name: getattr(self.cell, name) for name in _PARAMETER_NAMES}


_RECURRENT = {"fused": FusedRecurrent, "scratch": ScratchRecurrent}


class CharRNN(nn.Module):
    """Embedding (V, E) → recurrence (E → H, ``cell_type`` "rnn" or "lstm", ``backend`` "fused" or "scratch") →
    Linear(H, V). At the defaults, V = 53: 29,269 parameters with an RNN and 91,477 with an LSTM."""

    def __init__(
        self,
        vocab_size: int,
        embed_dim: int = 32,
        hidden_size: int = 128,
        cell_type: str = "lstm",
        backend: str = "fused",
    ) -> None:
        super().__init__()
        _check_cell_type(cell_type)
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
        self.vocab_size = vocab_size
        self.embed_dim = embed_dim
        self.hidden_size = hidden_size
        self.cell_type = cell_type
        self.backend = backend
        self.embed = nn.Embedding(vocab_size, embed_dim)
        self.recurrent = _RECURRENT[backend](cell_type, embed_dim, hidden_size)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, x: torch.Tensor, state: State | None = None) -> tuple[torch.Tensor, State]:
        """x: (B, T) long ids; state: the recurrence's state (None: zeros). Returns (logits (B, T, V), state).

        self.embed → self.recurrent (with ``state``) → self.head. The logits are raw scores: no softmax here
        (cross-entropy and the sampler apply it).
        """
        raise NotImplementedError

    def to_backend(self, backend: str) -> CharRNN:
        """A deep copy of the model on ``backend``, with the same weights (``weight_ih_l0`` ↔ ``cell.weight_ih``
        and so on), dtype and train/eval mode. Draws nothing from torch's global generator."""
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
        clone = copy.deepcopy(self)
        if backend == self.backend:
            return clone
        with torch.random.fork_rng(devices=[]):  # building the new layer must not move the global seed
            recurrent = _RECURRENT[backend](self.cell_type, self.embed_dim, self.hidden_size)
        source = self.recurrent.cell_parameters()
        recurrent.to(dtype=source["weight_ih"].dtype)
        with torch.no_grad():
            for name, target in recurrent.cell_parameters().items():
                target.copy_(source[name])
        clone.recurrent = recurrent
        clone.backend = backend
        return clone.train(self.training)


def evaluate_loss(model: nn.Module, X: torch.Tensor, Y: torch.Tensor, batch_size: int = 512) -> float:
    """Mean cross-entropy over every position of the windows X, Y (N, T), in eval mode and without gradients."""
    was_training = model.training
    model.eval()
    total = 0.0
    try:
        with torch.no_grad():
            for start in range(0, len(X), batch_size):
                logits, _ = model(X[start : start + batch_size])
                target = Y[start : start + batch_size]
                total += F.cross_entropy(
                    logits.reshape(-1, logits.shape[-1]), target.reshape(-1), reduction="sum"
                ).item()
    finally:
        model.train(was_training)
    return float(total) / Y.numel()


def train_char_model(
    model: nn.Module,
    X: torch.Tensor,
    Y: torch.Tensor,
    *,
    steps: int = 300,
    batch_size: int = 64,
    lr: float = 1e-2,
    optimizer: str = "adam",
    clip: float | None = 1.0,
    val: tuple[torch.Tensor, torch.Tensor] | None = None,
    eval_every: int = 50,
    seed: int = 0,
) -> dict[str, Any]:
    """Minimise the mean cross-entropy over all B·T positions of random batches of the windows X, Y (N, T).

    Each step draws ``batch_size`` window indices with ``torch.randint`` from ``torch.Generator().manual_seed(seed)``,
    then zero_grad → loss → backward → ``clip_grad_norm(params, clip or inf)`` (yours; the norm before clipping is
    recorded) → optimizer step (``"adam"`` or ``"sgd"``, plain). With ``val = (X_val, Y_val)`` the validation loss
    is measured after every ``eval_every`` steps. Returns {"loss", "grad_norm"} (one float per step),
    {"val_step", "val_loss"} and "seconds" (wall time of the loop). The model is left in train mode.
    """
    from tqdm.auto import tqdm

    if optimizer not in ("adam", "sgd"):
        raise ValueError(f"optimizer must be 'adam' or 'sgd', got {optimizer!r}")
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=lr) if optimizer == "adam" else torch.optim.SGD(params, lr=lr)
    max_norm = clip if clip else math.inf
    generator = torch.Generator().manual_seed(seed)
    history: dict[str, Any] = {"loss": [], "grad_norm": [], "val_step": [], "val_loss": [], "seconds": 0.0}
    model.train()
    start = time.perf_counter()
    label = f"{getattr(model, 'cell_type', 'model')} ({getattr(model, 'backend', '')})"
    for step in tqdm(range(1, steps + 1), desc=label, leave=False):
        batch = torch.randint(len(X), (batch_size,), generator=generator)
        logits, _ = model(X[batch])
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), Y[batch].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        history["grad_norm"].append(float(clip_grad_norm(params, max_norm)))
        opt.step()
        history["loss"].append(loss.item())
        if val is not None and step % eval_every == 0:
            history["val_step"].append(step)
            history["val_loss"].append(evaluate_loss(model, *val))
    history["seconds"] = time.perf_counter() - start
    return history
