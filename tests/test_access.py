"""Who may open what: a route × role matrix that every feature extends with its own rows."""

import pytest
from sqlalchemy import select

from tests.test_search import titles

ROLES = ("anonymous", "member", "coordinator", "admin")
LOGIN = 302  # anonymous visitors are sent to the login page

#: (method, path, expected status per role in ROLES order). ``{private}`` is the id of a member
#: whose profile has no public fields.
MATRIX = [
    ("GET", "/", (200, 200, 200, 200)),
    ("GET", "/toegankelijkheid", (200, 200, 200, 200)),
    ("GET", "/privacy", (200, 200, 200, 200)),
    ("GET", "/huisregels", (200, 200, 200, 200)),
    ("GET", "/contact", (200, 200, 200, 200)),
    ("GET", "/themas/", (200, 200, 200, 200)),
    ("GET", "/themas/open-informatie", (200, 200, 200, 200)),
    ("GET", "/leden", (LOGIN, 200, 200, 200)),
    ("GET", "/leden/{private}", (404, 200, 200, 200)),
    ("GET", "/profiel", (LOGIN, 302, 302, 302)),
    ("GET", "/profiel/bewerken", (LOGIN, 200, 200, 200)),
    ("GET", "/account", (LOGIN, 200, 200, 200)),
    ("GET", "/uitnodigen", (LOGIN, 403, 200, 200)),
    ("GET", "/beheer/rollen", (LOGIN, 403, 403, 200)),
    ("GET", "/themas/beheer", (LOGIN, 403, 200, 200)),
    ("GET", "/themas/open-inkoop/bewerken", (LOGIN, 403, 200, 200)),
    ("POST", "/themas/open-inkoop/status", (LOGIN, 403, 303, 303)),
    ("POST", "/beheer/rollen", (LOGIN, 403, 403, 303)),
    ("POST", "/uitnodigen", (LOGIN, 403, 303, 303)),
    ("GET", "/uitloggen", (405, 405, 405, 405)),  # no change of state through GET
    ("GET", "/taal", (405, 405, 405, 405)),
    # Kennisbank: {public}, {members} and {group} are items of another member.
    ("GET", "/kennisbank/", (200, 200, 200, 200)),
    ("GET", "/kennisbank/{public}", (200, 200, 200, 200)),
    ("GET", "/kennisbank/{members}", (404, 200, 200, 200)),
    ("GET", "/kennisbank/{group}", (404, 404, 404, 404)),  # group members only: see GROUP_MATRIX
    ("GET", "/kennisbank/{members}/geschiedenis", (404, 200, 200, 200)),
    ("GET", "/kennisbank/{group}/geschiedenis", (404, 404, 404, 404)),
    ("GET", "/kennisbank/nieuw", (LOGIN, 200, 200, 200)),
    ("GET", "/kennisbank/vergelijkbaar?title=wethouder", (LOGIN, 200, 200, 200)),
    ("GET", "/kennisbank/{members}/bewerken", (LOGIN, 403, 200, 200)),
    ("POST", "/kennisbank/{members}/reacties", (LOGIN, 303, 303, 303)),
    ("POST", "/kennisbank/{group}/reacties", (LOGIN, 404, 404, 404)),
    ("POST", "/kennisbank/{members}/besluit", (LOGIN, 403, 303, 303)),
    ("POST", "/kennisbank/{members}/herken", (LOGIN, 303, 303, 303)),
    ("POST", "/kennisbank/{group}/herken", (LOGIN, 404, 404, 404)),
    ("POST", "/kennisbank/{members}/volg", (LOGIN, 303, 303, 303)),
    ("POST", "/kennisbank/reacties/{reply}/nuttig", (LOGIN, 303, 303, 303)),
    ("POST", "/kennisbank/reacties/{reply}/hielp", (LOGIN, 403, 403, 403)),  # only the asker
    ("GET", "/kennisbank/reacties/{reply}/bewerken", (LOGIN, 403, 403, 403)),  # only its author
    ("POST", "/kennisbank/reacties/{group_reply}/nuttig", (LOGIN, 404, 404, 404)),
    # Notifications and matching: {notification} belongs to the author of the items.
    ("GET", "/meldingen", (LOGIN, 200, 200, 200)),
    ("GET", "/meldingen/teller", (204, 200, 200, 200)),  # logged out: htmx swaps nothing
    ("GET", "/meldingen/instellingen", (LOGIN, 200, 200, 200)),
    ("POST", "/meldingen/instellingen", (LOGIN, 303, 303, 303)),
    ("POST", "/meldingen/gelezen", (LOGIN, 303, 303, 303)),
    ("POST", "/meldingen/{notification}/gelezen", (LOGIN, 404, 404, 404)),  # not theirs
    ("GET", "/meldingen/namen?body=@Aut", (LOGIN, 200, 200, 200)),
    ("GET", "/meldingen/afmelden/vervalst", (404, 404, 404, 404)),
    ("POST", "/meldingen/afmelden/vervalst", (404, 404, 404, 404)),
    ("GET", "/gevraagd", (LOGIN, 200, 200, 200)),
    ("GET", "/kennisbank/{members}/meedenkers", (LOGIN, 403, 403, 403)),  # the asker only
    ("POST", "/kennisbank/{members}/meedenkers", (LOGIN, 403, 403, 403)),
    ("GET", "/kennisbank/{group}/meedenkers", (LOGIN, 404, 404, 404)),
    ("POST", "/kennisbank/{group}/meedenkers", (LOGIN, 404, 404, 404)),
    # Trust: reporting, moderation, roles, two-step login, sessions, my data.
    ("GET", "/melden/item/{members}", (LOGIN, 200, 200, 200)),
    ("GET", "/melden/item/{group}", (LOGIN, 404, 404, 404)),
    ("GET", "/melden/profile/{private}", (LOGIN, 200, 200, 200)),
    ("POST", "/melden/reply/{reply}", (LOGIN, 303, 303, 303)),
    ("POST", "/melden/reply/{group_reply}", (LOGIN, 404, 404, 404)),
    ("GET", "/moderatie", (LOGIN, 403, 200, 200)),
    ("GET", "/moderatie?toon=verborgen", (LOGIN, 403, 200, 200)),
    ("GET", "/moderatie/meldingen/{report}", (LOGIN, 403, 200, 200)),
    ("POST", "/moderatie/meldingen/{report}", (LOGIN, 403, 303, 303)),
    ("GET", "/moderatie/leden/{private}/schorsen", (LOGIN, 403, 200, 200)),
    ("POST", "/moderatie/leden/{private}/schorsen", (LOGIN, 403, 303, 303)),
    ("POST", "/moderatie/leden/{private}/opheffen", (LOGIN, 403, 303, 303)),
    ("GET", "/moderatie/logboek", (LOGIN, 403, 200, 200)),
    ("GET", "/moderatie/logboek.csv", (LOGIN, 403, 403, 200)),
    ("GET", "/rollen", (200, 200, 200, 200)),
    ("GET", "/rollen/coordinator", (200, 200, 200, 200)),
    ("GET", "/inloggen/code", (303, 303, 303, 303)),  # nobody is halfway through logging in
    ("GET", "/account/tweestapsverificatie", (LOGIN, 200, 200, 200)),
    ("GET", "/account/tweestapsverificatie/herstelcodes", (LOGIN, 303, 303, 303)),
    ("POST", "/account/tweestapsverificatie/herstelcodes", (LOGIN, 404, 303, 303)),
    ("GET", "/account/sessies", (LOGIN, 200, 200, 200)),
    ("POST", "/account/sessies/beeindigen", (LOGIN, 404, 404, 404)),  # not one of mine
    ("GET", "/mijn-gegevens", (LOGIN, 200, 200, 200)),
    ("GET", "/mijn-gegevens/download", (LOGIN, 200, 200, 200)),
    ("POST", "/mijn-gegevens/verwijderen", (LOGIN, 400, 400, 400)),  # no password given
    ("GET", "/mijn-gegevens/verwijderen", (405, 405, 405, 405)),
]

