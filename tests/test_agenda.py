"""The agenda: proposing and approving, signing up with a waiting list (also two members at
the same moment), the report, the month view, iCalendar, and group events that stay inside
their group."""

import threading
from datetime import datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from alliance.agenda.models import Event, Signup
from alliance.agenda.services import utc_to_local
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from tests.test_access import make_working_group


def local(days: int, hour: int = 14) -> datetime:
    """A wall-clock time in Amsterdam ``days`` from now, on the hour."""
    day = utc_to_local(utcnow()).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0)


def form_data(**changes) -> dict:
    data = {
        "title": "Meedenksessie Open Inkoop",
        "kind": "meedenksessie",
        "description": "Samen denken over open source inkopen.",
        "starts_at": local(10).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": local(10, 16).strftime("%Y-%m-%dT%H:%M"),
        "location": "Den Haag, Turfmarkt 147",
        "capacity": "20",
        "visibility": "members",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def make_event(app, make_member):
    """``make_event(organiser=..., capacity=..., visibility=..., group_id=..., approved=True)``:
    an event proposed (and approved) through the services; returns its id."""
    from alliance.agenda import services
    from alliance.members.models import Member

    def make(
        organiser=None,
        title="Meedenksessie Open Technologie",
        capacity=None,
        visibility="members",
        group_id=None,
        approved=True,
        online=False,
        days=10,
        themes=(),
    ) -> int:
        organiser = organiser or make_member(name="Organisator")
        with app.test_request_context(method="POST"):
            from alliance.themes.models import Theme

            theme_ids = list(db.session.scalars(select(Theme.id).where(Theme.slug.in_(themes))))
            member = db.session.get(Member, organiser.id)
            event = services.propose_event(
                member,
                services.EventChange(
                    title=title,
                    kind="meedenksessie",
                    starts_at=local(days),
                    ends_at=local(days, 16),
                    location="Utrecht",
                    online=online,
                    online_url="https://meet.example.org/sessie" if online else "",
                    capacity=capacity,
                    visibility=visibility,
                    group_id=group_id,
                    theme_ids=theme_ids,
                ),
            )
            if approved and event.state == "proposed":
                event.state = "approved"
            db.session.commit()
            return event.id

    return make


def event_row(app, event_id: int) -> Event:
    with app.app_context():
        event = db.session.get(Event, event_id)
        db.session.expunge(event)
        return event


def move_to_past(app, event_id: int) -> None:
    with app.app_context():
        event = db.session.get(Event, event_id)
        event.starts_at = utcnow() - timedelta(hours=3)
        event.ends_at = utcnow() - timedelta(hours=1)
        db.session.commit()


def states(app, event_id: int) -> dict[int, str]:
    with app.app_context():
        rows = db.session.execute(
            select(Signup.member_id, Signup.state).where(Signup.event_id == event_id)
        ).all()
        return dict(rows)


# --- proposing and reviewing ---------------------------------------------------------------


def test_a_proposal_waits_for_a_coordinator_who_approves_it(
    app, client, auth, make_member, mailbox
):
    organiser, other = make_member(name="Olga Organisator"), make_member()
    coordinator = make_member(role="coordinator")
    auth.login(organiser)
    response = client.post("/agenda/nieuw", data=form_data())
    assert response.status_code == 303
    event_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert event_row(app, event_id).state == "proposed"
    assert "wacht op een coördinator" in client.get(f"/agenda/{event_id}").text

    auth.logout()
    auth.login(other)
    assert client.get(f"/agenda/{event_id}").status_code == 404
    assert "Meedenksessie Open Inkoop" not in client.get("/agenda/").text
    assert client.get("/agenda/beoordelen").status_code == 403

    auth.logout()
    auth.login(coordinator)
    assert "Meedenksessie Open Inkoop" in client.get("/agenda/beoordelen").text
    assert client.post(f"/agenda/{event_id}/goedkeuren").status_code == 303
    assert event_row(app, event_id).state == "approved"
    (message,) = mailbox.to(organiser.email)
    assert "in de agenda" in message["Subject"]

    auth.logout()
    auth.login(other)
    assert "Meedenksessie Open Inkoop" in client.get("/agenda/").text


def test_a_proposal_sent_back_comes_back_after_a_change(app, client, auth, make_member, mailbox):
    organiser, coordinator = make_member(), make_member(role="coordinator")
    auth.login(organiser)
    event_id = int(
        client.post("/agenda/nieuw", data=form_data()).headers["Location"].rsplit("/", 1)[1]
    )
    auth.logout()
    auth.login(coordinator)
    empty = client.post(f"/agenda/{event_id}/terugsturen", data={"message": "  "})
    assert empty.status_code == 422
    assert "Vertel de organisator wat er anders moet." in empty.text
    sent = client.post(f"/agenda/{event_id}/terugsturen", data={"message": "Kies een andere zaal."})
    assert sent.status_code == 303
    assert event_row(app, event_id).state == "returned"
    (message,) = mailbox.to(organiser.email)
    assert "Kies een andere zaal." in mailbox.text(message)

    auth.logout()
    auth.login(organiser)
    assert "Kies een andere zaal." in client.get(f"/agenda/{event_id}").text
    saved = client.post(f"/agenda/{event_id}/bewerken", data=form_data(location="Zaal 2"))
    assert saved.status_code == 303
    assert event_row(app, event_id).state == "proposed"


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"ends_at": local(10, 12).strftime("%Y-%m-%dT%H:%M")},
            "ends_at",
            "Het einde moet na het begin liggen.",
        ),
        (
            {
                "starts_at": local(-400).strftime("%Y-%m-%dT%H:%M"),
                "ends_at": local(-400, 16).strftime("%Y-%m-%dT%H:%M"),
            },
            "starts_at",
            "Dit moment is voorbij.",
        ),
        ({"starts_at": "gisteren"}, "starts_at", "Geef de datum en tijd waarop het begint."),
        ({"capacity": "0"}, "capacity", "Kies tussen 1 en 10000 plaatsen"),
        ({"location": ""}, "location", "Zeg waar het is, of maak het online."),
        ({"online": "y", "online_url": "javascript:alert(1)"}, "online_url", "webadres"),
        ({"visibility": "group"}, "visibility", "Kies een van jouw werkgroepen."),
        ({"title": ""}, "title", "Geef de bijeenkomst een titel."),
    ],
)
def test_bad_input_gets_a_message_next_to_the_field(
    client, auth, make_member, changes, field, message
):
    auth.login(make_member())
    response = client.post("/agenda/nieuw", data=form_data(**changes))
    assert response.status_code == 200
    assert message in response.text
    assert f'id="{field}-error"' in response.text
    assert 'value="Meedenksessie Open Inkoop"' in response.text or field == "title"


