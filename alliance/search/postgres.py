"""Search on PostgreSQL (``SEARCH_BACKEND = "postgresql"``): the second implementation of what
``index`` and ``engine`` do for Whoosh, behind the same ``services``.

- **Documents**: ``search_document`` rows (``models.SearchDocument``), made by the same
  ``documents.load`` as the Whoosh index, written in the transaction of the change itself:
  ``signals.content_changed`` marks the thing, and just before that transaction commits its
  documents are replaced (no outbox, nothing to drain; a rollback leaves nothing behind).
- **Words**: a ``tsvector`` in the ``alliance_dutch`` configuration (``dutch`` with
  ``unaccent``; migration 0018), weighted per field: title A; tags, *Ik bied* and lessons B;
  the text C; replies, names and labels D. GIN indexes on the words and on ``access``.
- **Queries**: ``engine.parse`` (the one query language: EN/OF/NIET, "phrases", -word, a prefix
  while typing) mapped onto ``tsquery``; each word also finds its other forms and, at query
  time, the thesaurus's synonyms; "most of the words" as Whoosh does; a half word that finds
  nothing as a prefix.
- **Who may see**: ``access && :tokens`` with ``knowledge.access.search_tokens`` (the one
  rule), and ``services`` checks every row shown again, as with Whoosh.
- **Ranking**: ``ts_rank_cd`` with our field weights, times the share of the words found,
  half for a person whose name did not match, and a little for recency.
- **Facets**: grouped counts in one statement; **highlights**: ``ts_headline`` on the page's
  rows only, on a short window of the text, bounded by MaxFragments/MaxWords.
"""

import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

from flask import current_app
from markupsafe import Markup, escape
from sqlalchemy import delete, event, func, select, text

from alliance.core.text import fold
from alliance.extensions import db
from alliance.knowledge.access import VISITOR_TOKENS
from alliance.search import documents
from alliance.search.analysis import (
    PART_BREAK,
    QUERY_FILLERS,
    index_terms,
    is_stop_word,
    pair_terms,
    stem_key,
    synonyms,
    verb_variants,
    vocabulary_terms,
)
from alliance.search.engine import (
    Clause,
    ParsedQuery,
    minimum_match,
    thesaurus_groups,
    word_stems,
)
from alliance.search.models import SearchDocument, SearchWord

CONFIG = "alliance_dutch"
#: ts_rank_cd's weights for D, C, B, A.
WEIGHTS = "{0.1, 0.25, 0.5, 1.0}"
#: Between two parts that must not form a phrase together (two replies): stop words, which
#: take positions but are no words of the vector.
GAP = "\n en en en \n"
#: The window of text ``ts_headline`` reads (it parses and stems every word it is given).
EXCERPT_CHARS = 800
HEADLINE = (
    'MaxFragments=2, MaxWords=22, MinWords=8, ShortWord=2, FragmentDelimiter=" … ", '
    "StartSel=\ue000, StopSel=\ue001"
)
TITLE_HEADLINE = "HighlightAll=true, StartSel=\ue000, StopSel=\ue001"
MARK_START, MARK_STOP = "\ue000", "\ue001"
#: Recency: at most this much on top, halving every this many days (as ``engine``).
RECENCY = 0.06
RECENCY_HALF_LIFE_DAYS = 365
PERSON_FACTOR = 0.5
#: What synonyms, corrections and half words count beside the words as typed (engine has 0.45
#: for a synonym).
OTHER_WORDS = 0.45
COVERAGE_POWER = 2
MIN_HALF_WORD = 4
#: Compounds a word is looked for in (as ``engine``): parts of at least this length, linked so.
COMPOUNDS = 30
MIN_COMPOUND_PART = 4
LONG_PART = 6
LINKS = ("s", "en", "e", "")
#: Words longer than this are not kept in the vocabulary.
LONGEST_WORD = 40
#: With more hits than this, the exact score is computed for a pool of candidates only, of
#: this size (see ``_ranked``).
RANK_ALL = 200
RERANK = 100
RANK_WINDOW = 600
#: Whether a word finds anything is asked of this many newest documents before the index.
NEWEST_FIRST = 100
#: With fewer hits than this for most of the words, results with fewer of them follow.
RELAX_BELOW = 10
#: The sample that large result sets are counted on (see ``_counts``): one document in 20,
#: in runs of 64 neighbouring rows, with a GIN index of its own (migration 0020).
SAMPLE_SHARE = 20
SAMPLE = f"(id / 64) % {SAMPLE_SHARE} = 0"
SAMPLED_ENOUGH = 50
PENDING = "search_pending"
FACETS = ("kind", "themes", "status", "perspective", "year")


def enabled() -> bool:
    """Whether this app searches with PostgreSQL."""
    return current_app.config.get("SEARCH_BACKEND") == "postgresql"


# ---------------------------------------------------------------------------------------------
# Writing: in the transaction of the change


def mark_changed(kind: str, ref_id: int) -> None:
    """Write the documents of ``kind``/``ref_id`` again just before this transaction commits
    (also for a deletion: none are found, the old ones are removed)."""
    if kind not in documents.kinds():
        raise ValueError(f"unknown search document kind {kind!r}")
    db.session.info.setdefault(PENDING, set()).add((kind, ref_id))