POST_DATA = {
    "/themas/open-inkoop/status": {"retired": "0"},
    "/beheer/rollen": {"member_id": "{private}", "role": "member"},
    "/uitnodigen": {"email": "iemand@example.org", "language": "nl"},
    "/kennisbank/{members}/reacties": {"body": "Bij ons werkt dit zo.", "perspective": "beleid"},
    "/kennisbank/{group}/reacties": {"body": "Bij ons werkt dit zo.", "perspective": "beleid"},
    "/kennisbank/{members}/besluit": {"decision": "We maken het openbaar."},
    "/kennisbank/{members}/herken": {"aan": "1"},
    "/kennisbank/{group}/herken": {"aan": "1"},
    "/kennisbank/{members}/volg": {"aan": "1"},
    "/kennisbank/reacties/{reply}/nuttig": {"aan": "1"},
    "/kennisbank/reacties/{reply}/hielp": {"aan": "1"},
    "/kennisbank/reacties/{group_reply}/nuttig": {"aan": "1"},
    "/meldingen/instellingen": {"monthly_cap": "2"},
    "/kennisbank/{members}/meedenkers": {"member_id": "{private}"},
    "/kennisbank/{group}/meedenkers": {"member_id": "{private}"},
    "/melden/reply/{reply}": {"reason": "Past niet bij de huisregels."},
    "/melden/reply/{group_reply}": {"reason": "Past niet bij de huisregels."},
    "/moderatie/meldingen/{report}": {"action": "dismiss", "reason": "Niets mis."},
    "/moderatie/leden/{private}/schorsen": {"days": "3", "reason": "Schelden."},
    "/moderatie/leden/{private}/opheffen": {"lift-reason": "Gesprek gehad."},
    "/account/tweestapsverificatie/herstelcodes": {"password": "groene appels in de herfst"},
    "/account/sessies/beeindigen": {"sessie": "0" * 64},
}


