"""Similarity between students' modules with copydetect (k-gram fingerprints of tokenized code, as MOSS uses).

Only the modules students edit are compared, module by module (gd.py with gd.py). copydetect's tokenizer turns
every name into one letter and drops whitespace and comments, so renaming and reflowing hide nothing. Two kinds of
code are boilerplate, subtracted before any comparison: the released skeleton, which every student starts from,
and the instructor's solution, which students may reproduce (a leaked solution shows as a list of students close
to it, `solution_shares`, rather than as every pair among them). A match counts only when it holds at least
MIN_MATCH_TOKENS of the student's own tokens, so a short function every correct student writes alike never
counts. A pair is flagged when at least FLAG_SHARE of one student's own code matches the other's.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from copydetect import CodeFingerprint
from copydetect.utils import find_fingerprint_overlap, get_copied_slices, hashed_kgrams, highlight_overlap

from autograder.layout import is_plain, student_modules
from autograder.release import remove_solution_markers
from autograder.settings import ASSIGNMENTS, SOLUTIONS

K_GRAM = 25  # copydetect's noise threshold: fingerprints are hashes of 25 consecutive tokenized characters
# Winnowing window 1 keeps every k-gram: copydetect hashes with Python's per-process salted hash(), so a wider
# window would keep other fingerprints in each run and scores would move by a percent from run to run.
WINDOW = 1
MIN_MATCH_TOKENS = 40  # a match counts only with this many of the student's own tokens (a name is one token)
FLAG_SHARE = 0.5
LARGEST_MODULE = 1_000_000  # bytes: a larger file is left out, not tokenized


@dataclass
class Region:
    """One module's matching code of a pair, as HTML with the matches marked."""

    module: str
    left: str
    right: str


@dataclass
class Pair:
    assignment: str
    students: tuple[str, str]
    shares: tuple[float, float]  # of each student's own code (skeleton and solution left out) that matches
    tokens: int  # matching tokens in the first student's code
    regions: list[Region] = field(default_factory=list)

    @property
    def score(self) -> float:
        return max(self.shares)

    @property
    def flagged(self) -> bool:
        return self.score >= FLAG_SHARE


@dataclass
class Comparison:
    """One assignment's similarity: every pair with a match, and each student's share of the solution's code."""

    assignment: str
    pairs: list[Pair]
    solution_shares: dict[str, float]
    skipped: dict[str, str]  # student -> why a module was left out


@dataclass
class ModulePrint:
    """A module's copydetect fingerprint and which of its tokenized characters are the student's own: those not
    inside any boilerplate k-gram. A match next to the skeleton shares a few skeleton characters through the
    k-grams that straddle the border; only its own characters count toward MIN_MATCH_TOKENS and the shares."""

    prints: CodeFingerprint
    own: np.ndarray  # bool, one per character of prints.filtered_code


def _module_print(name: str, text: str, boilerplate: np.ndarray) -> ModulePrint:
    prints = CodeFingerprint(name, K_GRAM, WINDOW, boilerplate, fp=io.StringIO(text))
    own = np.ones(len(prints.filtered_code), dtype=bool)
    if len(prints.filtered_code) >= K_GRAM:
        starts = np.flatnonzero(np.isin(hashed_kgrams(prints.filtered_code, K_GRAM), boilerplate))
        for offset in range(K_GRAM):
            own[starts + offset] = False
    return ModulePrint(prints, own)


def _hashes(*sources: dict[str, str]) -> np.ndarray:
    """Every k-gram hash of the ``sources`` (module -> text): the boilerplate they make."""
    hashes = [
        CodeFingerprint(module, K_GRAM, 1, fp=io.StringIO(text)).hashes
        for texts in sources
        for module, text in texts.items()
    ]
    return np.unique(np.array([h for group in hashes for h in group], dtype=np.int64))


def _own_matches(module: ModulePrint, indexes: np.ndarray) -> np.ndarray:
    """The matched slices (2 x N, in tokenized characters) that hold at least MIN_MATCH_TOKENS own tokens."""
    slices = get_copied_slices(indexes, K_GRAM)
    kept = [(start, end) for start, end in zip(*slices, strict=True) if module.own[start:end].sum() >= MIN_MATCH_TOKENS]
    return np.array(kept, dtype=int).reshape(-1, 2).T


