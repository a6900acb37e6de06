"""Wrong implementations of assignment 07 (spec §6; a row with several variants is split into several fixtures).

Each ``code`` is appended to the solution module it names, where the module's own names are already defined
(``torch`` everywhere; ``nn`` in cells.py, model.py and gradients.py; ``F`` in gradients.py). A redefined function
replaces the module's before ``charlm/__init__`` imports it, and ``model.py`` imports ``run_rnn`` from cells.py
after the redefinition, so the scratch backend sees it too. A method is replaced by assigning to the class.

``catches`` lists the local tests of the spec's "caught by" and the grade_ids of the hidden checks that fail. The
hidden checks of ``run_rnn``, ``generate`` and ``hidden_grad_norms`` hand the student function the check's own cell
or model, so a cell mistake is caught by the cell's check only.
"""

from . import Wrong

DATA = "charlm/data.py"
CELLS = "charlm/cells.py"
MODEL = "charlm/model.py"
SAMPLING = "charlm/sampling.py"
GRADIENTS = "charlm/gradients.py"

VOCAB = "test_vocab_and_roundtrip"
UNKNOWN = "test_encode_unknown_char"
WINDOWS = "test_make_windows_small"
RNN_CELL = "test_rnn_cell_matches_torch"
LSTM_CELL = "test_lstm_cell_matches_torch"
CELL_GRADS = "test_cell_gradients_match_torch"
RUN_LOOP = "test_run_rnn_matches_loop"
CARRY = "test_state_carry"
CHARRNN = "test_charrnn_forward"
SAMPLE = "test_sample_next"
GREEDY = "test_generate_greedy_reference"
CLIP = "test_clip_grad_norm_matches_torch"
HIDDEN = "test_hidden_grad_norms"


def _windows(x: str, y: str) -> str:
    """The solution's make_windows with the X and Y expressions replaced (``ids``, ``seq_len``, ``stride``)."""
    return f"""
def make_windows(ids, seq_len, stride=1):
    ids = torch.as_tensor(ids).long()
    if seq_len < 1 or stride < 1:
        raise ValueError("seq_len and stride must be >= 1")
    if len(ids) < seq_len + 1:
        raise ValueError("too short")
    return {x}, {y}
"""


def _encode(body: str) -> str:
    return f"""
def encode(text, stoi):
    for ch in text:
        if ch not in stoi:
            raise KeyError(f"character {{ch!r}} is not in the vocabulary")
    {body}
"""


def _rnn(value: str, init: str = "x.new_zeros(x.shape[0], self.hidden_size)") -> str:
    """RNNCell.forward returning ``value`` (``x``, ``h``, ``self`` in scope)."""
    return f"""
def _wrong_rnn_forward(self, x, h=None):
    if h is None:
        h = {init}
    return {value}


RNNCell.forward = _wrong_rnn_forward
"""


def _lstm(gates: str = "z_i, z_f, z_g, z_o", c_new: str = "f * c + i * g", h_new: str = "o * torch.tanh(c_new)") -> str:
    """LSTMCell.forward with the chunk order, c' or h' replaced."""
    return f"""
def _wrong_lstm_forward(self, x, state=None):
    if state is None:
        h = c = x.new_zeros(x.shape[0], self.hidden_size)
    else:
        h, c = state
    z = (x @ self.weight_ih.T + self.bias_ih) + (h @ self.weight_hh.T + self.bias_hh)
    {gates} = z.chunk(4, dim=1)
    i, f, g, o = torch.sigmoid(z_i), torch.sigmoid(z_f), torch.tanh(z_g), torch.sigmoid(z_o)
    c_new = {c_new}
    h_new = {h_new}
    return h_new, c_new


LSTMCell.forward = _wrong_lstm_forward
"""


def _run_rnn(start: str = "state", result: str = "torch.stack(outputs, dim=1), state") -> str:
    return f"""
def run_rnn(cell, x, state=None):
    if x.shape[1] == 0:
        raise ValueError("T = 0")
    initial = state
    state = {start}
    outputs = []
    for t in range(x.shape[1]):
        state = cell(x[:, t], state)
        outputs.append(state[0] if isinstance(state, tuple) else state)
    return {result}
"""