def _write_pending(session) -> None:
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    by_kind: dict[str, list[int]] = {}
    for kind, ref_id in pending:
        by_kind.setdefault(kind, []).append(ref_id)
    for kind, ids in by_kind.items():
        write(kind, sorted(ids))


def _forget_pending(session, *_args) -> None:
    session.info.pop(PENDING, None)


def configure_session_events() -> None:
    """Pending documents are written in ``before_commit`` (inside the transaction) and
    forgotten on a rollback."""
    if not event.contains(db.session, "before_commit", _write_pending):
        event.listen(db.session, "before_commit", _write_pending)
        event.listen(db.session, "after_soft_rollback", _forget_pending)


def _row(doc) -> dict:
    """A document as the parameters of one insert: its facets, a window of its text for
    highlights, and the text of each weight (folded here, so that the words do not depend on
    ``unaccent`` being installed)."""

    def joined(*parts: str) -> str:
        return GAP.join(part.replace(PART_BREAK, GAP) for part in parts if part)

    excerpt = "\n".join(
        part
        for part in (doc.body, doc.lesson, doc.offers, doc.replies.replace(PART_BREAK, "\n"))
        if part
    )[:EXCERPT_CHARS]
    return {
        "owner": doc.owner,
        "kind": doc.kind,
        "ref": doc.ref,
        "access": list(doc.access),
        "themes": [int(theme) for theme in doc.themes],
        "status": doc.status or "",
        "perspective": doc.perspective or "",
        "year": str(doc.created.year),
        "created": doc.created,
        "title": doc.title or "",
        "excerpt": excerpt.replace(MARK_START, "").replace(MARK_STOP, ""),
        "a": fold(doc.title or ""),
        "b": fold(joined(doc.tags, doc.offers, doc.lesson)),
        "c": fold(doc.body or ""),
        "d": fold(joined(doc.replies, doc.people, doc.labels)),
        # Neighbouring words as one lexeme each ("open overheid", with a space no word has):
        # a phrase is found by its pairs in the GIN index, without reading positions.
        "pairs": sorted(set(pair_terms(doc.pairs_text))),
    }


_INSERT = text(
    "INSERT INTO search_document (owner, kind, ref, access, themes, status, perspective, year,"
    " created, title, excerpt, head, vector) SELECT :owner, :kind, :ref, :access, :themes,"
    " :status, :perspective, :year, :created, :title, :excerpt, head,"
    f" head || setweight(to_tsvector('{CONFIG}', :c), 'C')"
    f" || setweight(to_tsvector('{CONFIG}', :d), 'D')"
    " || array_to_tsvector(CAST(:pairs AS text[]))"
    f" FROM (SELECT setweight(to_tsvector('{CONFIG}', :a), 'A')"
    f" || setweight(to_tsvector('{CONFIG}', :b), 'B') AS head) AS words"
)


def write(kind: str, ids: list[int]) -> int:
    """Replace the documents of these things with their current ones; returns how many
    documents were written."""
    loaded = documents.load(kind, ids)
    owners = [documents.owner(kind, ref_id) for ref_id in ids]
    db.session.execute(delete(SearchDocument).where(SearchDocument.owner.in_(owners)))
    docs = [doc for found in loaded.values() for doc in found]
    if docs:
        db.session.execute(_INSERT, [_row(doc) for doc in docs])
        _add_words(_words(docs))
    return len(docs)


def _words(docs) -> set[str]:
    found = set()
    for doc in docs:
        for part in (doc.title, doc.tags, doc.body, doc.lesson, doc.replies, doc.people):
            found.update(vocabulary_terms(part or ""))
        found.update(vocabulary_terms(doc.offers or ""))
    return {word for word in found if len(word) <= LONGEST_WORD}


def _add_words(words: set[str]) -> None:
    """New words into the vocabulary, in sorted order (two transactions adding the same new
    words wait for each other instead of deadlocking)."""
    if words:
        added = db.session.execute(
            text(
                "INSERT INTO search_word (word) SELECT unnest(CAST(:words AS varchar[]))"
                " ON CONFLICT DO NOTHING RETURNING word"
            ),
            {"words": sorted(words)},
        ).first()
        if added is not None:
            _compounds_kept.clear()


def rebuild(progress: Callable[[str, int, int], None] | None = None) -> int:
    """Every document again from the database, in one transaction: searches see the old
    documents until it commits, then the new ones (nothing half-built is ever seen)."""
    progress = progress or (lambda kind, done, total: None)
    added = 0
    db.session.execute(delete(SearchDocument))
    db.session.execute(delete(SearchWord))
    words: set[str] = set()
    for kind in documents.kinds():
        total, done = documents.count(kind), 0
        progress(kind, 0, total)
        for ids in documents.all_ids(kind):
            docs = [doc for found in documents.load(kind, ids).values() for doc in found]
            if docs:
                db.session.execute(_INSERT, [_row(doc) for doc in docs])
                words |= _words(docs)
            done += len(ids)
            added += len(ids)
            progress(kind, done, total)
    ordered = sorted(words)
    for start in range(0, len(ordered), 10_000):
        _add_words(set(ordered[start : start + 10_000]))
    db.session.commit()
    # The old documents are dead rows now, still in every index: a search would visit them
    # (about half as fast, until autovacuum came by). VACUUM cannot run in a transaction.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM (ANALYZE) search_document"))
        connection.execute(text("VACUUM (ANALYZE) search_word"))
    return added


