"""Network health (/coordinatie/gezondheid) and the public /jaarbeeld on a small fixed data set
whose figures are computed by hand below (March 2025, with February as the month before).

The people (perspective, kind of organisation, joined):
  A beleid/gemeente 2025-03-02 · B uitvoering/rijksoverheid 2025-03-03 ·
  C maatschappij/maatschappelijk 2025-01-10 · D onderzoek/kennisinstelling 2025-03-20 ·
  E inwoner/– 2024-06-01 · F maatschappij/bedrijf 2025-03-15
The posts (all for members unless said otherwise):
  d0 A, 02-10 00:00 — B 02-11 00:00 (1 day); E 04-02 (April)
  d1 A, 03-01 10:00 — B 03-01 20:00, C 03-03, D 03-05;
                      decided 03-20 10:00 (19 days), evaluated 05-15 10:00 (75 days)
  d2 B, 03-10 00:00 — B himself 03-10 05:00 (no first reply, but on the perspective meter),
                      A 03-12 12:00 (2.5 days), C 03-13;
                      decided 05-01 00:00 (52 days)
  d3 C, 03-15       — nobody
  d4 B, 03-20 00:00 — E 03-26 (6 days), D 03-27, A 03-28
  x1 F, experience, public, 03-05 — A 03-06; its lesson is public
  d5 A, in a working group, 03-05 — B 03-06            (a group's space: not counted)
  d6 B, 03-25, hidden by the moderation — A 03-26       (not counted)
"""

import html
from datetime import date, datetime

import pytest
from sqlalchemy import insert, update

from alliance.extensions import db
from tests.conftest import AuthActions
from tests.test_access import make_working_group
from tests.test_agenda import make_event  # noqa: F401  (a fixture)

MARCH = "2025-03"


def at(text: str) -> datetime:
    """ "03-01 10:00" in 2025 (or a whole "2024-06-01 00:00")."""
    if not text.startswith("20"):
        text = "2025-" + text
    return datetime.fromisoformat(text if " " in text else text + " 00:00")


