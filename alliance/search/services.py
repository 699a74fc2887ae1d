"""Search as the features use it: one query over everything a viewer may read, with facets,
snippets and a "bedoelde je" suggestion; similar items; members by what they offer.

Permissions are part of the query (the ``access`` field) and checked again on every row that
is shown, with the same rules the pages use."""

import logging
import re
from dataclasses import dataclass, field

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from alliance.core import audience
from alliance.core.signals import SearchHit
from alliance.core.web import format_day
from alliance.extensions import db
from alliance.knowledge.access import is_listed, search_tokens, shows_author
from alliance.knowledge.models import KINDS, STATUSES, Item, Reply
from alliance.members.models import PERSPECTIVES, Member
from alliance.search import engine, postgres
from alliance.search.analysis import index_terms, word_terms
from alliance.search.documents import ITEM_TEXT_FIELDS, sources
from alliance.search.index import SearchUnavailable
from alliance.themes.models import Theme

log = logging.getLogger(__name__)

SORTS = ("relevance", "date")
#: With fewer hits than this for most of the words, results with fewer of them follow.
RELAX_BELOW = 10
SENTENCE_END = re.compile(r"[.!?:;]\s+|\n+")
WORD = re.compile(r"\w+")
#: A snippet: this many characters, from the start of the sentence of the first match when
#: that is at most SENTENCE_REACH before it, to the end of a sentence when that is near.
SNIPPET_CHARS = 220
SENTENCE_REACH = 120
MARK = Markup('<mark class="match">{}</mark>')
_MARKDOWN = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_#>`|~]+")


@dataclass
class SearchQuery:
    text: str = ""
    kind: str = ""  # dilemma, ervaring, member (empty: everything)
    theme: str = ""  # a theme id
    status: str = ""
    perspective: str = ""
    year: str = ""
    sort: str = "relevance"
    page: int = 1
    typing: bool = False  # asked while typing: the last word is a prefix
    cumulative: bool = True  # a whole page shows pages 1..page ("Meer laden" without JS)

    def filters(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "themes": self.theme,
            "status": self.status,
            "perspective": self.perspective,
            "year": self.year,
        }

    @property
    def has_filters(self) -> bool:
        return any(self.filters().values())


@dataclass
class Hit:
    kind: str
    kind_label: str
    url: str
    title: Markup
    snippet: Markup | None
    meta: list[str]


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str  # the query parameter
    label: str
    values: list[FacetValue]


@dataclass
class SearchResult:
    query: SearchQuery
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    facets: list[Facet] = field(default_factory=list)
    suggestion: str | None = None  # "bedoelde je …?"
    corrected_from: str | None = None  # nothing found for this; results are for the suggestion
    relaxed: bool = False  # nothing had every word; these have most of them
    also_searched: list[str] = field(default_factory=list)  # synonyms and corrections used
    has_more: bool = False
    approximate: bool = False  # the total and the facet counts are estimates (PostgreSQL)
    unavailable: bool = False
    asked: bool = False  # there was something to search for

    @property
    def shown(self) -> int:
        return len(self.hits)


def search(query: SearchQuery, viewer, page_size: int) -> SearchResult:
    result = SearchResult(query=query)
    parsed = engine.parse(query.text, typing=query.typing)
    if parsed.empty and not query.has_filters:
        return result
    result.asked = True
    if postgres.enabled():
        return _search_postgresql(query, parsed, viewer, page_size, result)
    try:
        view = engine.current_view()
    except SearchUnavailable as error:
        log.warning("search unavailable: %s", error)
        result.unavailable = True
        return result
    access = engine.access_bits(view, search_tokens(viewer))
    evaluation = engine.evaluate(view, parsed, allowed=access)
    allowed = evaluation.matched & access
    # Few documents have most of the words: those with fewer of them follow (ranked below).
    found = allowed.bit_count()
    needed = evaluation.needed
    while found < RELAX_BELOW and needed > 1 and not parsed.explicit_and:
        needed -= 1
        looser = evaluation.matched
        evaluation.loosened(needed)
        if (evaluation.matched & access).bit_count() == found:
            evaluation.matched = looser
            continue
        result.relaxed = result.relaxed or not found
        allowed = evaluation.matched & access
        found = allowed.bit_count()
    _say_what_was_asked(
        result, query, dict(evaluation.corrected), len(evaluation.groups), evaluation.also
    )
    filters = engine.filter_bits(view, query.filters())
    final = allowed
    for bits in filters.values():
        final &= bits
    result.total = final.bit_count()
    result.facets = _facets(engine.facet_counts(view, allowed, filters), query)
    page = max(1, min(query.page, 500))
    limit = page * page_size
    ranked = engine.rank(view, evaluation, final, limit, by_date=query.sort == "date")
    shown = ranked if query.cumulative else ranked[(page - 1) * page_size : limit]
    result.has_more = result.total > limit
    terms = engine.highlight_terms(evaluation, view)
    result.hits = _hits(shown, viewer, terms)
    return result


