"""Dutch text analysis for the index and for queries: words, folded accents, stop words, stems,
and the open-government thesaurus (applied at query time only)."""

import re
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
    vocabulary_terms,
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


# ---------------------------------------------------------------------------------------------
# Word forms and synonyms, looked up by stem

VERBS_FILE = Path(__file__).parent / "data" / "verbs.txt"
#: Words of a question that say little about what is asked: they count in the ranking but a
#: document need not have them ("wat doe je als …", "hoe maak ik …", "mogen we …").
QUERY_FILLERS = frozenset(
    "doe doet ga gaan gaat maak maakt maken mag mogen moeten kun kunt zet zetten krijg krijgen "
    "willen wilt zouden welke welk wanneer waarom waar we wij onze jullie graag eigenlijk "
    "precies manier beste goed goede wel even vaak nodig alle elke elk soms eerst heel "
    "hoeveel zoiets handig".split()
)
#: Stems that look like a participle or a past tense but are not one ("gemeente").
NOT_VERB_FORMS = frozenset({"gemeent", "gezondheid", "gebied", "gerecht", "gewicht", "gezicht"})
_LONG_VOWEL = re.compile(r"(?<=[^aeiou])([aeou])([^aeiouwj])$")


def stem_key(phrase: tuple[str, ...]) -> tuple[str, ...]:
    """A phrase as the index sees it: its stems, stop words left out."""
    return tuple(stem(word) for word in phrase if not is_stop_word(word))


@cache
def thesaurus_by_stem() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """The thesaurus looked up by stems: "burgers", "burger" and "Burger" reach the same group."""
    found: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for phrase, others in thesaurus().items():
        key = stem_key(phrase)
        if key:
            known = found.setdefault(key, [])
            known.extend(o for o in others if o not in known and stem_key(o) != key)
    return found


def synonyms(phrase: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The other phrases of the thesaurus group of ``phrase`` (any form of its words)."""
    return thesaurus_by_stem().get(stem_key(phrase), [])


@cache
def strong_verb_forms() -> dict[str, frozenset[str]]:
    """Each form of a strong or irregular verb → the stems of all forms of that verb."""
    groups: dict[str, set[str]] = {}
    for line in VERBS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        forms = [part.strip() for part in line.split(",") if " " not in part.strip()]
        stems = {stem(form) for form in forms if form}
        for form in forms:
            groups.setdefault(form, set()).update(stems)
            groups.setdefault(stem(form), set()).update(stems)  # "betrek" as "betrekken"
    return {form: frozenset(stems) for form, stems in groups.items()}


def _verb_bases(stem_: str) -> set[str]:
    """The verb stems a participle or a past/present form may come from: "gepubliceerd" →
    "publicer" (the stem of "publiceren"), "gelakt" → "lak", "bewaard" → "bewar"."""
    bases = set()
    if stem_ in NOT_VERB_FORMS:
        return bases
    if stem_.startswith("ge") and len(stem_) >= 6 and stem_[-1] in "dt":
        bases.add(stem(stem_[2:-1]))
    if len(stem_) >= 5 and stem_[-1] in "dt":
        bases.add(stem(stem_[:-1]))
    return {base for base in bases if len(base) >= 3}


def _verb_forms(base: str) -> set[str]:
    """The stems of the participle and the -t/-d forms of a verb stem: "publicer" →
    "gepubliceerd", "publiceert", "publiceerd"."""
    roots = {base}
    longer = _LONG_VOWEL.sub(lambda m: m.group(1) * 2 + m.group(2), base)
    roots.add(longer)
    forms = set()
    for root in roots:
        for form in (f"ge{root}d", f"ge{root}t", f"{root}t", f"{root}d", f"{root}de", f"{root}te"):
            forms.add(stem(form))
    return forms


def verb_variants(word: str) -> set[str]:
    """Stems of other forms of the same verb as ``word`` (a folded word), not yet checked
    against the index: participles and conjugated forms of weak verbs by rule, strong verbs
    from the table. The caller keeps the stems the index knows."""
    own = stem(word)
    table = strong_verb_forms()
    found = set(table.get(word, ())) | set(table.get(own, ()))
    bases = _verb_bases(own) or {own}
    for base in bases:
        found.add(base)
        found |= _verb_forms(base)
    found.discard(own)
    return found