@pytest.fixture
def network(app, make_member, make_item, make_event):  # noqa: F811
    from alliance.agenda.models import Event, Signup
    from alliance.groups.models import WorkingGroup
    from alliance.knowledge import services
    from alliance.knowledge.models import Item, Reply
    from alliance.members.models import Member

    people = {
        "A": ("beleid", "gemeente", "03-02"),
        "B": ("uitvoering", "rijksoverheid", "03-03"),
        "C": ("maatschappij", "maatschappelijk", "01-10"),
        "D": ("onderzoek", "kennisinstelling", "03-20"),
        "E": ("inwoner", None, "2024-06-01"),
        "F": ("maatschappij", "bedrijf", "03-15"),
    }
    m = {
        key: make_member(name=f"Lid {key}", perspective=p, organisation_type=o)
        for key, (p, o, _j) in people.items()
    }
    group = make_working_group(app, m["A"])
    posts = {
        "d0": make_item(title="Dilemma nul", author=m["A"]),
        "d1": make_item(title="Dilemma een", author=m["A"]),
        "d2": make_item(title="Dilemma twee", author=m["B"]),
        "d3": make_item(title="Dilemma drie zonder antwoord", author=m["C"]),
        "d4": make_item(title="Dilemma vier", author=m["B"]),
        "x1": make_item(
            kind="ervaring",
            title="Ervaring van F",
            visibility="public",
            author=m["F"],
            fields={"what_we_did": "Samen gedaan.", "lesson": "Publiceer vroeg."},
        ),  # fmt: skip
        "d5": make_item(title="Groepsdilemma", visibility="group", group_id=group, author=m["A"]),
        "d6": make_item(title="Verborgen dilemma", author=m["B"]),
    }
    created = {"d0": "02-10", "d1": "03-01 10:00", "d2": "03-10", "d3": "03-15", "d4": "03-20",
               "x1": "03-05", "d5": "03-05", "d6": "03-25"}  # fmt: skip
    replies = [
        ("d0", "B", "02-11"),
        ("d1", "B", "03-01 20:00"), ("d1", "C", "03-03"),
        ("d1", "D", "03-05"), ("d0", "E", "04-02"),
        ("d2", "B", "03-10 05:00"), ("d2", "A", "03-12 12:00"), ("d2", "C", "03-13"),
        ("d4", "E", "03-26"), ("d4", "D", "03-27"), ("d4", "A", "03-28"),
        ("x1", "A", "03-06"), ("d5", "B", "03-06"), ("d6", "A", "03-26"),
    ]  # fmt: skip
    with app.test_request_context(method="POST"):
        member = {k: db.session.get(Member, v.id) for k, v in m.items()}
        for post, who, when in replies:
            reply = services.add_reply(
                db.session.get(Item, posts[post]), member[who], "Antwoord.", member[who].perspective
            )
            db.session.flush()
            db.session.execute(
                update(Reply).where(Reply.id == reply.id).values(created_at=at(when))
            )
        services.record_decision(db.session.get(Item, posts["d1"]), member["A"], "Zo doen we het.")
        services.record_evaluation(db.session.get(Item, posts["d1"]), member["A"], "Ging goed.",
                                   "Vraag het vroeg.")  # fmt: skip
        services.record_decision(db.session.get(Item, posts["d2"]), member["B"], "Besloten.")
        for key, when in created.items():
            db.session.execute(
                update(Item).where(Item.id == posts[key]).values(created_at=at(when))
            )
        db.session.execute(update(Item).where(Item.id == posts["d1"]).values(
            decided_at=at("03-20 10:00"), evaluated_at=at("05-15 10:00")))  # fmt: skip
        db.session.execute(
            update(Item).where(Item.id == posts["d2"]).values(decided_at=at("05-01"))
        )
        db.session.execute(update(Item).where(Item.id == posts["d6"]).values(hidden_at=at("04-01")))
        for key, (_p, _o, joined) in people.items():
            db.session.execute(
                update(Member).where(Member.id == m[key].id).values(created_at=at(joined))
            )
        # Working groups: g1 started in March; g2 delivered on time; g3 extended; g4 stopped.
        g = [group] + [make_working_group(app, m[k], name=f"Werkgroep {k}") for k in "BCD"]
        for group_id, values in zip(g, [
            dict(created_at=at("03-05"), ends_on=date(2025, 4, 30)),
            dict(created_at=at("01-01"), ends_on=date(2025, 3, 20), state="archived",
                 archived_at=at("03-18"), result_item_id=posts["x1"]),
            dict(created_at=at("01-01"), ends_on=date(2025, 6, 30), extension_reason="Meer tijd."),
            dict(created_at=at("2024-12-01"), ends_on=date(2025, 3, 31), state="archived",
                 archived_at=at("03-25")),
        ], strict=True):  # fmt: skip
            db.session.execute(
                update(WorkingGroup).where(WorkingGroup.id == group_id).values(**values)
            )
        db.session.commit()
    # The agenda: e1 (3 places taken, 1 cancelled, a report), e2 (1 place), a group event and
    # an event still waiting for approval (neither counted).
    e1 = make_event(title="Sessie een", visibility="public")
    e2 = make_event(title="Sessie twee", visibility="members")
    e3 = make_event(title="Groepsoverleg", visibility="group", group_id=group, organiser=m["A"])
    e4 = make_event(title="Voorstel", approved=False)
    with app.app_context():
        for event_id, kind, day in (
            (e1, "meedenksessie", "03-10"),
            (e2, "bijeenkomst", "03-22"),
            (e3, "werkgroep", "03-12"),
            (e4, "meedenksessie", "03-14"),
        ):
            db.session.execute(update(Event).where(Event.id == event_id).values(
                kind=kind, starts_at=at(day + " 13:00"), ends_at=at(day + " 16:00")))  # fmt: skip
        db.session.execute(update(Event).where(Event.id == e1).values(
            report="Het verslag.", report_at=at("03-11")))  # fmt: skip
        rows = [(e1, "A", "signed_up"), (e1, "B", "signed_up"), (e1, "C", "signed_up"),
                (e1, "D", "cancelled"), (e2, "E", "signed_up"), (e3, "B", "signed_up")]  # fmt: skip
        db.session.execute(insert(Signup), [
            {"event_id": e, "member_id": m[k].id, "state": s} for e, k, s in rows])  # fmt: skip
        db.session.commit()
    return {"members": m, "posts": posts}