def _say_what_was_asked(result, query, corrected: dict, groups: int, also) -> None:
    """The corrected query and "ook gezocht op …", the same for either backend. A corrected
    query is offered only when all its words find something this viewer may read: a suggestion
    must not hint at a combination only hidden texts have. Every word corrected: "nothing found
    for …, these are the results for …"; some of them: "ook gezocht op …" says which."""
    if corrected and not result.relaxed and len(corrected) == groups:
        result.suggestion = _with_corrections(query.text, corrected)
        result.corrected_from = query.text
    result.also_searched = [
        shown for typed, shown in also if typed not in corrected or len(corrected) < 2
    ]
    if result.corrected_from:
        result.also_searched = [s for s in result.also_searched if s not in corrected.values()]


def _search_postgresql(query, parsed, viewer, page_size: int, result: SearchResult):
    """``search`` on the PostgreSQL backend: the same result, the same re-check of every row."""
    page = max(1, min(query.page, 500))
    limit = page * page_size
    found = postgres.find(
        parsed,
        search_tokens(viewer),
        query.filters(),
        limit=limit,
        by_date=query.sort == "date",
    )
    result.total = found.total
    result.approximate = found.approximate
    result.relaxed = found.relaxed
    _say_what_was_asked(result, query, dict(found.corrected), found.groups, found.also)
    result.facets = _facets(found.counts, query)
    ranked = [(None, {"kind": kind, "ref": ref}) for kind, ref in found.ranked]
    shown = ranked if query.cumulative else ranked[(page - 1) * page_size : limit]
    result.has_more = result.total > limit
    result.hits = _hits(shown, viewer, postgres.highlight_terms(parsed), found.marked)
    return result


def _with_corrections(text: str, corrected: dict[str, str]) -> str:
    """The query as typed with its misspelled words replaced."""
    for typed, fixed in corrected.items():
        text = re.sub(rf"(?i)(?<!\w){re.escape(typed)}(?!\w)", fixed, text, count=1)
    return text


def _facets(counts: dict[str, dict[str, int]], query: SearchQuery) -> list[Facet]:
    selected = query.filters()
    theme_names = {str(t.id): t.name for t in db.session.scalars(select(Theme))}
    others = sources()
    kind_labels = {
        **{k: str(v) for k, v in KINDS.items()},
        "member": _("Member"),
        **{kind: str(source.label) for kind, source in others.items()},
    }
    statuses = {k: str(v) for k, v in STATUSES.items()}
    for source in others.values():
        statuses.update({k: str(v) for k, v in source.statuses.items()})
    labels = {
        "kind": (_("Kind"), "soort", kind_labels),
        "themes": (_("Theme"), "thema", theme_names),
        "status": (_("Status"), "status", statuses),
        "perspective": (
            _("Perspective"),
            "perspectief",
            {k: str(v) for k, v in PERSPECTIVES.items()},
        ),
        "year": (_("Year"), "jaar", {}),
    }
    facets = []
    for name, (label, parameter, names) in labels.items():
        values = [
            FacetValue(value, names.get(value, value), count, selected[name] == value)
            for value, count in counts.get(name, {}).items()
            if name == "year" or value in names
        ]
        if name == "year":
            values.sort(key=lambda v: v.value, reverse=True)
        elif name in ("kind", "status", "perspective"):
            order = list(names)
            values.sort(key=lambda v: order.index(v.value))
        else:
            values.sort(key=lambda v: (-v.count, v.label))
        if values:
            facets.append(Facet(parameter, label, values))
    return facets


def _plain(text: str) -> str:
    return _MARKDOWN.sub(lambda m: m.group(1) or " ", text or "")


def _index_form(word: str) -> str:
    forms = index_terms(word)
    return forms[0] if forms else ""


def _name_form(word: str) -> str:
    forms = word_terms(word)
    return forms[0] if forms else ""


def _marked(text: str, terms: set[str], start: int, end: int, form) -> tuple[Markup, int]:
    """``text[start:end]`` escaped, with the words whose index form is in ``terms`` marked;
    and how many were."""
    if not terms:
        return escape(text[start:end]), 0
    parts, last, count = [], start, 0
    for match in WORD.finditer(text, start, end):
        if form(match.group()) in terms:
            parts.append(escape(text[last : match.start()]))
            parts.append(MARK.format(match.group()))
            last, count = match.end(), count + 1
    parts.append(escape(text[last:end]))
    return Markup("").join(parts), count


def _first_match(text: str, terms: set[str], form) -> re.Match | None:
    for match in WORD.finditer(text):
        if form(match.group()) in terms:
            return match
    return None


