"""Dutch words: folded, without stop words, stemmed. The same forms for the search index and
for matching members to dilemmas (``index_terms``)."""

import re
from functools import lru_cache

from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.support.charset import accent_map

WORD_PATTERN = r"\w+"
STOP_WORDS = frozenset(stopwords_for_language("nl"))
_stem = stemmer_for_language("nl")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The index form of one folded word."""
    return _stem(word)


_index_forms: dict[str, str] = {}
_word_forms: dict[str, str] = {}
_TOKEN = re.compile(WORD_PATTERN)


def _cached_terms(text: str, forms: dict[str, str], normalize) -> list[str]:
    """Words → lower case → folded accents → ``normalize`` (empty: left out), with a cache per
    distinct word: one regular expression instead of Whoosh's filter chain per token."""
    terms = []
    for raw in _TOKEN.findall(text.lower()):
        term = forms.get(raw)
        if term is None:
            term = normalize(raw.translate(accent_map))
            if len(forms) < 500_000:
                forms[raw] = term
        if term:
            terms.append(term)
    return terms


def _index_form(folded: str) -> str:
    return "" if folded in STOP_WORDS else stem(folded)


def index_terms(text: str) -> list[str]:
    """Folded, stop words dropped, stemmed: the terms of the search index's text fields."""
    return _cached_terms(text, _index_forms, _index_form)


def word_terms(text: str) -> list[str]:
    """Folded words as typed (stop words included): names, prefixes, spelling."""
    return _cached_terms(text, _word_forms, str)


_vocabulary_forms: dict[str, str] = {}


def _vocabulary_form(folded: str) -> str:
    return "" if folded in STOP_WORDS else folded


def vocabulary_terms(text: str) -> list[str]:
    """Folded words as typed, without stop words: the vocabulary of prefixes, spelling and
    compound parts."""
    return _cached_terms(text, _vocabulary_forms, _vocabulary_form)


def is_stop_word(word: str) -> bool:
    """A Dutch word too common to search on ("de", "het", "een")."""
    return word in STOP_WORDS
