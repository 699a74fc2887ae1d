"""A working group's private content never reaches anyone outside it — also not someone who
was in it: a member the lead removes loses the space, the posts, search, notifications, e-mail
and the group's events at once, and their data export keeps their own words only. Feeds never
carry group content. (Every route × role is in the matrix of test_access.py; these tests
follow people through time.)"""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from alliance.core.database import wait_for_background_work
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.groups.models import Membership
from tests.conftest import AuthActions
from tests.test_access import mail_text, make_working_group
from tests.test_search import ask, titles

#: What the group writes in its space, each with a word of its own.
POST = "Geheim Snippenoverleg"
POST_TEXT = "Het Reigerplan voor de termijnen"
TASK = "Taak Wulpenroute"
NOTE = "Notitie Meeuwenpier"
NOTE_TEXT = "Over de Plevierlijst"
REPLY = "Antwoord over het Kwakkelzin-besluit"
EVENT = "Werkgroepoverleg Roerdompweg"


def login(app, member):
    """A client of its own, logged in as ``member``."""
    client = app.test_client()
    AuthActions(client).login(member)
    return client


def membership_id(app, group_id: int, member) -> int | None:
    """The id of ``member``'s row in the group (None: not in it in any way)."""
    with app.app_context():
        return db.session.scalar(
            select(Membership.id).where(
                Membership.group_id == group_id, Membership.member_id == member.id
            )
        )


def quick_titles(client, text: str) -> list[str]:
    """The header's quick results."""
    response = client.get(
        "/zoeken", query_string={"q": text, "snel": "1"}, headers={"HX-Request": "true"}
    )
    return titles(response.text)


def export_of(client) -> tuple[dict, str]:
    """The member's data export: gegevens.json, and every file in the ZIP as one text."""
    response = client.get("/mijn-gegevens/download")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    data = json.loads(archive.read("gegevens.json"))
    return data, "\n".join(archive.read(name).decode() for name in archive.namelist())


def calendar_feed(client) -> str:
    """The address of the member's private calendar feed (made for the occasion)."""
    assert client.post("/agenda/mijn/agenda-link").status_code == 303
    return re.search(r"/agenda/mijn/[\w-]+\.ics", client.get("/agenda/mijn").text).group(0)


def summaries(client, url: str) -> list[str]:
    """The titles of the events in a calendar feed."""
    response = client.get(url)
    assert response.status_code == 200
    return [str(event["SUMMARY"]) for event in Calendar.from_ical(response.data).walk("VEVENT")]


@pytest.fixture
def group(app, make_member, make_item, drain, mailbox):
    """An open group of the lead, ``stays`` and ``gone``, with a post (``gone`` follows it),
    a task the lead gave ``gone``, and a note; everything indexed and mailed (``mailbox``
    starts empty). Returns (people, their logged-in clients, group id, post id)."""
    people = {
        "lead": make_member(name="Lea Trekker"),
        "stays": make_member(name="Mo Lid"),
        "gone": make_member(name="Gijs Weg"),
    }
    group_id = make_working_group(app, people["lead"], join_policy="open")
    clients = {name: login(app, member) for name, member in people.items()}
    for name in ("stays", "gone"):
        joined = clients[name].post(f"/werkgroepen/{group_id}/aanmelden", data={})
        assert joined.status_code == 303
    post_id = make_item(
        visibility="group",
        group_id=group_id,
        author=people["lead"],
        title=POST,
        fields={"tension": POST_TEXT},
    )
    lead = clients["lead"]
    assert clients["gone"].post(f"/kennisbank/{post_id}/volg", data={"aan": "1"}).status_code == 303
    task = {"title": TASK, "owner_id": str(people["gone"].id)}
    assert lead.post(f"/werkgroepen/{group_id}/actiepunten", data=task).status_code == 303
    note = {"title": NOTE, "body": NOTE_TEXT}
    assert lead.post(f"/werkgroepen/{group_id}/links", data=note).status_code == 303
    wait_for_background_work()
    drain()
    return people, clients, group_id, post_id