def _sample(scaled: str = "logits / temperature", probs: str = "torch.softmax(scaled - scaled.max(), dim=0)") -> str:
    return f"""
def sample_next(logits, temperature=1.0, generator=None):
    if temperature < 0:
        raise ValueError("negative temperature")
    logits = torch.as_tensor(logits).detach()
    if temperature == 0:
        return int(torch.argmax(logits))
    scaled = {scaled}
    p = {probs}
    return int(torch.multinomial(p, 1, generator=generator))
"""


def _generate(
    first: str = "model(ids)", step: str = "model(torch.tensor([[new[-1]]]), state)", result: str = "new"
) -> str:
    return f"""
def generate(model, prompt, n_chars, stoi, itos, temperature=1.0, seed=0):
    if not prompt:
        raise ValueError("empty prompt")
    ids = torch.tensor([[stoi[ch] for ch in prompt]], dtype=torch.long)
    generator = torch.Generator().manual_seed(seed)
    was_training = model.training
    model.eval()
    new = []
    with torch.no_grad():
        logits, state = {first}
        while len(new) < n_chars:
            new.append(sample_next(logits[0, -1], temperature, generator))
            logits, state = {step}
    model.train(was_training)
    return "".join(itos[i] for i in {result})
"""


def _clip(
    norm: str,
    scale: str,
    returned: str = "total",
    grads: str = "[p.grad for p in list(parameters) if p.grad is not None]",
) -> str:
    """clip_grad_norm with the norm, the scaling loop or the return value replaced (``grads``, ``total``,
    ``factor``, ``max_norm``, ``eps`` in scope)."""
    return f"""
def clip_grad_norm(parameters, max_norm, eps=1e-6):
    if not max_norm > 0:
        raise ValueError("max_norm must be > 0")
    grads = {grads}
    if not grads:
        return 0.0
    total = {norm}
    factor = max_norm / (total + eps)
    with torch.no_grad():
        {scale}
    return float({returned})
"""


GLOBAL_NORM = "float(torch.sqrt(sum((g.double() ** 2).sum() for g in grads)))"
GLOBAL_SCALE = "if factor < 1:\n            for g in grads:\n                g.mul_(factor)"


def _hidden(
    loss: str = 'reduction="sum"',
    norms: str = "g.norm(dim=1).mean()",
    keep: str = "state[0] if isinstance(state, tuple) else state",
    order: str = "grads",
) -> str:
    return f"""
def hidden_grad_norms(model, x, y):
    if getattr(model, "backend", None) != "scratch":
        raise ValueError("needs a scratch model")
    cell = model.recurrent.cell
    with torch.enable_grad():
        emb = model.embed(x)
        state = None
        hs, outs = [], []
        for t in range(x.shape[1]):
            state = cell(emb[:, t], state)
            hs.append({keep})
            outs.append(state[0] if isinstance(state, tuple) else state)
        loss = F.cross_entropy(model.head(outs[-1]), y, {loss})
        grads = torch.autograd.grad(loss, hs)
    return torch.stack([{norms} for g in {order}]).detach()
"""


RNN_CATCHERS = (RNN_CELL, "rnn_cell__forward")
LSTM_CATCHERS = (LSTM_CELL, "lstm_cell__forward")
RUN_CATCHERS = (RUN_LOOP, CARRY, "run_rnn")
CLIP_CATCHERS = (CLIP, "clip_grad_norm")
HIDDEN_CATCHERS = (HIDDEN, "hidden_grad_norms")

