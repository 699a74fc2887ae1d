"""The agenda of the demo network: the meedenksessies named in the consultation (with their
reports, linked to what came out of them), and upcoming events with sign-ups: one full with a
waiting list, one public webinar, one proposal waiting for a coordinator, one group meeting."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select

from alliance.agenda import services
from alliance.agenda.models import Event, Signup, event_groups, event_items
from alliance.core.timeutil import utcnow
from alliance.demo.item_vocabulary import email
from alliance.extensions import db
from alliance.groups.models import WorkingGroup
from alliance.knowledge.models import Item
from alliance.members.models import Member
from alliance.themes.models import Theme

TEAM = "coordinator@alliantie.example"


@dataclass(frozen=True)
class DemoEvent:
    """An event of the demo. Past sessions have a fixed date (Amsterdam time) and a report;
    upcoming ones start ``days`` from today."""

    title: str
    themes: tuple[str, ...]
    description: str
    organiser: str = TEAM
    kind: str = "meedenksessie"
    when: datetime | None = None
    days: int = 0
    hours: tuple[int, int] = (14, 16)
    location: str = ""
    capacity: int | None = None
    visibility: str = "members"
    state: str = "approved"
    group: str = ""
    participants: tuple[str, ...] = ()
    waiting: tuple[str, ...] = ()
    report: str = ""
    items: tuple[str, ...] = ()  # titles of named items the report links to
    groups: tuple[str, ...] = ()  # names of working groups the report links to


PEOPLE = (
    "noor.haddou",
    "bram.kuipers",
    "kim.blom",
    "jasper.zwart",
    "wouter.scholten",
    "koen.vermeulen",
    "femke.hoekstra",
    "priya.ramdin",
    "inge.wolters",
    "niels.smits",
    "geertje.dijkstra",
    "hanneke.veenstra",
    "martijn.degraaf",
    "rachid.bouzid",
    "stijn.deboer",
)

ONLINE = "Online (vanwege COVID-19)"

SESSIONS = (
    DemoEvent(
        "Meedenksessie Open Technologie deel I",
        ("open-technologie",),
        "Wat betekent open technologie voor de overheid? We beginnen bij open source.",
        when=datetime(2020, 8, 27, 14),
        location=ONLINE,
        capacity=30,
        visibility="public",
        participants=PEOPLE[3:9],
        report="Open Technologie staat bij de deelnemers op de eerste plek. Vooral **open "
        "source** leeft: code van de overheid hoort openbaar te zijn, tenzij er een goede reden "
        "is om dat niet te doen.\n\n- Begin klein: zet eerst nieuwe code open.\n"
        "- Koop samen in, dan ben je niet afhankelijk van één leverancier.\n\n"
        "We spraken af een tweede sessie te houden over inkoop en beheer.",
        items=(
            "Nieuw zaaksysteem: kiezen we voor open source?",
            "Code openzetten die nog niet af is?",
        ),
        groups=("Open source in het zaaksysteem",),
    ),
    DemoEvent(
        "Meedenksessie Open Technologie deel II",
        ("open-technologie", "open-inkoop"),
        "Vervolg op deel I: hoe beheren we open source samen, en wie betaalt wat?",
        when=datetime(2020, 10, 27, 14),
        location=ONLINE,
        capacity=30,
        visibility="public",
        participants=PEOPLE[2:10],
        report="In deel II ging het over beheer. Wie onderhoudt de code als het project klaar "
        "is? De deelnemers willen een **gezamenlijke beheerorganisatie** en afspraken over "
        "open standaarden.\n\nEen werkgroep pakt het modelbestek op.",
        items=("Nieuw zaaksysteem: kiezen we voor open source?",),
        groups=("Open source in het zaaksysteem",),
    ),
    DemoEvent(
        "Meedenksessie Open Justice",
        ("open-justice",),
        "Open Wetsontwerp en Open Rechtspraak liggen in elkaars verlengde. Hoe geven we "
        "Open Justice een plek in het actieplan?",
        when=datetime(2020, 10, 5, 10),
        hours=(10, 12),
        location=ONLINE,
        capacity=25,
        visibility="public",
        participants=PEOPLE[9:15],
        report="Open Wetsontwerp en Open Rechtspraak sluiten aan bij het thema Open Justice van "
        "het Open Government Partnership. We verkennen of en hoe het een plek krijgt in het "
        "actieplan.\n\nMeer uitspraken publiceren vraagt om goede afspraken over anonimiseren.",
        items=("Meer uitspraken publiceren: hoe ver gaan we met anonimiseren?",),
    ),
    DemoEvent(
        "Meedenksessie Open Inkoop",
        ("open-inkoop",),
        "Welke inkoopgegevens maken we openbaar, en hoe?",
        when=datetime(2020, 10, 14, 14),
        location=ONLINE,
        capacity=25,
        visibility="public",
        participants=PEOPLE[0:7],
        report="Deelnemers willen dat contracten en inkoopdata standaard openbaar zijn, met "
        "duidelijke uitzonderingen. Bedragen per leverancier blijven een dilemma.",
        items=(
            "Contractregister: publiceren we ook de contracten zelf?",
            "Inkoopdata publiceren: ook de bedragen per leverancier?",
        ),
    ),
    DemoEvent(
        "Meedenksessie Open Organisatie",
        ("open-organisatie",),
        "Hoe wordt een overheidsorganisatie van binnenuit opener?",
        when=datetime(2020, 10, 19, 14),
        location=ONLINE,
        capacity=25,
        visibility="public",
        participants=PEOPLE[5:12],
        report="Openheid begint bij de cultuur: durven medewerkers fouten te delen? Deelnemers "
        "noemden burgerberaden en open besluitvorming als voorbeelden.",
        items=("Burgerberaad: beloven we vooraf dat de raad het advies overneemt?",),
    ),
    DemoEvent(
        "Meedenksessie Open Communicatie",
        ("open-communicatie",),
        "Begrijpelijke taal en tweerichtingsverkeer: is de basis op orde?",
        when=datetime(2020, 10, 29, 14),
        location=ONLINE,
        capacity=25,
        visibility="public",
        participants=PEOPLE[6:13],
        report="Vaak wordt aangenomen dat de basis op orde is, maar dat is niet zo. Brieven "
        "zijn nog te moeilijk. Een werkgroep maakt een sjabloon op B1-niveau.",
        groups=("Brieven op B1-niveau",),
    ),
)

UPCOMING = (
    DemoEvent(
        "Meedenksessie Open Informatie: actieve openbaarmaking in kleine gemeenten",
        ("open-informatie",),
        "Waar begin je als kleine gemeente met actieve openbaarmaking? We delen wat werkt.",
        organiser="noor.haddou",
        days=14,
        location="Utrecht, Stadskantoor, zaal 3",
        capacity=8,
        participants=PEOPLE[1:9],
        waiting=("hanneke.veenstra", "martijn.degraaf"),
    ),
    DemoEvent(
        "Webinar: open source in het zaaksysteem",
        ("open-technologie", "open-inkoop"),
        "Drie gemeenten vertellen hoe zij samen een open source zaaksysteem inkopen.",
        organiser="jasper.zwart",
        kind="webinar",
        days=21,
        hours=(12, 13),
        location="https://video.example.org/alliantie-webinar",
        capacity=100,
        visibility="public",
        participants=PEOPLE[0:5],
    ),
    DemoEvent(
        "Bijeenkomst: brieven op B1-niveau schrijven",
        ("open-communicatie",),
        "Een praktische middag: neem een brief mee, we herschrijven hem samen.",
        organiser="femke.hoekstra",
        kind="bijeenkomst",
        days=35,
        hours=(13, 17),
        location="Den Haag, Turfmarkt 147",
        capacity=20,
        participants=PEOPLE[6:9],
    ),
    DemoEvent(
        "Meedenksessie Open Justice: rechtspraak begrijpelijk publiceren",
        ("open-justice",),
        "Een voorstel voor een tweede sessie over Open Rechtspraak.",
        organiser="lid@alliantie.example",
        days=45,
        location="Amsterdam",
        capacity=20,
        state="proposed",
    ),
    DemoEvent(
        "Werkgroepoverleg: tips voor Woo-verzoeken",
        ("open-informatie",),
        "We leggen de interviews naast elkaar.",
        organiser="noor.haddou",
        kind="werkgroep",
        days=7,
        hours=(9, 10),
        location="https://video.example.org/woo-werkgroep",
        visibility="group",
        group="Woo-verzoeken sneller afhandelen",
        participants=("bram.kuipers", "kim.blom"),
    ),
)


def load_events(events=SESSIONS + UPCOMING) -> list[str]:
    """Add the demo events whose title is not in use yet (after the network, items and
    groups). Flushes only; the caller commits. Returns the titles added."""
    existing = set(db.session.scalars(select(Event.title)))
    people = {m.email: m for m in db.session.scalars(select(Member))}
    themes = dict(db.session.execute(select(Theme.slug, Theme.id)).tuples().all())
    groups = dict(db.session.execute(select(WorkingGroup.name, WorkingGroup.id)).tuples().all())
    added = []
    for demo in events:
        wanted = {email(demo.organiser), *map(email, demo.participants), *map(email, demo.waiting)}
        if demo.title in existing or not wanted <= people.keys():
            continue
        if demo.group and demo.group not in groups:
            continue
        _write(demo, people, themes, groups)
        added.append(demo.title)
    return added


def easter(year: int) -> date:
    """Easter Sunday (the Gregorian computus, as Meeus gives it)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * ell) // 433
    month = (h + ell - 7 * m + 90) // 25
    return date(year, month, (h + ell - 7 * m + 33 * month + 19) % 32)


