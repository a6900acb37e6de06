"""07's offline corpus: built from the running interpreter, deterministic, inside its alphabet.

Its size depends on the Python version (docstrings change between patch releases), so sizes are ranges around the
figures measured on CPython 3.11.7: 1,240 documents and 396,808 characters.
"""

from __future__ import annotations

import pytest

from utils.text import CORPUS_ALPHABET, stdlib_doc_corpus


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    return stdlib_doc_corpus()


def test_the_corpus_is_the_same_on_every_call(corpus):
    assert stdlib_doc_corpus() == corpus


def test_the_corpus_size_is_near_the_measured_one(corpus):
    assert 1_000 <= len(corpus) <= 1_500
    assert 300_000 <= sum(map(len, corpus)) <= 500_000


def test_every_document_is_cleaned_and_unique(corpus):
    assert len(set(corpus)) == len(corpus)
    assert all(set(doc) <= set(CORPUS_ALPHABET) for doc in corpus)
    assert not any("  " in doc for doc in corpus)


def test_the_corpus_uses_the_whole_alphabet(corpus):
    assert len(CORPUS_ALPHABET) == 53
    assert set("".join(corpus)) == set(CORPUS_ALPHABET)
