"""Local tests of charlm/sampling.py: sample_next at τ = 0, τ → 0 and τ = 1, and generate against a reference that
reruns the whole sequence at every step."""

import torch

from charlm.model import CharRNN
from charlm.sampling import generate, sample_next
from utils.testing import check, check_close

SAMPLE_HINT = "Divide the logits by τ (not the probabilities), subtract the max, then softmax."
GENERATE_HINT = "Feed the prompt once, then only the new character, carrying the state."


def _first_line(error):
    """The first line of an exception's message (empty if it has none)."""
    return (str(error).strip().splitlines() or [""])[0]


def _sample(logits, temperature, generator=None):
    """sample_next as an int; a RuntimeError (NaN or inf probabilities) fails with SAMPLE_HINT."""
    try:
        index = sample_next(logits, temperature, generator)
    except NotImplementedError:
        raise
    except RuntimeError as error:
        crash = f"τ = {temperature}: RuntimeError: {_first_line(error)[:100]}"
    else:
        crash = ""
    check(not crash, SAMPLE_HINT, crash)  # outside `except`, so only the hint line is printed
    check(isinstance(index, int), SAMPLE_HINT + " Return a Python int", f"got a {type(index).__name__}")
    return index


def test_sample_next():
    """τ = 0 returns the argmax (the first of two maxima) without drawing; logits spaced by 1 at τ = 1e-3 give the
    argmax 100 times out of 100; 20,000 draws at τ = 1 have frequencies within 0.015 of the softmax; the same
    generator seed gives the same draws."""
    logits = torch.tensor([0.3, 2.0, -1.0, 2.0, 0.5])
    generator = torch.Generator().manual_seed(0)
    before = generator.get_state()
    index = _sample(logits, 0.0, generator)
    check(index == 1, SAMPLE_HINT + " τ = 0 is the argmax (the first maximum)", f"returned {index}, expected 1")
    check(torch.equal(generator.get_state(), before), SAMPLE_HINT, "τ = 0 drew from the generator; it must not")
    spaced = torch.tensor([3.0, 7.0, 1.0, 9.0, 0.0, 8.0, 2.0, 5.0, 4.0, 6.0])  # argmax 3, neighbours 1 apart
    draws = [_sample(spaced, 1e-3, generator) for _ in range(100)]
    hits = sum(d == 3 for d in draws)
    check(hits == 100, SAMPLE_HINT, f"τ = 1e-3: the argmax came {hits} times out of 100")
    logits = torch.tensor([1.0, 0.5, -0.5, 2.0, 0.0])
    generator = torch.Generator().manual_seed(1)
    counts = torch.bincount(torch.tensor([_sample(logits, 1.0, generator) for _ in range(20_000)]), minlength=5)
    check_close(counts / 20_000, torch.softmax(logits, 0), SAMPLE_HINT + " (τ = 1: frequencies)", atol=0.015)
    runs = []
    for _ in range(2):
        generator = torch.Generator().manual_seed(7)
        runs.append([_sample(logits, 0.8, generator) for _ in range(50)])
    check(runs[0] == runs[1], SAMPLE_HINT + " Draw with the generator you are given", "same seed, other draws")


def _reference(model, prompt, n, stoi, itos):
    """Greedy text from rerunning torch's fused layers on the whole sequence at every step (no carried state)."""
    fused = model.to_backend("fused").eval()
    ids = [stoi[c] for c in prompt]
    with torch.no_grad():
        for _ in range(n):
            outputs, _ = fused.recurrent(fused.embed(torch.tensor([ids])))
            ids.append(int(fused.head(outputs[0, -1]).argmax()))
    return "".join(itos[i] for i in ids[len(prompt) :])


def test_generate_greedy_reference():
    """A tiny random scratch model (V = 5, E = 4, H = 6, weights ×2), both cell types: generate(τ = 0, n = 12) equals
    the argmax continuation computed by rerunning the whole prompt + text at every step; exactly 12 characters,
    prompt excluded; the model's train mode is kept."""
    itos = ["a", "b", "c", "d", "e"]
    stoi = {c: i for i, c in enumerate(itos)}
    prompt = "abcab"
    for cell_type in ("rnn", "lstm"):
        torch.manual_seed(0)
        model = CharRNN(5, embed_dim=4, hidden_size=6, cell_type=cell_type, backend="scratch")
        with torch.no_grad():
            for p in model.parameters():
                p.mul_(2.0)  # strong weights, so the next character depends on more than the last one
        expected = _reference(model, prompt, 12, stoi, itos)
        text = generate(model, prompt, 12, stoi, itos, temperature=0.0, seed=0)
        check(isinstance(text, str), GENERATE_HINT, f"{cell_type}: generate returned a {type(text).__name__}")
        check(len(text) == 12, GENERATE_HINT + " Return exactly n_chars new characters", f"got {len(text)}")
        check(text == expected, GENERATE_HINT, f"{cell_type}: got {text!r}, expected {expected!r}")
        check(model.training, GENERATE_HINT + " Restore the model's train/eval mode", f"{cell_type}: left in eval")