@pytest.mark.parametrize("role_index, role", list(enumerate(ROLES)))
@pytest.mark.parametrize("method, path, expected", MATRIX, ids=[f"{m} {p}" for m, p, _ in MATRIX])
def test_access(
    app, client, auth, make_member, make_item, mailbox, method, path, expected, role_index, role
):
    private = make_member(name="Privé Persoon")
    ids = {"private": private.id}
    if "{" in path.replace("{private}", ""):
        ids.update(knowledge_objects(app, make_member, make_item))
    if "{report}" in path:
        ids["report"] = report_on(app, "reply", ids["reply"], private)
    if role != "anonymous":
        auth.login(make_member(role=role))
    url = path.format(**ids)
    if method == "GET":
        response = client.get(url)
    else:
        data = {k: v.format(**ids) for k, v in POST_DATA.get(path, {}).items()}
        response = client.post(url, data=data)
    assert response.status_code == expected[role_index], f"{role} {method} {url}"
    if expected[role_index] == LOGIN and role == "anonymous":
        assert "/inloggen" in response.headers["Location"]


def report_on(app, kind: str, ref_id: int, reporter) -> int:
    """An open report by ``reporter``; returns its id."""
    from alliance.extensions import db
    from alliance.members.models import Member
    from alliance.moderation.services import report

    with app.test_request_context(method="POST"):
        made = report(kind, ref_id, db.session.get(Member, reporter.id), "Past niet.")
        db.session.commit()
        return made.id


def knowledge_objects(app, make_member, make_item) -> dict:
    """Items of another member in every visibility, and a reply on two of them."""
    from alliance.extensions import db
    from alliance.knowledge.models import Item
    from alliance.knowledge.services import add_reply
    from alliance.members.models import Member
    from alliance.notify.models import Notification

    author = make_member(name="Auteur")
    group_id = make_working_group(app, author)
    ids = {
        "public": make_item(visibility="public", author=author),
        "members": make_item(visibility="members", author=author),
        "group": make_item(visibility="group", group_id=group_id, author=author),
    }
    with app.test_request_context(method="POST"):
        replier = db.session.get(Member, make_member(name="Beantwoorder").id)
        ids["reply"] = add_reply(db.session.get(Item, ids["members"]), replier, "Zo.", "beleid").id
        ids["group_reply"] = add_reply(db.session.get(Item, ids["group"]), replier, "Zo.", None).id
        db.session.commit()
        ids["notification"] = db.session.scalar(
            select(Notification.id).where(Notification.recipient_id == author.id).limit(1)
        )
    return ids


