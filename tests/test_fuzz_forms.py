"""Random data posted to every form never gives a 500 (property-based, hypothesis)."""

import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from alliance.extensions import limiter
from tests.conftest import AuthActions

#: Every form of the app: the page that shows it and the roles that can reach it.
FORMS = [
    ("/registreren", None),
    ("/inloggen", None),
    ("/inloggen/link", None),
    ("/wachtwoord-vergeten", None),
    ("/wachtwoord-herstellen/{reset_token}", None),
    ("/registreren/bevestigen/{reset_token}", None),
    ("/account/e-mail/{reset_token}", None),
    ("/profiel/bewerken", "member"),
    ("/welkom/themas", "member"),
    ("/welkom/verbergen", "member"),
    ("/welkom/tonen", "member"),
    ("/profiel/foto", "member"),
    ("/profiel/foto/verwijderen", "member"),
    ("/berichten/nieuw", "member"),
    ("/berichten/nieuw?aan={target}", "member"),
    ("/berichten/{conversation}", "writer"),
    ("/berichten/blokkeren/{target}", "member"),
    ("/berichten/deblokkeren/{target}", "member"),
    ("/berichten/instellingen", "member"),
    ("/leden/{target}/meedenken", "member"),
    ("/account", "member"),
    ("/uitnodigen", "coordinator"),
    ("/beheer/rollen", "admin"),
    ("/themas/beheer", "coordinator"),
    ("/themas/open-inkoop/bewerken", "coordinator"),
    ("/themas/open-inkoop/status", "coordinator"),
    ("/taal", None),
    ("/kennisbank/nieuw", "member"),
    ("/kennisbank/{item}/bewerken", "author"),
    ("/kennisbank/{item}/reacties", "member"),
    ("/kennisbank/{item}/besluit", "author"),
    ("/kennisbank/{item}/evaluatie", "author"),
    ("/kennisbank/{item}/herken", "member"),
    ("/kennisbank/{item}/volg", "member"),
    ("/kennisbank/reacties/{reply}/bewerken", "replier"),
    ("/kennisbank/reacties/{reply}/hielp", "author"),
    ("/kennisbank/reacties/{reply}/nuttig", "member"),
    ("/werkgroepen/nieuw", "member"),
    ("/werkgroepen/{group}/bewerken", "lead"),
    ("/werkgroepen/{group}/aanmelden", "member"),
    ("/werkgroepen/{group}/uitnodiging-afslaan", "member"),
    ("/werkgroepen/{group}/verlaten", "group_member"),
    ("/werkgroepen/{group}/uitnodigen", "lead"),
    ("/werkgroepen/{group}/leden/{request}/toelaten", "lead"),
    ("/werkgroepen/{group}/leden/{request}/afwijzen", "lead"),
    ("/werkgroepen/{group}/leden/{membership}/verwijderen", "lead"),
    ("/werkgroepen/{group}/leden/{membership}/rol", "lead"),
    ("/werkgroepen/{group}/actiepunten", "group_member"),
    ("/werkgroepen/{group}/actiepunten/{task}", "group_member"),
    ("/werkgroepen/{group}/links", "group_member"),
    ("/werkgroepen/{group}/verlengen", "lead"),
    ("/werkgroepen/{group}/afronden", "lead"),
    ("/werkgroepen/{group}/opbrengst", "lead"),
    ("/werkgroepen/{group}/berichten", "group_member"),
    ("/werkgroepen/{group}/berichten/{message}/bewerken", "lead"),
    ("/werkgroepen/{group}/berichten/{message}/verwijderen", "lead"),
    ("/werkgroepen/{group}/berichten/{message}/naar-kennisbank", "lead"),
    ("/werkgroepen/{group}/documenten", "group_member"),
    ("/werkgroepen/{group}/documenten/{document}/versies", "group_member"),
    ("/werkgroepen/{group}/documenten/{document}/verwijderen", "lead"),
    ("/werkgroepen/{group}/voorstellen", "group_member"),
    ("/werkgroepen/{group}/voorstellen/{gproposal}/reactie", "group_member"),
    ("/werkgroepen/{group}/voorstellen/{gproposal}/sluiten", "lead"),
    ("/werkgroepen/{group}/voorstellen/{gproposal}/uitkomst", "lead"),
    ("/meldingen/instellingen", "member"),
    ("/meldingen/gelezen", "member"),
    ("/meldingen/{notification}/gelezen", "author"),
    ("/meldingen/afmelden/{reset_token}", None),
    ("/kennisbank/{item}/meedenkers", "author"),
    ("/agenda/nieuw", "member"),
    ("/agenda/{event}/bewerken", "organiser"),
    ("/agenda/{event}/aanmelden", "member"),
    ("/agenda/{event}/afmelden", "member"),
    ("/agenda/{event}/goedkeuren", "coordinator"),
    ("/agenda/{proposal}/terugsturen", "coordinator"),
    ("/agenda/{past_event}/verslag", "organiser"),
    ("/agenda/mijn/agenda-link", "member"),
    ("/agenda/mijn/agenda-link/intrekken", "member"),
    ("/inloggen/code", "pending"),
    ("/account/tweestapsverificatie", "member"),
    ("/account/tweestapsverificatie/herstelcodes", "two_factor"),
    ("/account/tweestapsverificatie/uit", "two_factor"),
    ("/account/sessies/beeindigen", "member"),
    ("/mijn-gegevens/verwijderen", "member"),
    ("/melden/{kind}/{reply}", "member"),
    ("/moderatie/meldingen/{report}", "coordinator"),
    ("/moderatie/meldingen/{report}/inzien", "coordinator"),
    ("/moderatie/leden/{target}/schorsen", "coordinator"),
    ("/moderatie/leden/{target}/opheffen", "coordinator"),
]

