"""Text to tensors: a character vocabulary, encoding and decoding, and aligned (input, target) windows.

Ids are int64 (``torch.long``). A window of length T gives T predictions: the target of position t is the
character at t + 1. Write the bodies marked "raise NotImplementedError"; `pytest tests/test_data.py` checks them.
`split_by_document` is given.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import torch

TRAIN_CHARS = 200_000  # split_by_document cuts the train text to this many characters
VAL_CHARS = 20_000  # and the validation text to this many


def build_vocab(text: str) -> tuple[dict[str, int], list[str]]:
    """The vocabulary of ``text``: ``itos = sorted(set(text))`` and ``stoi[c] = itos.index(c)``.

    Sorting makes the ids the same in every run (set order changes with PYTHONHASHSEED). Ids are 0 … V−1.
    Returns (stoi, itos). Empty text raises ValueError.
    """
    raise NotImplementedError


def encode(text: str, stoi: dict[str, int]) -> torch.Tensor:
    """The ids of the characters of ``text``: a (L,) tensor of dtype ``torch.long``.

    A character missing from ``stoi`` raises KeyError, and the message names that character (never map it to 0).
    """
    raise NotImplementedError


def decode(ids: torch.Tensor | Sequence[int], itos: Sequence[str]) -> str:
    """The text of ``ids``, a 1-D LongTensor or a sequence of ints: ``"".join(itos[i] for i in ids)``.

    Input that is not 1-D (a (B, T) batch, say) raises ValueError.
    """
    raise NotImplementedError


def make_windows(ids: torch.Tensor, seq_len: int, stride: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    """Cut the 1-D id sequence (L,) into windows of T = ``seq_len`` inputs and their next-character targets.

    Window k starts at s = k·stride: X[k] = ids[s : s+T] and Y[k] = ids[s+1 : s+T+1] (Y is X shifted one to the
    left). N = ⌊(L − T − 1) / stride⌋ + 1 windows fit. Returns (X, Y), both long tensors of shape (N, T); views
    of ``ids`` (``Tensor.unfold``) are fine. L < T + 1, T < 1 or stride < 1 raise ValueError.
    """
    raise NotImplementedError


def split_by_document(docs: Sequence[str], val_fraction: float = 0.1, seed: int = 0) -> tuple[str, str]:
    """Train and validation text, split by whole documents so that no window straddles the two.

    Each document goes to validation with probability ``val_fraction`` (one ``random.Random(seed).random()``
    draw per document, in order); each side is joined with "\\n\\n"; train is cut to TRAIN_CHARS characters
    and validation to VAL_CHARS. Returns (train_text, val_text).
    """
    if not 0.0 <= val_fraction <= 1.0:
        raise ValueError(f"val_fraction must be in [0, 1], got {val_fraction}")
    rng = random.Random(seed)
    train: list[str] = []
    val: list[str] = []
    for doc in docs:
        (val if rng.random() < val_fraction else train).append(doc)
    return "\n\n".join(train)[:TRAIN_CHARS], "\n\n".join(val)[:VAL_CHARS]