def status() -> dict:
    """Documents in the table, and the newest of them."""
    count, newest = db.session.execute(
        select(func.count(SearchDocument.id), func.max(SearchDocument.created))
    ).one()
    db.session.rollback()
    return {"documents": count, "newest": newest}


def check() -> None:
    """For the health check: the table answers."""
    db.session.execute(select(SearchDocument.id).limit(1)).all()


# ---------------------------------------------------------------------------------------------
# From our query language to tsquery


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("'", "''").replace("\\", "\\\\") + "'"


_FUNCTIONS = {
    "w": f"plainto_tsquery('{CONFIG}', value)",
    "p": f"phraseto_tsquery('{CONFIG}', value)",
    "x": f"to_tsquery('{CONFIG}', value)",
}
_normal_forms: dict[tuple[str, str], str] = {}


def _normalize_all(kind: str, values) -> list[str]:
    """Words (``w``), phrases (``p``, to highlight) or prefixes (``x``) as tsqueries of the Dutch
    configuration (their stems), as text; empty for stop words only. Asked in one statement
    for what is not known yet, then kept (the configuration does not change)."""
    values = list(values)
    missing = list(dict.fromkeys(v for v in values if (kind, v) not in _normal_forms))
    if missing:
        sent = [_quote(v) + ":*" if kind == "x" else v for v in missing]
        rows = db.session.execute(
            text(
                f"SELECT CAST({_FUNCTIONS[kind]} AS text)"
                " FROM unnest(CAST(:values AS text[])) WITH ORDINALITY AS u(value, n) ORDER BY n"
            ),
            {"values": sent},
        ).scalars()
        if len(_normal_forms) > 50_000:
            _normal_forms.clear()
        for value, normal in zip(missing, rows, strict=True):
            _normal_forms[(kind, value)] = normal or ""
    return [_normal_forms[(kind, v)] for v in values]


def _normalized(kind: str, value: str) -> str:
    return _normalize_all(kind, [value])[0]


# The vocabulary (``search_word``): corrections and compounds


@lru_cache(maxsize=1)
def _trigram_schema() -> str | None:
    """The schema of ``pg_trgm`` (its operators are named with it: the tests' search path
    holds only their own schema), or None without it."""
    return db.session.execute(
        text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'pg_trgm'"
        )
    ).scalar()


def _known_words(candidates: list[str]) -> set[str]:
    if not candidates:
        return set()
    return set(
        db.session.execute(
            text("SELECT word FROM search_word WHERE word = ANY(CAST(:words AS varchar[]))"),
            {"words": sorted(set(candidates))},
        ).scalars()
    )


def _edits(a: str, b: str) -> int:
    """The Levenshtein distance of two short words."""
    previous = list(range(len(b) + 1))
    for i, left in enumerate(a, 1):
        current = [i]
        for j, right in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left != right))
            )
        previous = current
    return previous[-1]


def _corrections(word: str, typo_only: bool) -> list[str]:
    """Written words one or two typos from ``word`` (one for short words), the closest first;
    with ``typo_only``, not those that differ only at the end (another form of the word, which
    the stemmer finds already)."""
    schema = _trigram_schema()
    if schema is None or len(word) < 3:
        return []
    limit = 1 if len(word) <= 4 else 2
    rows = db.session.execute(
        text(
            f'SELECT word FROM search_word WHERE word OPERATOR("{schema}".%) :word'
            f' ORDER BY "{schema}".similarity(word, :word) DESC, word LIMIT 8'
        ),
        {"word": word},
    ).scalars()
    found = []
    for candidate in rows:
        if candidate == word or candidate[0] != word[0] or _edits(candidate, word) > limit:
            continue
        same = len(_common_prefix(candidate, word))
        if typo_only and same >= min(len(candidate), len(word)) - 3:
            continue
        found.append(candidate)
    return found[:3]


def _common_prefix(a: str, b: str) -> str:
    size = 0
    while size < min(len(a), len(b)) and a[size] == b[size]:
        size += 1
    return a[:size]


#: How long the compounds of a word are kept. The vocabulary only grows: this process forgets
#: them when it adds a word; a word added by another server is a compound part here within
#: this many seconds.
COMPOUNDS_KEPT_S = 60.0
_compounds_kept: dict[tuple[int, str], tuple[float, list[str]]] = {}


def _compounds(word: str) -> list[str]:
    """``_written_compounds``, kept a while (two statements a word, every search)."""
    key, now = (id(db.engine), word), time.monotonic()
    kept = _compounds_kept.get(key)
    if kept is not None and now - kept[0] < COMPOUNDS_KEPT_S:
        return kept[1]
    found = _written_compounds(word)
    if len(_compounds_kept) > 20_000:
        _compounds_kept.clear()
    _compounds_kept[key] = (now, found)
    return found