nasty_text = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "💥" * 40,
            "a" * 5000,
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "%s%n",
            "../../etc/passwd",
            "javascript:alert(1)",
            "999999999999999999999999",
            "-1",
            "0",
            "²",  # isdigit() says yes, int() says no
            "١٢",  # Arabic-Indic digits: int() takes them, an id they are not
            " 12 ",
            "nl",
            "en",
            "y",
        ]
    ),
)


def item_with_reply(app, make_member, make_item) -> dict:
    """An item by one member with a reply by another: the targets of the knowledge forms."""
    from alliance.extensions import db
    from alliance.knowledge.models import Item
    from alliance.knowledge.services import add_reply
    from alliance.members.models import Member
    from alliance.notify.models import Notification

    author, replier = make_member(), make_member()
    item_id = make_item(author=author)
    with app.test_request_context(method="POST"):
        reply = add_reply(
            db.session.get(Item, item_id),
            db.session.get(Member, replier.id),
            "Een reactie.",
            "beleid",
        )
        db.session.commit()
        reply_id = reply.id
        notification_id = db.session.scalar(
            select(Notification.id).where(Notification.recipient_id == author.id)
        )
    return {
        "author": author,
        "replier": replier,
        "item": item_id,
        "reply": reply_id,
        "notification": notification_id,
    }


def working_group(app, make_member) -> dict:
    """A working group with a lead, a member, a request to join and a task; a message, a
    document and an open proposal of the lead."""
    from datetime import timedelta

    from alliance.core.timeutil import utcnow
    from alliance.extensions import db
    from alliance.groups import documents, proposals, stream
    from alliance.groups.models import Membership, Task
    from alliance.groups.services import GroupChange, _recount, start_group
    from alliance.members.models import Member

    lead, member, asking = make_member(), make_member(), make_member()
    with app.test_request_context(method="POST"):
        group = start_group(
            db.session.get(Member, lead.id),
            GroupChange(
                name="Fuzzgroep",
                opgave="Alles testen.",
                deliverable="Een rapport",
                ends_on=utcnow().date() + timedelta(days=30),
            ),
        )
        joined = Membership(group_id=group.id, member_id=member.id, joined_at=utcnow())
        request = Membership(group_id=group.id, member_id=asking.id, state="requested")
        task = Task(group_id=group.id, title="Testen")
        db.session.add_all([joined, request, task])
        _recount(group)
        lead_row = db.session.get(Member, lead.id)
        message = stream.post_message(group, lead_row, "Een bericht om te fuzzen.")
        document = documents.upload(group, lead_row, io.BytesIO(b"%PDF-1.7\n"), "a.pdf", "A", "")
        proposal = proposals.propose(
            group, lead_row, "Een voorstel", "", utcnow().date() + timedelta(days=5)
        )
        db.session.commit()
        return {
            "lead": lead,
            "group_member": member,
            "group": group.id,
            "membership": joined.id,
            "request": request.id,
            "task": task.id,
            "message": message.id,
            "document": document.id,
            "gproposal": proposal.id,
        }


def agenda_events(app, make_member) -> dict:
    """An approved event, a proposal and an event that has started, by one organiser."""
    from datetime import timedelta

    from alliance.agenda.services import EventChange, propose_event, utc_to_local
    from alliance.core.timeutil import utcnow
    from alliance.extensions import db
    from alliance.members.models import Member

    organiser = make_member()
    starts = utc_to_local(utcnow()).replace(microsecond=0) + timedelta(days=3)
    ids = {"organiser": organiser}
    with app.test_request_context(method="POST"):
        for name in ("event", "proposal", "past_event"):
            event = propose_event(
                db.session.get(Member, organiser.id),
                EventChange(
                    title="Fuzzsessie",
                    kind="webinar",
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=2),
                    location="Zwolle",
                    capacity=1,
                ),
            )
            if name != "proposal":
                event.state = "approved"
            if name == "past_event":
                event.starts_at = utcnow() - timedelta(hours=2)
                event.ends_at = utcnow() - timedelta(hours=1)
            ids[name] = event.id
        db.session.commit()
    return ids