def _snippet(texts: list[str], terms: set[str], form=_index_form) -> Markup | None:
    """A piece of the first text that has a searched word: from the start of its sentence
    (when near), about SNIPPET_CHARS long, ending at a sentence end or a word, the words
    marked. The words are looked up in the same cached forms the index uses."""
    if not terms:
        return None
    for text in texts:
        text = _plain(text)
        if not text.strip() or (form is _index_form and terms.isdisjoint(index_terms(text))):
            continue
        first = _first_match(text, terms, form)
        if first is None:
            continue
        start = 0
        for boundary in SENTENCE_END.finditer(text, 0, first.start()):
            start = boundary.end()
        if first.start() - start > SENTENCE_REACH:  # a long sentence: a little before the word
            space = text.rfind(" ", 0, first.start() - 40)
            start = space + 1 if space >= 0 else first.start()
        end = min(len(text), start + SNIPPET_CHARS)
        stop = SENTENCE_END.search(text, max(first.end(), end - 80), min(len(text), end + 60))
        if stop:
            end = stop.start() + 1
        elif end < len(text):
            space = text.rfind(" ", first.end(), end)
            end = space if space > 0 else end
        marked, _count = _marked(text, terms, start, end, form)
        prefix = "… " if start > 0 and not SENTENCE_END.match(text, start - 2) else ""
        suffix = " …" if end < len(text) and text[end - 1] not in ".!?" else ""
        return Markup(prefix) + marked + Markup(suffix)
    return None


def _title(text: str, terms: set[str], form=_index_form) -> Markup:
    return _marked(text, terms, 0, len(text), form)[0]


def _hits(ranked: list, viewer, terms: set[str], marked: dict | None = None) -> list[Hit]:
    """The rows behind the ranked documents, each checked again, as the results show them.
    ``marked``: (kind, ref) → title and snippet already marked (PostgreSQL's ``ts_headline``),
    used where they have a mark."""
    item_ids = [fields["ref"] for _, fields in ranked if fields["kind"] in KINDS]
    member_ids = [fields["ref"] for _, fields in ranked if fields["kind"] == "member"]
    others = sources()
    other_hits = {
        kind: source.hits([fields["ref"] for _, fields in ranked if fields["kind"] == kind], viewer)
        for kind, source in others.items()
        if any(fields["kind"] == kind for _, fields in ranked)
    }
    items = (
        {
            item.id: item
            for item in db.session.scalars(
                select(Item)
                .where(Item.id.in_(item_ids))
                .options(selectinload(Item.themes), selectinload(Item.author))
            )
        }
        if item_ids
        else {}
    )
    marked = marked or {}
    # Where PostgreSQL marked a snippet, its marks stand (title and snippet): the words are
    # not looked for again, nor are the replies loaded.
    done = {key for key, (_, snippet) in marked.items() if snippet is not None}
    unmarked = [
        fields["ref"]
        for _, fields in ranked
        if fields["kind"] in KINDS and (fields["kind"], fields["ref"]) not in done
    ]
    replies = _replies_text(unmarked) if unmarked else {}
    group_ids = {item.group_id for item in items.values() if item.visibility == "group"}
    group_names = {k: ref.name for k, ref in audience.group_refs(group_ids).items()}
    members = (
        {
            member.id: member
            for member in db.session.scalars(
                select(Member)
                .where(Member.id.in_(member_ids), Member.email_confirmed_at.is_not(None))
                .options(selectinload(Member.tags))
            )
        }
        if member_ids
        else {}
    )
    hits = []
    for _docnum, fields in ranked:
        kind, ref = fields["kind"], fields["ref"]
        looked_for = set() if (kind, ref) in done else terms
        if kind in KINDS:
            item = items.get(ref)
            if item is None or not is_listed(item, viewer):
                log.info("search: item %s left out on re-check (index behind)", ref)
                continue
            hits.append(_item_hit(item, viewer, looked_for, replies.get(ref, []), group_names))
        elif kind == "member":
            member = members.get(ref)
            if member is None or not _may_see_member(member, viewer):
                continue
            hits.append(_member_hit(member, viewer, looked_for))
        elif kind in other_hits:
            shown = other_hits[kind].get(ref)
            if shown is None:  # gone, or not for this viewer (checked again here)
                continue
            hits.append(_source_hit(kind, shown, looked_for))
        else:
            continue
        title, snippet = marked.get((kind, ref), (None, None))
        if title is not None:
            hits[-1].title = title
        if snippet is not None:
            hits[-1].snippet = snippet
    return hits


