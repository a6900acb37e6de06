"""An Elman RNN cell and an LSTM cell with torch's parameters, and the loop that unrolls a cell over time.

Batch-first: a cell takes x_t (B, D) and a state, and returns the new state; an RNN state is h (B, H), an LSTM
state the tuple (h, c), each (B, H). Parameter names, shapes, initialisation and the LSTM's gate order (i, f, g, o)
are torch's, so ``my_cell.load_state_dict(torch_cell.state_dict())`` works as is.
`__init__` and `reset_parameters` are given; write `RNNCell.forward`, `LSTMCell.forward` and `run_rnn`
(`pytest tests/test_cells.py` checks them). Do not call torch.nn.RNN*, torch.nn.LSTM* or torch._VF.
`set_forget_bias` and `set_recurrent_scale` are given (the gradient-flow explorer uses them).
"""

from __future__ import annotations

import math

import torch
from torch import nn

State = torch.Tensor | tuple[torch.Tensor, torch.Tensor]


class _Cell(nn.Module):
    """Shared parameters of both cells: ``gates`` blocks of H rows in weight_ih (gates·H, D), weight_hh
    (gates·H, H), bias_ih and bias_hh (gates·H,), registered in torch's order."""

    def __init__(self, input_size: int, hidden_size: int, gates: int) -> None:
        super().__init__()
        if input_size < 1 or hidden_size < 1:
            raise ValueError(f"input_size and hidden_size must be >= 1, got {input_size} and {hidden_size}")
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.weight_ih = nn.Parameter(torch.empty(gates * hidden_size, input_size))
        self.weight_hh = nn.Parameter(torch.empty(gates * hidden_size, hidden_size))
        self.bias_ih = nn.Parameter(torch.empty(gates * hidden_size))
        self.bias_hh = nn.Parameter(torch.empty(gates * hidden_size))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Every parameter from U(−1/√H, 1/√H), in registration order, as torch's cells do (so the same seed
        gives torch's weights)."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for weight in self.parameters():
            nn.init.uniform_(weight, -bound, bound)

    def extra_repr(self) -> str:
        return f"{self.input_size}, {self.hidden_size}"


class RNNCell(_Cell):
    """h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), with weight_ih (H, D), weight_hh (H, H), biases (H,)."""

    def __init__(self, input_size: int, hidden_size: int) -> None:
        super().__init__(input_size, hidden_size, gates=1)

    def forward(self, x: torch.Tensor, h: torch.Tensor | None = None) -> torch.Tensor:
        """One step. x: (B, D); h: (B, H), None meaning zeros of x's dtype. Returns h' (B, H) in x's dtype.

        h' = tanh(x @ W_ihᵀ + b_ih + h @ W_hhᵀ + b_hh): both biases, and both weights transposed.
        """
        raise NotImplementedError


class LSTMCell(_Cell):
    """The LSTM cell: weight_ih (4H, D), weight_hh (4H, H), biases (4H,), with row blocks
    [0:H] = input gate i, [H:2H] = forget gate f, [2H:3H] = candidate g, [3H:4H] = output gate o (torch's order)."""

    def __init__(self, input_size: int, hidden_size: int) -> None:
        super().__init__(input_size, hidden_size, gates=4)

    def forward(
        self, x: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor] | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """One step. x: (B, D); state: (h, c), each (B, H), None meaning two zero tensors of x's dtype.

        z = x @ W_ihᵀ + b_ih + h @ W_hhᵀ + b_hh, (B, 4H), split into z_i, z_f, z_g, z_o (in that order);
        i = σ(z_i), f = σ(z_f), g = tanh(z_g), o = σ(z_o); c' = f⊙c + i⊙g; h' = o⊙tanh(c').
        Returns (h', c'), each (B, H). The given state is not modified.
        """
        raise NotImplementedError


def run_rnn(cell: nn.Module, x: torch.Tensor, state: State | None = None) -> tuple[torch.Tensor, State]:
    """Unroll ``cell`` over a batch of sequences x (B, T, D), T ≥ 1, starting from ``state`` (None: the cell's
    zeros).

    Steps t = 0 … T−1 in order: state = cell(x[:, t], state). outputs[:, t] is h after step t (the state itself,
    or its first element when the cell returns a tuple (h, c)). Returns (outputs (B, T, H), final state in the
    cell's own type). T = 0 raises ValueError. Never modify the caller's ``state`` in place.
    """
    raise NotImplementedError


def set_forget_bias(cell: nn.Module, value: float) -> None:
    """In place, for an LSTM cell (4H rows): bias_ih[H:2H] = value and bias_hh[H:2H] = 0, so the forget gate
    starts at σ(value + …)."""
    H = cell.weight_hh.shape[1]
    if cell.bias_ih.shape[0] != 4 * H:
        raise ValueError("set_forget_bias needs an LSTM cell (4H bias rows)")
    with torch.no_grad():
        cell.bias_ih[H : 2 * H] = value
        cell.bias_hh[H : 2 * H] = 0.0


def set_recurrent_scale(cell: nn.Module, s: float, seed: int = 0) -> None:
    """In place, for an RNN cell: weight_hh = s·Q, with Q the orthogonal factor of the QR decomposition of
    ``torch.randn(H, H, generator=torch.Generator().manual_seed(seed))``. Every singular value of W_hh is then s."""
    H = cell.weight_hh.shape[1]
    if cell.weight_hh.shape[0] != H:
        raise ValueError("set_recurrent_scale needs an RNN cell (weight_hh of shape (H, H))")
    Q, _ = torch.linalg.qr(torch.randn(H, H, generator=torch.Generator().manual_seed(seed)))
    with torch.no_grad():
        cell.weight_hh.copy_(s * Q)
