"""A character-level language model from scratch: data windows, RNN and LSTM cells, the model, sampling with a
temperature, gradient clipping and gradient-flow measurements."""

from .cells import LSTMCell, RNNCell, run_rnn, set_forget_bias, set_recurrent_scale
from .data import build_vocab, decode, encode, make_windows, split_by_document
from .gradients import clip_grad_norm, hidden_grad_norms
from .model import CharRNN, FusedRecurrent, ScratchRecurrent, evaluate_loss, train_char_model
from .sampling import generate, sample_next

__all__ = [
    "CharRNN",
    "FusedRecurrent",
    "LSTMCell",
    "RNNCell",
    "ScratchRecurrent",
    "build_vocab",
    "clip_grad_norm",
    "decode",
    "encode",
    "evaluate_loss",
    "generate",
    "hidden_grad_norms",
    "make_windows",
    "run_rnn",
    "sample_next",
    "set_forget_bias",
    "set_recurrent_scale",
    "split_by_document",
    "train_char_model",
]