def make_working_group(app, lead, **changes) -> int:
    """A working group led by ``lead`` (through the service); returns its id."""
    from datetime import timedelta

    from alliance.core.timeutil import utcnow
    from alliance.extensions import db
    from alliance.groups.services import GroupChange, start_group
    from alliance.members.models import Member

    with app.test_request_context(method="POST"):
        fields = {
            "name": "Werkgroep Woo",
            "opgave": "Sneller Woo-verzoeken afhandelen.",
            "deliverable": "Een handreiking",
            "ends_on": utcnow().date() + timedelta(days=60),
            "join_policy": "request",
            **changes,
        }
        group = start_group(db.session.get(Member, lead.id), GroupChange(**fields))
        db.session.commit()
        return group.id


# --- working groups: every route × (anonymous, member, group member, trekker, coordinator) -----

GROUP_ROLES = ("anonymous", "member", "group_member", "lead", "coordinator")

#: ``{grp}`` is a working group; ``{req}`` a request to join it, ``{mem}`` another member of it,
#: ``{task}`` one of its tasks, ``{gitem}`` a post in its private discussion.
GROUP_MATRIX = [
    ("GET", "/werkgroepen/", (LOGIN, 200, 200, 200, 200)),
    ("GET", "/werkgroepen/?open=1&staat=gearchiveerd&thema=x", (LOGIN, 200, 200, 200, 200)),
    ("GET", "/werkgroepen/nieuw", (LOGIN, 200, 200, 200, 200)),
    ("GET", "/werkgroepen/nieuw?dilemma={gitem}", (LOGIN, 200, 200, 200, 200)),
    ("GET", "/werkgroepen/{grp}", (LOGIN, 200, 200, 200, 200)),
    ("GET", "/werkgroepen/999999", (LOGIN, 404, 404, 404, 404)),
    ("GET", "/werkgroepen/{grp}/bewerken", (LOGIN, 403, 403, 200, 403)),
    ("POST", "/werkgroepen/{grp}/bewerken", (LOGIN, 403, 403, 303, 403)),
    ("GET", "/werkgroepen/{grp}/uitnodigen", (LOGIN, 403, 403, 200, 403)),
    ("POST", "/werkgroepen/{grp}/uitnodigen", (LOGIN, 403, 403, 303, 403)),
    ("POST", "/werkgroepen/{grp}/aanmelden", (LOGIN, 303, 200, 200, 303)),
    ("POST", "/werkgroepen/{grp}/uitnodiging-afslaan", (LOGIN, 303, 303, 303, 303)),
    ("POST", "/werkgroepen/{grp}/verlaten", (LOGIN, 303, 303, 303, 303)),
    ("POST", "/werkgroepen/{grp}/leden/{req}/toelaten", (LOGIN, 403, 403, 303, 403)),
    ("POST", "/werkgroepen/{grp}/leden/{req}/afwijzen", (LOGIN, 403, 403, 303, 403)),
    ("POST", "/werkgroepen/{grp}/leden/{mem}/verwijderen", (LOGIN, 403, 403, 303, 403)),
    ("POST", "/werkgroepen/{grp}/leden/{mem}/rol", (LOGIN, 403, 403, 303, 403)),
    ("POST", "/werkgroepen/{grp}/actiepunten", (LOGIN, 403, 303, 303, 403)),
    ("POST", "/werkgroepen/{grp}/actiepunten/{task}", (LOGIN, 403, 303, 303, 403)),
    ("POST", "/werkgroepen/{grp}/links", (LOGIN, 403, 303, 303, 403)),
    ("POST", "/werkgroepen/{grp}/verlengen", (LOGIN, 403, 403, 303, 403)),
    ("POST", "/werkgroepen/{grp}/afronden", (LOGIN, 403, 403, 303, 403)),
    ("GET", "/werkgroepen/{grp}/opbrengst", (LOGIN, 403, 403, 303, 403)),
    ("POST", "/werkgroepen/{grp}/opbrengst", (LOGIN, 403, 403, 303, 403)),
    ("GET", "/kennisbank/{gitem}", (404, 404, 200, 200, 404)),
    ("GET", "/kennisbank/{gitem}/geschiedenis", (404, 404, 200, 200, 404)),
    ("POST", "/kennisbank/{gitem}/reacties", (LOGIN, 404, 303, 303, 404)),
    ("GET", "/kennisbank/{gitem}/meedenkers", (LOGIN, 404, 403, 200, 404)),  # lead asked it
    ("POST", "/kennisbank/{gitem}/meedenkers", (LOGIN, 404, 403, 200, 404)),
]

