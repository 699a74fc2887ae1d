"""/zoeken: one search box, results of every kind with facets, as you type and without JS."""

from flask import current_app, request
from flask_login import current_user

from alliance.core.database import drain_after_commit
from alliance.core.web import render, wants_fragment
from alliance.search import bp, services
from alliance.search.index import backlog, drain_outbox
from alliance.themes.services import active_themes

#: Changes older than this still waiting in the outbox are indexed after this request (a drain
#: that a crashed process never ran).
STALE_AFTER_S = 5.0
QUICK_RESULTS = 5


@bp.get("/zoeken")
def index():
    """Search everything the visitor may read; ``snel`` gives the header's quick results."""
    args = request.args
    fragment = wants_fragment()
    more = fragment and bool(args.get("meer"))
    quick = fragment and bool(args.get("snel"))
    sort = args.get("sorteer", "relevance")
    query = services.SearchQuery(
        text=(args.get("q") or "")[:200],
        kind=args.get("soort", "")[:20],
        theme=args.get("thema", "")[:10],
        status=args.get("status", "")[:20],
        perspective=args.get("perspectief", "")[:20],
        year=args.get("jaar", "")[:4],
        sort=sort if sort in services.SORTS else "relevance",
        page=max(1, min(args.get("pagina", 1, type=int) or 1, 500)),
        typing=fragment and not more,
        cumulative=not more,  # htmx "Meer laden" appends one page; a plain link shows them all
    )
    page_size = QUICK_RESULTS if quick else current_app.config["SEARCH_PAGE_SIZE"]
    result = services.search(query, current_user, page_size)
    _heal_stale_outbox()
    block = "quick" if quick else "more" if more else "results" if fragment else None
    return render(
        "search/index.html",
        block,
        query=query,
        result=result,
        themes=active_themes() if not result.total else [],
    )


def _heal_stale_outbox() -> None:
    waiting, oldest = backlog()
    if waiting and oldest is not None and oldest > STALE_AFTER_S:
        drain_after_commit(lambda: drain_outbox(wait=0.5))
