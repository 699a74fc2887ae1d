"""``/lessen``: what the network learned — every evaluated dilemma's lesson, newest first, by
theme and by perspective, and an Atom feed of the public ones."""

from flask import Response, current_app, render_template, request
from flask_login import current_user

from alliance.core.web import render, wants_fragment
from alliance.knowledge.queries import LessonQuery, lessons
from alliance.members.models import PERSPECTIVES
from alliance.pages import bp
from alliance.themes.services import active_themes

FEED_SIZE = 30


def _query() -> LessonQuery:
    args = request.args
    return LessonQuery(
        theme=args.get("thema", ""),
        perspective=args.get("perspectief", ""),
        page=max(1, min(args.get("pagina", 1, type=int) or 1, 10_000)),
    )


@bp.get("/lessen")
def lessons_index():
    """The lessons the viewer may read, filterable; "Meer laden" pages on."""
    query = _query()
    found, more = lessons(query, current_user, current_app.config["ITEMS_PAGE_SIZE"])
    block = "more" if wants_fragment() and request.args.get("meer") else None
    return render(
        "pages/lessons.html",
        block,
        query=query,
        lessons=found,
        more=more,
        theme_options=[(theme.slug, theme.name) for theme in active_themes()],
        perspectives=PERSPECTIVES,
    )


@bp.get("/lessen/feed.atom")
def lessons_feed():
    """An Atom feed of the newest public lessons (nothing for members only, ever)."""
    query = _query()
    found, _more = lessons(LessonQuery(theme=query.theme), None, FEED_SIZE)
    body = render_template("pages/lessons_feed.xml", lessons=found, theme=query.theme)
    return Response(body, mimetype="application/atom+xml")
