"""Asking the index: the query language, permissions and facets as bit sets, ranking by Whoosh.

Why bit sets: Whoosh walks posting lists in Python, one document at a time. Counting all hits
(for "N resultaten") and counting facets that way costs as much as the query itself, several
times over. Here every term's documents become one Python integer used as a bit set, cached per
searcher (the index segments are immutable, so the cache is valid until the index changes).
AND, OR, NOT, the permission filter and each facet count are then a few big-integer operations.
Whoosh still does what it is good at: BM25F ranking, limited to the first page and to documents
in the final bit set, with its block-quality skipping.
"""

import bisect
import itertools
import math
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from flask import g, has_app_context
from whoosh.codec.whoosh3 import W3Codec
from whoosh.idsets import DocIdSet
from whoosh.matching.wrappers import FilterMatcher

from alliance.core.text import fold
from alliance.search.analysis import (
    QUERY_FILLERS,
    is_stop_word,
    stem,
    stem_key,
    synonyms,
    thesaurus_by_stem,
    verb_variants,
    words,
)
from alliance.search.index import SearchUnavailable, open_index
from alliance.search.schema import FIELD_WEIGHTS, NAME_FIELDS

#: Words of a query that are operators (upper case only: "en", "of", "niet" are stop words).
AND_WORDS = {"AND", "EN"}
OR_WORDS = {"OR", "OF"}
NOT_WORDS = {"NOT", "NIET"}
#: A typed prefix expands to at most this many words (the most frequent).
PREFIX_EXPANSIONS = 40
MIN_PREFIX = 2
FACET_FIELDS = ("kind", "themes", "status", "perspective", "year")
TERM_CACHE_SIZE = 4096
#: Of a typed prefix's expansions, this many (the most frequent) take part in the ranking.
SCORED_EXPANSIONS = 8
SCORE_SCALE = 4
TOKEN = re.compile(r'"([^"]*)"?|(\S+)')


# ---------------------------------------------------------------------------------------------
# The query language


@dataclass(frozen=True)
class Clause:
    """One unit of a query: a word (possibly a prefix as typed) or a phrase."""

    words: tuple[str, ...]
    phrase: bool = False
    prefix: bool = False
    loose: bool = False  # typed without quotes: all the words anywhere also match


@dataclass
class ParsedQuery:
    """All ``groups`` must match (each group: any of its clauses); no ``negated`` clause may."""

    groups: list[list[Clause]] = field(default_factory=list)
    negated: list[Clause] = field(default_factory=list)
    explicit_and: bool = False  # AND/EN was typed: never fall back to "most of the words"

    @property
    def empty(self) -> bool:
        return not self.groups

    def clauses(self) -> list[Clause]:
        return [clause for group in self.groups for clause in group]


def parse(text: str, typing: bool = False) -> ParsedQuery:
    """Words, "phrases", OR/OF, NOT/NIET or -word; a last word still being typed (``typing``)
    or ending in * matches as a prefix."""
    parsed = ParsedQuery()
    tokens = list(TOKEN.finditer(text[:500]))
    negate_next = join_next = False
    for index, match in enumerate(tokens):
        quoted, raw = match.group(1), match.group(2)
        if raw is not None:
            if raw in AND_WORDS:
                parsed.explicit_and = True
                continue
            if raw in OR_WORDS:
                join_next = bool(parsed.groups)
                continue
            if raw in NOT_WORDS:
                negate_next = True
                continue
        negated = negate_next
        negate_next = False
        if quoted is not None:
            folded = tuple(words(fold(quoted)))
            clause = Clause(folded, phrase=True) if folded else None
        else:
            if raw.startswith("-") and len(raw) > 1:
                negated, raw = True, raw[1:]
            star = raw.endswith("*")
            folded = tuple(words(fold(raw.rstrip("*"))))
            last = index == len(tokens) - 1 and not text.endswith((" ", '"'))
            typed = star or (typing and last)
            if len(folded) > 1 and typed and not (negated or join_next) and len(folded[-1]) > 1:
                # "woo-verz" being typed: the whole words, and the last one as a prefix
                parsed.groups.extend([[Clause((w,))] for w in folded[:-1] if not is_stop_word(w)])
                clause = Clause(folded[-1:], prefix=True)
            elif len(folded) > 1:
                clause = Clause(folded, phrase=True)  # woo-verzoek, e-mail
            elif folded and (star or (typing and last)) and len(folded[0]) >= MIN_PREFIX:
                clause = Clause(folded, prefix=True)
            elif folded and not is_stop_word(folded[0]):
                clause = Clause(folded)
            else:
                clause = None
        if clause is None:
            join_next = False
            continue
        if negated:
            parsed.negated.append(clause)
        elif join_next and parsed.groups:
            parsed.groups[-1].append(clause)
        else:
            parsed.groups.append([clause])
        join_next = False
    return parsed


def unparse(clauses: list[Clause]) -> str:
    return " ".join(
        f'"{" ".join(c.words)}"' if c.phrase and len(c.words) > 1 else " ".join(c.words)
        for c in clauses
    )


# ---------------------------------------------------------------------------------------------
# Bit sets per searcher