GROUP_POST_DATA = {
    "/werkgroepen/{grp}/bewerken": {
        "name": "Werkgroep Woo",
        "opgave": "Sneller.",
        "deliverable": "Een handreiking",
        "ends_on": "{ends_on}",
        "size_cap": "8",
        "join_policy": "request",
    },
    "/werkgroepen/{grp}/uitnodigen": {"member_id": "{outsider}"},
    "/werkgroepen/{grp}/aanmelden": {"contribution": "Kennis van de Woo."},
    "/werkgroepen/{grp}/leden/{req}/afwijzen": {"message": "Nu niet."},
    "/werkgroepen/{grp}/leden/{mem}/rol": {"role": "lead"},
    "/werkgroepen/{grp}/actiepunten": {"title": "Bellen"},
    "/werkgroepen/{grp}/actiepunten/{task}": {"state": "done"},
    "/werkgroepen/{grp}/links": {"title": "Handreiking", "url": "https://example.org"},
    "/werkgroepen/{grp}/verlengen": {"ends_on": "{later}", "reason": "Uitloop."},
    "/kennisbank/{gitem}/reacties": {"body": "Goed punt.", "perspective": "beleid"},
    "/kennisbank/{gitem}/meedenkers": {"member_id": "{outsider}"},
}

#: What only the group may read; no response to anyone else may contain it.
SECRET = "Vertrouwelijk groepsoverleg"


@pytest.mark.parametrize("role_index, role", list(enumerate(GROUP_ROLES)))
@pytest.mark.parametrize(
    "method, path, expected", GROUP_MATRIX, ids=[f"{m} {p}" for m, p, _ in GROUP_MATRIX]
)
def test_group_access(
    app,
    client,
    auth,
    make_member,
    make_item,
    mailbox,
    drain,
    method,
    path,
    expected,
    role_index,
    role,
):
    from datetime import timedelta

    from alliance.core.timeutil import utcnow
    from alliance.extensions import db
    from alliance.groups.models import Membership, Task

    lead, in_group, other = make_member(name="Trekker"), make_member(), make_member()
    asking, outsider = make_member(), make_member()
    group_id = make_working_group(app, lead)
    with app.app_context():
        now = utcnow()
        rows = {
            "mem": Membership(group_id=group_id, member_id=other.id, joined_at=now),
            "req": Membership(
                group_id=group_id, member_id=asking.id, state="requested", contribution="Tijd"
            ),
            "in": Membership(group_id=group_id, member_id=in_group.id, joined_at=now),
        }
        db.session.add_all(rows.values())
        task = Task(group_id=group_id, title=SECRET + " taak", owner_id=lead.id)
        db.session.add(task)
        db.session.commit()
        ids = {name: row.id for name, row in rows.items()} | {"task": task.id}
    ids.update(grp=group_id, outsider=outsider.id)
    ids["gitem"] = make_item(
        visibility="group", group_id=group_id, author=lead, title=SECRET, kind="dilemma"
    )
    ids["ends_on"] = (utcnow().date() + timedelta(days=30)).isoformat()
    ids["later"] = (utcnow().date() + timedelta(days=120)).isoformat()
    login_as = {"member": make_member, "coordinator": lambda: make_member(role="coordinator")}
    if role in login_as:
        auth.login(login_as[role]())
    elif role == "group_member":
        auth.login(in_group)
    elif role == "lead":
        auth.login(lead)
    url = path.format(**ids)
    if method == "GET":
        response = client.get(url)
    else:
        data = {k: v.format(**ids) for k, v in GROUP_POST_DATA.get(path, {}).items()}
        response = client.post(url, data=data)
    assert response.status_code == expected[role_index], f"{role} {method} {url}"
    drain()  # search too: the private post is in the index, for the group's members only
    search_pages = (f"/zoeken?q={SECRET}", f"/zoeken?q={SECRET}&snel=1")
    if role not in ("group_member", "lead"):
        assert SECRET not in response.text, f"{role} {method} {url} shows private content"
        pages = ("/kennisbank/", "/werkgroepen/", f"/werkgroepen/{group_id}", "/meldingen")
        for page in (*pages, "/gevraagd"):
            assert SECRET not in client.get(page).text, page
        for page in search_pages:  # the page repeats the query itself: look at the results
            for headers in ({}, {"HX-Request": "true"}):
                assert titles(client.get(page, headers=headers).text) == [], page
    elif method == "GET" and response.status_code == 200 and "{gitem}" in path:
        assert SECRET in titles(client.get(search_pages[0]).text)  # the group does find it
    if expected[role_index] == LOGIN and role == "anonymous":
        assert "/inloggen" in response.headers["Location"]