def _written_compounds(word: str) -> list[str]:
    """Written compounds that end or start with ``word`` where the rest is a word too (with a
    linking s, e or en): "bestuursoverleg" and "overlegtafel" for "overleg" (as ``engine``)."""
    schema = _trigram_schema()
    if schema is None or len(word) < MIN_COMPOUND_PART:
        return []
    pattern = word.replace("\\", "").replace("%", "").replace("_", "\\_")
    rows = db.session.execute(
        text(
            "(SELECT word FROM search_word WHERE word LIKE :ending AND word <> :word LIMIT 200)"
            " UNION ALL"
            " (SELECT word FROM search_word WHERE word LIKE :starting AND word <> :word LIMIT 200)"
        ),
        {"ending": "%" + pattern, "starting": pattern + "%", "word": word},
    ).scalars()
    candidates = list(dict.fromkeys(rows))
    parts = set()
    for candidate in candidates:
        if candidate.endswith(word):
            head = candidate[: -len(word)]
            parts.update(head[: len(head) - len(link)] for link in LINKS if head.endswith(link))
        if candidate.startswith(word):
            rest = candidate[len(word) :]
            parts.update(rest[len(link) :] for link in LINKS if rest.startswith(link))
    known = _known_words([p for p in parts if len(p) >= 3])
    found = []
    for candidate in candidates:
        if candidate.endswith(word):
            head = candidate[: -len(word)]
            if (len(word) >= LONG_PART and len(head) >= MIN_COMPOUND_PART) or any(
                head.endswith(link) and head[: len(head) - len(link)] in known for link in LINKS
            ):
                found.append(candidate)
                continue
        if candidate.startswith(word):
            rest = candidate[len(word) :]
            if any(
                rest.startswith(link)
                and len(rest) - len(link) >= MIN_COMPOUND_PART
                and rest[len(link) :] in known
                for link in LINKS
            ):
                found.append(candidate)
    return found[:COMPOUNDS]


def _any(parts) -> str:
    parts = [part for part in dict.fromkeys(parts) if part]
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else "(" + " | ".join(f"({p})" for p in parts) + ")"


def _all(parts) -> str:
    parts = [part for part in parts if part]
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else "(" + " & ".join(f"({p})" for p in parts) + ")"


@dataclass
class Group:
    """One required word or phrase (or its OR alternatives) as tsquery text."""

    typed: str
    query: str
    optional: bool = False
    synonyms: list[tuple[str, str]] = field(default_factory=list)  # (label, tsquery)
    clauses: list[Clause] = field(default_factory=list)
    own: str = ""  # the words as typed and their forms: ranked above synonyms and the like
    marks: list[str] = field(default_factory=list)  # its phrases, for ts_headline to mark


def _word_query(word: str, compounds: bool = True) -> str:
    """A word, its forms by the Dutch stemmer and by our rules (plural s, f/v, s/z; verb
    forms), as lexemes; and the compounds it is part of."""
    own = _normalized("w", word)
    forms = sorted(word_stems(word) | verb_variants(word))
    parts = _normalize_all("w", _compounds(word)) if compounds else []
    return _any([own, *(_quote(form) for form in forms), *parts])


def _prefix_query(prefix: str) -> str:
    """What starts with ``prefix``: as typed, and as its stem (a prefix that is a whole word
    is stemmed shorter)."""
    return _any([_quote(prefix) + ":*", _normalized("x", prefix), _normalized("w", prefix)])


def _phrase_query(phrase: tuple[str, ...]) -> str:
    """The words next to each other (stop words do not count, as in the index): every
    neighbouring pair of the phrase, each a lexeme of the document's pairs (as the Whoosh
    backend). The GIN index answers it alone: no positions are read, no row is checked again."""
    stems = stem_key(tuple(phrase))
    if len(stems) < 2:
        single = [word for word in phrase if not is_stop_word(word)]
        return _normalized("w", single[0]) if single else ""
    return _all([_quote(f"{left} {right}") for left, right in zip(stems, stems[1:], strict=False)])


def _clause_query(clause: Clause) -> str:
    if clause.phrase:
        exact = _phrase_query(clause.words)
        if clause.loose:
            # Typed without quotes: all the words anywhere, which includes the phrase itself
            # (the cover density of ts_rank_cd ranks them side by side higher), and needs no
            # check of positions in every document.
            loose = _all([_word_query(w) for w in clause.words if not is_stop_word(w)])
            return loose or exact
        return exact
    if clause.prefix:
        return _prefix_query(clause.words[0])
    return _word_query(clause.words[0])


def _group(clauses: list[Clause]) -> Group:
    group = Group(" ".join(" ".join(c.words) for c in clauses), "", clauses=clauses)
    group.query = group.own = _any([_clause_query(c) for c in clauses])
    phrases = []
    for clause in clauses:
        if clause.phrase:
            phrases.append(clause.words)
        if clause.prefix:
            continue
        for other in synonyms(clause.words):
            found = _phrase_query(other)
            if found:
                group.synonyms.append((" ".join(other), found))
                phrases.append(other)
    # A phrase is found by its pairs, which ``ts_headline`` cannot find in the text: it marks
    # the phrase's words where they stand together.
    group.marks = _normalize_all("p", [" ".join(phrase) for phrase in phrases if len(phrase) > 1])
    return group


def highlight_terms(parsed: ParsedQuery) -> set[str]:
    """The stems the Python snippet marks when ``ts_headline``'s window had no match."""
    terms = set()
    for clause in parsed.clauses():
        terms.update(stem_key(clause.words))
        if not clause.phrase:
            for word in clause.words:
                terms.update(word_stems(word))
                terms.update(index_terms(word))
        for other in synonyms(clause.words):
            if len(other) == 1:
                terms.update(stem_key(other))
    return terms