NOTE_FORM = {"title": "Nog een notitie", "body": "Tekst."}


def remove(app, clients, people, group_id) -> None:
    """The lead takes ``gone`` out of the group, through the page."""
    target = membership_id(app, group_id, people["gone"])
    response = clients["lead"].post(f"/werkgroepen/{group_id}/leden/{target}/verwijderen")
    assert response.status_code == 303
    assert membership_id(app, group_id, people["gone"]) is None


def test_a_removed_member_loses_the_space_posts_search_and_notifications_at_once(
    app, group, mailbox, drain
):
    people, clients, group_id, post_id = group
    gone = clients["gone"]
    # In the group: the space, the post, search, the notification and the e-mail of the task.
    space = gone.get(f"/werkgroepen/{group_id}").text
    assert all(text in space for text in (POST, TASK, NOTE, NOTE_TEXT))
    assert POST_TEXT in gone.get(f"/kennisbank/{post_id}").text
    assert ask(gone, "reigerplan") == [POST] and quick_titles(gone, "snippenov") == [POST]
    assert TASK in gone.get("/meldingen").text
    assert 'class="bell__count"' in gone.get("/meldingen/teller").text
    assert any(TASK in mail_text(m) for m in mailbox.to(people["gone"].email))

    remove(app, clients, people, group_id)
    # At once: no drain of the search index, no new login.
    page = gone.get(f"/werkgroepen/{group_id}")
    assert page.status_code == 200 and "Werkgroep Woo" in page.text  # the public part
    assert not [text for text in (POST, TASK, NOTE, NOTE_TEXT) if text in page.text]
    assert gone.get(f"/kennisbank/{post_id}").status_code == 404
    assert gone.get(f"/kennisbank/{post_id}/geschiedenis").status_code == 404
    assert (
        gone.post(f"/kennisbank/{post_id}/reacties", data={"body": "Nog iets."}).status_code == 404
    )
    assert gone.post(f"/werkgroepen/{group_id}/actiepunten", data={"title": "x"}).status_code == 403
    assert gone.post(f"/werkgroepen/{group_id}/links", data=NOTE_FORM).status_code == 403
    assert ask(gone, "reigerplan") == [] and ask(gone, "snippenoverleg") == []
    assert quick_titles(gone, "snippenov") == [] and quick_titles(gone, "reigerpl") == []
    told = gone.get("/meldingen").text
    assert TASK not in told and POST not in told
    assert 'class="bell__count"' not in gone.get("/meldingen/teller").text

    # New activity in the post they followed, naming them: not for them.
    wait_for_background_work()  # whatever the requests above sent is out before the clear
    mailbox.clear()
    reply = {"body": f"{REPLY}. Wat vinden @Gijs Weg en @Lea Trekker?", "perspective": "beleid"}
    assert clients["stays"].post(f"/kennisbank/{post_id}/reacties", data=reply).status_code == 303
    wait_for_background_work()
    assert any(POST in mail_text(m) for m in mailbox.to(people["lead"].email))  # the author
    assert mailbox.to(people["gone"].email, wait=0) == []
    told = gone.get("/meldingen").text
    assert REPLY not in told and POST not in told
    assert 'class="bell__count"' not in gone.get("/meldingen/teller").text
    drain()
    assert ask(clients["stays"], "kwakkelzin") == [POST]
    assert ask(gone, "kwakkelzin") == []


@pytest.mark.parametrize("state", ["requested", "waiting", "invited", "declined"])
def test_asking_waiting_invited_or_declined_is_not_in(app, group, make_member, state):
    """Only "member" opens the space: a request, the waiting list or an invitation do not."""
    people, clients, group_id, post_id = group
    someone = make_member()
    with app.app_context():
        db.session.add(Membership(group_id=group_id, member_id=someone.id, state=state))
        db.session.commit()
    client = login(app, someone)
    page = client.get(f"/werkgroepen/{group_id}").text
    assert "Werkgroep Woo" in page
    assert not [text for text in (POST, TASK, NOTE, NOTE_TEXT) if text in page]
    assert client.get(f"/kennisbank/{post_id}").status_code == 404
    assert ask(client, "reigerplan") == [] and quick_titles(client, "snippenov") == []
    assert client.post(f"/werkgroepen/{group_id}/links", data=NOTE_FORM).status_code == 403