# --- agenda: every route × (anonymous, member, group member, organiser, coordinator) ---------

AGENDA_ROLES = ("anonymous", "member", "group_member", "organiser", "coordinator")

#: ``{pub}`` a public event, ``{mem}`` a members' event, ``{prop}`` a proposal waiting for a
#: coordinator, ``{grp}`` an event of a working group; the organiser made all four.
AGENDA_MATRIX = [
    ("GET", "/agenda/", (200, 200, 200, 200, 200)),
    ("GET", "/agenda/?thema=open-inkoop&pagina=2", (200, 200, 200, 200, 200)),
    ("GET", "/agenda/maand", (200, 200, 200, 200, 200)),
    ("GET", "/agenda/verslagen", (200, 200, 200, 200, 200)),
    ("GET", "/agenda/agenda.ics", (200, 200, 200, 200, 200)),
    ("GET", "/agenda/{pub}", (200, 200, 200, 200, 200)),
    ("GET", "/agenda/{pub}.ics", (200, 200, 200, 200, 200)),
    ("GET", "/agenda/{mem}", (404, 200, 200, 200, 200)),
    ("GET", "/agenda/{mem}.ics", (404, 200, 200, 200, 200)),
    ("GET", "/agenda/{prop}", (404, 404, 404, 200, 200)),
    ("GET", "/agenda/{grp}", (404, 404, 200, 200, 404)),
    ("GET", "/agenda/{grp}.ics", (404, 404, 200, 200, 404)),
    ("GET", "/agenda/999999", (404, 404, 404, 404, 404)),
    ("GET", "/agenda/nieuw", (LOGIN, 200, 200, 200, 200)),
    ("POST", "/agenda/nieuw", (LOGIN, 303, 303, 303, 303)),
    ("GET", "/agenda/{mem}/bewerken", (LOGIN, 403, 403, 200, 200)),
    ("POST", "/agenda/{mem}/bewerken", (LOGIN, 403, 403, 303, 303)),
    ("GET", "/agenda/{grp}/bewerken", (LOGIN, 404, 403, 200, 404)),
    ("POST", "/agenda/{mem}/aanmelden", (LOGIN, 303, 303, 303, 303)),
    ("POST", "/agenda/{grp}/aanmelden", (LOGIN, 404, 303, 303, 404)),
    ("POST", "/agenda/{prop}/aanmelden", (LOGIN, 404, 404, 409, 409)),
    ("POST", "/agenda/{mem}/afmelden", (LOGIN, 409, 409, 409, 409)),
    ("POST", "/agenda/{grp}/afmelden", (LOGIN, 404, 409, 409, 404)),
    ("GET", "/agenda/{mem}/deelnemers.csv", (LOGIN, 403, 403, 200, 200)),
    ("GET", "/agenda/{grp}/deelnemers.csv", (LOGIN, 404, 403, 200, 404)),
    ("GET", "/agenda/beoordelen", (LOGIN, 403, 403, 403, 200)),
    ("POST", "/agenda/{prop}/goedkeuren", (LOGIN, 404, 404, 403, 303)),
    ("POST", "/agenda/{prop}/terugsturen", (LOGIN, 404, 404, 403, 303)),
    ("POST", "/agenda/{grp}/goedkeuren", (LOGIN, 404, 403, 403, 404)),
    ("GET", "/agenda/{mem}/verslag", (LOGIN, 403, 403, 200, 200)),
    ("POST", "/agenda/{mem}/verslag", (LOGIN, 403, 403, 200, 200)),  # not started: a message
    ("GET", "/agenda/{grp}/verslag", (LOGIN, 404, 403, 200, 404)),
    ("GET", "/agenda/mijn", (LOGIN, 200, 200, 200, 200)),
    ("POST", "/agenda/mijn/agenda-link", (LOGIN, 303, 303, 303, 303)),
    ("POST", "/agenda/mijn/agenda-link/intrekken", (LOGIN, 303, 303, 303, 303)),
    ("GET", "/agenda/mijn/geen-geldige-sleutel.ics", (404, 404, 404, 404, 404)),
    ("GET", "/agenda/uitloggen", (404, 404, 404, 404, 404)),
]