# ---------------------------------------------------------------------------------------------
# Asking


@dataclass
class Found:
    """What a query found for one viewer."""

    total: int = 0
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    ranked: list[tuple[str, int]] = field(default_factory=list)  # (kind, ref), best first
    marked: dict[tuple[str, int], tuple[Markup | None, Markup | None]] = field(default_factory=dict)
    relaxed: bool = False
    also: list[tuple[str, str]] = field(default_factory=list)  # (typed, also searched for)
    corrected: list[tuple[str, str]] = field(default_factory=list)  # (typed, corrected)
    groups: int = 0
    approximate: bool = False  # total and counts are estimates (see ``_counts``)


_DOC = "search_document"


#: What visitors may read, as a constant: the partial index of their documents' words
#: (migration 0020) has this condition, and the planner uses it only for the same constant.
_VISITORS = "CAST('{" + ",".join(sorted(VISITOR_TOKENS)) + "}' AS varchar[])"


def _readable(tokens) -> str:
    """The SQL condition "the viewer with these ``access`` tokens may read it"."""
    if set(tokens) == VISITOR_TOKENS:
        return f"access && {_VISITORS}"
    return "access && CAST(:tokens AS varchar[])"


def _finds(queries: list[str], tokens: list[str]) -> list[bool]:
    """For each tsquery: whether it finds anything the viewer may see (one statement of
    EXISTS lookups on the GIN indexes)."""
    if not queries:
        return []
    checks, params = [], {"tokens": tokens, "newest": NEWEST_FIRST}
    for number, query in enumerate(queries):
        params[f"q{number}"] = query
        found = f"vector @@ CAST(:q{number} AS tsquery) AND {_readable(tokens)}"
        # The newest documents first, one by one: a common word is found in the first few,
        # where the GIN index would collect its tens of thousands of hits first. Then the
        # index: a rare word or a pair is looked up at once (where reading every document
        # would take hundreds of milliseconds).
        checks.append(
            f"(EXISTS (SELECT 1 FROM (SELECT vector, access FROM {_DOC} ORDER BY id DESC"
            f" LIMIT :newest) AS newest WHERE {found})"
            f" OR EXISTS (SELECT 1 FROM {_DOC} WHERE {found}))"
            if query
            else "false"
        )
    return list(db.session.execute(text("SELECT " + ", ".join(checks)), params).one())


def _widen(groups: list[Group], tokens: list[str], found: Found) -> None:
    """Synonyms join each group (and are named when they find something this viewer may
    see); a word that finds nothing becomes a prefix (a half word submitted) or, failing that,
    its correction; a word nobody wrote that is one typo away from a word that was written is
    corrected too ("bouwvergunigen")."""
    queries = []
    for group in groups:
        queries.append(group.query)
        queries.extend(query for _label, query in group.synonyms)
    answers = iter(_finds(queries, tokens))
    matched = []
    for group in groups:
        matched.append(next(answers))
        for label, query in group.synonyms:
            if next(answers):
                matched[-1] = True  # as Whoosh: a word whose synonym finds something is known
                if (group.typed, label) not in found.also:
                    found.also.append((group.typed, label))
            group.query = _any([group.query, query])
    single = [
        (number, group.clauses[0].words[0])
        for number, group in enumerate(groups)
        if len(group.clauses) == 1 and not group.clauses[0].phrase and not group.clauses[0].prefix
    ]
    known = _known_words([word for _number, word in single])
    fallbacks: list[tuple[int, str, str, str]] = []  # (group, kind, label, query)
    for number, word in single:
        if matched[number] and (word in known or len(word) < 5):
            continue
        if not matched[number] and len(word) >= MIN_HALF_WORD:
            fallbacks.append((number, "prefix", word, _quote(word) + ":*"))
        for candidate in _corrections(word, typo_only=matched[number]):
            fallbacks.append(
                (number, "correction", candidate, _word_query(candidate, compounds=False))
            )
    answers = _finds([query for *_rest, query in fallbacks], tokens)
    done = set()
    for (number, kind, label, query), finds in zip(fallbacks, answers, strict=True):
        if not finds or number in done:
            continue
        done.add(number)
        group = groups[number]
        group.query = _any([group.query, query])
        if kind == "correction":
            found.corrected.append((group.typed, label))
            found.also.append((group.typed, label))


def _filters(filters: dict[str, str], params: dict, skip: str | None = None) -> list[str]:
    """The active facet filters as SQL conditions (all but ``skip``)."""
    conditions = []
    for name, wanted in filters.items():
        if not wanted or name == skip:
            continue
        if name == "themes":
            if not str(wanted).isdigit():
                conditions.append("false")
                continue
            params["f_themes"] = int(wanted)
            conditions.append("themes @> ARRAY[CAST(:f_themes AS integer)]")
        else:
            params[f"f_{name}"] = str(wanted)
            conditions.append(f"{name} = :f_{name}")
    return conditions