# --- the group's events ---------------------------------------------------------------------


def group_event(app, organiser, group_id: int, capacity: int | None = None) -> int:
    """An event of the group (no approval needed); returns its id."""
    from datetime import datetime, timedelta

    from alliance.agenda import services
    from alliance.agenda.services import utc_to_local
    from alliance.core.timeutil import utcnow
    from alliance.members.models import Member

    day = utc_to_local(utcnow()).date() + timedelta(days=7)
    with app.test_request_context(method="POST"):
        event = services.propose_event(
            db.session.get(Member, organiser.id),
            services.EventChange(
                title=EVENT,
                kind="werkgroep",
                starts_at=datetime(day.year, day.month, day.day, 14),
                ends_at=datetime(day.year, day.month, day.day, 16),
                location="Utrecht",
                capacity=capacity,
                visibility="group",
                group_id=group_id,
            ),
        )
        db.session.commit()
        assert event.state == "approved"
        return event.id


def signup_state(app, event_id: int, member) -> str | None:
    """Where ``member`` stands for the event (signed_up, waiting, cancelled; None: never)."""
    from alliance.agenda.models import Signup

    with app.app_context():
        return db.session.scalar(
            select(Signup.state).where(Signup.event_id == event_id, Signup.member_id == member.id)
        )


def test_a_removed_member_no_longer_sees_the_groups_events_nor_has_them_in_a_feed(app, group):
    people, clients, group_id, _post = group
    event_id = group_event(app, people["lead"], group_id)
    gone, stays = clients["gone"], clients["stays"]
    assert gone.post(f"/agenda/{event_id}/aanmelden").status_code == 303
    assert stays.post(f"/agenda/{event_id}/aanmelden").status_code == 303
    feed, other_feed = calendar_feed(gone), calendar_feed(stays)
    pages = ("/agenda/", "/agenda/mijn", f"/agenda/{event_id}")
    assert all(EVENT in gone.get(page).text for page in pages)
    assert summaries(gone, feed) == [EVENT]

    remove(app, clients, people, group_id)
    assert gone.get(f"/agenda/{event_id}").status_code == 404
    assert gone.get(f"/agenda/{event_id}.ics").status_code == 404
    assert EVENT not in gone.get("/agenda/").text and EVENT not in gone.get("/agenda/mijn").text
    assert summaries(app.test_client(), feed) == []  # the private feed, as a calendar reads it
    assert summaries(app.test_client(), other_feed) == [EVENT]  # the group's members: still
    assert EVENT not in gone.get("/agenda/agenda.ics").text


def test_a_removed_member_no_longer_reads_the_groups_events_in_notifications(app, group):
    people, clients, group_id, _post = group
    event_id = group_event(app, people["lead"], group_id)
    gone = clients["gone"]
    assert gone.post(f"/agenda/{event_id}/aanmelden").status_code == 303
    assert EVENT in gone.get("/meldingen").text  # told while in the group

    remove(app, clients, people, group_id)
    assert EVENT not in gone.get("/meldingen").text
    data, _text = export_of(gone)
    assert EVENT not in json.dumps(data["notifications"], ensure_ascii=False)


def test_a_removed_member_does_not_move_up_into_a_group_event(app, group, mailbox):
    people, clients, group_id, _post = group
    event_id = group_event(app, people["lead"], group_id, capacity=1)
    for name in ("stays", "gone", "lead"):  # one place: the other two wait, in this order
        assert clients[name].post(f"/agenda/{event_id}/aanmelden").status_code == 303
    assert signup_state(app, event_id, people["gone"]) == "waiting"

    remove(app, clients, people, group_id)
    wait_for_background_work()  # the waiting-list mails of the sign-ups above are out
    mailbox.clear()
    assert clients["stays"].post(f"/agenda/{event_id}/afmelden").status_code == 303
    wait_for_background_work()
    # The place goes to the lead, who is told; the removed member hears nothing of it.
    assert signup_state(app, event_id, people["gone"]) != "signed_up"
    assert not [m for m in mailbox.to(people["gone"].email, wait=0.3) if EVENT in mail_text(m)]
    assert EVENT not in clients["gone"].get("/meldingen").text
    assert signup_state(app, event_id, people["lead"]) == "signed_up"
    assert any(EVENT in mail_text(m) for m in mailbox.to(people["lead"].email))