class Bits(DocIdSet):
    """A bit set as Whoosh's collector filter (it only asks ``docnum in bits``)."""

    def __init__(self, value: int):
        self.value = value
        self._bytes = value.to_bytes((value.bit_length() + 7) // 8 or 1, "little")

    def __contains__(self, docnum) -> bool:
        index = docnum >> 3
        return index < len(self._bytes) and (self._bytes[index] >> (docnum & 7)) & 1 == 1

    def __len__(self) -> int:
        return self.value.bit_count()

    def __iter__(self):
        return iter(ids_of(self.value))


def bits_of(ids, size: int) -> int:
    buffer = bytearray((size >> 3) + 1)
    for docnum in ids:
        buffer[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(buffer, "little")


def ids_of(value: int) -> list[int]:
    """The document numbers in a bit set, ascending."""
    if value.bit_count() < 512:  # sparse: bit by bit, each step a few C operations
        found = []
        while value:
            low = value & -value
            found.append(low.bit_length() - 1)
            value ^= low
        return found
    found = []
    data = value.to_bytes((value.bit_length() + 7) // 8 or 1, "little")
    for index, byte in enumerate(data):
        if byte:
            base = index << 3
            for bit in range(8):
                if byte >> bit & 1:
                    found.append(base + bit)
    return found


def _leaf_postings(matcher, frequencies: bool) -> tuple[list[int], list[int], list[int]]:
    """Every document number of one segment's posting list, a block at a time; with
    ``frequencies``, also those where the term occurs at least twice and at least four times
    (the term frequency in buckets, for ranking)."""
    if isinstance(matcher, FilterMatcher):  # deleted documents: removed by the live set
        matcher = matcher.child
    ids: list[int] = []
    twice: list[int] = []
    often: list[int] = []
    if not hasattr(matcher, "_read_ids"):
        return list(matcher.all_ids()), twice, often
    while matcher.is_active():
        matcher._read_ids()
        block = matcher._ids
        ids.extend(block)
        if frequencies and matcher._data[1] is not None:  # None: every weight is 1
            matcher._read_weights()
            weights = matcher._weights
            if max(weights) >= 2:  # the rest in C: compress() keeps the ids whose weight fits
                twice.extend(itertools.compress(block, map((2.0).__le__, weights)))
                often.extend(itertools.compress(block, map((4.0).__le__, weights)))
        matcher._next_block()
    return ids, twice, often


_segment_cache: OrderedDict = OrderedDict()
_segment_lock = threading.Lock()
SEGMENT_CACHE_SIZE = 16384


def _segment_key(folder: str, segment) -> tuple:
    """A segment, across indexes: each rebuild writes to a directory of its own (the random
    segment names alone repeat when something seeds ``random``, as Hypothesis does)."""
    return (folder, segment.segment_id())


#: The fields whose term frequencies count in the ranking.
SCORED_FIELDS = frozenset(FIELD_WEIGHTS)
NO_TERM = (0, 0, 0)


def _segment_term(folder: str, leaf, fieldname: str, text: str) -> tuple[int, int, int]:
    """One segment's documents with this term, as bit sets of its own document numbers: all
    of them, those with the term at least twice, at least four times. Segments never change
    once written (deletions are kept apart), so this is cached across index changes: a new
    post adds a small segment and leaves the big one's cache warm."""
    segment = leaf.segment()
    if segment is None:  # an empty index
        return NO_TERM
    key = (_segment_key(folder, segment), fieldname, text)
    with _segment_lock:
        found = _segment_cache.get(key)
        if found is not None:
            _segment_cache.move_to_end(key)
            return found
    if (fieldname, text) in leaf:
        size = leaf.doc_count_all()
        ids, twice, often = _leaf_postings(
            leaf.postings(fieldname, text), fieldname in SCORED_FIELDS
        )
        value = (bits_of(ids, size), bits_of(twice, size), bits_of(often, size))
    else:
        value = NO_TERM
    with _segment_lock:
        _segment_cache[key] = value
        if len(_segment_cache) > SEGMENT_CACHE_SIZE:
            _segment_cache.popitem(last=False)
    return value


def _segment_created(folder: str, leaf) -> list[int]:
    segment = leaf.segment()
    if segment is None:
        return []
    key = (_segment_key(folder, segment), "#created", "")
    with _segment_lock:
        found = _segment_cache.get(key)
    if found is None:
        found = list(leaf.column_reader("created"))
        with _segment_lock:
            _segment_cache[key] = found
    return found


class _Generation:
    """What every view of one state of the index shares (the same segments with the same
    deletions): the combined term sets, the live documents, the creation times. Values are
    immutable integers and lists, so requests in other threads may read them as they are."""

    def __init__(self):
        self.terms: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        self.live: int | None = None
        self.created_values: list[int] | None = None
        self.recency: list[int] | None = None
        self.newest: int | None = None


_generations: OrderedDict = OrderedDict()
_generations_lock = threading.Lock()


def _generation(key: tuple) -> _Generation:
    with _generations_lock:
        found = _generations.get(key)
        if found is None:
            found = _generations[key] = _Generation()
            while len(_generations) > 2:  # the current state, and the one just before it
                _generations.popitem(last=False)
        return found


#: Attempts to open a view when the index changes while it is being opened.
OPEN_TRIES = 3


class SegmentGone(Exception):
    """A segment's files were deleted while it was being opened (merged away by a drain)."""


def _open_files_now(leaf) -> None:
    """Open the files of a segment that Whoosh opens only when first read: its stored fields,
    field lengths and columns. A drain in another process (the worker, or a thread of another
    request) may merge this segment into a new one and delete its files while the request
    runs (segments are written without a compound file): a file opened before that stays
    readable, one opened after is gone, and Whoosh then reads None (a 500 under load, found by
    bench/load) or a length of 0 (a wrong score). When the files are gone already (merged
    away between reading the table of segments and this), ``current_view`` opens the new state.
    About 15 µs a file, six files a segment."""
    if not leaf.doc_count_all():
        return
    if not leaf.storage().file_exists(W3Codec.column_filename(leaf.segment(), "_stored")):
        raise SegmentGone(str(leaf.segment()))
    leaf.stored_fields(0)
    for name, kind in leaf.schema.items():
        if kind.scorable:
            leaf.doc_field_length(0, name)
        if kind.column_type is not None and leaf.has_column(name):
            leaf.column_reader(name)


class View:
    """One searcher (for one request) and the bit sets computed on it. Views of the same
    index state share their sets; the per-segment sets underneath outlive every view."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.folder = str(searcher._ix.storage.folder)
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        self.leaves = list(self.reader.leaf_readers())
        for leaf, _offset in self.leaves:
            _open_files_now(leaf)
        segments = tuple(
            (leaf.segment().segment_id(), leaf.segment().deleted_count())
            for leaf, _ in self.leaves
            if leaf.segment() is not None
        )
        shared = _generation((self.folder, segments))
        self._terms = shared.terms
        self._lock = shared.lock
        self._shared = shared
        if shared.live is None:
            live = 0
            for leaf, offset in self.leaves:
                count = leaf.doc_count_all()
                segment_live = (1 << count) - 1
                if leaf.has_deletions():
                    segment_live &= ~bits_of(leaf.deleted_docs_set, count)
                live |= segment_live << offset
            shared.live = live
        self.live = shared.live

    def term(self, fieldname: str, text: str) -> int:
        """The documents with this term in this field, as a bit set."""
        return self.term_frequencies(fieldname, text)[0]

    def term_frequencies(self, fieldname: str, text: str) -> tuple[int, int, int]:
        """The documents with this term: all, at least twice, at least four times."""
        key = (fieldname, text)
        with self._lock:
            found = self._terms.get(key)
            if found is not None:
                self._terms.move_to_end(key)
                return found
        value, twice, often = 0, 0, 0
        for leaf, offset in self.leaves:
            local = _segment_term(self.folder, leaf, fieldname, text)
            if local[0]:
                value |= local[0] << offset
                twice |= local[1] << offset
                often |= local[2] << offset
        found = (value & self.live, twice & self.live, often & self.live)
        with self._lock:
            self._terms[key] = found
            if len(self._terms) > TERM_CACHE_SIZE:
                self._terms.popitem(last=False)
        return found

    def frequency(self, fieldname: str, text: str) -> int:
        return self.reader.doc_frequency(fieldname, text)

    def prefix_terms(self, fieldname: str, prefix: str) -> list[str]:
        """The words starting with ``prefix``, the most frequent first."""
        found = [
            (info.doc_frequency(), text if isinstance(text, str) else text.decode("utf-8"))
            for text, info in self.reader.iter_prefix(fieldname, prefix)
        ]
        found.sort(reverse=True)
        return [text for _, text in found[:PREFIX_EXPANSIONS]]

    def field_values(self, fieldname: str) -> list[str]:
        return [
            text if isinstance(text, str) else text.decode("utf-8")
            for text in self.reader.lexicon(fieldname)
        ]

    def created_values(self) -> list[int]:
        """Each document's creation time (seconds), by document number."""
        if self._shared.created_values is None:
            values: list[int] = []
            for leaf, _offset in self.leaves:  # leaves come in document-number order
                values.extend(_segment_created(self.folder, leaf))
            self._shared.created_values = values
        return self._shared.created_values

    def newest_created(self) -> int:
        """The creation time of the newest document (once per index state)."""
        if self._shared.newest is None:
            self._shared.newest = max(self.created_values(), default=0)
        return self._shared.newest

    def recency_order(self) -> list[int]:
        """Every document number, newest first (ties: the higher number first). Sorted once
        per index state, so that "the newest of a big set" is a short walk, not a sort."""
        if self._shared.recency is None:
            values = self.created_values()
            self._shared.recency = [
                docnum
                for _, docnum in sorted(zip(values, range(len(values)), strict=True), reverse=True)
            ]
        return self._shared.recency


_local = threading.local()


def _holder():
    """Where the view lives: the app context (one per request, closed when it ends), else the
    thread. Whoosh's readers seek in shared file objects, so a view is never shared between
    threads; opening one costs about a millisecond, and the per-segment caches are shared."""
    return g if has_app_context() else _local


def current_view() -> View:
    """A view of the current index for this request (or thread)."""
    ix = open_index()
    holder = _holder()
    view = getattr(holder, "search_view", None)
    if view is not None:
        if view.searcher._ix is ix and view.searcher.up_to_date():
            return view
        # Not ``searcher.refresh()``: it reuses segment readers with their old deletions, so
        # an edited document would be found twice and a deleted one still found.
        forget_views()
    for attempt in range(OPEN_TRIES):
        try:
            searcher = ix.searcher()
        except Exception as error:  # a broken index; or a segment merged away meanwhile
            if attempt + 1 == OPEN_TRIES:
                raise SearchUnavailable(str(error)) from error
            continue
        try:
            holder.search_view = View(searcher)
        except (SegmentGone, FileNotFoundError) as error:
            searcher.close()  # the index moved on while this state was opened: open the new one
            if attempt + 1 == OPEN_TRIES:
                raise SearchUnavailable(str(error)) from error
            continue
        return holder.search_view
    raise SearchUnavailable("no view")  # not reached: the last attempt returns or raises


def forget_views(_error=None) -> None:
    """Close this request's (or thread's) view; runs when each app context ends."""
    holder = _holder()
    view = getattr(holder, "search_view", None)
    if view is not None:
        holder.search_view = None
        view.searcher.close()


# ---------------------------------------------------------------------------------------------
# From clauses to bit sets (what matches) and to a Whoosh query (how well)


def _reversed_words(folder: str, leaf) -> list[str]:
    """One segment's vocabulary (the ``words`` field), each word reversed, sorted: the words
    that end in something are then a range, as those that start with something are."""
    segment = leaf.segment()
    if segment is None:
        return []
    key = (_segment_key(folder, segment), "#reversed", "")
    with _segment_lock:
        found = _segment_cache.get(key)
    if found is None:
        found = sorted(
            (text if isinstance(text, str) else text.decode("utf-8"))[::-1]
            for text in leaf.lexicon("words")
        )
        with _segment_lock:
            _segment_cache[key] = found
    return found


def words_ending(view: View, suffix: str, limit: int) -> list[str]:
    """Words of the vocabulary that end in ``suffix`` (longer than it), the most frequent
    first."""
    wanted = suffix[::-1]
    found = set()
    for leaf, _offset in view.leaves:
        ordered = _reversed_words(view.folder, leaf)
        start = bisect.bisect_left(ordered, wanted)
        for reverse in itertools.islice(ordered, start, start + 4 * limit):
            if not reverse.startswith(wanted):
                break
            if len(reverse) > len(wanted):
                found.add(reverse[::-1])
    ranked = sorted(found, key=lambda w: -view.frequency("words", w))
    return ranked[:limit]


# ---------------------------------------------------------------------------------------------
# From clauses to what matches (bit sets) and how well (units of a BM25F score)

#: How much a match counts compared to the word as typed.
FORM_WEIGHT = 0.85  # another form of the same word: "gelakt" for "lakken"
PREFIX_WEIGHT = 0.8  # a word that starts with what was typed
CORRECTION_WEIGHT = 0.8  # the word a misspelling probably meant
SYNONYM_WEIGHT = 0.45  # a word of the same thesaurus group
PART_WEIGHT = 0.45  # a compound the word is part of: "bestuursoverleg" for "overleg"
#: Compounds of a word looked for, and how many of them take part in the ranking.
COMPOUNDS = 30
SCORED_COMPOUNDS = 8
MIN_COMPOUND_PART = 4
LONG_PART = 6
LINKS = ("s", "en", "e", "")
#: BM25 as Whoosh has it.
K1 = 1.2
B = 0.75
#: Term frequency buckets (1, 2–3, 4 or more) and what each counts as.
TF_ONCE, TF_TWICE, TF_OFTEN = 1.0, 2.5, 5.0
#: Words next to each other as in the query: this share of their weight on top.
PROXIMITY = 0.6
#: A document with only some of the query's words: its score times (share of words) ** this.
COVERAGE_POWER = 2.0
#: Members rank below knowledge unless their name matched.
PERSON_FACTOR = 0.5
#: Recency: at most this much on top, halving every RECENCY_HALF_LIFE_DAYS.
RECENCY = 0.06
RECENCY_HALF_LIFE_DAYS = 365
#: What the other variants of a group add beside its best one.
OTHER_VARIANTS = 0.4
#: How many documents the exact score is computed for (the best by a coarse score).
RERANK = 80


@dataclass
class Variant:
    """One way a query group matches: the word as typed, another form of it, a synonym, a
    compound it is part of, a correction. ``units``: (field, documents, at least twice,
    at least four times); ``matched``: every document it matches."""

    kind: str
    closeness: float
    label: str
    units: list = field(default_factory=list)
    matched: int = 0
    terms: set = field(default_factory=set)  # the stems it looks up: what a snippet marks


@dataclass
class Group:
    """What one word or phrase of the query (or its OR alternatives) matches."""

    typed: str
    variants: list[Variant] = field(default_factory=list)
    stems: tuple[str, ...] = ()  # of the typed word(s): for proximity
    optional: bool = False  # a filler word of a question: scores, but need not match

    @property
    def matched(self) -> int:
        value = 0
        for variant in self.variants:
            value |= variant.matched
        return value


def _scored_fields():
    return [(name, weight) for name, weight in FIELD_WEIGHTS.items() if name not in NAME_FIELDS]


#: Where another form, a compound or a synonym of a word is looked for (the typed word is
#: looked for in every field): fewer term lookups per query.
TEXT_ONLY = ("title", "tags", "lesson", "body", "replies")


def _stems_variant(view: View, kind: str, closeness: float, label: str, stems, names=()):
    """The documents with any of ``stems`` in the text fields (or ``names`` in the name
    fields); a variant that is not the word as typed only in the main text fields."""
    variant = Variant(kind, closeness, label, terms=set(stems) | set(names))
    fields = FIELD_WEIGHTS if kind in ("word", "prefix") else TEXT_ONLY
    for fieldname in fields:
        terms = names if fieldname in NAME_FIELDS else stems
        bits = twice = often = 0
        for text in terms:
            found = view.term_frequencies(fieldname, text)
            bits |= found[0]
            twice |= found[1]
            often |= found[2]
        if bits:
            variant.units.append((fieldname, bits, twice, often))
            variant.matched |= bits
    return variant


def _known_stem(view: View, text: str) -> bool:
    """Whether the index has this stem in the text or a title (where other forms are)."""
    return bool(view.frequency("body", text) or view.frequency("title", text))


def _word_stems(word: str) -> set[str]:
    """The Snowball stemmer treats a plural -s unevenly ("persoonsgegevens" → persoonsgegeven,
    "persoonsgegeven" → persoonsgegev), so the word with and without a final s is asked too."""
    stems = {stem(word)}
    if len(word) > 4:
        stems.add(stem(word[:-1]) if word.endswith("s") else stem(word + "s"))
    # f/v and s/z alternate in Dutch plurals: archief, archieven; reis, reizen.
    for single, plural in (("f", "ven"), ("s", "zen")):
        if word.endswith(plural) and len(word) > 5:
            stems.add(stem(word[: -len(plural)] + single))
        elif word.endswith(single) and len(word) > 3:
            stems.add(stem(word[: -len(single)] + plural))
    return stems


def _word_variants(view: View, word: str) -> list[Variant]:
    """A single typed word: itself, its other verb forms, and the compounds it is part of."""
    found = [_stems_variant(view, "word", 1.0, word, _word_stems(word), (word,))]
    forms = sorted(s for s in verb_variants(word) if _known_stem(view, s))
    if forms:
        found.append(_stems_variant(view, "form", FORM_WEIGHT, word, forms))
    if len(word) >= MIN_COMPOUND_PART:
        found.extend(_compound_variants(view, word))
    return [variant for variant in found if variant.matched]


def _is_word(view: View, text: str) -> bool:
    return len(text) >= 3 and bool(view.frequency("words", text))


def _compound_variants(view: View, word: str) -> list[Variant]:
    """Compounds of the vocabulary that end or start with ``word`` where the rest is a word
    too (with a linking s, e or en): "bestuursoverleg" and "overlegtafel" for "overleg",
    "informatieverzoek" for "verzoek"."""
    compounds = []
    for candidate in words_ending(view, word, COMPOUNDS):
        head = candidate[: -len(word)]
        # A long word as the tail is a part whatever comes before ("chatberichten"); a short
        # one only after a known word ("burgerraad", not "straat" for "raad").
        if (len(word) >= LONG_PART and len(head) >= MIN_COMPOUND_PART) or any(
            head.endswith(link) and _is_word(view, head[: len(head) - len(link)])
            for link in LINKS
        ):
            compounds.append(candidate)
    for candidate in view.prefix_terms("words", word):
        rest = candidate[len(word) :]
        for link in LINKS:
            if rest.startswith(link) and len(rest) - len(link) >= MIN_COMPOUND_PART:
                if _is_word(view, rest[len(link) :]):
                    compounds.append(candidate)
                    break
    if not compounds:
        return []
    scored = _stems_variant(
        view, "part", PART_WEIGHT, word, {stem(c) for c in compounds[:SCORED_COMPOUNDS]}
    )
    for candidate in compounds[SCORED_COMPOUNDS:]:
        scored.matched |= view.term("words", candidate)
    return [scored]


def _prefix_variant(view: View, prefix: str, closeness: float = 1.0) -> Variant | None:
    """The words that start with ``prefix`` (as typed, or a half word submitted)."""
    expansions = view.prefix_terms("words", prefix)
    names = view.prefix_terms("people", prefix)
    if not expansions and not names:
        return None
    variant = _stems_variant(
        view,
        "prefix",
        closeness,
        prefix,
        {stem(text) for text in expansions[:SCORED_EXPANSIONS]},
        names[:SCORED_EXPANSIONS],
    )
    for text in expansions[SCORED_EXPANSIONS:]:
        variant.matched |= view.term("words", text)
    for text in names[SCORED_EXPANSIONS:]:
        variant.matched |= view.term("people", text)
    variant.label = expansions[0] if expansions else names[0]
    return variant if variant.matched else None


def _phrase_variant(view: View, phrase: tuple[str, ...], kind: str, closeness: float):
    """Documents with the words next to each other (stop words do not count, as in the
    index): every neighbouring pair of the phrase is a term of the "pairs" field. Longer
    phrases need all their pairs, which in practice means the phrase. Ranked by the words'
    own terms in the documents found."""
    stems = stem_key(phrase)
    if not stems:
        return None
    if len(stems) == 1:
        word = phrase[-1] if len(phrase) == 1 else stems[0]
        return _stems_variant(view, kind, closeness, " ".join(phrase), _word_stems(word), (word,))
    found = view.live
    for left, right in zip(stems, stems[1:], strict=False):
        found &= view.term("pairs", f"{left} {right}")
        if not found:
            return None
    variant = Variant(kind, closeness, " ".join(phrase), matched=found, terms=set(stems))
    for fieldname, _weight in _scored_fields():
        for text in stems:
            bits, twice, often = view.term_frequencies(fieldname, text)
            if bits & found:
                variant.units.append((fieldname, bits & found, twice & found, often & found))
    return variant


def _split_compound(view: View, word: str) -> tuple[str, str] | None:
    """A joined compound nobody wrote that way ("informatiehuishouding" where people wrote
    "informatie huishouding"): the split whose parts are both common words."""
    if len(word) < 8:
        return None
    best, best_score = None, 0
    for cut in range(3, len(word) - 2):
        left, right = word[:cut], word[cut:]
        for head in (left, left[:-1] if left.endswith("s") else None):
            if not head or len(head) < 3:
                continue
            score = min(view.frequency("words", head), view.frequency("words", right))
            if score > best_score:
                best, best_score = (head, right), score
    return best


def _correction(view: View, word: str, allowed: int | None) -> str | None:
    """The known word closest to a misspelled one, when it finds something ``allowed``."""
    corrector = view.searcher.corrector("words")
    maxdist = 1 if len(word) <= 4 else 2
    for suggestion in corrector.suggest(word, limit=3, maxdist=maxdist, prefix=1):
        if allowed is None or view.term("words", suggestion) & allowed:
            return suggestion
    return None


def clause_group(view: View, clause: Clause, allowed: int | None = None) -> Group:
    """Every way one clause matches, with its synonyms."""
    group = Group(" ".join(clause.words), stems=stem_key(clause.words))
    if clause.phrase:
        variant = _phrase_variant(view, clause.words, "word", 1.0)
        if variant is not None:
            group.variants.append(variant)
        if clause.loose:  # typed without quotes: all the words anywhere match too
            every = view.live
            loose = Variant("word", 1.0, group.typed, terms=set(stem_key(clause.words)))
            for word in clause.words:
                if not is_stop_word(word):
                    parts = _word_variants(view, word)[:1]
                    every &= parts[0].matched if parts else 0
                    for part in parts:
                        loose.units.extend(part.units)
            loose.matched = every
            if every:
                group.variants.append(loose)
    elif clause.prefix:
        variant = _prefix_variant(view, clause.words[0])
        exact = _word_variants(view, clause.words[0])[:1]
        group.variants.extend(exact + ([variant] if variant else []))
    else:
        word = clause.words[0]
        group.variants.extend(_word_variants(view, word))
        group.variants.extend(_synonym_variants(view, clause.words, 1.0))
        if not any(allowed is None or v.matched & allowed for v in group.variants):
            group.variants = _unknown_word_variants(view, word, allowed)
        return group
    group.variants.extend(_synonym_variants(view, clause.words, 1.0))
    for variant in list(group.variants):
        if variant.kind == "prefix" and variant.label:
            group.variants.extend(_synonym_variants(view, (variant.label,), variant.closeness))
    return group


def _synonym_variants(view: View, phrase: tuple[str, ...], closeness: float) -> list[Variant]:
    found = []
    for other in synonyms(phrase):
        variant = _phrase_variant(view, other, "synonym", SYNONYM_WEIGHT * closeness)
        if variant is not None and variant.matched:
            found.append(variant)
    return found


def _unknown_word_variants(view: View, word: str, allowed: int | None) -> list[Variant]:
    """A word that finds nothing the viewer may read: a compound written apart elsewhere
    ("opensource" for "open source"), else a half word (a prefix), else a misspelling."""
    split = _split_compound(view, word)
    if split:
        variant = _phrase_variant(view, split, "word", 1.0)
        parts = [_word_variants(view, part)[:1] for part in split]
        if variant is None and all(parts):
            variant = Variant("word", 1.0, " ".join(split), terms=set(stem_key(split)))
            variant.matched = parts[0][0].matched & parts[1][0].matched
            variant.units = parts[0][0].units + parts[1][0].units
        if variant is not None and (allowed is None or variant.matched & allowed):
            return [variant]
    if len(word) >= 4:
        variant = _prefix_variant(view, word, PREFIX_WEIGHT)  # a half word, submitted
        if variant is not None and (allowed is None or variant.matched & allowed):
            return [variant, *_synonym_variants(view, (variant.label,), PREFIX_WEIGHT)]
    suggestion = _correction(view, word, allowed)
    if not suggestion:
        return []
    found = []
    for variant in _word_variants(view, suggestion):
        variant.kind, variant.label = "correction", suggestion
        variant.closeness *= CORRECTION_WEIGHT
        found.append(variant)
    return found + _synonym_variants(view, (suggestion,), CORRECTION_WEIGHT)


def _thesaurus_groups(parsed: ParsedQuery) -> ParsedQuery:
    """Consecutive words that form a thesaurus phrase ("wet open overheid") become a phrase
    clause, so that its synonyms (Woo) apply."""
    limit = 4
    groups = parsed.groups
    result: list[list[Clause]] = []
    index = 0
    known = thesaurus_by_stem()
    while index < len(groups):
        matched = False
        for length in range(min(limit, len(groups) - index), 1, -1):
            window = groups[index : index + length]
            if all(len(g) == 1 and not g[0].phrase and not g[0].prefix for g in window):
                phrase = tuple(g[0].words[0] for g in window)
                if stem_key(phrase) in known:
                    result.append([Clause(phrase, phrase=True, loose=True)])
                    index += length
                    matched = True
                    break
        if not matched:
            result.append(groups[index])
            index += 1
    return ParsedQuery(result, parsed.negated, parsed.explicit_and)


@dataclass
class Evaluation:
    matched: int  # documents that match enough groups and no negation (before permissions)
    groups: list[Group]
    proximity: list  # (documents with two query words next to each other, the two groups)
    any_group_empty: bool
    needed: int = 0  # how many groups a document had to match
    also: list[tuple[str, str]] = field(default_factory=list)  # (typed, also searched for)
    corrected: list[tuple[str, str]] = field(default_factory=list)  # (typed, corrected)
    required: list[int] = field(default_factory=list)  # what each required group matches
    within: int = 0  # the live documents that match no negated clause

    def loosened(self, needed: int) -> "Evaluation":
        """This query with documents that match ``needed`` of its required groups."""
        self.needed = needed
        # No words (filters only, or only NOT words): everything that is not excluded.
        self.matched = _at_least(self.required, needed) & self.within if self.required else 0
        if not self.groups:
            self.matched = self.within
        return self

    @property
    def scoring(self) -> bool:
        return any(variant.units for group in self.groups for variant in group.variants)


def minimum_match(count: int) -> int:
    """How many of a query's words (groups) a document needs: all of one or two, all but one
    of three or four, and from five on three fifths."""
    if count <= 2:
        return count
    if count <= 4:
        return count - 1
    return math.ceil(count * 0.6)


def _at_least(values: list[int], needed: int) -> int:
    """The documents in at least ``needed`` of the bit sets ``values``."""
    if needed <= 0:
        return -1
    counts = [-1] + [0] * needed  # counts[k]: in at least k of the sets seen so far
    for value in values:
        for k in range(needed, 0, -1):
            counts[k] |= counts[k - 1] & value
    return counts[needed]


def evaluate(
    view: View,
    parsed: ParsedQuery,
    match_all: bool = True,
    allowed: int | None = None,
    needed: int | None = None,
) -> Evaluation:
    """What the query matches and how to rank it. A document must match ``needed`` of the
    query's groups (all with AND or ``match_all`` and one or two words; most of them
    otherwise; one when ``match_all`` is False)."""
    parsed = _thesaurus_groups(parsed)
    groups = [_union_group(view, group, allowed) for group in parsed.groups]
    # Two words that are one word elsewhere ("open source" / "opensource", "informatie
    # huishouding" / "informatiehuishouding"): documents with the joined word match too.
    for position in range(len(parsed.groups) - 1):
        first, second = parsed.groups[position], parsed.groups[position + 1]
        if len(first) == 1 == len(second) and not first[0].phrase and not second[0].phrase:
            joined = first[0].words[0] + second[0].words[0]
            if view.frequency("words", joined):
                for variant in _word_variants(view, joined)[:1]:
                    groups[position].variants.append(variant)
                    groups[position + 1].variants.append(
                        Variant("word", 0.0, variant.label, matched=variant.matched)
                    )
    for group in groups:
        group.optional = group.typed in QUERY_FILLERS
    if all(group.optional for group in groups):
        for group in groups:
            group.optional = False
    values = [group.matched for group in groups if not group.optional]
    if needed is None:
        if parsed.explicit_and:
            needed = len(values)
        elif match_all:
            needed = minimum_match(len(values))
        else:
            needed = min(1, len(values))
    excluded = 0
    for clause in parsed.negated:
        excluded |= _union_group(view, [clause], None).matched
    also, corrected = [], []
    for group in groups:
        for variant in group.variants:
            shown = (group.typed, variant.label)
            visible = allowed is None or variant.matched & allowed
            if variant.kind in ("synonym", "correction") and visible and shown not in also:
                also.append(shown)
            if variant.kind == "correction" and visible and shown not in corrected:
                corrected.append(shown)
    evaluation = Evaluation(
        0,
        groups,
        _proximity(view, groups),
        any(not value for value in values),
        needed,
        also,
        corrected,
        values,
        view.live & ~excluded,
    )
    return evaluation.loosened(needed)


def _union_group(view: View, clauses: list[Clause], allowed: int | None) -> Group:
    groups = [clause_group(view, clause, allowed) for clause in clauses]
    merged = Group(" ".join(g.typed for g in groups), stems=groups[0].stems if groups else ())
    for group in groups:
        merged.variants.extend(group.variants)
    return merged


def _proximity(view: View, groups: list[Group]) -> list[tuple[int, str, str]]:
    """Documents where two neighbouring words of the query stand next to each other."""
    found = []
    for first, second in zip(groups, groups[1:], strict=False):
        if first.stems and second.stems:
            left, right = first.stems[-1], second.stems[0]
            bits = view.term("pairs", f"{left} {right}") | view.term("pairs", f"{right} {left}")
            if bits:
                found.append((bits, first, second))
    return found


def access_bits(view: View, tokens: set[str]) -> int:
    value = 0
    for token in tokens:
        value |= view.term("access", token)
    return value


def filter_bits(view: View, filters: dict[str, str]) -> dict[str, int]:
    """Each active facet filter as a bit set."""
    result = {}
    for name, wanted in filters.items():
        if wanted:
            result[name] = view.term(name, str(wanted))
    return result


def facet_counts(view: View, base: int, filters: dict[str, int]) -> dict[str, dict[str, int]]:
    """Per facet, per value: how many of ``base`` (matching and allowed) also pass every other
    active filter — so choosing a value shows how many results it leaves."""
    counts = {}
    for name in FACET_FIELDS:
        scope = base
        for other, bits in filters.items():
            if other != name:
                scope &= bits
        values = {}
        if scope:
            for value in view.field_values(name):
                count = (scope & view.term(name, value)).bit_count()
                if count:
                    values[value] = count
        counts[name] = values
    return counts


def rank(view: View, evaluation: Evaluation, allowed: int, limit: int, by_date: bool) -> list:
    """The first ``limit`` documents of ``allowed`` (already filtered), best or newest first:
    [(docnum, stored fields)]."""
    if not allowed:
        return []
    if by_date or not evaluation.scoring:
        found = _newest(view, allowed, limit)
    else:
        found = _best(view, evaluation, allowed, limit)
    return [(d, view.searcher.stored_fields(d)) for d in found]


def _newest(view: View, allowed: int, limit: int) -> list[int]:
    """The ``limit`` newest documents of ``allowed``. A small set is sorted; a big one is
    found by walking the documents newest first and keeping those in the set, which stops
    after about ``limit`` ÷ (the set's share of the index) steps."""
    if allowed.bit_count() <= 4 * limit + 64:
        values = view.created_values()
        return sorted(ids_of(allowed), key=lambda d: (-values[d], -d))[:limit]
    data = allowed.to_bytes((allowed.bit_length() + 7) // 8, "little")
    size = len(data)
    found: list[int] = []
    for docnum in view.recency_order():
        index = docnum >> 3
        if index < size and data[index] >> (docnum & 7) & 1:
            found.append(docnum)
            if len(found) == limit:
                break
    return found


def _idf(view: View, matched: int) -> float:
    frequency = matched.bit_count()
    return math.log(1 + (view.size - frequency + 0.5) / (frequency + 0.5))


@dataclass
class _Unit:
    group: int
    variant: int  # a group scores its best variant (the word itself, a form, a synonym, …)
    fieldname: str
    bits: int
    twice: int
    often: int
    weight: float  # field weight × idf × closeness


def _units(view: View, evaluation: Evaluation) -> list[_Unit]:
    units = []
    for number, group in enumerate(evaluation.groups):
        for index, variant in enumerate(group.variants):
            if not variant.units or not variant.closeness:
                continue
            idf = _idf(view, variant.matched)
            for fieldname, bits, twice, often in variant.units:
                weight = FIELD_WEIGHTS[fieldname] * idf * variant.closeness
                units.append(_Unit(number, index, fieldname, bits, twice, often, weight))
    return units


def _coarse(units: list[_Unit], extra: list[tuple[int, float]], allowed: int, limit: int):
    """The ``limit`` best of ``allowed`` by a coarse score (presence and frequent presence of
    each unit), by bit-sliced sums: slice j holds bit j of every document's score, built with
    big-integer adds, and the top is found slice by slice from the highest (O'Neil & Quass)
    without visiting documents. Returns (sure: better than the rest, ties: to pick from)."""
    scoring = []
    for unit in units:
        scoring.append((unit.bits, unit.weight))
        if unit.twice:
            scoring.append((unit.twice, unit.weight * 0.4))
    scoring.extend(extra)
    slices: list[int] = []
    for bits, weight in scoring:
        bits &= allowed
        value = max(1, round(SCORE_SCALE * weight))
        if not bits:
            continue
        for j in range(value.bit_length()):
            if value >> j & 1:
                carry, position = bits, j
                while carry:
                    while position >= len(slices):
                        slices.append(0)
                    current = slices[position]
                    slices[position] = current ^ carry
                    carry &= current
                    position += 1
    greater, equal = 0, allowed
    for j in reversed(range(len(slices))):
        with_bit = greater | (equal & slices[j])
        count = with_bit.bit_count()
        if count > limit:
            equal &= slices[j]
        elif count < limit:
            greater = with_bit
            equal &= ~slices[j]
        else:
            greater, equal = with_bit, 0
            break
    return greater, equal


class _Members:
    """Membership tests of many documents in one bit set, through its bytes."""

    def __init__(self, value: int, within: int):
        value &= within
        self.empty = not value
        self.data = b"" if self.empty else value.to_bytes((value.bit_length() + 7) // 8, "little")

    def __contains__(self, docnum: int) -> bool:
        index = docnum >> 3
        return index < len(self.data) and self.data[index] >> (docnum & 7) & 1 == 1


def _best(view: View, evaluation: Evaluation, allowed: int, limit: int) -> list[int]:
    """The best ``limit`` of ``allowed``: a coarse bit-sliced score picks the candidates, then
    each candidate gets its BM25F score: per field, term frequency (in buckets) and field
    length against the field's average, times the field's weight and the word's rarity; words
    next to each other as typed count extra; a document with fewer of the query's words
    counts less; members below knowledge unless their name matched; newer a little higher."""
    units = _units(view, evaluation)
    if not units:
        return _newest(view, allowed, limit)
    groups = len(evaluation.groups)
    coverage = []
    for number, group in enumerate(evaluation.groups):
        best = max((u.weight for u in units if u.group == number), default=0.0)
        coverage.append((group.matched, best * 0.5))
    proximity = []
    for bits, first, second in evaluation.proximity:
        weight = min(_idf(view, first.matched), _idf(view, second.matched))
        proximity.append((bits, PROXIMITY * FIELD_WEIGHTS["body"] * weight))
    pool = min(max(RERANK, 2 * limit), 1000)
    sure, ties = _coarse(units, coverage + proximity, allowed, pool)
    candidates = ids_of(sure)
    if len(candidates) < pool and ties:
        candidates += _newest(view, ties, pool - len(candidates))
    within = bits_of(candidates, view.size)
    reader = view.reader
    averages = {n: view.searcher.avg_field_length(n, 1.0) or 1.0 for n in FIELD_WEIGHTS}
    scores = dict.fromkeys(candidates, 0.0)
    seen = [dict.fromkeys(candidates, False) for _ in range(groups)]
    lengths: dict[tuple[int, str], int] = {}
    by_variant: dict[tuple[int, int], dict[int, float]] = {}
    for unit in units:
        present = _Members(unit.bits, within)
        if present.empty:
            continue
        twice, often = _Members(unit.twice, within), _Members(unit.often, within)
        average = averages[unit.fieldname]
        partial = by_variant.setdefault((unit.group, unit.variant), {})
        for docnum in candidates:
            if docnum not in present:
                continue
            key = (docnum, unit.fieldname)
            length = lengths.get(key)
            if length is None:
                length = lengths[key] = reader.doc_field_length(docnum, unit.fieldname, 1) or 1
            tf = TF_OFTEN if docnum in often else TF_TWICE if docnum in twice else TF_ONCE
            norm = K1 * ((1 - B) + B * length / average)
            partial[docnum] = partial.get(docnum, 0.0) + unit.weight * tf * (K1 + 1) / (tf + norm)
    for partial in by_variant.values():
        for docnum, value in partial.items():
            scores[docnum] += value
    for bits, weight in proximity:
        near = _Members(bits, within)
        if not near.empty:
            for docnum in candidates:
                if docnum in near:
                    scores[docnum] += weight
    for number, group in enumerate(evaluation.groups):
        matched = _Members(group.matched, within)
        for docnum in candidates:
            if docnum in matched:
                seen[number][docnum] = True
    members = _Members(view.term("kind", "member"), within)
    named = 0
    for unit in units:
        if unit.fieldname in NAME_FIELDS:
            named |= unit.bits
    named_members = _Members(named, within)
    created = view.created_values()
    now = view.newest_created()
    half_life = RECENCY_HALF_LIFE_DAYS * 86400
    required = [g for g in range(groups) if not evaluation.groups[g].optional]
    for docnum in candidates:
        share = sum(seen[g][docnum] for g in required) / len(required) if required else 1.0
        score = scores[docnum] * share**COVERAGE_POWER
        if docnum in members and docnum not in named_members:
            score *= PERSON_FACTOR
        age = max(0, now - created[docnum])
        scores[docnum] = score * (1 + RECENCY * 0.5 ** (age / half_life))
    ordered = sorted(candidates, key=lambda d: (-round(scores[d], 9), -created[d], -d))
    return ordered[:limit]


def highlight_terms(evaluation: Evaluation, view: View) -> set[str]:
    """The stems a snippet should mark: the query's words, their forms, synonyms, compounds
    and prefixes (the scored ones)."""
    terms = set()
    for group in evaluation.groups:
        for variant in group.variants:
            if variant.kind == "synonym" and " " in variant.label:
                continue  # "wet open overheid" for Woo would mark every "open"
            terms.update(variant.terms)
        terms.update(group.stems)
    return terms


#: For the PostgreSQL backend, which maps the same query language.
word_stems = _word_stems
thesaurus_groups = _thesaurus_groups