def find(
    parsed: ParsedQuery,
    tokens: set[str],
    filters: dict[str, str] | None = None,
    limit: int = 10,
    by_date: bool = False,
    needed: int | None = None,
    match_all: bool = True,
    kinds: tuple[str, ...] = (),
    facets: bool = True,
    headlines: bool = True,
    relax: bool = True,
) -> Found:
    """What ``parsed`` finds among the documents with one of ``tokens``: the count, the facet
    counts, the best (or newest) ``limit`` as (kind, ref), with title and snippet marked.

    Words are looked up in the GIN index only. The planner would otherwise scan the table for
    a common word (or hope for an early hit of EXISTS in a scan), and a scan reads every
    document's words: hundreds of milliseconds at 100,000 documents, where the index answers
    in a few (its answer needs no second look: phrases are pairs, see ``_phrase_query``)."""
    arguments = (parsed, tokens, filters, limit, by_date, needed, match_all, kinds, facets)
    # Always a plan for the words at hand: psycopg prepares a statement asked five times, and
    # PostgreSQL's generic plan for it cannot tell a rare word from a common one.
    settings = {"plan_cache_mode": "force_custom_plan"}
    if parsed.groups:
        settings["enable_seqscan"] = "off"
    with _planner(**settings):
        return _find(*arguments, headlines, relax)


@contextmanager
def _planner(**settings: str):
    """Planner settings for the statements inside this block of the transaction (one statement
    to set them, one to put them back)."""
    names = list(settings)
    values = {f"v{number}": settings[name] for number, name in enumerate(names)}
    row = db.session.execute(
        text(
            "SELECT "
            + ", ".join(
                f"current_setting('{name}'), set_config('{name}', :v{number}, true)"
                for number, name in enumerate(names)
            )
        ),
        values,
    ).one()
    # Put back after success only: after a failed statement the transaction accepts nothing
    # more (a restore would hide the real error), and its rollback drops LOCAL settings anyway.
    yield
    before = {f"v{number}": row[2 * number] for number in range(len(names))}
    db.session.execute(
        text(
            "SELECT "
            + ", ".join(
                f"set_config('{name}', :v{number}, true)" for number, name in enumerate(names)
            )
        ),
        before,
    )


def _find(
    parsed: ParsedQuery,
    tokens: set[str],
    filters: dict[str, str] | None,
    limit: int,
    by_date: bool,
    needed: int | None,
    match_all: bool,
    kinds: tuple[str, ...],
    facets: bool,
    headlines: bool,
    relax: bool,
) -> Found:
    filters = filters or {}
    found = Found()
    counted = None
    params: dict = {"tokens": sorted(tokens), "limit": limit}
    parsed = thesaurus_groups(parsed)
    groups = [_group(clauses) for clauses in parsed.groups]
    for group in groups:
        group.optional = group.typed in QUERY_FILLERS
    if groups and all(group.optional for group in groups):
        for group in groups:
            group.optional = False
    _widen(groups, params["tokens"], found)
    groups = [group for group in groups if group.query]
    found.groups = len(groups)
    required = [g for g in groups if not g.optional]
    conditions = [_readable(tokens)]
    if kinds:
        params["kinds"] = list(kinds)
        conditions.append("kind = ANY(CAST(:kinds AS varchar[]))")
    negated = _any([_clause_query(clause) for clause in parsed.negated])
    if negated:
        params["negated"] = negated
        conditions.append("NOT (vector @@ CAST(:negated AS tsquery))")
    for number, group in enumerate(groups):
        params[f"g{number}"] = group.query
    hits_expression = " + ".join(
        f"(vector @@ CAST(:g{groups.index(g)} AS tsquery))::int" for g in required
    )
    if parsed.groups and not groups:
        return found  # only stop words, or nothing the dictionary knows
    if required:
        if needed is None:
            if parsed.explicit_and:
                needed = len(required)
            elif match_all:
                needed = minimum_match(len(required))
            else:
                needed = 1
        needed = min(needed, len(required))
        params["any"] = _any([g.query for g in required])
        params["every"] = _all([g.query for g in required])
        base = " AND ".join(conditions)
        loosen = relax and needed > 1 and not parsed.explicit_and
        count = None
        if needed == len(required):
            every = f"{base} AND vector @@ CAST(:every AS tsquery)"
            # Counted anyway (for the facets and the ranking): one pass over the hits.
            counted = _counts(every, filters, params)
            count = counted.everything
        if count is None or (count < RELAX_BELOW and loosen):
            distribution = _distribution(base, hits_expression, params)
            at_least = {
                k: sum(n for hits, n in distribution.items() if hits >= k)
                for k in range(len(required) + 1)
            }
            count = at_least.get(needed, 0)
            first = count
            while count < RELAX_BELOW and needed > 1 and loosen:
                needed -= 1
                if at_least.get(needed, 0) == count:
                    continue
                found.relaxed = found.relaxed or not first
                count = at_least.get(needed, 0)
                counted = None
        if needed == len(required):
            conditions.append("vector @@ CAST(:every AS tsquery)")
        else:
            counted = None
            params["needed"] = needed
            conditions.append("vector @@ CAST(:any AS tsquery)")
            conditions.append(f"({hits_expression}) >= :needed")
    rank_query = _any([g.query for g in groups])
    params["rank"] = rank_query or "''"
    params["own"] = _any([g.own for g in groups]) or "''"
    params["marks"] = _any([rank_query, *(mark for g in groups for mark in g.marks)]) or "''"
    base = " AND ".join(conditions)
    # Counted also without facets: the ranking needs to know whether every hit can be read.
    counted = counted or _counts(base, filters, params)
    if facets:
        found.total, found.counts = counted.total, counted.counts
        found.approximate = counted.approximate
    ordered = _ranked(
        base + "".join(f" AND {c}" for c in _filters(filters, params)),
        params,
        scored=bool(rank_query) and not by_date,
        coverage=hits_expression if required and needed < len(required) else "",
        required=len(required),
        headlines=headlines and bool(rank_query),
        many=counted.approximate or counted.total > RANK_ALL,
        counted=counted,
    )
    for kind, ref, title, snippet in ordered:
        found.ranked.append((kind, ref))
        found.marked[(kind, ref)] = (_markup(title), _markup(snippet))
    if not facets:
        found.total = len(found.ranked)
    return found