def _marked_code(module: ModulePrint, slices: np.ndarray) -> str:
    """The module's source as HTML, the matched slices marked (positions mapped back as copydetect does)."""
    offsets = module.prints.offsets
    raw = slices.copy()
    if len(offsets) > 0:
        raw += offsets[:, 1][np.clip(np.searchsorted(offsets[:, 0], raw), 0, offsets.shape[0] - 1)]
    return highlight_overlap(module.prints.raw_code, raw, "<mark>", "</mark>", truncate=6, escape_html=True)[0]


def _own_tokens(module: ModulePrint, slices: np.ndarray) -> int:
    return int(sum(module.own[start:end].sum() for start, end in zip(*slices, strict=True)))


def _reference_texts(assignment: str) -> tuple[dict[str, str], dict[str, str]]:
    """(skeleton, solution): module -> source, for the modules students edit."""
    modules = student_modules(SOLUTIONS / assignment)
    skeleton = {m: (ASSIGNMENTS / assignment / m).read_text(encoding="utf-8") for m in modules}
    solution = {m: remove_solution_markers((SOLUTIONS / assignment / m).read_text(encoding="utf-8")) for m in modules}
    return skeleton, solution


def _student_texts(folder: Path, modules: list[str]) -> tuple[dict[str, str], str]:
    """module -> source of the student's edited modules, and why any was left out."""
    texts, skipped = {}, []
    for module in modules:
        path = folder / module
        if not path.exists():
            continue
        if not is_plain(path) or path.stat().st_size > LARGEST_MODULE:
            skipped.append(f"{module} is not a plain file under {LARGEST_MODULE // 1_000_000} MB")
            continue
        try:
            texts[module] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            skipped.append(f"{module} is not UTF-8 text")
    return texts, "; ".join(skipped)


def _compare(
    assignment: str, left: tuple[str, dict[str, ModulePrint]], right: tuple[str, dict[str, ModulePrint]]
) -> Pair | None:
    (a, modules_a), (b, modules_b) = left, right
    matched_a, matched_b, regions = 0, 0, []
    for name in sorted(modules_a.keys() & modules_b.keys()):
        module_a, module_b = modules_a[name], modules_b[name]
        indexes_a, indexes_b = find_fingerprint_overlap(
            module_a.prints.hashes, module_b.prints.hashes, module_a.prints.hash_idx, module_b.prints.hash_idx
        )
        slices_a, slices_b = _own_matches(module_a, indexes_a), _own_matches(module_b, indexes_b)
        if not slices_a.size or not slices_b.size:
            continue
        matched_a += _own_tokens(module_a, slices_a)
        matched_b += _own_tokens(module_b, slices_b)
        regions.append(Region(name, _marked_code(module_a, slices_a), _marked_code(module_b, slices_b)))
    if not regions:
        return None
    own_a = sum(int(m.own.sum()) for m in modules_a.values())
    own_b = sum(int(m.own.sum()) for m in modules_b.values())
    return Pair(assignment, (a, b), (matched_a / own_a, matched_b / own_b), matched_a, regions)


def _has_own_code(modules: dict[str, ModulePrint]) -> bool:
    return any(m.own.sum() >= MIN_MATCH_TOKENS for m in modules.values())


def compare_submissions(assignment: str, folders: dict[str, Path]) -> Comparison:
    """Compare every pair of ``folders`` (student -> submission folder) of one assignment."""
    skeleton, solution = _reference_texts(assignment)
    skeleton_only, both = _hashes(skeleton), _hashes(skeleton, solution)
    solution_prints = {m: _module_print(m, text, skeleton_only) for m, text in solution.items()}
    own: dict[str, dict[str, ModulePrint]] = {}
    solution_shares: dict[str, float] = {}
    skipped: dict[str, str] = {}
    for student, folder in sorted(folders.items()):
        texts, why = _student_texts(folder, list(skeleton))
        if why:
            skipped[student] = why
        against_solution = {m: _module_print(m, t, skeleton_only) for m, t in texts.items()}
        if _has_own_code(against_solution):
            pair = _compare(assignment, (student, against_solution), ("solution", solution_prints))
            solution_shares[student] = pair.shares[0] if pair else 0.0
        modules = {m: _module_print(m, t, both) for m, t in texts.items()}
        if _has_own_code(modules):  # code of their own beyond skeleton and solution
            own[student] = modules
    pairs = [p for left, right in itertools.combinations(own.items(), 2) if (p := _compare(assignment, left, right))]
    pairs.sort(key=lambda pair: -pair.score)
    return Comparison(assignment, pairs, solution_shares, skipped)
