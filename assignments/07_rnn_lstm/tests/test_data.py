"""Local tests of charlm/data.py: the sorted vocabulary and the encode/decode round trip, unknown characters, and
the alignment and count of the (input, target) windows."""

import torch

from charlm.data import build_vocab, decode, encode, make_windows
from utils.testing import check, check_close, check_raises

VOCAB_HINT = "Sort the unique characters so ids never depend on set order."
UNKNOWN_HINT = "Unknown characters must fail loudly, not map to 0."
WINDOWS_HINT = "The target of position t is the character at t+1; count how many windows fit."
SHORT_HINT = "A window needs T+1 characters."


def _windows(ids, seq_len, stride=1):
    """make_windows as two tensors; a wrong return type fails with WINDOWS_HINT."""
    result = make_windows(ids, seq_len, stride)
    pair = isinstance(result, tuple | list) and len(result) == 2
    check(pair, WINDOWS_HINT, f"make_windows returned a {type(result).__name__}, expected (X, Y)")
    X, Y = result
    tensors = isinstance(X, torch.Tensor) and isinstance(Y, torch.Tensor)
    check(tensors, WINDOWS_HINT, f"X is a {type(X).__name__} and Y a {type(Y).__name__}, expected tensors")
    return X, Y


def test_vocab_and_roundtrip():
    """build_vocab("hello world") gives itos [' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w'] and the matching stoi; encode
    returns a torch.long tensor; decode(encode(s)) == s for a text containing "\\n"."""
    stoi, itos = build_vocab("hello world")
    expected = [" ", "d", "e", "h", "l", "o", "r", "w"]
    check(list(itos) == expected, VOCAB_HINT, f"itos {list(itos)!r}, expected {expected!r}")
    check(dict(stoi) == {c: i for i, c in enumerate(expected)}, VOCAB_HINT, "stoi[c] must be the index of c in itos")
    text = "the cat sat\non the mat.\n"
    stoi, itos = build_vocab(text)
    ids = encode(text, stoi)
    check(isinstance(ids, torch.Tensor), VOCAB_HINT + " encode returns a tensor", f"got a {type(ids).__name__}")
    check(ids.dtype == torch.long, VOCAB_HINT + " encode returns torch.long ids", f"dtype {ids.dtype}")
    check(tuple(ids.shape) == (len(text),), VOCAB_HINT, f"shape {tuple(ids.shape)}, expected ({len(text)},)")
    check_close(ids, torch.tensor([stoi[c] for c in text]), VOCAB_HINT + " (encode: ids are stoi[c])")
    back = decode(ids, itos)
    check(back == text, VOCAB_HINT + " (decode(encode(s)) must give s back)", f"got {back[:30]!r}")
    back = decode(ids.tolist(), itos)
    check(back == text, VOCAB_HINT + " (decode also takes a list of ints)", f"got {back[:30]!r}")


def test_encode_unknown_char():
    """encode("hi!", stoi) with a vocabulary that lacks "!" raises KeyError, and its message names "!"."""
    stoi = {"h": 0, "i": 1}
    check_raises(KeyError, UNKNOWN_HINT, encode, "hi!", stoi)
    message = ""
    try:
        encode("hi!", stoi)
    except KeyError as error:
        message = str(error)
    check("!" in message, UNKNOWN_HINT + " Name the character in the KeyError", f"message {message!r}")


def test_make_windows_small():
    """ids = arange(10), T = 4: N = 6, X[0] = [0,1,2,3], Y[0] = [1,2,3,4], X[-1] = [5,6,7,8], Y[-1] = [6,7,8,9],
    Y[:, :-1] == X[:, 1:], long dtype; stride 3 gives N = 2, starting at 0 and 3."""
    ids = torch.arange(10)
    X, Y = _windows(ids, 4)
    check(tuple(X.shape) == (6, 4), WINDOWS_HINT, f"X shape {tuple(X.shape)}, expected (6, 4)")
    check(tuple(Y.shape) == (6, 4), WINDOWS_HINT, f"Y shape {tuple(Y.shape)}, expected (6, 4)")
    check(X.dtype == torch.long and Y.dtype == torch.long, WINDOWS_HINT, f"dtypes {X.dtype} and {Y.dtype}")
    check_close(X[0], torch.tensor([0, 1, 2, 3]), WINDOWS_HINT + " (X[0])")
    check_close(Y[0], torch.tensor([1, 2, 3, 4]), WINDOWS_HINT + " (Y[0] is X[0] shifted one to the left)")
    check_close(X[-1], torch.tensor([5, 6, 7, 8]), WINDOWS_HINT + " (X[-1])")
    check_close(Y[-1], torch.tensor([6, 7, 8, 9]), WINDOWS_HINT + " (Y[-1])")
    check_close(Y[:, :-1], X[:, 1:], WINDOWS_HINT + " (Y[:, :-1] must equal X[:, 1:])")
    X, Y = _windows(ids, 4, stride=3)
    check(tuple(X.shape) == (2, 4), WINDOWS_HINT, f"stride 3: X shape {tuple(X.shape)}, expected (2, 4)")
    check(tuple(Y.shape) == (2, 4), WINDOWS_HINT, f"stride 3: Y shape {tuple(Y.shape)}, expected (2, 4)")
    check_close(X, torch.tensor([[0, 1, 2, 3], [3, 4, 5, 6]]), WINDOWS_HINT + " (stride 3: windows start at 0 and 3)")
    check_close(Y, torch.tensor([[1, 2, 3, 4], [4, 5, 6, 7]]), WINDOWS_HINT + " (stride 3: targets)")


def test_make_windows_too_short():
    """L = T (no room for the last target) raises ValueError."""
    check_raises(ValueError, SHORT_HINT, make_windows, torch.arange(4), 4)