def test_capacity_cannot_drop_below_the_number_signed_up(
    app, client, auth, make_member, make_event, mailbox
):
    organiser = make_member()
    event_id = make_event(organiser=organiser, capacity=5)
    for _ in range(3):
        member = make_member()
        auth.login(member)
        client.post(f"/agenda/{event_id}/aanmelden")
        auth.logout()
    auth.login(organiser)
    response = client.post(f"/agenda/{event_id}/bewerken", data=form_data(capacity="2"))
    assert response.status_code == 200
    assert "Er hebben zich al 3 leden aangemeld" in response.text
    assert event_row(app, event_id).capacity == 5


def test_times_are_typed_and_shown_in_amsterdam_and_stored_in_utc(app, client, auth, make_member):
    auth.login(make_member())
    winter = datetime(utcnow().year + 1, 1, 15, 14, 0)
    response = client.post(
        "/agenda/nieuw",
        data=form_data(
            starts_at=winter.strftime("%Y-%m-%dT%H:%M"),
            ends_at=winter.replace(hour=16).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    event_id = int(response.headers["Location"].rsplit("/", 1)[1])
    event = event_row(app, event_id)
    assert event.starts_at == winter.replace(hour=13)  # CET is UTC+1
    page = client.get(f"/agenda/{event_id}").text
    assert f"15 januari {winter.year}, 14:00 – 16:00" in page
    assert "donderdag" in page or "januari" in page


# --- signing up ------------------------------------------------------------------------------


def test_waiting_list_moves_up_when_someone_cancels(
    app, client, auth, make_member, make_event, mailbox
):
    event_id = make_event(capacity=1)
    anna, bram = make_member(name="Anna"), make_member(name="Bram")
    auth.login(anna)
    assert client.post(f"/agenda/{event_id}/aanmelden").status_code == 303
    twice = client.post(f"/agenda/{event_id}/aanmelden")
    assert twice.status_code == 409
    assert "Je bent al aangemeld" in twice.text
    assert "aangemeld" in mailbox.to(anna.email)[0]["Subject"]
    auth.logout()
    auth.login(bram)
    response = client.post(f"/agenda/{event_id}/aanmelden", headers={"HX-Request": "true"})
    assert "<html" not in response.text  # a fragment
    assert "wachtlijst" in response.text
    assert "wachtlijst" in mailbox.to(bram.email)[0]["Subject"]
    assert states(app, event_id) == {anna.id: "signed_up", bram.id: "waiting"}
    auth.logout()
    auth.login(anna)
    mailbox.clear()
    assert client.post(f"/agenda/{event_id}/afmelden").status_code == 303
    assert states(app, event_id) == {anna.id: "cancelled", bram.id: "signed_up"}
    assert event_row(app, event_id).participant_count == 1
    (moved,) = mailbox.to(bram.email)
    assert "plek" in moved["Subject"]
    # Signing up again: now Anna waits behind nobody but the full event.
    client.post(f"/agenda/{event_id}/aanmelden")
    assert states(app, event_id)[anna.id] == "waiting"


def test_sign_up_closes_at_the_start(app, client, auth, make_member, make_event, mailbox):
    event_id = make_event()
    move_to_past(app, event_id)
    auth.login(make_member())
    response = client.post(f"/agenda/{event_id}/aanmelden")
    assert response.status_code == 409
    assert "de bijeenkomst is begonnen" in response.text
    assert states(app, event_id) == {}


def test_raising_the_capacity_lets_the_waiting_list_in(
    app, client, auth, make_member, make_event, mailbox
):
    organiser = make_member()
    event_id = make_event(organiser=organiser, capacity=1)
    members = [make_member() for _ in range(3)]
    for member in members:
        auth.login(member)
        client.post(f"/agenda/{event_id}/aanmelden")
        auth.logout()
    auth.login(organiser)
    client.post(f"/agenda/{event_id}/bewerken", data=form_data(capacity="2"))
    found = states(app, event_id)
    assert [found[m.id] for m in members] == ["signed_up", "signed_up", "waiting"]


def test_two_members_taking_the_last_place_at_once_do_not_both_get_it(
    app, make_member, make_event, mailbox
):
    """Truly concurrent requests: threads, each with its own client (and so its own database
    connection), released at the same moment."""
    from alliance.extensions import limiter

    event_id = make_event(capacity=2)
    first = make_member()
    limiter.enabled = False
    try:
        warm = app.test_client()
        warm.post("/inloggen", data={"email": first.email, "password": first.password})
        warm.post(f"/agenda/{event_id}/aanmelden")  # one place left
        racers = [make_member() for _ in range(6)]
        clients = []
        for member in racers:
            client = app.test_client()
            client.post("/inloggen", data={"email": member.email, "password": member.password})
            clients.append(client)
        barrier = threading.Barrier(len(clients))
        statuses = []

        def race(client):
            barrier.wait()
            statuses.append(client.post(f"/agenda/{event_id}/aanmelden").status_code)

        threads = [threading.Thread(target=race, args=(c,)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        limiter.enabled = True
    assert statuses == [303] * len(racers)
    found = states(app, event_id)
    assert sorted(found.values()).count("signed_up") == 2
    assert sorted(found.values()).count("waiting") == len(racers) - 1
    assert event_row(app, event_id).participant_count == 2


def test_the_organiser_sees_and_exports_the_participants(
    app, client, auth, make_member, make_event, mailbox
):
    organiser = make_member()
    event_id = make_event(organiser=organiser, capacity=1)
    tricky = make_member(name='=HYPERLINK("x")', organisation="Gemeente Zwolle")
    waiting = make_member(name="Wim Wachter")
    for member in (tricky, waiting):
        auth.login(member)
        client.post(f"/agenda/{event_id}/aanmelden")
        assert client.get(f"/agenda/{event_id}/deelnemers.csv").status_code == 403
        auth.logout()
    auth.login(organiser)
    page = client.get(f"/agenda/{event_id}").text
    assert "Wim Wachter" in page and "Wachtlijst" in page
    response = client.get(f"/agenda/{event_id}/deelnemers.csv")
    assert response.mimetype == "text/csv"
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Naam;Organisatie;E-mailadres")
    assert lines[1].startswith("\"'=HYPERLINK")  # not run by a spreadsheet
    assert "Gemeente Zwolle" in lines[1] and "Aangemeld" in lines[1]
    assert "Wim Wachter" in lines[2] and "Op de wachtlijst" in lines[2]


def test_the_online_link_is_only_for_participants(
    app, client, auth, make_member, make_event, mailbox
):
    event_id = make_event(online=True, visibility="public")
    assert "meet.example.org" not in client.get(f"/agenda/{event_id}").text
    assert b"meet.example.org" not in client.get(f"/agenda/{event_id}.ics").data
    auth.login(make_member())
    client.post(f"/agenda/{event_id}/aanmelden")
    assert "https://meet.example.org/sessie" in client.get(f"/agenda/{event_id}").text
    assert b"meet.example.org" in client.get(f"/agenda/{event_id}.ics").data


# --- after the event -------------------------------------------------------------------------


def test_the_organiser_writes_the_report_and_links_what_came_out(
    app, client, auth, make_member, make_item, make_event, mailbox
):
    organiser = make_member()
    event_id = make_event(organiser=organiser, visibility="public", themes=["open-inkoop"])
    dilemma = make_item(title="Samen inkopen: wie is eigenaar van de code?", visibility="public")
    group_id = make_working_group(app, organiser, name="Werkgroep Inkoop")
    lead = make_member()
    group_item = make_item(
        title="Geheim groepsstuk",
        visibility="group",
        group_id=make_working_group(app, lead),
        author=lead,
    )
    auth.login(organiser)
    early = client.post(f"/agenda/{event_id}/verslag", data={"report": "Het ging goed."})
    assert "Schrijf het verslag als de bijeenkomst begonnen is." in early.text
    move_to_past(app, event_id)
    hidden = client.post(
        f"/agenda/{event_id}/verslag",
        data={"report": "Goed.", "links": f"/kennisbank/{group_item}"},
    )
    assert "bestaat niet of je kunt het niet zien" in hidden.text
    garbage = client.post(
        f"/agenda/{event_id}/verslag", data={"report": "Goed.", "links": "zomaar wat tekst"}
    )
    assert 'id="links-error"' in garbage.text
    response = client.post(
        f"/agenda/{event_id}/verslag",
        data={
            "report": "We spraken over **open source** inkopen.",
            "links": f"http://localhost/kennisbank/{dilemma}\n/werkgroepen/{group_id}",
        },
    )
    assert response.status_code == 303
    page = client.get(f"/agenda/{event_id}").text
    assert "<strong>open source</strong>" in page
    assert "Samen inkopen: wie is eigenaar van de code?" in page
    assert "Werkgroep Inkoop" in page
    auth.logout()
    public = client.get(f"/agenda/{event_id}").text
    assert "Samen inkopen" in public and "Werkgroep Inkoop" not in public  # groups: members
    reports = client.get("/agenda/verslagen?thema=open-inkoop").text
    assert "Meedenksessie Open Technologie" in reports
    assert (
        "Meedenksessie Open Technologie"
        not in client.get("/agenda/verslagen?thema=open-justice").text
    )


# --- lists, the month view and iCalendar ---------------------------------------------------


def test_upcoming_list_loads_more(app, client, auth, make_member, make_event):
    organiser = make_member()
    for number in range(23):
        make_event(
            organiser=organiser, title=f"Sessie {number:02d}", visibility="public", days=2 + number
        )
    page = client.get("/agenda/").text
    assert "Sessie 19" in page and "Sessie 20" not in page
    more = client.get("/agenda/?pagina=2&meer=1", headers={"HX-Request": "true"}).text
    assert "<html" not in more and "Sessie 20" in more and "Sessie 19" not in more
    assert "Sessie 22" in client.get("/agenda/?pagina=2").text  # without JavaScript


def test_the_month_view_is_a_table_of_days(app, client, make_event, make_member):
    event_id = make_event(visibility="public", days=3)
    when = utc_to_local(event_row(app, event_id).starts_at)
    html = client.get(f"/agenda/maand?jaar={when.year}&maand={when.month}").text
    assert "<table" in html and 'scope="col"' in html and "<caption" in html
    assert f'/agenda/{event_id}"' in html and "14:00 Meedenksessie Open Technologie" in html
    fragment = client.get(
        f"/agenda/maand?jaar={when.year}&maand={when.month}", headers={"HX-Request": "true"}
    ).text
    assert "<html" not in fragment and "<table" in fragment
    assert client.get("/agenda/maand?jaar=x&maand=99").status_code == 200


def test_event_ics_imports(app, client, make_event):
    event_id = make_event(visibility="public")
    response = client.get(f"/agenda/{event_id}.ics")
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Meedenksessie Open Technologie"
    start = entry.decoded("DTSTART")
    assert start.utcoffset() == timedelta(0)
    assert start.replace(tzinfo=None) == event_row(app, event_id).starts_at
    assert str(entry["LOCATION"]) == "Utrecht"
    feed = Calendar.from_ical(client.get("/agenda/agenda.ics").data)
    assert [str(e["SUMMARY"]) for e in feed.walk("VEVENT")] == ["Meedenksessie Open Technologie"]


def test_my_events_feed_is_private_and_revocable(
    app, client, auth, make_member, make_event, mailbox
):
    member = make_member()
    event_id = make_event(title="Mijn sessie", online=True)
    make_event(title="Niet de mijne")
    auth.login(member)
    client.post(f"/agenda/{event_id}/aanmelden")
    client.post("/agenda/mijn/agenda-link")
    page = client.get("/agenda/mijn").text
    import re

    url = re.search(r"/agenda/mijn/[\w-]+\.ics", page).group(0)
    auth.logout()
    feed = Calendar.from_ical(client.get(url).data)
    assert [str(e["SUMMARY"]) for e in feed.walk("VEVENT")] == ["Mijn sessie"]
    assert "meet.example.org" in str(feed.walk("VEVENT")[0]["LOCATION"])
    auth.login(member)
    client.post("/agenda/mijn/agenda-link")
    assert client.get(url).status_code == 404  # renewed: the old address is dead
    new_url = re.search(r"/agenda/mijn/[\w-]+\.ics", client.get("/agenda/mijn").text).group(0)
    client.post("/agenda/mijn/agenda-link/intrekken")
    assert client.get(new_url).status_code == 404


# --- group events stay inside the group ------------------------------------------------------

SECRET = "Geheim werkgroepoverleg"


def test_group_events_need_no_approval_and_never_reach_non_members(
    app, client, auth, make_member, make_event, mailbox
):
    from alliance.groups.models import Membership

    lead, outsider = make_member(), make_member()
    coordinator = make_member(role="coordinator")
    group_id = make_working_group(app, lead)
    auth.login(lead)
    response = client.post(
        "/agenda/nieuw",
        data=form_data(title=SECRET, visibility="group", group_id=str(group_id), kind="werkgroep"),
    )
    event_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert event_row(app, event_id).state == "approved"
    assert SECRET in client.get("/agenda/").text
    client.post(f"/agenda/{event_id}/aanmelden")
    client.post("/agenda/mijn/agenda-link")
    import re

    feed_url = re.search(r"/agenda/mijn/[\w-]+\.ics", client.get("/agenda/mijn").text).group(0)
    when = utc_to_local(event_row(app, event_id).starts_at)
    month = f"/agenda/maand?jaar={when.year}&maand={when.month}"
    pages = ("/agenda/", month, "/agenda/agenda.ics", "/agenda/beoordelen", "/agenda/verslagen")
    for viewer in (None, outsider, coordinator):
        auth.logout()
        if viewer:
            auth.login(viewer)
        for page in pages:
            assert SECRET not in client.get(page).text, (viewer, page)
        for path in (f"/agenda/{event_id}", f"/agenda/{event_id}.ics"):
            assert client.get(path).status_code == 404
        assert client.post(f"/agenda/{event_id}/aanmelden").status_code in (302, 404)
    # The lead leaves the group: their own feed no longer carries the group's event.
    with app.app_context():
        db.session.execute(Membership.__table__.delete().where(Membership.member_id == lead.id))
        db.session.commit()
    assert SECRET not in client.get(feed_url).text


# --- demo data ---------------------------------------------------------------------------------


def test_demo_data_has_the_seed_sessions_with_reports_and_upcoming_events(app, runner, mailbox):
    from tests.test_demo import load, log_in

    assert "Agenda: 11 events added." in load(runner, "--no-search-index").output
    output = load(runner, "--no-search-index").output  # twice: nothing added again
    assert "Agenda: 0 events added." in output
    visitor = app.test_client()
    reports = visitor.get("/agenda/verslagen").text
    for title in (
        "Open Technologie deel I",
        "Open Technologie deel II",
        "Meedenksessie Open Justice",
        "Meedenksessie Open Inkoop",
        "Meedenksessie Open Organisatie",
        "Meedenksessie Open Communicatie",
    ):
        assert title in reports
    member = log_in(app, "lid@alliantie.example")
    upcoming = member.get("/agenda/").text
    assert "actieve openbaarmaking in kleine gemeenten" in upcoming
    assert "Vol: wachtlijst" in upcoming
    assert "tips voor Woo-verzoeken" in upcoming  # Sanne is in that working group
    with app.app_context():
        event = db.session.scalar(
            select(Event).where(Event.title.like("Meedenksessie Open Inkoop"))
        )
        page = member.get(f"/agenda/{event.id}").text
    assert "Contractregister: publiceren we ook de contracten zelf?" in page
    coordinator = log_in(app, "coordinator@alliantie.example")
    assert "rechtspraak begrijpelijk publiceren" in coordinator.get("/agenda/beoordelen").text
    assert "tips voor Woo-verzoeken" not in coordinator.get("/agenda/").text  # not in the group


def test_signing_up_with_htmx_also_updates_the_places_taken(
    app, client, auth, make_member, make_event, mailbox
):
    event_id = make_event(capacity=3)
    auth.login(make_member())
    fragment = client.post(f"/agenda/{event_id}/aanmelden", headers={"HX-Request": "true"}).text
    assert 'id="event-places" hx-swap-oob="true">1 van 3 bezet' in fragment


def test_sql_statements_per_page_do_not_grow_with_the_list(
    app, client, auth, make_member, make_event, make_item, mailbox
):
    from tests.conftest import count_statements

    organiser = make_member()
    auth.login(organiser)
    first = make_event(organiser=organiser, themes=["open-inkoop", "open-justice"], capacity=3)
    when = utc_to_local(event_row(app, first).starts_at)
    pages = ("/agenda/", f"/agenda/maand?jaar={when.year}&maand={when.month}", "/agenda/mijn")
    few = {page: count_statements(app, client, page) for page in pages}
    for number in range(12):
        make_event(organiser=organiser, themes=["open-inkoop"], title=f"Sessie {number}")
    many = {page: count_statements(app, client, page) for page in pages}
    assert few == many
    assert max(many.values()) <= 15, many
    for _ in range(5):
        member = make_member()
        with app.test_request_context(method="POST"):
            from alliance.agenda.signups import sign_up
            from alliance.members.models import Member

            sign_up(db.session.get(Event, first), db.session.get(Member, member.id))
            db.session.commit()
    assert count_statements(app, client, f"/agenda/{first}") <= 15


def test_withdrawing_a_member_frees_their_places_for_the_waiting_list(
    app, make_member, make_event, mailbox
):
    from alliance.agenda import signups
    from alliance.members.models import Member

    leaving, waiting = make_member(), make_member()
    event_id = make_event(capacity=1)
    with app.test_request_context(method="POST"):
        event = db.session.get(Event, event_id)
        signups.sign_up(event, db.session.get(Member, leaving.id))
        signups.sign_up(event, db.session.get(Member, waiting.id))
        assert signups.withdraw_member(db.session.get(Member, leaving.id)) == 1
        db.session.commit()
    assert states(app, event_id) == {leaving.id: "cancelled", waiting.id: "signed_up"}