def moderation_targets(app, make_member, make_item) -> dict:
    """A reported reply and its author: the targets of the moderation forms."""
    from alliance.extensions import db
    from alliance.members.models import Member
    from alliance.moderation.services import report

    ids = item_with_reply(app, make_member, make_item)
    with app.test_request_context(method="POST"):
        reported = report("reply", ids["reply"], db.session.get(Member, ids["author"].id), "Mis.")
        db.session.commit()
        ids.update(report=reported.id, target=ids["replier"].id)
    return ids


def conversation(app, make_member) -> dict:
    """A conversation of two members: the target of the answer form."""
    from alliance.extensions import db
    from alliance.members.models import Member
    from alliance.messages.services import start

    writer, other = make_member(), make_member()
    with app.test_request_context(method="POST"):
        message = start(db.session.get(Member, writer.id), [other.id], "Hallo")
        db.session.commit()
        return {"writer": writer, "conversation": message.conversation_id}


def field_names(html: str) -> set[str]:
    return set(re.findall(r'name="([^"]+)"', html)) - {"csrf_token"}


def test_every_post_route_is_fuzzed(app):
    """A new form must be added to FORMS above (so it is fuzzed too)."""
    listed = {re.sub(r"\{\w+\}", "<token>", path) for path, _role in FORMS}
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and rule.endpoint != "accounts.logout":
            route = re.sub(r"<(?:\w+:)?\w+>", "<token>", rule.rule)
            route = route.replace("/themas/<token>", "/themas/open-inkoop")
            route = re.sub(r"/kennisbank/<token>", "/kennisbank/<token>", route)
            assert route in listed or route.replace("<token>", "open-inkoop") in listed, route


@pytest.fixture
def targets() -> dict:
    """What one fuzzed form works on, built by its first example and reused by the others:
    hypothesis runs every example of a test inside one function-scoped fixture, so building
    members, items and groups anew for each example only cost time (a third of the suite).
    The examples still change them (a form that succeeds), as a real user would."""
    return {}


def build_targets(app, make_member, make_item, path: str, role: str | None) -> dict:
    ids = {}
    if "{item}" in path or "{reply}" in path or "{notification}" in path:
        ids = item_with_reply(app, make_member, make_item)
    if "{group}" in path:
        ids = working_group(app, make_member)
    if path.startswith("/agenda/{"):
        ids = agenda_events(app, make_member)
    if "{report}" in path or "{target}" in path:
        ids = moderation_targets(app, make_member, make_item)
    if "{conversation}" in path:
        ids = conversation(app, make_member)
    if role in ("author", "replier", "lead", "group_member", "organiser", "writer"):
        ids["as"] = ids[role]
    elif role in ("pending", "two_factor"):
        ids["as"] = make_member(two_factor=True)
    elif role:
        ids["as"] = make_member(role=role)
    return ids


@pytest.mark.parametrize("path, role", FORMS)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_form_data_never_gives_a_500(app, make_member, make_item, targets, path, role, data):
    limiter.enabled = False
    try:
        client = app.test_client()
        if not targets:
            targets.update(build_targets(app, make_member, make_item, path, role))
        ids = targets
        member = ids.get("as")
        if role == "pending":  # halfway: the password given, the code step open
            client.post("/inloggen", data={"email": member.email, "password": member.password})
        elif role:
            AuthActions(client).login(member)
        token = data.draw(
            st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.", min_size=1, max_size=80)
        )
        url = path.format(
            reset_token=token,
            kind="reply",
            **{
                k: ids.get(k)
                for k in (
                    "notification",
                    "item",
                    "reply",
                    "group",
                    "membership",
                    "request",
                    "task",
                    "message",
                    "document",
                    "gproposal",
                    "event",
                    "proposal",
                    "past_event",
                    "report",
                    "target",
                    "conversation",
                )
            },
        )
        page = client.get(url)
        names = field_names(page.text) if page.status_code == 200 else set()
        names |= {"name", "email", "password", "action", "member_id", "role", "themes"}
        chosen = data.draw(st.sets(st.sampled_from(sorted(names)), max_size=len(names)))
        form = {
            name: data.draw(st.one_of(nasty_text, st.lists(nasty_text, max_size=3)))
            for name in chosen
        }
        response = client.post(url, data=form)
        assert response.status_code < 500, (url, form)
        response = client.get(url + "?" + "&".join(f"{k}=x" for k in chosen))
        assert response.status_code < 500
    finally:
        limiter.enabled = True


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=nasty_text, page=nasty_text, perspective=nasty_text, theme=nasty_text, offer=nasty_text)
def test_random_directory_queries_never_give_a_500(
    app, make_member, q, page, perspective, theme, offer
):
    limiter.enabled = False
    client = app.test_client()
    member = make_member()
    AuthActions(client).login(member)
    limiter.enabled = True
    response = client.get(
        "/leden",
        query_string={
            "q": q,
            "pagina": page,
            "perspectief": perspective,
            "thema": theme,
            "bied": offer,
            "type": q,
        },
    )
    assert response.status_code == 200
