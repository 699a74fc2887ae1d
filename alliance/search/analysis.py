"""Dutch text analysis for the index and for queries: words, folded accents, stop words, stems,
and the open-government thesaurus (applied at query time only)."""

from functools import cache
from pathlib import Path

from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang import stemmer_for_language
from whoosh.support.charset import accent_map

from alliance.core.language import (  # noqa: F401  (the index's terms)
    STOP_WORDS,
    WORD_PATTERN,
    index_terms,
    is_stop_word,
    stem,
    word_terms,
)
from alliance.core.text import fold

THESAURUS_FILE = Path(__file__).parent / "data" / "thesaurus.txt"
_stem = stemmer_for_language("nl")  # the analyzer chain for highlighting stems the same


def dutch_analyzer():
    """Words → lower case → accents folded → Dutch stop words out → Snowball Dutch stems."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | StemFilter(stemfn=_stem, cachesize=-1)
    )


def word_analyzer():
    """Words as typed, folded: names, prefixes while typing and spelling suggestions."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)


_words = word_analyzer()


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order (stop words included)."""
    return [token.text for token in _words(text)]


#: Separates the parts of a ``pair_terms`` value: no pair spans two parts.
PART_BREAK = "\x1e"


def pair_terms(text: str) -> list[str]:
    """Each two neighbouring index terms as one term, "open overheid" (stop words do not count,
    as in ``index_terms``): a phrase is found by looking its pairs up, with no positions to
    read. Pairs never span a ``PART_BREAK``."""
    pairs = []
    for part in text.split(PART_BREAK):
        terms = index_terms(part)
        pairs.extend(f"{left} {right}" for left, right in zip(terms, terms[1:], strict=False))
    return pairs


@cache
def thesaurus() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """Each phrase (as folded words) → the other phrases of its group."""
    groups = []
    for line in THESAURUS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            groups.append([tuple(words(fold(part))) for part in line.split(",") if part.strip()])
    synonyms: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for group in groups:
        for phrase in group:
            others = synonyms.setdefault(phrase, [])
            others.extend(other for other in group if other != phrase and other not in others)
    return synonyms


@cache
def longest_thesaurus_phrase() -> int:
    return max((len(phrase) for phrase in thesaurus()), default=1)