AGENDA_SECRET = "Vertrouwelijk werkgroepoverleg"


def agenda_post_data(starts: str, ends: str) -> dict:
    event = {
        "title": "Meedenksessie Open Justice",
        "kind": "meedenksessie",
        "starts_at": starts,
        "ends_at": ends,
        "location": "Den Haag",
        "visibility": "members",
    }
    return {
        "/agenda/nieuw": event,
        "/agenda/{mem}/bewerken": event,
        "/agenda/{prop}/terugsturen": {"message": "Graag een andere datum."},
        "/agenda/{mem}/verslag": {"report": "Het was goed."},
    }


@pytest.mark.parametrize("role_index, role", list(enumerate(AGENDA_ROLES)))
@pytest.mark.parametrize(
    "method, path, expected", AGENDA_MATRIX, ids=[f"{m} {p}" for m, p, _ in AGENDA_MATRIX]
)
def test_agenda_access(
    app, client, auth, make_member, mailbox, method, path, expected, role_index, role
):
    from datetime import datetime, timedelta

    from alliance.agenda import services
    from alliance.agenda.services import utc_to_local
    from alliance.core.timeutil import utcnow
    from alliance.extensions import db
    from alliance.groups.models import Membership
    from alliance.members.models import Member

    organiser, in_group = make_member(name="Organisator"), make_member()
    group_id = make_working_group(app, organiser)
    day = utc_to_local(utcnow()).date() + timedelta(days=5)
    starts, ends = (
        datetime(day.year, day.month, day.day, 14),
        datetime(day.year, day.month, day.day, 16),
    )
    with app.test_request_context(method="POST"):
        db.session.add(Membership(group_id=group_id, member_id=in_group.id, joined_at=utcnow()))
        db.session.flush()
        member = db.session.get(Member, organiser.id)
        ids = {}
        for name, visibility, title in (
            ("pub", "public", "Openbare sessie"),
            ("mem", "members", "Ledensessie"),
            ("prop", "members", "Voorstel"),
            ("grp", "group", AGENDA_SECRET),
        ):
            event = services.propose_event(
                member,
                services.EventChange(
                    title=title,
                    kind="meedenksessie",
                    starts_at=starts,
                    ends_at=ends,
                    location="Utrecht",
                    visibility=visibility,
                    group_id=group_id if visibility == "group" else None,
                ),
            )
            if name in ("pub", "mem"):
                event.state = "approved"
            ids[name] = event.id
        db.session.commit()
    logins = {
        "member": make_member,
        "coordinator": lambda: make_member(role="coordinator"),
        "group_member": lambda: in_group,
        "organiser": lambda: organiser,
    }
    if role in logins:
        auth.login(logins[role]())
    url = path.format(**ids)
    if method == "GET":
        response = client.get(url)
    else:
        form = agenda_post_data(starts.strftime("%Y-%m-%dT%H:%M"), ends.strftime("%Y-%m-%dT%H:%M"))
        response = client.post(url, data=form.get(path, {}))
    assert response.status_code == expected[role_index], f"{role} {method} {url}"
    if role not in ("group_member", "organiser"):
        month = f"/agenda/maand?jaar={day.year}&maand={day.month}"
        assert AGENDA_SECRET not in response.text, f"{role} {method} {url} shows the group event"
        for page in ("/agenda/", month, "/agenda/agenda.ics", "/agenda/mijn", "/agenda/beoordelen"):
            assert AGENDA_SECRET not in client.get(page).text, page
    if expected[role_index] == LOGIN and role == "anonymous":
        assert "/inloggen" in response.headers["Location"]