def _replies_text(item_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for item_id, body in db.session.execute(
        select(Reply.item_id, Reply.body).where(Reply.item_id.in_(item_ids)).order_by(Reply.id)
    ):
        found.setdefault(item_id, []).append(body)
    return found


def _item_hit(
    item: Item, viewer, terms: set[str], replies: list[str], group_names: dict | None = None
) -> Hit:
    own = "\n".join(getattr(item, name) or "" for name in ITEM_TEXT_FIELDS)
    meta = [item.status_label] if item.is_dilemma else []
    if item.visibility == "group" and item.group_id in (group_names or {}):
        meta.insert(0, _("Only for working group %(name)s", name=group_names[item.group_id]))
    meta += [theme.name for theme in item.themes]
    if item.author and shows_author(item, viewer):
        meta.append(item.author.name)
    meta.append(format_day(item.created_at))  # as on every other page
    return Hit(
        kind=item.kind,
        kind_label=item.kind_label,
        url=url_for("knowledge.show", item_id=item.id),
        title=_title(item.title, terms),
        snippet=_snippet([own, *replies], terms),
        meta=meta,
    )


def _source_hit(kind: str, shown: SearchHit, terms: set[str]) -> Hit:
    return Hit(
        kind=kind,
        kind_label=shown.kind_label,
        url=shown.url,
        title=_title(shown.title, terms),
        snippet=_snippet(shown.texts, terms),
        meta=shown.meta,
    )


def _may_see_member(member: Member, viewer) -> bool:
    return getattr(viewer, "is_authenticated", False) or bool(member.public_fields)


def _member_hit(member: Member, viewer, terms: set[str]) -> Hit:
    offers = ", ".join(member.offers) if member.shows("offers", viewer) else ""
    texts = [
        offers,
        ", ".join(member.seeks) if member.shows("seeks", viewer) else "",
        member.bio if member.shows("bio", viewer) else "",
    ]
    meta = []
    if member.organisation and member.shows("organisation", viewer):
        meta.append(member.organisation)
    if member.perspective and member.shows("perspective", viewer):
        meta.append(member.perspective_label)
    return Hit(
        kind="member",
        kind_label=_("Member"),
        url=url_for("pages.profile", member_id=member.id),
        title=_title(member.name, terms, _name_form),
        snippet=_snippet(texts, terms),
        meta=meta,
    )


# ---------------------------------------------------------------------------------------------
# For other features


def similar_items(text: str, viewer, limit: int = 5, exclude: int | None = None) -> list[Item]:
    """Items about the same thing as ``text`` (a title being typed), that ``viewer`` may read:
    any of its words, best first. Empty when the index is unavailable."""
    parsed = engine.parse(text)
    if parsed.empty:
        return []
    if postgres.enabled():
        found = postgres.find(
            parsed,
            search_tokens(viewer),
            limit=limit + 1,
            match_all=False,
            kinds=tuple(KINDS),
            facets=False,
            headlines=False,
            relax=False,
        )
        ids = [ref for _kind, ref in found.ranked if ref != exclude][:limit]
        return _listed_items(ids, viewer)
    try:
        view = engine.current_view()
    except SearchUnavailable:
        return []
    access = engine.access_bits(view, search_tokens(viewer))
    evaluation = engine.evaluate(view, parsed, match_all=False, allowed=access)
    items_only = view.term("kind", "dilemma") | view.term("kind", "ervaring")
    allowed = evaluation.matched & access & items_only
    ranked = engine.rank(view, evaluation, allowed, limit + 1, by_date=False)
    ids = [fields["ref"] for _, fields in ranked if fields["ref"] != exclude][:limit]
    return _listed_items(ids, viewer)


def _listed_items(ids: list[int], viewer) -> list[Item]:
    if not ids:
        return []
    found = {item.id: item for item in db.session.scalars(select(Item).where(Item.id.in_(ids)))}
    return [found[i] for i in ids if i in found and is_listed(found[i], viewer)]


def member_ids(text: str, viewer, limit: int = 5000) -> list[int] | None:
    """Members whose name, organisation, *Ik bied* or profile match every word of ``text``
    (stemmed, with synonyms, the last word as a prefix), best first; None when the index is
    unavailable (the directory then falls back to its own matching)."""
    parsed = engine.parse(text, typing=True)
    if parsed.empty:
        return []
    if postgres.enabled():
        found = postgres.find(
            parsed,
            search_tokens(viewer),
            limit=limit,
            needed=len(parsed.groups),
            kinds=("member",),
            facets=False,
            headlines=False,
            relax=False,
        )
        return [ref for _kind, ref in found.ranked]
    try:
        view = engine.current_view()
    except SearchUnavailable:
        return None
    access = engine.access_bits(view, search_tokens(viewer))
    evaluation = engine.evaluate(view, parsed, allowed=access, needed=len(parsed.groups))
    allowed = evaluation.matched & access & view.term("kind", "member")
    return [fields["ref"] for _, fields in engine.rank(view, evaluation, allowed, limit, False)]
