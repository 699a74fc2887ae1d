"""One way to write a date, everywhere: the search results as the item's own page."""

import re
from pathlib import Path

from flask_babel import format_date

from alliance.core.timeutil import utcnow

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_templates_use_the_one_date_filter_without_their_own_format():
    own_format = re.compile(r"\|\s*(date|datetime)\s*\(")
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.*")
        for match in own_format.finditer(path.read_text())
    ]
    assert not found, found


def test_search_shows_the_date_as_the_item_page_does(app, client, make_item, drain):
    item_id = make_item(kind="ervaring", visibility="public", title="Zaakdossiers compleet")
    drain()
    with app.test_request_context():
        today = format_date(utcnow(), "medium")  # "5 dec 2026"
    search = client.get("/zoeken?q=zaakdossiers").text
    page = client.get(f"/kennisbank/{item_id}").text
    assert today in page
    hit = re.search(r'class="search-hit.*?</li>', search, re.S)
    assert hit and today in hit.group(0), search
    assert not re.search(r"\d{4}-\d{2}-\d{2}", hit.group(0))


def test_an_event_in_search_shows_its_day_as_the_agenda_does(app, client, make_member, drain):
    """Events joined the index with their start as "2026-09-06 14:00"; the one date format now."""
    from tests.test_search import _event, titles

    organiser, coordinator = make_member(), make_member(role="coordinator")
    _event(app, organiser, coordinator)
    drain()
    search = client.get("/zoeken?q=kompasnaald").text
    assert titles(search) == ["Meedenksessie over de kompasnaald"]
    [meta] = re.findall(r'class="search-hit__meta">([^<]*)', search)
    assert "Stadhuis Zwolle" in meta and not re.search(r"\d{4}-\d{2}-\d{2}", meta), meta