def dutch_holidays(year: int) -> set[date]:
    """The public holidays of the Netherlands in ``year``, and the Christmas break (24 December
    to 1 January), when nobody plans a meeting."""
    easter_day = easter(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday it is the Saturday before
        kings_day = date(year, 4, 26)
    moving = (-2, 0, 1, 39, 49, 50)  # Good Friday, Easter, Ascension, Whitsun
    return {
        date(year, 1, 1),
        kings_day,
        date(year, 5, 5),
        *(easter_day + timedelta(days=days) for days in moving),
        *(date(year, 12, day) for day in range(24, 32)),
    }


def working_day(day: date) -> date:
    """``day``, or the first working day after it: no weekend, no holiday."""
    while day.weekday() >= 5 or day in dutch_holidays(day.year):
        day += timedelta(days=1)
    return day


def _write(demo: DemoEvent, people: dict, themes: dict, groups: dict) -> None:
    if demo.when is not None:
        day = demo.when
    else:
        local_day = working_day(services.utc_to_local(utcnow()).date() + timedelta(days=demo.days))
        day = datetime(local_day.year, local_day.month, local_day.day)
    starts = day.replace(hour=demo.hours[0], minute=0)
    ends = day.replace(hour=demo.hours[1], minute=0)
    online = demo.location.startswith("https://")
    event = Event(
        title=demo.title,
        kind=demo.kind,
        description=demo.description,
        starts_at=services.local_to_utc(starts),
        ends_at=services.local_to_utc(ends),
        online=online or demo.location == ONLINE,
        online_url=demo.location if online else "",
        location="" if online else demo.location,
        capacity=demo.capacity,
        visibility=demo.visibility,
        group_id=groups.get(demo.group),
        state=demo.state,
        organiser_id=people[email(demo.organiser)].id,
        themes=list(db.session.scalars(select(Theme).where(Theme.slug.in_(demo.themes)))),
    )
    db.session.add(event)
    db.session.flush()
    moment = event.starts_at - timedelta(days=10)
    for number, name in enumerate(demo.participants + demo.waiting):
        db.session.add(
            Signup(
                event_id=event.id,
                member_id=people[email(name)].id,
                state="signed_up" if name in demo.participants else "waiting",
                queued_at=moment + timedelta(minutes=number),
                created_at=moment + timedelta(minutes=number),
            )
        )
    event.participant_count = len(demo.participants)
    if demo.report:
        event.report = demo.report
        event.report_at = event.ends_at + timedelta(days=3)
        item_ids = db.session.scalars(select(Item.id).where(Item.title.in_(demo.items))).all()
        if item_ids:
            db.session.execute(
                insert(event_items), [{"event_id": event.id, "item_id": i} for i in item_ids]
            )
        group_ids = [groups[name] for name in demo.groups if name in groups]
        if group_ids:
            db.session.execute(
                insert(event_groups), [{"event_id": event.id, "group_id": g} for g in group_ids]
            )
    db.session.flush()