def _distribution(where: str, hits: str, params: dict) -> dict[int, int]:
    """How many documents match how many of the required groups."""
    rows = db.session.execute(
        text(
            f"SELECT {hits} AS hits, count(*) FROM {_DOC}"
            f" WHERE {where} AND vector @@ CAST(:any AS tsquery) GROUP BY 1"
        ),
        params,
    )
    return {hits: count for hits, count in rows}


@dataclass
class Counted:
    """What ``_counts`` found: the total with every filter, per facet the counts of its values
    among what the other filters leave, the hits before any filter, whether these are
    estimates, and (when counted exactly) the hits with every filter, in no order."""

    total: int
    counts: dict[str, dict[str, int]]
    everything: int
    approximate: bool
    hits: list[int]


def _counts(base: str, filters: dict[str, str], params: dict) -> Counted:
    """The counts of the hits of ``base`` (see ``Counted``).

    Counting reads every hit's row; for a common word at 100,000 documents that is tens of
    thousands of rows, and the search would take hundreds of milliseconds. So the sample (one
    document in ``SAMPLE_SHARE``, by runs of neighbouring rows: few pages) is counted first;
    when it holds ``SAMPLED_ENOUGH`` hits or more, the counts are estimated from it (shown as
    "about", rounded), else every hit is counted."""
    total, counts, everything, _ = _count_facets(f"{base} AND {SAMPLE}", filters, params)
    if everything < SAMPLED_ENOUGH:
        return _exact(base, filters, params)

    def estimate(number: int) -> int:
        return about(number * SAMPLE_SHARE)

    estimated = {
        name: {v: estimate(n) for v, n in values.items()} for name, values in counts.items()
    }
    return Counted(estimate(total), estimated, estimate(everything), True, [])


def _exact(base: str, filters: dict[str, str], params: dict) -> Counted:
    total, counts, everything, hits = _count_facets(base, filters, params, collect=True)
    return Counted(total, counts, everything, False, hits)


def about(number: int) -> int:
    """An estimate rounded to two significant digits (12,345 → 12,000)."""
    digits = len(str(abs(number)))
    return round(number, -(digits - 2)) if digits > 2 else number


#: The GROUPING() of each grouping set of ``_count_facets``: which facet its rows count.
_GROUPINGS = {15: "kind", 23: "status", 27: "perspective", 29: "year", 30: "themes", 31: ""}


def _count_facets(
    where: str, filters: dict[str, str], params: dict, collect: bool = False
) -> tuple[int, dict, int, list[int]]:
    """The counts of ``_counts`` in one pass over the hits (grouping sets, one per facet, each
    counted in a hash table; a document counts once per theme for the themes and once for
    everything else), and with ``collect`` the hits with every filter (in no order: an
    ordered aggregate would make PostgreSQL sort the hits once per facet instead)."""
    first = "n = 1"

    def only(*conditions: str) -> str:
        return "count(*) FILTER (WHERE " + " AND ".join(conditions) + ")"

    everything_filtered = " AND ".join([first, *_filters(filters, params)])
    columns = [
        f"array_agg(id) FILTER (WHERE {everything_filtered})" if collect else "NULL",
        only(first),
        only(first, *_filters(filters, params)),
    ]
    for name in FACETS:
        others = _filters(filters, params, skip=name)
        columns.append(
            only("theme IS NOT NULL", *others) if name == "themes" else only(first, *others)
        )
    statement = (
        "SELECT GROUPING(kind, status, perspective, year, theme), kind, status, perspective,"
        f" year, CAST(theme AS text), {', '.join(columns)}"
        f" FROM (SELECT id, kind, themes, status, perspective, year FROM {_DOC}"
        f" WHERE {where}) AS hits"
        " CROSS JOIN LATERAL unnest(CASE WHEN cardinality(themes) > 0 THEN themes"
        " ELSE ARRAY[NULL::integer] END) WITH ORDINALITY AS t(theme, n)"
        " GROUP BY GROUPING SETS ((), (kind), (status), (perspective), (year), (theme))"
    )
    total, everything, counts, hits = 0, 0, {name: {} for name in FACETS}, []
    grouped = ("kind", "status", "perspective", "year", "themes")
    for row in db.session.execute(text(statement), params):
        name = _GROUPINGS[row[0]]
        if not name:
            hits, everything, total = row[6] or [], row[7], row[8]
            continue
        value, count = row[1 + grouped.index(name)], row[9 + FACETS.index(name)]
        if value and count:
            counts[name][value] = count
    return total, counts, everything, hits