def figures_of(app, period: str = MARCH, theme: str = ""):
    from alliance.insight import figures, periods

    found = periods.parse(period)
    with app.test_request_context():
        return {
            "traffic": figures.traffic(found, theme),
            "answered": figures.answered(found, theme),
            "answered_before": figures.answered(found.previous(), theme),
            "heard": figures.heard(found, theme),
            "closing": figures.closing(found, theme),
            "give_take": figures.give_and_take(found, theme),
            "takers": [m.name for m in figures.only_takers(found, theme)],
            "groups": figures.groups(found, theme),
            "agenda": figures.agenda(found, theme),
            "growth": figures.growth(
                [datetime(2025, 1, 1), datetime(2025, 2, 1), datetime(2025, 3, 1)], theme
            ),  # fmt: skip
            "by_type": figures.growth_by_organisation(found, theme),
        }


def test_the_figures_match_the_hand_computed_ones(app, network):
    f = figures_of(app)
    assert f["traffic"] == {
        ("beleid", "uitvoering"): 1, ("beleid", "maatschappij"): 1, ("beleid", "onderzoek"): 1,
        ("uitvoering", "beleid"): 2, ("uitvoering", "maatschappij"): 1,
        ("uitvoering", "inwoner"): 1, ("uitvoering", "onderzoek"): 1, ("maatschappij", "beleid"): 1,
    }  # fmt: skip
    answered = f["answered"]
    assert (answered.posted, answered.eligible, answered.within_three_days) == (4, 4, 2)
    assert answered.share == 50.0
    assert answered.buckets == {"day": 1, "three_days": 1, "week": 1, "later": 0, "none": 1}
    assert answered.median_days == pytest.approx(2.5, abs=1e-6)
    assert f["answered_before"].share == 100.0  # d0: a reply after exactly one day
    heard = f["heard"]
    # As on each item's perspective meter: d1 3, d2 3 (the asker's own too), d3 0, d4 3.
    assert (heard.dilemmas, heard.with_three, heard.share) == (4, 3, 75.0)
    assert heard.by_perspective == {
        "beleid": 2, "uitvoering": 2, "maatschappij": 2, "inwoner": 1, "onderzoek": 2
    }  # fmt: skip
    assert heard.most_missing == "inwoner"
    # (dilemmas old enough, decided within, evaluated within)
    assert f["closing"] == {30: (4, 1, 0), 90: (4, 2, 1)}
    assert f["give_take"] == {"both": 2, "give": 3, "take": 1}
    assert f["takers"] == ["Lid F"]
    assert f["groups"] == {"started": 1, "on_time": 1, "extended": 1, "stopped": 1, "published": 1}
    assert f["agenda"] == {"meedenksessie": (1, 3, 1), "bijeenkomst": (1, 1, 0)}
    assert f["growth"] == {"2025-01": (1, 0), "2025-02": (0, 2), "2025-03": (4, 6)}
    assert f["by_type"] == {
        "gemeente": (1, 1), "rijksoverheid": (1, 1), "kennisinstelling": (1, 1),
        "bedrijf": (1, 1), "maatschappelijk": (0, 1), None: (0, 1),
    }  # fmt: skip


def test_a_theme_narrows_every_figure(app, network):
    f = figures_of(app, theme="open-inkoop")  # nothing carries this theme
    assert f["traffic"] == {} and f["answered"].posted == 0 and f["heard"].dilemmas == 0
    assert f["give_take"] == {"both": 0, "give": 0, "take": 0}
    assert f["groups"]["started"] == 0 and f["agenda"] == {}


def test_a_member_who_refuses_matching_is_not_named(app, network):
    from alliance.notify.models import NotificationSetting

    with app.app_context():
        db.session.add(NotificationSetting(member_id=network["members"]["F"].id,
                                           matching_opt_out=True))  # fmt: skip
        db.session.commit()
    assert figures_of(app)["takers"] == []


