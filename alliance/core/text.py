"""User text: Markdown rendered, then cleaned with an allowlist; folding for matching."""

import re
import unicodedata
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup
from sqlalchemy import ColumnElement

from alliance.extensions import db

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.disable("image")

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text: str | None) -> Markup:
    """Markdown to safe HTML: no raw HTML, no scripts, only http(s) and mailto links."""
    return _render_cached(text or "")


#: A bare web address in running text (not already a Markdown link or autolink, not in code).
_BARE_URL = re.compile(r"(?<![<(\[`/\w])https?://[^\s<>()\[\]`]+")


def _autolinked(text: str) -> str:
    """Bare addresses as Markdown autolinks (``<https://…>``), so they are links when shown; a
    full stop or comma right after one is not part of it. Code blocks are left alone."""
    if "http" not in text:
        return text
    parts = re.split(r"(```.*?```|`[^`\n]*`)", text, flags=re.S)
    for index in range(0, len(parts), 2):  # the even parts are outside code
        parts[index] = _BARE_URL.sub(_autolink, parts[index])
    return "".join(parts)


def _autolink(match: re.Match) -> str:
    url = match.group(0)
    trail = len(url) - len(url.rstrip(".,;:!?'\""))
    return f"<{url[: len(url) - trail]}>{url[len(url) - trail :]}"


@lru_cache(maxsize=4096)
def _render_cached(text: str) -> Markup:
    # The same text always renders the same: a page with 50 replies renders them once per worker.
    html = _markdown.render(_autolinked(text))
    # Headings in user text start at level 3, below the page's own h1/h2.
    for level in (2, 1):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(cleaned)


#: Letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans(
    {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "æ": "ae", "œ": "oe", "þ": "th"}
)


def fold(text: str) -> str:
    """Lower case without accents: the key used to match tags and names ("Wóó" → "woo",
    "Yılmaz" → "yilmaz")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def first_line(text: str | None, limit: int = 160) -> str:
    """The first line of a text (a lesson) without Markdown marks, cut at ``limit``."""
    line = next((part.strip() for part in (text or "").splitlines() if part.strip()), "")
    line = line.lstrip("#>*-+ ").replace("**", "").replace("__", "")
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def like_escape(text: str) -> str:
    """``text`` for a LIKE pattern with ``escape="\\"``: its ``%``, ``_`` and backslashes
    match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(column, word: str) -> ColumnElement[bool]:
    """``column`` contains ``word`` literally (a scan: for short lists and small tables)."""
    return column.like(f"%{like_escape(word)}%", escape="\\")


def starts_with(column, prefix: str) -> ColumnElement[bool]:
    """``column`` starts with ``prefix``, in a form an index on it can answer: GLOB on SQLite
    (its LIKE ignores case and so cannot use the index), LIKE elsewhere. Compare folded keys
    with folded prefixes."""
    if db.engine.dialect.name == "sqlite":
        return column.op("GLOB")(re.sub(r"([*?\[\]])", r"[\1]", prefix) + "*")
    return column.like(like_escape(prefix) + "%", escape="\\")


def slug(text: str, length: int = 60) -> str:
    """A file-name-safe form of a title: "Woo-verzoeken & AVG" → "woo-verzoeken-avg"."""
    kept = "".join(c.lower() if c.isalnum() else "-" for c in text)
    return "-".join(part for part in kept.split("-") if part)[:length] or "zonder-titel"