WRONG = [
    # ----------------------------------------------------------------------------------------------- data
    Wrong(
        "R1a",
        DATA,
        _windows("ids[:-1].unfold(0, seq_len, stride)", "ids[:-1].unfold(0, seq_len, stride)"),
        (WINDOWS, "make_windows"),
    ),
    Wrong(
        "R1b",
        DATA,
        _windows("ids[1:].unfold(0, seq_len, stride)", "ids[:-1].unfold(0, seq_len, stride)"),
        (WINDOWS, "make_windows"),
    ),
    Wrong(
        "R2a",
        DATA,
        _windows("ids[:-2].unfold(0, seq_len, stride)", "ids[1:-1].unfold(0, seq_len, stride)"),
        (WINDOWS, "make_windows"),
    ),
    Wrong(
        "R2b",
        DATA,
        _windows(
            "torch.stack([ids[s : s + seq_len] for s in range(0, len(ids) - seq_len + 1, stride)])",
            "torch.stack([ids[s + 1 : s + seq_len + 1] for s in range(0, len(ids) - seq_len + 1, stride)])",
        ),
        (WINDOWS, "make_windows"),
    ),
    Wrong(
        "R3",
        DATA,
        """
def build_vocab(text):
    if not text:
        raise ValueError("empty text")
    itos = list(set(text))
    return {ch: i for i, ch in enumerate(itos)}, itos
""",
        (VOCAB, "build_vocab"),
    ),
    Wrong("R4a", DATA, _encode("return torch.tensor([stoi[ch] for ch in text], dtype=torch.int32)"), (VOCAB, "encode")),
    Wrong("R4b", DATA, _encode("return [stoi[ch] for ch in text]"), (VOCAB, "encode")),
    Wrong(
        "R4c", DATA, _encode("return torch.tensor([stoi[ch] for ch in text], dtype=torch.float32)"), (VOCAB, "encode")
    ),
    Wrong(
        "R4d",
        DATA,
        """
def encode(text, stoi):
    return torch.tensor([stoi.get(ch, 0) for ch in text], dtype=torch.long)
""",
        (UNKNOWN, "encode"),
    ),
    # ----------------------------------------------------------------------------------------------- cells
    Wrong("R5a", CELLS, _rnn("torch.tanh(x @ self.weight_ih.T + self.bias_ih + h @ self.weight_hh.T)"), RNN_CATCHERS),
    Wrong(
        "R5b",
        CELLS,
        _rnn("torch.tanh(x @ self.weight_ih.T + self.bias_ih + h @ self.weight_hh + self.bias_hh)"),
        RNN_CATCHERS,
    ),
    Wrong(
        "R5c",
        CELLS,
        _rnn("torch.sigmoid(x @ self.weight_ih.T + self.bias_ih + h @ self.weight_hh.T + self.bias_hh)"),
        RNN_CATCHERS,
    ),
    Wrong("R6a", CELLS, _lstm(gates="z_i, z_f, z_o, z_g"), LSTM_CATCHERS),
    Wrong("R6b", CELLS, _lstm(gates="z_f, z_i, z_o, z_g"), LSTM_CATCHERS),
    Wrong("R7", CELLS, _lstm(c_new="f * h + i * g"), LSTM_CATCHERS),
    Wrong("R8a", CELLS, _lstm(h_new="o * c_new"), LSTM_CATCHERS),
    Wrong("R8b", CELLS, _lstm(c_new="f * c + g"), LSTM_CATCHERS),
    Wrong(
        "R9a",
        CELLS,
        _rnn(
            "torch.tanh(x @ self.weight_ih.T + self.bias_ih + h @ self.weight_hh.T + self.bias_hh)",
            init="x.new_ones(x.shape[0], self.hidden_size)",
        ),
        (RNN_CELL, RUN_LOOP, "rnn_cell__forward"),
    ),
    Wrong(
        "R9b",
        CELLS,
        _rnn(
            "torch.tanh(x @ self.weight_ih.T + self.bias_ih + h @ self.weight_hh.T + self.bias_hh)",
            init="torch.zeros(x.shape[0], self.hidden_size)",
        ),
        (RNN_CELL, RUN_LOOP, "rnn_cell__forward"),
    ),
    Wrong("R10a", CELLS, _run_rnn(result="torch.stack(outputs, dim=0), state"), RUN_CATCHERS),
    Wrong("R10b", CELLS, _run_rnn(result="torch.stack(outputs, dim=1), initial"), (CARRY, "run_rnn")),
    Wrong("R10c", CELLS, _run_rnn(start="None"), (CARRY, "run_rnn")),
    Wrong(
        "R11",
        CELLS,
        _lstm(
            h_new="o * torch.tanh(c_new)\n"
            "    if state is not None and not c.requires_grad:\n"
            "        c.copy_(c_new.detach())"
        ),
        ("lstm_cell__forward",),
    ),
    Wrong(
        "R12",
        CELLS,
        """
def _wrapped_lstm_forward(self, x, state=None):
    if state is None:
        state = (x.new_zeros(x.shape[0], self.hidden_size), x.new_zeros(x.shape[0], self.hidden_size))
    return torch._VF.lstm_cell(x, state, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)


LSTMCell.forward = _wrapped_lstm_forward
""",
        ("lstm_cell__forward",),
    ),
    Wrong(
        "R13",
        CELLS,
        _rnn("torch.tanh(x @ self.weight_ih.T + self.bias_ih + h.detach() @ self.weight_hh.T + self.bias_hh)"),
        (CELL_GRADS, "rnn_cell__forward"),
    ),
    # ----------------------------------------------------------------------------------------------- model
    Wrong(
        "R14",
        MODEL,
        """
def _softmax_forward(self, x, state=None):
    outputs, state = self.recurrent(self.embed(x), state)
    return torch.softmax(self.head(outputs), dim=-1), state


CharRNN.forward = _softmax_forward
""",
        (CHARRNN, "char_rnn__forward"),
    ),
    # ----------------------------------------------------------------------------------------------- sampling
    Wrong(
        "R15a",
        SAMPLING,
        _sample(scaled="logits", probs="torch.softmax(scaled, dim=0) / temperature"),
        (SAMPLE, "sample_next"),
    ),
    Wrong("R15b", SAMPLING, _sample(scaled="logits * temperature"), (SAMPLE, "sample_next")),
    Wrong("R15c", SAMPLING, _sample(probs="torch.exp(scaled) / torch.exp(scaled).sum()"), (SAMPLE, "sample_next")),
    Wrong("R16a", SAMPLING, _generate(first="model(torch.cat([ids, ids[:, -1:]], dim=1))"), (GREEDY, "generate")),
    Wrong("R16b", SAMPLING, _generate(step="model(torch.tensor([[new[-1]]]))"), (GREEDY, "generate")),
    Wrong("R16c", SAMPLING, _generate(result="[stoi[ch] for ch in prompt] + new"), (GREEDY, "generate")),
    # ----------------------------------------------------------------------------------------------- gradients
    Wrong(
        "R17a",
        GRADIENTS,
        _clip(GLOBAL_NORM, "for g in grads:\n            g.mul_(min(1.0, max_norm / (float(g.norm()) + eps)))"),
        CLIP_CATCHERS,
    ),
    Wrong(
        "R17b",
        GRADIENTS,
        _clip(GLOBAL_NORM, "for g in grads:\n            g.clamp_(-max_norm, max_norm)"),
        CLIP_CATCHERS,
    ),
    Wrong(
        "R17c",
        GRADIENTS,
        _clip(GLOBAL_NORM, GLOBAL_SCALE, returned="torch.sqrt(sum((g.double() ** 2).sum() for g in grads))"),
        CLIP_CATCHERS,
    ),
    Wrong("R17d", GRADIENTS, _clip(GLOBAL_NORM, "for g in grads:\n            g.mul_(factor)"), CLIP_CATCHERS),
    Wrong(
        "R17e",
        GRADIENTS,
        """
def clip_grad_norm(parameters, max_norm, eps=1e-6):
    if not max_norm > 0:
        raise ValueError("max_norm must be > 0")
    total = sum(float((p.grad.double() ** 2).sum()) for p in parameters if p.grad is not None) ** 0.5
    factor = max_norm / (total + eps)
    if factor < 1:
        with torch.no_grad():
            for p in parameters:
                if p.grad is not None:
                    p.grad.mul_(factor)
    return float(total)
""",
        CLIP_CATCHERS,
    ),
    Wrong("R18a", GRADIENTS, _hidden(loss='reduction="mean"'), HIDDEN_CATCHERS),
    Wrong("R18b", GRADIENTS, _hidden(norms="g.norm()"), HIDDEN_CATCHERS),
    Wrong("R18c", GRADIENTS, _hidden(order="reversed(grads)"), HIDDEN_CATCHERS),
    Wrong("R18d", GRADIENTS, _hidden(keep="state[1] if isinstance(state, tuple) else state"), HIDDEN_CATCHERS),
]
