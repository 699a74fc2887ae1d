"""Asking the index: the query language, permissions and facets as bit sets, ranking by Whoosh.

Why bit sets: Whoosh walks posting lists in Python, one document at a time. Counting all hits
(for "N resultaten") and counting facets that way costs as much as the query itself, several
times over. Here every term's documents become one Python integer used as a bit set, cached per
searcher (the index segments are immutable, so the cache is valid until the index changes).
AND, OR, NOT, the permission filter and each facet count are then a few big-integer operations.
Whoosh still does what it is good at: BM25F ranking, limited to the first page and to documents
in the final bit set, with its block-quality skipping.
"""

import math
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from flask import g, has_app_context
from whoosh.idsets import DocIdSet
from whoosh.matching.wrappers import FilterMatcher

from alliance.core.text import fold
from alliance.search.analysis import is_stop_word, stem, thesaurus, words
from alliance.search.index import SearchUnavailable, open_index
from alliance.search.schema import TEXT_FIELDS

#: Words of a query that are operators (upper case only: "en", "of", "niet" are stop words).
AND_WORDS = {"AND", "EN"}
OR_WORDS = {"OR", "OF"}
NOT_WORDS = {"NOT", "NIET"}
#: A typed prefix expands to at most this many words (the most frequent).
PREFIX_EXPANSIONS = 40
MIN_PREFIX = 2
FACET_FIELDS = ("kind", "themes", "status", "perspective", "year")
TERM_CACHE_SIZE = 2048
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
    found = []
    data = value.to_bytes((value.bit_length() + 7) // 8 or 1, "little")
    for index, byte in enumerate(data):
        if byte:
            base = index << 3
            for bit in range(8):
                if byte >> bit & 1:
                    found.append(base + bit)
    return found


def _leaf_ids(matcher) -> list[int]:
    """Every document number of one segment's posting list, a block at a time."""
    if isinstance(matcher, FilterMatcher):  # deleted documents: removed by the live set
        matcher = matcher.child
    ids: list[int] = []
    if not hasattr(matcher, "_read_ids"):
        return list(matcher.all_ids())
    while matcher.is_active():
        matcher._read_ids()
        ids.extend(matcher._ids)
        matcher._next_block()
    return ids


_segment_cache: OrderedDict = OrderedDict()
_segment_lock = threading.Lock()
SEGMENT_CACHE_SIZE = 8192


def _segment_key(folder: str, segment) -> tuple:
    """A segment, across indexes: each rebuild writes to a directory of its own (the random
    segment names alone repeat when something seeds ``random``, as Hypothesis does)."""
    return (folder, segment.segment_id())


def _segment_term(folder: str, leaf, fieldname: str, text: str) -> int:
    """One segment's documents with this term, as a bit set of its own document numbers.
    Segments never change once written (deletions are kept apart), so this is cached across
    index changes: a new post adds a small segment and leaves the big one's cache warm."""
    segment = leaf.segment()
    if segment is None:  # an empty index
        return 0
    key = (_segment_key(folder, segment), fieldname, text)
    with _segment_lock:
        found = _segment_cache.get(key)
        if found is not None:
            _segment_cache.move_to_end(key)
            return found
    if (fieldname, text) in leaf:
        value = bits_of(_leaf_ids(leaf.postings(fieldname, text)), leaf.doc_count_all())
    else:
        value = 0
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


class View:
    """One searcher (for one request) and the bit sets computed on it. Views of the same
    index state share their sets; the per-segment sets underneath outlive every view."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.folder = str(searcher._ix.storage.folder)
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        self.leaves = list(self.reader.leaf_readers())
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
        key = (fieldname, text)
        with self._lock:
            found = self._terms.get(key)
            if found is not None:
                self._terms.move_to_end(key)
                return found
        value = 0
        for leaf, offset in self.leaves:
            local = _segment_term(self.folder, leaf, fieldname, text)
            if local:
                value |= local << offset
        value &= self.live
        with self._lock:
            self._terms[key] = value
            if len(self._terms) > TERM_CACHE_SIZE:
                self._terms.popitem(last=False)
        return value

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
    try:
        searcher = ix.searcher()
    except Exception as error:
        raise SearchUnavailable(str(error)) from error
    holder.search_view = View(searcher)
    return holder.search_view


def forget_views(_error=None) -> None:
    """Close this request's (or thread's) view; runs when each app context ends."""
    holder = _holder()
    view = getattr(holder, "search_view", None)
    if view is not None:
        holder.search_view = None
        view.searcher.close()


# ---------------------------------------------------------------------------------------------
# From clauses to bit sets (what matches) and to a Whoosh query (how well)


def _weighted(view: View, bits: int, boost: float) -> tuple[int, int]:
    """A term's documents and what matching it is worth: the field's weight times the term's
    rarity (idf), as an integer for the bit-sliced scores."""
    frequency = bits.bit_count() or 1
    return bits, max(1, round(SCORE_SCALE * boost * math.log(1 + view.size / frequency)))


def _word_units(view: View, word: str, prefix: bool) -> tuple[int, list]:
    """The documents with this word in any text field, and the scoring terms for it. The
    Snowball stemmer treats a plural -s unevenly ("persoonsgegevens" → persoonsgegeven,
    "persoonsgegeven" → persoonsgegev), so the word with and without a final s is asked too."""
    stems = {stem(word)}
    if len(word) > 4:
        stems.add(stem(word[:-1]) if word.endswith("s") else stem(word + "s"))
    value = 0
    scoring = []
    for fieldname, boost in {**TEXT_FIELDS, "offers": 1.5}.items():
        bits = 0
        for text in [word] if fieldname == "people" else stems:
            bits |= view.term(fieldname, text)
        if bits:
            value |= bits
            scoring.append(_weighted(view, bits, boost))
    if prefix:
        for fieldname in ("words", "people"):
            for rank_, text in enumerate(view.prefix_terms(fieldname, word)):
                bits = view.term(fieldname, text)
                value |= bits
                if rank_ >= SCORED_EXPANSIONS:
                    continue
                if fieldname == "words":
                    stem_of = stem(text)
                    for name, boost in TEXT_FIELDS.items():
                        if name != "people" and (more := view.term(name, stem_of)):
                            scoring.append(_weighted(view, more, boost * 0.8))
                else:
                    scoring.append(_weighted(view, bits, 1.5))
    return value, scoring


def _phrase_units(view: View, phrase: tuple[str, ...]) -> tuple[int, list]:
    """Documents with the words next to each other (stop words do not count, as in the
    index): every neighbouring pair of the phrase is a term of the "pairs" field. Longer
    phrases need all their pairs, which in practice means the phrase. Ranked by the words'
    own terms in the documents found."""
    stems = [stem(w) for w in phrase if not is_stop_word(w)]
    if not stems:
        return 0, []
    if len(stems) == 1:
        return _word_units(view, phrase[-1] if len(phrase) == 1 else stems[0], False)
    found = view.live
    for left, right in zip(stems, stems[1:], strict=False):
        found &= view.term("pairs", f"{left} {right}")
        if not found:
            return 0, []
    scoring = []
    for fieldname, boost in {**TEXT_FIELDS, "offers": 1.5}.items():
        if fieldname == "people":
            continue
        for text in stems:
            if bits := view.term(fieldname, text) & found:
                scoring.append(_weighted(view, bits, boost))
    return found, scoring


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


def clause_units(view: View, clause: Clause, synonyms: bool = True) -> tuple[int, list]:
    """What one clause matches, with its synonyms, and the Whoosh terms that score it."""
    if clause.phrase:
        value, scoring = _phrase_units(view, clause.words)
        if clause.loose:
            every = view.live
            for word in clause.words:
                if not is_stop_word(word):
                    bits, terms = _word_units(view, word, False)
                    every &= bits
                    scoring.extend(terms)
            value |= every
    else:
        word = clause.words[0]
        value, scoring = _word_units(view, word, clause.prefix)
        if not value and not clause.prefix:
            split = _split_compound(view, word)
            if split:
                left, right = (_word_units(view, part, False) for part in split)
                value, scoring = left[0] & right[0], left[1] + right[1]
    if synonyms:
        for other in thesaurus().get(clause.words, []):
            extra = Clause(other, phrase=len(other) > 1)
            more, more_scoring = clause_units(view, extra, synonyms=False)
            value |= more
            scoring.extend(more_scoring)
    return value, scoring


def _thesaurus_groups(parsed: ParsedQuery) -> ParsedQuery:
    """Consecutive words that form a thesaurus phrase ("wet open overheid") become a phrase
    clause, so that its synonyms (Woo) apply."""
    limit = 4
    groups = parsed.groups
    result: list[list[Clause]] = []
    index = 0
    known = thesaurus()
    while index < len(groups):
        matched = False
        for length in range(min(limit, len(groups) - index), 1, -1):
            window = groups[index : index + length]
            if all(len(g) == 1 and not g[0].phrase for g in window):
                phrase = tuple(g[0].words[0] for g in window)
                if phrase in known:
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
    matched: int  # documents that match every group and no negation (before permissions)
    scoring: list  # (documents, weight) pairs that rank them
    any_group_empty: bool


def evaluate(view: View, parsed: ParsedQuery, match_all: bool = True) -> Evaluation:
    parsed = _thesaurus_groups(parsed)
    matched = view.live
    union = 0
    scoring: list = []
    empty = False
    group_values = []
    for group in parsed.groups:
        value = 0
        for clause in group:
            bits, terms = clause_units(view, clause)
            value |= bits
            scoring.extend(terms)
        group_values.append(value)
        empty = empty or not value
    # Two words that are one word elsewhere ("open source" / "opensource", "informatie
    # huishouding" / "informatiehuishouding"): documents with the joined word match too.
    for position in range(len(parsed.groups) - 1):
        first, second = parsed.groups[position], parsed.groups[position + 1]
        if len(first) == 1 == len(second) and not first[0].phrase and not second[0].phrase:
            joined = first[0].words[0] + second[0].words[0]
            if view.frequency("words", joined):
                bits, terms = _word_units(view, joined, False)
                group_values[position] |= bits
                group_values[position + 1] |= bits
                scoring.extend(terms)
    for value in group_values:
        if match_all:
            matched &= value
        union |= value
    if not match_all:
        matched &= union
    for clause in parsed.negated:
        matched &= ~clause_units(view, clause)[0]
    return Evaluation(matched & view.live, scoring, empty)


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
        found = _best(view, evaluation.scoring, allowed, limit)
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


def _best(view: View, scoring: list[tuple[int, int]], allowed: int, limit: int) -> list[int]:
    """Ranking by bit-sliced scores. Each document's score is the sum of the weights of the
    (term, field) pairs it matches: title over body, rare words over common ones, more of the
    query's words over fewer. The scores of every document at once are kept as bit slices
    (slice j holds bit j of each score), built with big-integer adds; the top ``limit`` are then
    found slice by slice from the highest (O'Neil & Quass), without visiting documents. Whoosh's
    own BM25F walks every posting in Python: seconds for common words at 100,000 documents."""
    slices: list[int] = []
    for bits, weight in scoring:
        bits &= allowed
        if not bits:
            continue
        for j in range(weight.bit_length()):
            if weight >> j & 1:
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

    def score(docnum: int) -> int:
        return sum(1 << j for j, bits in enumerate(slices) if bits >> docnum & 1)

    recency = {d: r for r, d in enumerate(_newest(view, greater | equal, limit * 4))}
    top = sorted(ids_of(greater), key=lambda d: (-score(d), recency.get(d, len(recency))))
    if len(top) < limit and equal:
        top += _newest(view, equal, limit - len(top))  # ties: the newest first
    return top[:limit]


def corrections(view: View, parsed: ParsedQuery) -> list[Clause] | None:
    """The query with each unknown word replaced by the closest known word, or None."""
    corrector = view.searcher.corrector("words")
    changed = False
    clauses = []
    for clause in parsed.clauses():
        if clause.phrase or clause.prefix:
            clauses.append(clause)
            continue
        word = clause.words[0]
        if view.frequency("words", word) or thesaurus().get(clause.words):
            clauses.append(clause)
            continue
        maxdist = 1 if len(word) <= 4 else 2
        suggestions = corrector.suggest(word, limit=1, maxdist=maxdist, prefix=1)
        if suggestions:
            clauses.append(Clause((suggestions[0],)))
            changed = True
        else:
            clauses.append(clause)
    return clauses if changed else None


def highlight_terms(parsed: ParsedQuery, view: View) -> set[str]:
    """The stems a snippet should mark: the query's words, their synonyms and prefixes."""
    terms = set()
    for clause in _thesaurus_groups(parsed).clauses():
        terms.update(stem(w) for w in clause.words if not is_stop_word(w))
        # Synonyms of one word only: the words of a phrase one did not type ("wet open
        # overheid" for Woo) would mark every "open" and "over" in the text.
        for synonym in thesaurus().get(clause.words, []):
            if len(synonym) == 1:
                terms.add(stem(synonym[0]))
        if clause.prefix:
            terms.update(stem(w) for w in view.prefix_terms("words", clause.words[0])[:10])
    return terms