def coordinator_client(app, make_member):
    client = app.test_client()
    AuthActions(client).login(make_member(name="Coördinator", role="coordinator"))
    return client


def test_the_dashboard_shows_the_figures_in_words_tables_and_csv(app, network, make_member):
    client = coordinator_client(app, make_member)
    page = client.get(f"/coordinatie/gezondheid?periode={MARCH}")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "In maart 2025 kreeg 50 % van de dilemma's binnen drie dagen een reactie." in text
    assert "Dat is 50 punten minder dan in februari 2025." in text
    assert "Dilemma drie zonder antwoord" in text  # the list to act on
    assert "Groepsdilemma" not in text and "Verborgen dilemma" not in text
    assert "Lid F" in text  # only took, allows matching
    for key in ("tweerichtingsverkeer", "beantwoord", "perspectieven", "de-cirkel-rond",
                "geven-en-nemen", "werkgroepen", "agenda", "groei"):  # fmt: skip
        assert f'id="{key}"' in text and f"/coordinatie/gezondheid/{key}.csv" in text
    assert text.count('role="img"') == 8 and text.count("<table") == 9
    csv = client.get(f"/coordinatie/gezondheid/de-cirkel-rond.csv?periode={MARCH}")
    assert csv.mimetype == "text/csv"
    assert "30 dagen,1 van 4 (25 %),0 van 4 (0 %)" in csv.text
    assert "90 dagen,2 van 4 (50 %),1 van 4 (25 %)" in csv.text


@pytest.mark.parametrize("role", ["anonymous", "member", "coordinator without two-step login"])
def test_only_coordinators_see_the_dashboard(app, make_member, role):
    client = app.test_client()
    if role == "member":
        AuthActions(client).login(make_member())
    elif role != "anonymous":
        AuthActions(client).login(make_member(role="coordinator", two_factor=False))
    for path in ("/coordinatie/gezondheid", "/coordinatie/gezondheid/groei.csv"):
        response = client.get(path)
        if role == "anonymous":
            assert response.status_code in (302, 303) and "/inloggen" in response.location
        else:
            assert response.status_code in (303, 403)


def test_bad_periods_and_themes_fall_back(app, network, make_member):
    client = coordinator_client(app, make_member)
    for query in ("periode=2025-13", "periode=x", "periode=2025-K9", "thema=bestaat-niet"):
        assert client.get(f"/coordinatie/gezondheid?{query}").status_code == 200
    assert client.get("/coordinatie/gezondheid/onbekend.csv").status_code == 404


def test_the_jaarbeeld_suppresses_small_numbers_and_names_nobody(client, network):
    page = client.get("/jaarbeeld?jaar=2025")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "< 5" in text
    for name in ("Lid A", "Lid F", "Dilemma drie", "Dilemma een"):
        assert name not in text
    assert "Publiceer vroeg." in text  # the public lesson of the year
    assert "Vraag het vroeg." not in text  # a lesson for members only
    # 11 replies in 2025 (9 in March, 1 in February, 1 in April): the total is shown, every
    # cell is small.
    assert "In 2025 reageerden leden 11 keer op berichten van anderen" in text
    csv = client.get("/jaarbeeld/tweerichtingsverkeer.csv?jaar=2025").text
    assert "< 5" in csv and not any(str(n) in csv.split("\n")[1] for n in (1, 2, 3, 4))
    groups = client.get("/jaarbeeld/werkgroepen.csv?jaar=2025").text
    assert groups.count("< 5") == 5


def test_the_figure_cache_keeps_at_most_ten_minutes(app, monkeypatch):
    from alliance.insight import cache

    made = []
    clock = [1000.0]
    monkeypatch.setattr(cache.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(cache, "_store", {})

    def make():
        made.append(1)
        return len(made)

    with app.test_request_context():
        assert cache.cached(("k",), make) == 1 and cache.cached(("k",), make) == 2  # off
        app.config["INSIGHT_CACHE_SECONDS"] = 3600  # asked for an hour: ten minutes it is
        assert cache.cached(("k",), make) == 3
        clock[0] += 599
        assert cache.cached(("k",), make) == 3
        clock[0] += 2
        assert cache.cached(("k",), make) == 4
