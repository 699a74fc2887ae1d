"""Named demo working groups in every state: open, on request and overdue, by invitation and
full, wrapping up, and archived with a published result; with tasks, notes and a discussion."""

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from alliance.core.timeutil import utcnow
from alliance.demo.item_vocabulary import email
from alliance.extensions import db
from alliance.groups import services, space
from alliance.groups.models import Membership, Task, WorkingGroup
from alliance.knowledge.models import Item
from alliance.knowledge.services import ItemChange, add_reply, post_item
from alliance.members.models import Member
from alliance.themes.models import Theme


@dataclass(frozen=True)
class DemoGroup:
    """A working group of the demo network. ``days`` runs from ``started`` days ago."""

    name: str
    lead: str
    members: tuple[str, ...]
    themes: tuple[str, ...]
    opgave: str
    deliverable: str
    policy: str = "request"
    cap: int = 8
    started: int = 30
    days: int = 120
    state: str = "active"
    dilemma: str = ""
    requests: tuple[tuple[str, str], ...] = ()
    tasks: tuple[tuple[str, str, str], ...] = ()  # title, owner, state
    notes: tuple[tuple[str, str], ...] = ()  # title, url
    post: str = ""
    result: dict = field(default_factory=dict)


NAMED_GROUPS = (
    DemoGroup(
        "Woo-verzoeken sneller afhandelen",
        "noor.haddou",
        ("lid@alliantie.example", "bram.kuipers", "kim.blom"),
        ("open-informatie",),
        "Veel gemeenten halen de termijn voor Woo-verzoeken niet. Wat werkt wel?",
        "Een handreiking met tien tips",
        policy="open",
        dilemma="E-mails van de wethouder: zelf openbaar maken of wachten op een Woo-verzoek?",
        tasks=(
            ("Vijf gemeenten interviewen", "bram.kuipers", "doing"),
            ("Tips op een rij zetten", "noor.haddou", "todo"),
            ("Lakrichtlijn vergelijken", "kim.blom", "done"),
        ),
        notes=(("Woo-index", "https://www.woo-index.nl"),),
        post="Welke termijn halen jullie nu echt?",
    ),
    DemoGroup(
        "Open source in het zaaksysteem",
        "jasper.zwart",
        ("wouter.scholten", "koen.vermeulen"),
        ("open-technologie", "open-inkoop"),
        "Hoe kopen gemeenten samen een open source zaaksysteem in?",
        "Een modelbestek",
        started=200,
        days=180,
        dilemma="Nieuw zaaksysteem: kiezen we voor open source?",
        requests=(("niels.smits", "Ik ken Common Ground goed."),),
        tasks=(("Bestek schrijven", "koen.vermeulen", "doing"),),
    ),
    DemoGroup(
        "Brieven op B1-niveau",
        "femke.hoekstra",
        ("priya.ramdin", "inge.wolters"),
        ("open-communicatie",),
        "Hoe schrijven we brieven die iedereen begrijpt?",
        "Een sjabloon voor brieven",
        policy="invite",
        cap=3,
        tasks=(("Drie brieven herschrijven", "priya.ramdin", "todo"),),
    ),
    DemoGroup(
        "Algoritmeregister vullen",
        "martijn.degraaf",
        ("rachid.bouzid", "stijn.deboer"),
        ("open-technologie",),
        "Welke algoritmes zetten we in het register, en hoe beschrijven we ze?",
        "Een invulwijzer",
        started=300,
        days=310,
        state="wrapping_up",
        tasks=(("Invulwijzer testen", "stijn.deboer", "done"),),
        result={
            "title": "Opbrengst: Algoritmeregister vullen",
            "made": "Een invulwijzer voor het algoritmeregister.",
            "learned": "Begin met de algoritmes die inwoners raken.",
            "visibility": "members",
        },
    ),
    DemoGroup(
        "Actieve openbaarmaking in kleine gemeenten",
        "hanneke.veenstra",
        ("geertje.dijkstra", "lid@alliantie.example"),
        ("open-informatie",),
        "Waar begint een kleine gemeente met actieve openbaarmaking?",
        "Een stappenplan",
        started=360,
        days=300,
        state="archived",
        tasks=(("Stappenplan schrijven", "hanneke.veenstra", "done"),),
        result={
            "title": "Stappenplan actieve openbaarmaking voor kleine gemeenten",
            "made": "Een stappenplan in vijf stappen, getest in drie gemeenten.",
            "learned": "Begin met raadsstukken: die zijn al openbaar en snel te publiceren.",
            "visibility": "public",
        },
    ),
)


def load_groups(groups=NAMED_GROUPS) -> list[str]:
    """Add the named groups whose name is not in use yet (needs the named network and items).
    Flushes only; the caller commits. Returns the names added."""
    existing = set(db.session.scalars(select(WorkingGroup.name)))
    people = {m.email: m for m in db.session.scalars(select(Member))}
    themes = dict(db.session.execute(select(Theme.slug, Theme.id)).tuples().all())
    added = []
    for demo in groups:
        wanted = {
            email(demo.lead),
            *map(email, demo.members),
            *(email(r) for r, _ in demo.requests),
        }
        if demo.name in existing or not wanted <= people.keys():
            continue
        _write(demo, people, themes)
        added.append(demo.name)
    return added


def _write(demo: DemoGroup, people: dict[str, Member], themes: dict[str, int]) -> None:
    today = utcnow().date()
    lead = people[email(demo.lead)]
    dilemma = (
        db.session.scalar(select(Item).where(Item.title == demo.dilemma)) if demo.dilemma else None
    )
    group = services.start_group(
        lead,
        services.GroupChange(
            name=demo.name,
            opgave=demo.opgave,
            deliverable=demo.deliverable,
            description=demo.opgave,
            join_policy=demo.policy,
            size_cap=demo.cap,
            ends_on=today + timedelta(days=30),
            theme_ids=[themes[slug] for slug in demo.themes if slug in themes],
        ),
        dilemma,
    )
    # The demo tells a story in time: move the dates back (the rules allow no past dates).
    group.starts_on = today - timedelta(days=demo.started)
    group.ends_on = group.starts_on + timedelta(days=demo.days)
    now = utcnow()
    for address in demo.members:
        db.session.add(
            Membership(
                group_id=group.id,
                member_id=people[email(address)].id,
                joined_at=now,
                state="member",
            )
        )
    for address, contribution in demo.requests:
        db.session.add(
            Membership(
                group_id=group.id,
                member_id=people[email(address)].id,
                state="requested",
                contribution=contribution,
            )
        )
    services._recount(group)
    for title, owner, state in demo.tasks:
        db.session.add(
            Task(group_id=group.id, title=title, owner_id=people[email(owner)].id, state=state)
        )
    for title, url in demo.notes:
        space.add_note(group, lead, title, url, "")
    if demo.post:
        item = post_item(
            lead,
            ItemChange(
                kind="dilemma",
                title=demo.post,
                visibility="group",
                group_id=group.id,
                fields={"tension": demo.post},
            ),
        )
        reply = add_reply(
            item, people[email(demo.members[0])], "Wij halen zes weken bijna nooit.", "uitvoering"
        )
        # The story: asked three days ago, answered the day after (not at load time).
        item.created_at = item.updated_at = utcnow() - timedelta(days=3)
        reply.created_at = item.last_activity_at = utcnow() - timedelta(days=2)
    if demo.state in ("wrapping_up", "archived"):
        space.start_wrap_up(group)
        space.save_result(group, demo.result)
    if demo.state == "archived":
        space.publish_result(group, lead)
    db.session.flush()
