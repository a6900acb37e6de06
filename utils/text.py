"""Offline text for 07's character models: the docstrings of the Python standard library.

Nothing is downloaded and nothing is committed: the corpus is read from the modules of the running interpreter
(PSF-licensed text that ships with Python). Docstrings change between Python versions, even between patch
releases, so the exact corpus depends on the interpreter; tests never depend on its content.
"""

from __future__ import annotations

import importlib
import inspect
import re
import warnings
from typing import Any

# The fixed, ordered module list of 07 §7 (changing it changes the corpus and every number measured on it).
STDLIB_DOC_MODULES = (
    "string textwrap json collections functools itertools random statistics fractions decimal heapq bisect pathlib "
    "shutil argparse logging unittest csv datetime calendar os re typing inspect pickle copy threading subprocess "
    "socket tarfile zipfile email http.client urllib.parse difflib pprint dataclasses enum abc contextlib weakref "
    "queue sched asyncio tempfile glob fnmatch configparser optparse gettext locale doctest pdb trace tokenize ast "
    "dis codecs base64 hashlib hmac secrets uuid html.parser xml.dom.minidom sqlite3 wave colorsys"
).split()
# A function, class or method docstring is kept only if its raw ``inspect.getdoc`` text is longer than this.
MIN_DOC_CHARS = 40
# The 53 characters the corpus keeps (after lowercasing): a–z, 0–9, space, newline and 15 punctuation marks.
CORPUS_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 \n.,;:!?'()-_=<>\""
_OUTSIDE_ALPHABET = re.compile(r"[^a-z0-9 \n.,;:!?'()\-_=<>\"]")
_SPACE_RUNS = re.compile(r" {2,}")


def _clean(doc: str) -> str:
    """Lowercase, drop every character outside `CORPUS_ALPHABET`, collapse runs of spaces to one."""
    return _SPACE_RUNS.sub(" ", _OUTSIDE_ALPHABET.sub("", doc.lower()))


def _long_doc(obj: Any) -> str | None:
    """``inspect.getdoc(obj)`` if it is longer than `MIN_DOC_CHARS`, else None."""
    doc = inspect.getdoc(obj)
    return doc if doc is not None and len(doc) > MIN_DOC_CHARS else None


def _module_docs(module_name: str) -> list[str]:
    """The raw docstrings of one module: its own, then, in sorted attribute order, those of its public functions
    and classes defined in it, each class followed by its public methods (names in its own ``vars``, sorted,
    whose ``getattr`` is a Python function)."""
    module = importlib.import_module(module_name)
    docs = [doc] if (doc := inspect.getdoc(module)) else []
    for name in sorted(vars(module)):
        obj = getattr(module, name, None)
        if name.startswith("_") or getattr(obj, "__module__", None) != module_name:
            continue
        if inspect.isfunction(obj):
            if (doc := _long_doc(obj)) is not None:
                docs.append(doc)
        elif inspect.isclass(obj):
            if (doc := _long_doc(obj)) is not None:
                docs.append(doc)
            for method_name in sorted(vars(obj)):
                method = getattr(obj, method_name, None)  # some descriptors (enum members' names) raise
                if not method_name.startswith("_") and inspect.isfunction(method):
                    if (doc := _long_doc(method)) is not None:
                        docs.append(doc)
    return docs


def stdlib_doc_corpus() -> list[str]:
    """The documents of 07's corpus: standard-library docstrings, cleaned, duplicates dropped in order.

    For each module of `STDLIB_DOC_MODULES` in order: ``inspect.getdoc`` of the module, of its public functions
    (``inspect.isfunction``: C builtins are skipped) and classes whose ``__module__`` is the module, and of each
    class's public Python-function methods; every docstring but the module's own only if its raw text is longer
    than 40 characters. Each text is lowercased, reduced to the 53 characters of `CORPUS_ALPHABET`, and runs of
    spaces are collapsed to one.

    On CPython 3.11.7 (Linux) with torch imported: 1,240 documents, 396,808 characters (1,241 / 396,872 without
    torch, whose ``torch.package`` replaces ``inspect.getfile``). Inside a Jupyter kernel ``pdb.Pdb`` is IPython's
    debugger class, so pdb's class and methods drop out: 1,190 / 386,605 in 07's notebook. Other Python versions give
    other numbers.
    """
    docs: list[str] = []
    # On 3.11 touching typing.io and typing.re warns; the corpus is built quietly.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for module_name in STDLIB_DOC_MODULES:
            docs.extend(_clean(doc) for doc in _module_docs(module_name))
    return list(dict.fromkeys(docs))