def _ranked(
    where: str,
    params: dict,
    scored: bool,
    coverage: str,
    required: int,
    headlines: bool,
    many: bool,
    counted: Counted | None = None,
) -> list[tuple[str, int, str | None, str | None]]:
    """The first ``:limit`` documents, best (or newest) first, with their marked title and
    snippet (``ts_headline`` on the page's rows only). With ``many`` hits the exact score is
    computed for candidates only (reading every hit's words costs hundreds of milliseconds at
    100,000 items): the newest whose title or tags match (``head``, kept in the row) and the
    newest of all (or of the sample), as Whoosh ranks a coarse pool exactly. The hits that
    ``counted`` collected are not looked up again."""
    every_hit = counted.hits if counted is not None and not counted.approximate else None
    if every_hit is not None:
        params["hits"] = every_hit
    if scored:
        share = f"power(({coverage}) / {float(required)}, {COVERAGE_POWER})" if coverage else "1"
        score = (
            f"(ts_rank_cd('{WEIGHTS}', vector, CAST(:own AS tsquery), 1) + {OTHER_WORDS}"
            f" * ts_rank_cd('{WEIGHTS}', vector, CAST(:rank AS tsquery), 1)) * {share}"
            f" * CASE WHEN kind = 'member' AND ts_rank_cd('{{0, 0, 0, 1}}', vector,"
            f" CAST(:rank AS tsquery)) = 0 THEN {PERSON_FACTOR} ELSE 1 END"
            f" * (1 + {RECENCY} * power(0.5, extract(epoch FROM (now() AT TIME ZONE 'utc'"
            f" - created)) / {RECENCY_HALF_LIFE_DAYS * 86400.0}))"
        )
        order = "score DESC, created DESC, id DESC"
    else:
        score, order = "0", "created DESC, id DESC"
    marks = (
        f"ts_headline('{CONFIG}', d.title, CAST(:marks AS tsquery), '{TITLE_HEADLINE}'),"
        f" ts_headline('{CONFIG}', left(d.excerpt, {EXCERPT_CHARS}), CAST(:marks AS tsquery),"
        f" '{HEADLINE}')"
        if headlines
        else "NULL, NULL"
    )
    source = f"{_DOC} WHERE {where}"
    if every_hit is not None and not (scored and many):
        # Every hit is known: the newest of them, or all of them to score.
        source = f"{_DOC} WHERE id = ANY(CAST(:hits AS integer[]))"
    elif scored and many:
        params["pool"] = max(RERANK, 2 * params["limit"])
        params["newest"] = max(RERANK // 4, 2 * params["limit"])
        params["window"] = RANK_WINDOW
        # The candidates, each found by reading a bounded number of rows. Title and tags
        # (``head``: small, in the row) say most about a text, so: the hits whose head ranks
        # best, and the newest hits. With every hit collected by the counting (up to about a
        # thousand), among all of them. Else (tens of thousands, too many to read): among the
        # newest ``RANK_WINDOW`` documents, and the newest hits of the sample (by its own
        # index of dates). Walking all dates backwards instead would read every newer row
        # for a word of an older year.
        by_head = (
            f"head @@ CAST(:rank AS tsquery) ORDER BY ts_rank('{WEIGHTS}', head,"
            " CAST(:rank AS tsquery), 1) DESC, created DESC"
        )
        if every_hit is not None:
            known = f"SELECT id FROM {_DOC} WHERE id = ANY(CAST(:hits AS integer[]))"
            parts = [
                f"{known} AND {by_head} LIMIT :pool",
                f"{known} ORDER BY created DESC LIMIT :newest",
            ]
        else:
            recent = f"(SELECT * FROM {_DOC} ORDER BY created DESC LIMIT :window) AS {_DOC}"
            parts = [
                f"SELECT id FROM {recent} WHERE {where} AND {by_head} LIMIT :pool",
                f"SELECT id FROM {_DOC} WHERE {where} AND {SAMPLE}"
                " ORDER BY created DESC LIMIT :newest",
            ]
        statement = " UNION ".join(f"({part})" for part in parts)
        pooled = set(db.session.execute(text(statement), params).scalars())
        params["pooled"] = sorted(pooled)
        source = f"{_DOC} WHERE id = ANY(CAST(:pooled AS integer[]))"
    statement = (
        f"SELECT d.kind, d.ref, {marks} FROM (SELECT id, created, {score} AS score"
        f" FROM {source} ORDER BY {order} LIMIT :limit) AS page JOIN {_DOC} AS d USING (id)"
        f" ORDER BY {order.replace('id DESC', 'page.id DESC').replace('created', 'page.created')}"
    )
    return [tuple(row) for row in db.session.execute(text(statement), params)]


def _markup(marked: str | None) -> Markup | None:
    """A ``ts_headline`` result as safe HTML with our marks; None when nothing was marked."""
    if not marked or MARK_START not in marked:
        return None
    return Markup(
        str(escape(marked))
        .replace(MARK_START, '<mark class="match">')
        .replace(MARK_STOP, "</mark>")
    )
