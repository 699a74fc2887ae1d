"""The network-health dashboard for coordinators and the public jaarbeeld. Thin: read the
period and theme, ask the report, render (or write the CSV of one figure)."""

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from flask import Response, abort, request
from flask_login import AnonymousUserMixin, current_user, login_required
from sqlalchemy import func, select

from alliance.core.audience import is_coordinator
from alliance.core.timeutil import utcnow
from alliance.core.web import render
from alliance.extensions import db
from alliance.insight import bp, figures, periods, report
from alliance.insight.cache import cached
from alliance.knowledge.access import visible_to
from alliance.knowledge.models import Item
from alliance.themes.services import active_themes


def _theme() -> str:
    slug = request.args.get("thema", "")
    return slug if slug in {theme.slug for theme in active_themes()} else ""


def _theme_context(theme: str) -> dict:
    themes = active_themes()
    names = {t.slug: t.name for t in themes}
    return {
        "theme": theme,
        "theme_name": names.get(theme, ""),
        "theme_options": [(t.slug, t.name) for t in themes],
    }


def _period():
    return periods.parse(request.args.get("periode")) or periods.last_full_month(utcnow().date())


def _coordinators_only() -> None:
    if not is_coordinator(current_user):
        abort(403)


@dataclass(frozen=True)
class Listed:
    """A row of a list to act on, kept in the cache without the database session."""

    id: int
    text: str
    created_at: datetime | None = None
    lesson: str = ""


def _dashboard(period: periods.Period, theme: str) -> dict:
    """Everything the dashboard shows. The lists to act on are the same for every coordinator
    (``figures.counted_items`` leaves out what only a group's members may read), so the whole
    page can share one cache entry."""
    unanswered, total = figures.unanswered(current_user, theme)
    return {
        "figures": report.build(period, theme),
        "unanswered": [Listed(i.id, i.title, i.created_at) for i in unanswered],
        "unanswered_total": total,
        "takers": [Listed(m.id, m.name) for m in figures.only_takers(period, theme)],
    }


@bp.get("/coordinatie/gezondheid")
@login_required
def dashboard():
    """Is the exchange two-way? The figures of a period, with lists to act on."""
    _coordinators_only()
    period, theme = _period(), _theme()
    found = cached(("dashboard", period.key, theme), lambda: _dashboard(period, theme))
    return render(
        "insight/dashboard.html",
        period=period,
        choices=periods.choices(utcnow().date()),
        **found,
        **_theme_context(theme),
    )


@bp.get("/coordinatie/gezondheid/<key>.csv")
@login_required
def dashboard_csv(key: str):
    """The table of one figure as CSV."""
    _coordinators_only()
    period, theme = _period(), _theme()
    found = cached(("dashboard", period.key, theme), lambda: _dashboard(period, theme))
    return _csv(found["figures"], key, f"gezondheid-{key}-{period.key}")


def _csv(found: list[report.Figure], key: str, name: str) -> Response:
    figure = next((f for f in found if f.key == key), None) or abort(404)
    out = io.StringIO()
    writer = csv.writer(out)
    for table in (figure.table, *figure.extra_tables):
        writer.writerow(table.columns)
        for header, cells in table.rows:
            writer.writerow([header, *cells])
        writer.writerow([])
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={name}.csv"},
    )


# --- the public jaarbeeld --------------------------------------------------------------------------

LESSONS_SHOWN = 8
VISITOR = AnonymousUserMixin()


def _year() -> periods.Period:
    text = request.args.get("jaar", "")
    found = periods.parse(text) if len(text) == 4 else None
    return found or periods.Period("year", utcnow().year)


def _lessons(year: periods.Period, theme: str) -> list[Listed]:
    """Public lessons of the year: through the one access rule, as for a visitor."""
    moment = func.coalesce(Item.evaluated_at, Item.created_at)
    statement = select(Item.id, Item.title, Item.lesson).where(
        visible_to(VISITOR),
        Item.lesson != "",
        moment >= year.start,
        moment < year.end,
    )
    if theme:
        statement = statement.where(Item.themes.any(slug=theme))
    rows = db.session.execute(statement.order_by(moment.desc()).limit(LESSONS_SHOWN))
    return [Listed(item_id, title, lesson=lesson) for item_id, title, lesson in rows]


def _jaarbeeld(year: periods.Period, theme: str) -> dict:
    """Everything the jaarbeeld shows (the same for everyone)."""
    return {
        "figures": report.build(year, theme, public=True),
        "lessons": _lessons(year, theme),
    }


@bp.get("/jaarbeeld")
def jaarbeeld():
    """The year at a glance for everyone: the same figures without personal data, small
    numbers suppressed, and the lessons of the year."""
    year, theme = _year(), _theme()
    found = cached(("jaarbeeld", year.key, theme), lambda: _jaarbeeld(year, theme))
    this_year = utcnow().year
    return render(
        "insight/jaarbeeld.html",
        year=year,
        year_options=[(str(y), str(y)) for y in range(this_year, this_year - 5, -1)],
        **_theme_context(theme),
        **found,
    )


@bp.get("/jaarbeeld/<key>.csv")
def jaarbeeld_csv(key: str):
    """The table of one figure of the jaarbeeld as CSV (suppressed as on the page)."""
    year, theme = _year(), _theme()
    found = cached(("jaarbeeld", year.key, theme), lambda: _jaarbeeld(year, theme))
    return _csv(found["figures"], key, f"jaarbeeld-{key}-{year.key}")