def test_a_removed_member_leaves_a_started_event_and_its_count_follows(app, group):
    from alliance.agenda.models import Event

    people, clients, group_id, _post = group
    event_id = group_event(app, people["lead"], group_id)
    for name in ("stays", "gone"):
        assert clients[name].post(f"/agenda/{event_id}/aanmelden").status_code == 303
    with app.app_context():  # the meeting has begun: nobody cancels any more
        event = db.session.get(Event, event_id)
        event.starts_at, event.ends_at = (
            utcnow() - timedelta(hours=1),
            utcnow() + timedelta(hours=1),
        )
        db.session.commit()

    remove(app, clients, people, group_id)
    assert signup_state(app, event_id, people["gone"]) is None
    assert signup_state(app, event_id, people["stays"]) == "signed_up"
    with app.app_context():
        assert db.session.get(Event, event_id).participant_count == 1


# --- feeds ----------------------------------------------------------------------------------


def test_feeds_never_carry_group_content(app, client, group, make_item):
    people, clients, group_id, _post = group
    make_item(visibility="public", title="Openbare vraag over de Woo", author=people["lead"])
    event_id = group_event(app, people["lead"], group_id)
    assert clients["stays"].post(f"/agenda/{event_id}/aanmelden").status_code == 303
    mine = calendar_feed(clients["stays"])
    atom = client.get("/kennisbank/feed.atom").text
    assert "Openbare vraag over de Woo" in atom
    assert POST not in atom and POST_TEXT not in atom
    assert EVENT not in client.get("/agenda/agenda.ics").text
    assert summaries(client, mine) == [EVENT]  # a group member's own feed: yes
    for reader in ("stays", "lead"):  # logged in as the group: the public feeds stay public
        assert POST not in clients[reader].get("/kennisbank/feed.atom").text
        assert EVENT not in clients[reader].get("/agenda/agenda.ics").text


# --- the data export --------------------------------------------------------------------------

OWN_REPLY = "Mijn eigen Boomklever-woorden"
OWN_NOTE = "Mijn eigen Goudvinknotitie"


def test_an_outsiders_export_holds_nothing_of_the_group(app, group, make_member):
    people, clients, group_id, post_id = group
    outsider = make_member(name="Olga Buiten")
    client = login(app, outsider)
    with app.app_context():  # asks to join (the group is open: as if it were not)
        db.session.add(
            Membership(
                group_id=group_id,
                member_id=outsider.id,
                state="requested",
                contribution="Ik breng Zwaluwkennis in",
            )
        )
        db.session.commit()
    mention = {"body": f"{REPLY}, @Olga Buiten?", "perspective": "beleid"}
    assert clients["stays"].post(f"/kennisbank/{post_id}/reacties", data=mention).status_code == 303
    wait_for_background_work()
    data, text = export_of(client)
    assert "Zwaluwkennis" in text and "Werkgroep Woo" in text  # their own request: yes
    assert not [s for s in (POST, POST_TEXT, TASK, NOTE, NOTE_TEXT, REPLY) if s in text]
    # The same export for a member of the group does hold what is theirs there.
    _data, own = export_of(clients["gone"])
    assert TASK in own  # the task they were given


