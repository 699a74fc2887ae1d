"""Search: Dutch words, synonyms, phrases and prefixes; facets; permissions (also in counts and
suggestions); the outbox keeps the index true across rollbacks, crashes and several processes;
a missing index does not take the site down."""

import html
import json
import os
import re
import subprocess
import sys
import time

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from alliance.extensions import db
from alliance.search.models import SearchDocument, SearchOutbox
from tests.conftest import POSTGRESQL_SEARCH, whoosh_only

ROOT = os.path.dirname(os.path.dirname(__file__))


def titles(page: str) -> list[str]:
    """The result titles on a search page or fragment, without the highlight marks."""
    found = re.findall(r'class="search-hit__title"><a href="[^"]*">(.*?)</a>', page, re.S)
    found += re.findall(r'<span class="quick-results__kind">[^<]*</span> (.*?)</a>', page, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", title)).strip() for title in found]


def ask(client, text: str, typing: bool = False, **params) -> list[str]:
    headers = {"HX-Request": "true"} if typing else {}
    response = client.get("/zoeken", query_string={"q": text, **params}, headers=headers)
    assert response.status_code == 200
    return titles(response.text)


@pytest.fixture
def corpus(make_member, make_item, drain):
    author = make_member(name="Anna Auteur", perspective="uitvoering")
    ids = {
        "ervaring": make_item(
            kind="ervaring",
            visibility="public",
            author=author,
            title="Onze ervaring met actieve openbaarmaking",
            themes=["open-informatie"],
        ),
        "wob": make_item(
            visibility="public",
            author=author,
            title="Wob-verzoek over bouwvergunningen",
            fields={"tension": "Hoe lakken we persoonsgegevens van omwonenden?"},
            themes=["open-informatie"],
        ),
        "apart": make_item(
            visibility="public",
            author=author,
            title="Openbaarmaking van raadsstukken en actieve communicatie",
            themes=["open-communicatie"],
        ),
        "oss": make_item(
            visibility="members",
            author=author,
            title="Samen een zaaksysteem inkopen als open source",
            themes=["open-technologie"],
        ),
    }
    drain()
    return ids


def test_dutch_stems_synonyms_phrases_and_prefixes(client, corpus):
    assert "Onze ervaring met actieve openbaarmaking" in ask(client, "ervaringen")
    assert "Wob-verzoek over bouwvergunningen" in ask(client, "Woo")  # the thesaurus: Woo ↔ Wob
    assert "Wob-verzoek over bouwvergunningen" in ask(client, "persoonsgegeven")
    phrase = ask(client, '"actieve openbaarmaking"')
    assert "Onze ervaring met actieve openbaarmaking" in phrase
    assert "Openbaarmaking van raadsstukken en actieve communicatie" not in phrase
    both = ask(client, "actieve openbaarmaking")  # without quotes: both words anywhere
    assert "Openbaarmaking van raadsstukken en actieve communicatie" in both
    typed = ask(client, "openbaarm", typing=True)  # the last word as it is being typed
    assert {
        "Onze ervaring met actieve openbaarmaking",
        "Openbaarmaking van raadsstukken en actieve communicatie",
    } <= set(typed)
    assert "Onze ervaring met actieve openbaarmaking" in ask(client, "ÉRVARING")  # accents, case
    assert "Wob-verzoek over bouwvergunningen" in ask(client, "wob-verz", typing=True)


def test_phrases_of_three_words_with_stop_words_and_never_across_two_replies(
    client, auth, make_member, make_item, drain
):
    item_id = make_item(
        visibility="public",
        title="Regels voor de Wet open overheid in de praktijk",
        fields={"tension": "Wie besluit er over publicatie?"},
    )
    auth.login(make_member())
    for text in ["Wij werken met open", "Data is het onderwerp van de volgende vraag."]:
        reply = client.post(f"/kennisbank/{item_id}/reacties", data={"body": text})
        assert reply.status_code in (200, 303)
    drain()
    title = "Regels voor de Wet open overheid in de praktijk"
    assert title in ask(client, '"wet open overheid"')
    assert title in ask(client, '"regels voor de wet"')  # stop words inside do not count
    assert title not in ask(client, '"overheid open wet"')  # the order counts
    assert title in ask(client, "open data")  # both words, anywhere
    assert title not in ask(client, '"open data"')  # the end of one reply, the start of the next


def test_and_or_not_in_dutch_and_english(client, corpus):
    assert ask(client, "bouwvergunningen EN raadsstukken") == []
    either = set(ask(client, "bouwvergunningen OF raadsstukken"))
    assert either == {
        "Wob-verzoek over bouwvergunningen",
        "Openbaarmaking van raadsstukken en actieve communicatie",
    }
    assert set(ask(client, "bouwvergunningen OR raadsstukken")) == either
    without = ask(client, "openbaarmaking NIET raadsstukken")
    assert without == ["Onze ervaring met actieve openbaarmaking"]
    assert ask(client, "openbaarmaking NOT raadsstukken") == without
    assert ask(client, "openbaarmaking -raadsstukken") == without


def test_highlighted_snippet_from_the_field_that_matched(client, corpus):
    page = client.get("/zoeken?q=omwonenden").text
    assert "<mark" in page and "omwonenden</mark>" in page
    assert "Hoe lakken we persoonsgegevens" in page


def test_facets_count_what_the_filters_would_leave(app, corpus, make_item, drain):
    from alliance.search.services import SearchQuery, search

    make_item(kind="ervaring", visibility="public", title="Openbaarmaking in de praktijk")
    drain()
    with app.test_request_context():
        result = search(SearchQuery(text="openbaarmaking"), AnonymousUserMixin(), 10)
        facets = {f.name: {v.value: v.count for v in f.values} for f in result.facets}
        assert result.total == 3
        assert facets["soort"] == {"dilemma": 1, "ervaring": 2}
        assert sum(facets["jaar"].values()) == 3
        narrowed = search(
            SearchQuery(text="openbaarmaking", kind="ervaring"), AnonymousUserMixin(), 10
        )
        assert narrowed.total == 2
        # The kind facet still offers the other kind, with its own count.
        kinds = next(f for f in narrowed.facets if f.name == "soort")
        assert {v.value: (v.count, v.selected) for v in kinds.values} == {
            "dilemma": (1, False),
            "ervaring": (2, True),
        }


def test_filters_alone_list_what_they_select(client, corpus):
    """Without words the filters choose (the 100,000-item benchmark found nothing for
    "soort=ervaring" alone after the ranking work)."""
    assert ask(client, "", soort="ervaring") == ["Onze ervaring met actieve openbaarmaking"]
    assert len(ask(client, "", soort="dilemma")) == 2  # the public ones


def test_sort_by_date_and_load_more(app, client, make_item, drain):
    app.config["SEARCH_PAGE_SIZE"] = 2
    for n in range(5):
        make_item(visibility="public", title=f"Lakken in besluit {n}")
    drain()
    first = ask(client, "lakken", sorteer="date")
    assert first == ["Lakken in besluit 4", "Lakken in besluit 3"]
    page = client.get("/zoeken?q=lakken&sorteer=date").text
    assert "Meer laden" in page or "Load more" in page
    more = client.get(
        "/zoeken?q=lakken&sorteer=date&pagina=2&meer=1", headers={"HX-Request": "true"}
    ).text
    assert titles(more) == ["Lakken in besluit 2", "Lakken in besluit 1"] and "<html" not in more


def test_newest_of_a_big_set_first_also_among_equal_scores(app, client, make_item, drain):
    """Past a few dozen hits the newest are found by walking the index newest first; newer
    documents that do not match are stepped over."""
    app.config["SEARCH_PAGE_SIZE"] = 2
    for n in range(80):
        make_item(visibility="public", title=f"Lakken in besluit {n}")
    for n in range(30):
        make_item(visibility="public", title=f"Archiveren van mail {n}")
    drain()
    newest = ["Lakken in besluit 79", "Lakken in besluit 78"]
    assert ask(client, "lakken", sorteer="date") == newest
    assert ask(client, "lakken") == newest  # equal scores: the newest first
    assert ask(client, "archiveren", sorteer="date") == [
        "Archiveren van mail 29",
        "Archiveren van mail 28",
    ]


def test_visitors_members_and_group_members_see_only_what_they_may(
    app, client, auth, make_member, make_item, drain
):
    from tests.test_access import make_working_group

    lead, insider, outsider = make_member(), make_member(), make_member()
    group_id = make_working_group(app, lead, join_policy="open")
    _join(app, group_id, insider)
    make_item(visibility="public", title="Kwaliteitsdashboard openbaar")
    make_item(visibility="members", title="Kwaliteitsdashboard voor leden")
    make_item(
        visibility="group", group_id=group_id, author=lead, title="Kwaliteitsdashboard geheim"
    )
    drain()
    assert ask(client, "kwaliteitsdashboard") == ["Kwaliteitsdashboard openbaar"]
    auth.login(outsider)
    seen = set(ask(client, "kwaliteitsdashboard"))
    assert seen == {"Kwaliteitsdashboard openbaar", "Kwaliteitsdashboard voor leden"}
    page = client.get("/zoeken?q=geheim").text
    assert "geheim" not in " ".join(titles(page)).lower()
    assert "Kwaliteitsdashboard geheim" not in page
    # Not as a count or a suggestion either: a misspelling of a word only the group used.
    page = client.get("/zoeken?q=kwaliteitsdashbord geheim").text
    assert "Kwaliteitsdashboard geheim" not in page and "geheim</a>" not in page
    with app.test_request_context():
        from alliance.members.models import Member
        from alliance.search.services import SearchQuery, search

        viewer = db.session.get(Member, outsider.id)
        result = search(SearchQuery(text="kwaliteitsdashboard"), viewer, 10)
        assert result.total == 2
        assert sum(v.count for f in result.facets if f.name == "soort" for v in f.values) == 2
    auth.logout()
    auth.login(insider)
    assert "Kwaliteitsdashboard geheim" in ask(client, "kwaliteitsdashboard")
    # Leaving the group: the content is gone from search at once (no reindex needed).
    _leave(app, group_id, insider)
    assert "Kwaliteitsdashboard geheim" not in ask(client, "kwaliteitsdashboard")


def _join(app, group_id, member):
    from alliance.groups.models import WorkingGroup
    from alliance.groups.services import join
    from alliance.members.models import Member

    with app.test_request_context(method="POST"):
        join(db.session.get(WorkingGroup, group_id), db.session.get(Member, member.id))
        db.session.commit()


def _leave(app, group_id, member):
    from alliance.groups.models import WorkingGroup
    from alliance.groups.services import leave
    from alliance.members.models import Member

    with app.test_request_context(method="POST"):
        leave(db.session.get(WorkingGroup, group_id), db.session.get(Member, member.id))
        db.session.commit()


def test_profiles_show_only_fields_the_searcher_may_see(client, auth, make_member, drain):
    make_member(
        name="Pien Profiel",
        offers=["Woo-verzoeken afhandelen"],
        bio="Ik ken alles van archiefwetgeving.",
        public_fields=["offers"],
    )
    make_member(name="Stille Sam", offers=["Woo-verzoeken afhandelen"])  # nothing public
    drain()
    assert ask(client, "woo-verzoek") == ["Pien Profiel"]  # visitors: public fields only
    assert ask(client, "archiefwetgeving") == []
    auth.login(make_member())
    assert set(ask(client, "woo-verzoeken")) == {"Pien Profiel", "Stille Sam"}
    assert ask(client, "archiefwetgeving") == ["Pien Profiel"]
    # The directory's text search uses the same index: stems, prefixes as typed.
    directory = client.get("/leden?q=woo-verzoek afhandel").text
    assert "Pien Profiel" in directory and "Stille Sam" in directory


def test_misspelling_suggests_and_nothing_found_offers_a_way_out(client, corpus):
    page = client.get("/zoeken?q=bouwvergunigen").text  # a letter missing
    assert "Wob-verzoek over bouwvergunningen" in titles(page)
    assert "bouwvergunningen" in page and ("Niets gevonden voor" in page)
    empty = client.get("/zoeken?q=xylofoonconcert&thema=1").text
    assert titles(empty) == []
    assert "Zoek opnieuw zonder filters" in empty and "Open Informatie" in empty


def test_header_quick_results_and_the_page_without_javascript(client, corpus):
    quick = client.get("/zoeken?q=bouwverg&snel=1", headers={"HX-Request": "true"}).text
    assert "<html" not in quick and "Wob-verzoek over bouwvergunningen" in titles(quick)
    assert 'id="site-search-status"' in quick  # the count, announced out of band
    plain = client.get("/zoeken?q=bouwvergunningen")
    assert "<html" in plain.text and 'role="search"' in plain.text
    assert "1 resultaat" in plain.text


def test_a_committed_change_is_findable_within_two_seconds(client, auth, make_member):
    auth.login(make_member())
    response = client.post(
        "/kennisbank/nieuw?soort=dilemma",
        data={
            "title": "Vergaderstukken van de rekenkamer",
            "tension": "Wat publiceren we vooraf?",
            "visibility": "members",
        },
    )
    assert response.status_code in (302, 303)
    deadline = time.monotonic() + 2
    while "Vergaderstukken van de rekenkamer" not in ask(client, "rekenkamer"):
        assert time.monotonic() < deadline, "not findable within 2 s"
        time.sleep(0.05)


def test_a_rollback_leaves_nothing_behind(app, make_member, drain):
    from alliance.knowledge.services import ItemChange, post_item
    from alliance.members.models import Member

    author = make_member()
    with app.test_request_context(method="POST"):
        post_item(
            db.session.get(Member, author.id),
            ItemChange(kind="dilemma", title="Teruggedraaid", fields={"tension": "x"}),
        )
        db.session.rollback()
        assert _waiting("item") == 0
    drain()
    with app.test_request_context():
        from alliance.search.services import SearchQuery, search

        assert search(SearchQuery(text="teruggedraaid"), AnonymousUserMixin(), 10).total == 0


def _waiting(kind: str, app=None) -> int:
    """Outbox rows of this kind still waiting."""
    if app is None:
        return db.session.scalar(
            select(func.count(SearchOutbox.id)).where(SearchOutbox.kind == kind)
        )
    with app.app_context():
        try:
            return _waiting(kind)
        finally:
            db.session.remove()


def _worker(app, task: str, *arguments: str) -> subprocess.CompletedProcess:
    """Run ``tests/search_worker.py`` in a process of its own against the test database."""
    config = {
        key: app.config[key]
        for key in ("DATABASE_URL", "SQLALCHEMY_ENGINE_OPTIONS", "SEARCH_INDEX_DIR")
        if app.config.get(key) is not None
    }
    config["DATABASE_URL"] = app.config["SQLALCHEMY_DATABASE_URI"]
    env = {**os.environ, "SEARCH_WORKER_CONFIG": json.dumps(config)}
    return subprocess.Popen(
        [sys.executable, os.path.join(ROOT, "tests", "search_worker.py"), task, *arguments],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_process_killed_between_commit_and_drain_loses_nothing(app, make_member, drain):
    author = make_member()
    process = _worker(app, "post-and-die", str(author.id), "Brandweerrapport na de storm")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 9, err
    # Whoosh: committed, not yet indexed. PostgreSQL: indexed in the same commit, no outbox.
    assert _waiting("item", app) == (0 if POSTGRESQL_SEARCH else 1)
    drain()
    assert _waiting("item", app) == 0
    with app.test_request_context():
        from alliance.members.models import Member
        from alliance.search.services import SearchQuery, search

        viewer = db.session.get(Member, author.id)
        assert search(SearchQuery(text="brandweerrapport"), viewer, 10).total == 1


def test_four_processes_writing_at_once_lose_nothing(app, make_member, drain):
    author = make_member()
    processes = [
        _worker(app, "post-many", str(author.id), f"Proces{number}", "8") for number in range(4)
    ]
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert "Traceback" not in err and "locked" not in err
    drain()
    with app.test_request_context():
        from alliance.members.models import Member
        from alliance.search.services import SearchQuery, search

        viewer = db.session.get(Member, author.id)
        for number in range(4):
            assert search(SearchQuery(text=f"proces{number}"), viewer, 10).total == 8
        assert db.session.scalar(select(func.count(SearchOutbox.id))) == 0


@whoosh_only
def test_a_missing_index_does_not_take_the_site_down(app, client, corpus):
    from alliance.search.index import current_target, index_dir

    with app.app_context():
        assert current_target() is not None
        (index_dir() / "current").unlink()
    page = client.get("/zoeken?q=ervaring")
    assert page.status_code == 200 and "opnieuw opgebouwd" in page.text
    assert client.get("/kennisbank/").status_code == 200
    assert client.get("/").status_code == 200


def test_rebuild_builds_aside_shows_progress_and_swaps(app, runner, corpus):
    from alliance.search.index import current_target

    with app.app_context():
        before = current_target()
        if POSTGRESQL_SEARCH:  # the rebuild must find what is not in the table at all
            db.session.execute(SearchDocument.__table__.delete())
            db.session.commit()
    result = runner.invoke(args=["search", "rebuild", "--procs", "1"])
    assert result.exit_code == 0, result.output
    assert "item:" in result.output and "100 %" in result.output
    assert "Indexed" in result.output
    with app.app_context():
        after = current_target()
        if not POSTGRESQL_SEARCH:
            assert after != before and not before.exists()
    status = runner.invoke(args=["search", "status"])
    assert "Documents: " in status.output and "Waiting in the outbox: 0" in status.output
    client = app.test_client()
    assert "Onze ervaring met actieve openbaarmaking" in ask(client, "ervaring")


def test_edits_moves_and_deletions_reach_the_index(app, make_member, make_item, drain):
    from alliance.knowledge.models import Item
    from alliance.knowledge.services import delete_item
    from alliance.search.services import SearchQuery, search

    item_id = make_item(visibility="public", title="Archiefbeleid herzien")
    drain()

    def found(text):
        with app.test_request_context():
            return search(SearchQuery(text=text), AnonymousUserMixin(), 10).total

    assert found("archiefbeleid") == 1
    with app.test_request_context(method="POST"):
        item = db.session.get(Item, item_id)
        item.visibility = "members"  # moved out of public sight (as an edit would)
        from alliance.search.receivers import mark_changed

        mark_changed("item", item_id)
        db.session.commit()
    drain()
    assert found("archiefbeleid") == 0
    with app.test_request_context(method="POST"):
        delete_item(db.session.get(Item, item_id))
        db.session.commit()
    drain()
    with app.app_context():
        assert not indexed(f"item:{item_id}")
        db.session.remove()


def indexed(owner: str) -> bool:
    """Whether the search index holds a document of ``owner`` ("item:3"), on either backend."""
    if POSTGRESQL_SEARCH:
        return bool(
            db.session.scalar(select(func.count()).where(SearchDocument.owner == owner))
        )
    from alliance.search.engine import current_view

    return current_view().term("owner", owner) != 0


def test_every_search_route_is_fine_with_odd_input(client, corpus):
    for text in ['"', '"open', "NIET", "OF OF", "-", "*", "a" * 300, "\x00", "(((", "wob*"]:
        assert client.get("/zoeken", query_string={"q": text}).status_code == 200
        assert (
            client.get(
                "/zoeken", query_string={"q": text, "snel": "1"}, headers={"HX-Request": "true"}
            ).status_code
            == 200
        )
    for params in ({"pagina": "-3"}, {"pagina": "x"}, {"sorteer": "nope"}, {"jaar": "abcd"}):
        assert client.get("/zoeken", query_string={"q": "wob", **params}).status_code == 200


# --- working groups: the public side is found by members, the space never --------------------


def _result(app, text: str, viewer=None, **filters):
    """What ``search`` answers ``viewer`` (a MemberInfo; None: a visitor): (titles, total,
    {facet parameter: {value: count}})."""
    from alliance.members.models import Member
    from alliance.search.services import SearchQuery, search

    with app.test_request_context():
        who = db.session.get(Member, viewer.id) if viewer else AnonymousUserMixin()
        result = search(SearchQuery(text=text, **filters), who, 20)
        facets = {f.name: {v.value: v.count for v in f.values} for f in result.facets}
        shown = [html.unescape(re.sub(r"<[^>]+>", "", str(hit.title))) for hit in result.hits]
        db.session.remove()
    return shown, result.total, facets


def test_a_groups_public_side_is_found_by_every_member_and_not_by_visitors(
    app, client, auth, make_member, drain
):
    from tests.test_access import make_working_group

    lead, outsider = make_member(), make_member()
    make_working_group(
        app,
        lead,
        name="Werkgroep Zeefdruk",
        opgave="Hoe maken we raadsbesluiten vindbaar met de Lantaarnmethode?",
        description="We lezen de Ooievaarnota samen.",
    )
    drain()
    for word in ("zeefdruk", "lantaarnmethode", "ooievaarnota"):  # name, opgave, description
        assert ask(client, word) == [], word  # a visitor: not even that the group exists
    assert (
        titles(client.get("/zoeken?q=zeefdruk&snel=1", headers={"HX-Request": "true"}).text) == []
    )
    auth.login(outsider)  # a member who is not in the group
    for word in ("zeefdruk", "lantaarnmethode", "ooievaarnota"):
        assert ask(client, word) == ["Werkgroep Zeefdruk"], word
    page = client.get("/zoeken?q=lantaarnmethode").text
    assert "Lantaarnmethode</mark>" in page  # the snippet comes from the opgave
    quick = client.get("/zoeken?q=zeefdr&snel=1", headers={"HX-Request": "true"}).text
    assert titles(quick) == ["Werkgroep Zeefdruk"]
    shown, total, facets = _result(app, "zeefdruk", outsider)
    assert (shown, total) == (["Werkgroep Zeefdruk"], 1)
    assert facets["soort"] == {"group": 1} and facets["status"] == {"active": 1}
    assert _result(app, "zeefdruk") == ([], 0, {})  # a visitor's counts are empty too


def test_an_archived_group_stays_findable_and_the_status_facet_counts_groups(
    app, client, auth, make_member, drain
):
    from alliance.groups import space
    from alliance.groups.models import WorkingGroup
    from alliance.members.models import Member
    from tests.test_access import make_working_group

    lead = make_member()
    done = make_working_group(app, lead, name="Archiefgroep Veenweide")
    make_working_group(app, lead, name="Actieve groep Veenweide")
    wrapping = make_working_group(app, lead, name="Afrondende groep Veenweide")
    with app.test_request_context(method="POST"):
        me = db.session.get(Member, lead.id)
        group = db.session.get(WorkingGroup, done)
        space.start_wrap_up(group)
        space.save_result(
            group,
            {
                "title": "Opbrengst",
                "made": "Een lijst.",
                "learned": "Veel.",
                "visibility": "members",
            },
        )
        space.publish_result(group, me)
        space.start_wrap_up(db.session.get(WorkingGroup, wrapping))
        db.session.commit()
    drain()
    auth.login(make_member())
    assert set(ask(client, "veenweide")) == {
        "Archiefgroep Veenweide",
        "Actieve groep Veenweide",
        "Afrondende groep Veenweide",
    }
    assert ask(client, "veenweide", status="archived") == ["Archiefgroep Veenweide"]
    _shown, total, facets = _result(app, "veenweide", lead)
    assert total == 3
    assert facets["status"] == {"active": 1, "wrapping_up": 1, "archived": 1}
    assert facets["soort"] == {"group": 3}
    page = client.get("/zoeken?q=veenweide").text  # the facet as a member sees it
    shown_counts = re.findall(
        r'status=(\w+)"[^>]*>[^<]*<span class="search-facet__count">\((\d+)', page
    )
    assert sorted(shown_counts) == [("active", "1"), ("archived", "1"), ("wrapping_up", "1")]


def test_a_groups_space_is_never_indexed_and_its_posts_only_for_the_group(
    app, client, auth, make_member, make_item, drain
):
    """Tasks and notes are not searchable by anyone (``group_documents`` indexes the public
    side only); the discussion is, for the group's members alone — also in snippets and
    counts."""
    from alliance.groups import space
    from alliance.groups.models import WorkingGroup
    from alliance.members.models import Member
    from tests.test_access import make_working_group

    lead, insider, outsider = make_member(), make_member(), make_member()
    group_id = make_working_group(app, lead, join_policy="open", name="Werkgroep Woo")
    _join(app, group_id, insider)
    make_item(
        visibility="group",
        group_id=group_id,
        author=lead,
        title="Groepsvraag over termijnen",
        fields={"tension": "Het Reigerbesluit van de Woo"},
    )
    make_item(visibility="members", title="Ledenvraag over de Woo")
    with app.test_request_context(method="POST"):
        group = db.session.get(WorkingGroup, group_id)
        me = db.session.get(Member, lead.id)
        space.add_task(group, me, "Bellen over het Kievitdossier", insider.id, None)
        space.add_note(group, me, "Notitie Fazantenlijst", "", "Over het Merelarchief")
        db.session.commit()
    drain()
    auth.login(insider)
    assert ask(client, "reigerbesluit") == ["Groepsvraag over termijnen"]  # the group finds it
    page = client.get("/zoeken?q=woo").text
    assert "Groepsvraag over termijnen" in titles(page) and "Reigerbesluit" in page  # snippet
    for word in ("kievitdossier", "fazantenlijst", "merelarchief"):  # task, note title, note
        assert ask(client, word) == [], word
        assert ask(client, word, typing=True) == [], word
    _shown, total, facets = _result(app, "woo", insider)
    assert total == 3 and facets["soort"] == {"dilemma": 2, "group": 1}
    auth.logout()
    auth.login(outsider)
    for word in ("reigerbesluit", "kievitdossier", "fazantenlijst", "merelarchief"):
        assert ask(client, word) == [], word
    page = client.get("/zoeken?q=woo").text
    assert set(titles(page)) == {"Ledenvraag over de Woo", "Werkgroep Woo"}
    assert "Reigerbesluit" not in page and "Groepsvraag" not in page  # no snippet, no title
    _shown, total, facets = _result(app, "woo", outsider)
    assert total == 2 and facets["soort"] == {"dilemma": 1, "group": 1}  # counts: not either
    assert _result(app, "reigerbesluit", outsider) == ([], 0, {})


def test_an_experience_has_no_status_in_the_facets(app, client, make_item, drain):
    make_item(kind="dilemma", visibility="public", title="Zaakdossiers compleet houden")
    make_item(kind="ervaring", visibility="public", title="Zaakdossiers compleet gemaakt")
    drain()
    page = client.get("/zoeken?q=zaakdossiers").text
    status = re.search(r'id="facet-status">.*?</section>', page, re.S)
    assert status, page
    assert re.search(r"Open <span class=\"search-facet__count\">\(1\)</span>", status.group(0))
    only_open = client.get("/zoeken?q=zaakdossiers&status=open").text
    assert "compleet houden" in only_open and "compleet gemaakt" not in only_open


# ---------------------------------------------------------------------------------------------
# Relevance (issue 19)


def test_every_perspective_theme_and_kind_name_finds_what_it_names(
    app, client, make_member, make_item, drain
):
    """`?q=uitvoering` and `?q=maatschappij` found nothing although the facet counted
    thousands: the names a facet shows were not searchable words."""
    from alliance.knowledge.models import KINDS
    from alliance.members.models import PERSPECTIVES
    from alliance.themes.models import Theme

    with app.app_context():
        themes = [(t.slug, t.name_nl, t.name_en) for t in db.session.scalars(select(Theme))]
    for perspective in PERSPECTIVES:
        author = make_member(perspective=perspective)
        make_item(visibility="public", author=author, title=f"Iets over {perspective[:3]}xq")
    for slug, _nl, _en in themes:
        make_item(visibility="public", title=f"Thema {slug[:4]}zq", themes=[slug])
    for kind in KINDS:
        make_item(kind=kind, visibility="public", title=f"Soort {kind[:3]}kq")
    drain()
    for perspective in PERSPECTIVES:
        assert f"Iets over {perspective[:3]}xq" in ask(client, perspective), perspective
        with app.test_request_context():
            from flask_babel import force_locale

            with force_locale("nl"):
                label = str(PERSPECTIVES[perspective])
        assert f"Iets over {perspective[:3]}xq" in ask(client, label), label
    for slug, name_nl, name_en in themes:
        for name in (name_nl, name_en):
            assert f"Thema {slug[:4]}zq" in ask(client, name), name
    for kind in KINDS:
        assert f"Soort {kind[:3]}kq" in ask(client, kind), kind


def test_a_half_word_submitted_and_a_star_find_words_of_the_text(client, make_item, drain):
    """`pilo*` found nothing while `pilot` found many: prefixes only knew the words of titles,
    and a half word submitted with Enter was no prefix at all."""
    make_item(
        visibility="public",
        title="Een proef met open agenda's",
        fields={"tension": "De pilot liep een jaar; de begroting was krap."},
    )
    drain()
    for text in ("pilo*", "pilo", "begro", "pilot", "PILOT"):
        assert ask(client, text) == ["Een proef met open agenda's"], text


def test_most_of_the_words_match_and_all_of_them_rank_first(client, make_item, drain):
    """All words used to be required; a three-word question whose answer says one word
    differently found nothing. Now most of the words will do, all of them rank first."""
    make_item(visibility="public", title="Kaart", fields={"tension": "kaart dijken"})
    make_item(visibility="public", title="Bomen", fields={"tension": "bomen kaart dijken"})
    make_item(visibility="public", title="Alleen", fields={"tension": "dijken en meer"})
    drain()
    assert ask(client, "bomen kaart dijken") == ["Bomen", "Kaart", "Alleen"]
    assert ask(client, "bomen EN kaart EN dijken") == ["Bomen"]


def test_word_forms_and_compounds_find_each_other(client, make_item, drain):
    make_item(
        visibility="public", title="Stukken", fields={"tension": "Wij hebben alles gepubliceerd."}
    )
    make_item(
        visibility="public", title="Regels", fields={"tension": "Zij schreef een nieuwe regeling."}
    )
    make_item(
        visibility="public", title="Tafel", fields={"tension": "Het bestuursoverleg besloot."}
    )
    make_item(visibility="public", title="Aanvraag", fields={"tension": "Een informatieverzoek."})
    drain()
    assert ask(client, "publiceren") == ["Stukken"]  # a participle and its verb
    assert ask(client, "geschreven") == ["Regels"]  # a strong verb
    assert "Tafel" in ask(client, "overleg")  # the tail of a compound
    assert "Tafel" in ask(client, "besluiten")
    assert "Aanvraag" in ask(client, "verzoek")


def test_the_thesaurus_reaches_inflected_forms(client, make_item, drain):
    make_item(visibility="public", title="Inspraak", fields={"tension": "Wat vinden inwoners?"})
    drain()
    assert ask(client, "burgers") == ["Inspraak"]  # burger ↔ inwoner, in the plural
    assert ask(client, "Burger") == ["Inspraak"]


def test_a_typo_is_corrected_also_when_the_other_words_match(client, corpus):
    page = client.get("/zoeken?q=bouwvergunigen lakken").text
    assert titles(page)[0] == "Wob-verzoek over bouwvergunningen"
    assert "Ook gezocht op: bouwvergunningen" in page
    assert "Ook gezocht op: wob<" in client.get("/zoeken?q=woo").text  # what found something


def test_ranking_weighs_where_and_how_often_a_word_occurs(
    client, auth, make_member, make_item, drain
):
    """Field weights (title over text over replies), term frequency, and knowledge above
    people for a topic word: ties used to be broken by date alone."""
    make_member(name="Gerrit Jansen", offers=["metadata", "archieven"])
    auth.login(make_member())
    make_item(
        visibility="public",
        title="Over standaarden",
        fields={"tension": "Metadata, metadata en nog eens metadata: metadata overal."},
    )
    make_item(visibility="public", title="Over archieven", fields={"tension": "Eén keer metadata."})
    make_item(visibility="public", title="Metadata op orde", fields={"tension": "Kort."})
    drain()
    found = ask(client, "metadata")
    assert found[:3] == ["Metadata op orde", "Over standaarden", "Over archieven"], found
    assert "Gerrit Jansen" in found[3:]
    assert ask(client, "jansen")[0] == "Gerrit Jansen"  # a person's name: the person


def _event(app, organiser, coordinator, visibility="public", group_id=None, approve=True):
    """An event proposed with a description and a place, approved by a coordinator."""
    from datetime import timedelta

    from alliance.agenda import services as agenda
    from alliance.agenda.services import utc_to_local
    from alliance.core.timeutil import utcnow
    from alliance.members.models import Member

    starts = utc_to_local(utcnow()).replace(tzinfo=None, microsecond=0) + timedelta(days=5)
    with app.test_request_context(method="POST"):
        event = agenda.propose_event(
            db.session.get(Member, organiser.id),
            agenda.EventChange(
                title="Meedenksessie over de kompasnaald",
                kind="meedenksessie",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                description="We bespreken het stikstofdossier met bewoners.",
                location="Stadhuis Zwolle",
                visibility=visibility,
                group_id=group_id,
            ),
        )
        if approve and event.state == "proposed":
            agenda.approve(event, db.session.get(Member, coordinator.id))
        db.session.commit()
        return event.id


def test_events_are_found_as_their_agenda_shows_them(
    app, client, auth, make_member, make_item, drain
):
    """Events join the index (title, description, place, report), visible as the event is:
    a proposal is found by nobody, a group's event by its members only, a hidden one not."""
    from datetime import timedelta

    from alliance.agenda.models import Event
    from alliance.agenda.receivers import EVENT
    from alliance.agenda.reports import write_report
    from alliance.members.models import Member
    from tests.test_access import make_working_group

    organiser, coordinator = make_member(), make_member(role="coordinator")
    public_id = _event(app, organiser, coordinator)
    drain()
    for text in ("kompasnaald", "stikstofdossier", "zwolle", "meedenksessie"):
        assert "Meedenksessie over de kompasnaald" in ask(client, text), text
    with app.test_request_context(method="POST"):
        event = db.session.get(Event, public_id)
        event.starts_at -= timedelta(days=10)
        event.ends_at -= timedelta(days=10)
        write_report(event, db.session.get(Member, organiser.id), "Besloten: een windroos.", "")
        db.session.commit()
    drain()
    assert ask(client, "windroos") == ["Meedenksessie over de kompasnaald"]
    lead, outsider = make_member(), make_member()
    group_id = make_working_group(app, lead)
    with app.test_request_context(method="POST"):
        EVENT.set_hidden(db.session.get(Event, public_id), True)  # as the moderation does
        db.session.commit()
    _event(app, lead, coordinator, visibility="group", group_id=group_id)
    _event(app, organiser, coordinator, approve=False)  # a proposal
    drain()
    assert ask(client, "kompasnaald") == []  # hidden, a proposal, a group's
    auth.login(outsider)
    assert ask(client, "kompasnaald") == []
    auth.login(lead)
    assert ask(client, "kompasnaald") == ["Meedenksessie over de kompasnaald"]


@whoosh_only
def test_a_search_survives_another_process_merging_away_the_segments_it_reads(
    app, make_item, drain
):
    """Now and then a drain's commit merges the small segments into a new one and deletes their
    files (segments are written without a compound file), in the worker's process while a
    request in another still reads them: a 500 under load, found by bench/load. What a
    request's view opened stays readable, whatever is committed meanwhile."""
    from alliance.search import engine
    from alliance.search.index import open_index

    make_item(title="Vraag over het archief")
    drain()
    with app.app_context():
        view = engine.current_view()
        unopened = open_index().searcher()  # the same state, its files not opened yet
        segments = {leaf.segment().segment_id() for leaf, _offset in view.leaves}

        def merged_away() -> bool:
            files = os.listdir(view.folder)
            return not all(any(name.startswith(s) for name in files) for s in segments)

        for number in range(40):
            if merged_away():
                break
            make_item(title=f"Nog een vraag over het archief ({number})")
            drain()
        assert merged_away()  # the files of a segment the view reads are gone
        read = [
            (leaf.stored_fields(docnum)["owner"], leaf.doc_field_length(docnum, "title"))
            for leaf, _offset in view.leaves
            for docnum in range(leaf.doc_count_all())
        ]
        assert read and all(owner and length for owner, length in read)
        # A view of a state whose files were deleted before it opened them: refused, so that
        # current_view opens the current state instead.
        with pytest.raises(engine.SegmentGone):
            engine.View(unopened)
        unopened.close()
        engine.forget_views()
        assert engine.current_view().size > view.size


postgresql_search_only = pytest.mark.skipif(
    not POSTGRESQL_SEARCH, reason="about the PostgreSQL search backend's own counting"
)


@postgresql_search_only
def test_a_large_result_set_is_counted_on_the_sample_and_shown_as_about(
    app, client, make_item, drain, monkeypatch
):
    """Above ``SAMPLED_ENOUGH`` hits in the sample the total and the facet counts are
    estimates: the sample's counts times ``SAMPLE_SHARE``, rounded, and the page says so. (The
    sample is made every document and the threshold 1 here: a real sample needs thousands.)"""
    from alliance.search import postgres

    for number in range(3):
        make_item(kind="ervaring", visibility="public", title=f"Zeldzaamheidstoets {number}")
    drain()
    exact = client.get("/zoeken", query_string={"q": "zeldzaamheidstoets"}).text
    assert "3 resultaten" in exact and "ca." not in exact
    monkeypatch.setattr(postgres, "SAMPLE", "true")
    monkeypatch.setattr(postgres, "SAMPLED_ENOUGH", 1)
    page = client.get("/zoeken", query_string={"q": "zeldzaamheidstoets"}).text
    assert "ca. 60 resultaten" in page  # 3 × 20
    assert "(ca. 60)" in page  # the kind facet, and the others
    assert len(titles(page)) == 3  # the results themselves are the real ones
    english = client.get(
        "/zoeken", query_string={"q": "zeldzaamheidstoets"}, headers={"Accept-Language": "en"}
    ).text
    assert "about 60 results" in english or "ca. 60 resultaten" in english


@postgresql_search_only
@pytest.mark.parametrize("viewer", ["visitor", "member"])
def test_the_partial_indexes_serve_the_sample_and_the_visitors(app, viewer):
    """The migration's partial indexes have conditions the planner can prove from the code's
    own: the sample's words, and the words of what visitors may read. (A drift between the two
    costs nothing visible but hundreds of milliseconds at 100,000 documents.) The index of all
    words is dropped inside the transaction (and comes back with the rollback), so that the
    planner has only the partial ones to choose from."""
    from sqlalchemy import text

    from alliance.knowledge.access import VISITOR_TOKENS
    from alliance.search import postgres

    tokens = set(VISITOR_TOKENS) if viewer == "visitor" else {"public", "members"}
    readable = postgres._readable(tokens)
    with app.app_context():
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        db.session.execute(text("DROP INDEX ix_search_document_vector"))
        params = {"tokens": sorted(tokens)}

        def plan(where: str) -> str:
            rows = db.session.execute(
                text(f"EXPLAIN SELECT id FROM search_document WHERE {where}"), params
            ).scalars()
            return "\n".join(rows)

        words = "vector @@ CAST('zeldzaam' AS tsquery)"
        try:
            assert "ix_search_document_sample_" in plan(
                f"{words} AND {readable} AND {postgres.SAMPLE}"
            )
            visitors = "ix_search_document_visitor_words" in plan(f"{words} AND {readable}")
            assert visitors == (viewer == "visitor")
        finally:
            db.session.rollback()