def test_a_removed_members_export_keeps_their_own_words_and_nothing_else_of_the_group(app, group):
    people, clients, group_id, post_id = group
    gone = clients["gone"]
    reply = {"body": f"{OWN_REPLY}, @Lea Trekker.", "perspective": "beleid"}
    assert gone.post(f"/kennisbank/{post_id}/reacties", data=reply).status_code == 303
    assert (
        gone.post(
            f"/werkgroepen/{group_id}/links", data={"title": OWN_NOTE, "body": "x"}
        ).status_code
        == 303
    )
    mention = {"body": f"{REPLY}, @Gijs Weg?", "perspective": "beleid"}
    assert clients["stays"].post(f"/kennisbank/{post_id}/reacties", data=mention).status_code == 303
    wait_for_background_work()
    _data, before = export_of(gone)
    assert all(text in before for text in (OWN_REPLY, OWN_NOTE, POST, TASK))  # while in it

    remove(app, clients, people, group_id)
    data, _text = export_of(gone)
    del data["tasks"]  # the titles of tasks others wrote: the next test
    rest = json.dumps(data, ensure_ascii=False)
    assert OWN_REPLY in rest and OWN_NOTE in rest  # their own words stay theirs
    assert not [s for s in (POST, POST_TEXT, TASK, NOTE, NOTE_TEXT, REPLY) if s in rest]


def test_a_removed_members_export_leaves_out_the_tasks_others_wrote(app, group):
    people, clients, group_id, _post = group
    data, _text = export_of(clients["gone"])
    assert TASK in json.dumps(data["tasks"], ensure_ascii=False)  # while in the group

    remove(app, clients, people, group_id)
    data, text = export_of(clients["gone"])
    assert TASK not in text


def test_a_removed_members_export_leaves_out_the_groups_events(app, group):
    people, clients, group_id, _post = group
    event_id = group_event(app, people["lead"], group_id)
    assert clients["gone"].post(f"/agenda/{event_id}/aanmelden").status_code == 303
    data, _text = export_of(clients["gone"])
    assert EVENT in json.dumps(data["agenda"], ensure_ascii=False)  # while in the group

    remove(app, clients, people, group_id)
    data, _text = export_of(clients["gone"])
    assert EVENT not in json.dumps(data["agenda"], ensure_ascii=False)


def test_a_removed_member_loses_the_conversation_documents_and_proposals_at_once(app, group, drain):
    people, clients, group_id, _post_id = group
    lead, gone = clients["lead"], clients["gone"]
    base = f"/werkgroepen/{group_id}"
    assert (
        lead.post(
            f"{base}/berichten", data={"body": "Het Grauwe Gansbericht voor @Gijs Weg"}
        ).status_code
        == 303
    )
    assert (
        gone.post(f"{base}/berichten", data={"body": "Mijn eigen Kievitbericht"}).status_code == 303
    )
    upload = {"file": (io.BytesIO(b"%PDF-1.7\nGansbestand"), "gans.pdf"), "title": "Gansdocument"}
    assert lead.post(f"{base}/documenten", data=upload).status_code == 303
    closes = (utcnow().date() + timedelta(days=5)).isoformat()
    lead.post(f"{base}/voorstellen", data={"title": "Voorstel Ganzenpad", "closes_on": closes})
    wait_for_background_work()
    drain()
    space = gone.get(base).text
    assert all(s in space for s in ("Grauwe Gansbericht", "Gansdocument", "Voorstel Ganzenpad"))
    download = re.search(rf"{base}/documenten/\d+/download", space).group(0)
    assert gone.get(download).status_code == 200
    assert ask(gone, "gansbericht") and "noemde je" in gone.get("/meldingen").text

    remove(app, clients, people, group_id)
    drain()
    space = gone.get(base).text
    assert not [
        s for s in ("Gansbericht", "Gansdocument", "Ganzenpad", "Kievitbericht") if s in space
    ]
    assert gone.get(download).status_code == 404
    assert gone.get(f"{base}/gesprek").status_code == 403
    assert ask(gone, "gansbericht") == [] and ask(gone, "gansdocument") == []
    assert "noemde je" not in gone.get("/meldingen").text
    data, everything = export_of(gone)
    assert "Mijn eigen Kievitbericht" in everything  # their own words stay theirs
    assert "Gansbericht" not in everything and "Ganzenpad" not in everything
