"""Who may open what: a route × role matrix that every feature extends with its own rows."""

import io

import pytest
from sqlalchemy import select

from tests.test_search import ask, titles

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
    ("GET", "/kennisbank/{members}/meedenkers/voorstel", (LOGIN, 403, 403, 403)),
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
    ("POST", "/moderatie/meldingen/{report}/inzien", (LOGIN, 403, 200, 200)),  # not a group's
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
    # People (issue 17): what a member did, the photo, and messages. {conversation} and
    # {message} are of two other members: for everyone else they do not exist.
    ("GET", "/leden/{private}/bijdragen", (404, 200, 200, 200)),
    ("GET", "/leden/{private}/hielp", (404, 200, 200, 200)),
    ("GET", "/leden/{private}/lessen", (404, 200, 200, 200)),
    ("GET", "/leden/{private}/foto/klein", (404, 404, 404, 404)),  # none uploaded
    ("POST", "/profiel/foto", (LOGIN, 422, 422, 422)),  # no file
    ("POST", "/profiel/foto/verwijderen", (LOGIN, 303, 303, 303)),
    ("GET", "/leden/{private}/meedenken", (LOGIN, 200, 200, 200)),
    ("POST", "/leden/{private}/meedenken", (LOGIN, 200, 200, 200)),  # no dilemma of theirs
    ("GET", "/berichten", (LOGIN, 200, 200, 200)),
    ("GET", "/berichten/instellingen", (LOGIN, 200, 200, 200)),
    ("POST", "/berichten/instellingen", (LOGIN, 303, 303, 303)),
    ("GET", "/berichten/nieuw", (LOGIN, 200, 200, 200)),  # to nobody yet: who?
    ("GET", "/berichten/nieuw?aan={private}", (LOGIN, 200, 200, 200)),
    ("POST", "/berichten/nieuw?aan={private}", (LOGIN, 303, 303, 303)),
    ("GET", "/berichten/{conversation}", (LOGIN, 404, 404, 404)),
    ("GET", "/berichten/{conversation}?voor=999999", (LOGIN, 404, 404, 404)),
    ("POST", "/berichten/{conversation}", (LOGIN, 404, 404, 404)),
    ("POST", "/berichten/blokkeren/{private}", (LOGIN, 303, 303, 303)),
    ("POST", "/berichten/deblokkeren/{private}", (LOGIN, 303, 303, 303)),
    ("GET", "/melden/message/{message}", (LOGIN, 404, 404, 404)),
    ("POST", "/melden/message/{message}", (LOGIN, 404, 404, 404)),
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
    "/moderatie/meldingen/{report}/inzien": {"reason": "Om de melding af te handelen."},
    "/moderatie/leden/{private}/schorsen": {"days": "3", "reason": "Schelden."},
    "/moderatie/leden/{private}/opheffen": {"lift-reason": "Gesprek gehad."},
    "/account/tweestapsverificatie/herstelcodes": {"password": "groene appels in de herfst"},
    "/account/sessies/beeindigen": {"sessie": "0" * 64},
    "/berichten/instellingen": {"allow": "shared"},
    "/berichten/nieuw?aan={private}": {"body": "Mag ik je iets vragen?"},
    "/berichten/{conversation}": {"body": "Ik lees mee."},
    "/melden/message/{message}": {"reason": "Spam."},
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
    if "{conversation}" in path or "{message}" in path:
        ids.update(conversation_of_two(app, private, make_member()))
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


def conversation_of_two(app, one, other) -> dict:
    """A conversation between two members, with one message."""
    from alliance.extensions import db
    from alliance.members.models import Member
    from alliance.messages.services import start

    with app.test_request_context(method="POST"):
        message = start(db.session.get(Member, one.id), [other.id], "Onder ons.")
        db.session.commit()
        return {"conversation": message.conversation_id, "message": message.id}


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


# --- working groups: every route × (anonymous, member, removed, group member, trekker, coord.) --

GROUP_ROLES = ("anonymous", "member", "removed", "group_member", "lead", "coordinator")

#: ``{grp}`` is a working group (see ``group_with_secrets``); ``{req}`` a request to join it,
#: ``{mem}`` another member of it, ``{task}`` one of its tasks, ``{gitem}`` a post in its
#: private discussion (the lead asked it) and ``{greply}`` a reply to that post by ``{mem}``.
#: "member" is a member outside the group, "removed" one the lead took out of it.
GROUP_MATRIX = [
    ("GET", "/werkgroepen/", (LOGIN, 200, 200, 200, 200, 200)),
    ("GET", "/werkgroepen/?open=1&staat=gearchiveerd&thema=x", (LOGIN, 200, 200, 200, 200, 200)),
    ("GET", "/werkgroepen/nieuw", (LOGIN, 200, 200, 200, 200, 200)),
    ("GET", "/werkgroepen/nieuw?dilemma={gitem}", (LOGIN, 200, 200, 200, 200, 200)),
    ("POST", "/werkgroepen/nieuw", (LOGIN, 303, 303, 303, 303, 303)),
    ("POST", "/werkgroepen/nieuw?dilemma={gitem}", (LOGIN, 303, 303, 303, 303, 303)),
    ("GET", "/werkgroepen/{grp}", (LOGIN, 200, 200, 200, 200, 200)),
    ("GET", "/werkgroepen/999999", (LOGIN, 404, 404, 404, 404, 404)),
    ("GET", "/werkgroepen/{grp}/bewerken", (LOGIN, 403, 403, 403, 200, 403)),
    ("POST", "/werkgroepen/{grp}/bewerken", (LOGIN, 403, 403, 403, 303, 403)),
    ("GET", "/werkgroepen/{grp}/uitnodigen", (LOGIN, 403, 403, 403, 200, 403)),
    ("POST", "/werkgroepen/{grp}/uitnodigen", (LOGIN, 403, 403, 403, 303, 403)),
    ("POST", "/werkgroepen/{grp}/aanmelden", (LOGIN, 303, 303, 200, 200, 303)),
    ("POST", "/werkgroepen/{grp}/uitnodiging-afslaan", (LOGIN, 303, 303, 303, 303, 303)),
    ("POST", "/werkgroepen/{grp}/verlaten", (LOGIN, 303, 303, 303, 303, 303)),
    ("POST", "/werkgroepen/{grp}/leden/{req}/toelaten", (LOGIN, 403, 403, 403, 303, 403)),
    ("POST", "/werkgroepen/{grp}/leden/{req}/afwijzen", (LOGIN, 403, 403, 403, 303, 403)),
    ("POST", "/werkgroepen/{grp}/leden/{mem}/verwijderen", (LOGIN, 403, 403, 403, 303, 403)),
    ("POST", "/werkgroepen/{grp}/leden/{mem}/rol", (LOGIN, 403, 403, 403, 303, 403)),
    ("GET", "/werkgroepen/{grp}/actiepunten?open=alle", (LOGIN, 403, 403, 303, 303, 403)),
    ("POST", "/werkgroepen/{grp}/actiepunten", (LOGIN, 403, 403, 303, 303, 403)),
    ("POST", "/werkgroepen/{grp}/actiepunten/{task}", (LOGIN, 403, 403, 303, 303, 403)),
    ("POST", "/werkgroepen/{grp}/links", (LOGIN, 403, 403, 303, 303, 403)),
    ("POST", "/werkgroepen/{grp}/verlengen", (LOGIN, 403, 403, 403, 303, 403)),
    ("POST", "/werkgroepen/{grp}/afronden", (LOGIN, 403, 403, 403, 303, 403)),
    ("GET", "/werkgroepen/{grp}/opbrengst", (LOGIN, 403, 403, 403, 303, 403)),
    ("POST", "/werkgroepen/{grp}/opbrengst", (LOGIN, 403, 403, 403, 303, 403)),
    # The conversation: ``{msg}`` a message of the lead, with a reply of ``{mem}``.
    ("POST", "/werkgroepen/{grp}/berichten", (LOGIN, 403, 403, 303, 303, 403)),
    ("GET", "/werkgroepen/{grp}/gesprek", (LOGIN, 403, 403, 200, 200, 403)),
    ("GET", "/werkgroepen/{grp}/gesprek?reacties={msg}", (LOGIN, 403, 403, 302, 302, 403)),
    (
        "GET",
        "/werkgroepen/{grp}/gesprek/nieuw?na=2000-01-01T00:00",
        (LOGIN, 403, 403, 200, 200, 403),
    ),
    ("GET", "/werkgroepen/{grp}/berichten/{msg}/bewerken", (LOGIN, 403, 403, 403, 200, 403)),
    ("POST", "/werkgroepen/{grp}/berichten/{msg}/bewerken", (LOGIN, 403, 403, 403, 303, 403)),
    ("POST", "/werkgroepen/{grp}/berichten/{msg}/verwijderen", (LOGIN, 403, 403, 403, 303, 403)),
    (
        "POST",
        "/werkgroepen/{grp}/berichten/{msg}/naar-kennisbank",
        (LOGIN, 403, 403, 403, 303, 403),
    ),
    # Documents: ``{doc}`` the lead shared (no file sent below: the form answers with an error).
    ("GET", "/werkgroepen/{grp}/documenten", (LOGIN, 403, 403, 200, 200, 403)),
    ("POST", "/werkgroepen/{grp}/documenten", (LOGIN, 403, 403, 200, 200, 403)),
    ("GET", "/werkgroepen/{grp}/documenten/{doc}", (LOGIN, 403, 403, 200, 200, 403)),
    ("POST", "/werkgroepen/{grp}/documenten/{doc}/versies", (LOGIN, 403, 403, 200, 200, 403)),
    ("POST", "/werkgroepen/{grp}/documenten/{doc}/verwijderen", (LOGIN, 403, 403, 403, 303, 403)),
    ("GET", "/werkgroepen/{grp}/documenten/{doc}/download", (404, 404, 404, 200, 200, 404)),
    (
        "GET",
        "/werkgroepen/{grp}/documenten/{doc}/download?versie=1",
        (404, 404, 404, 200, 200, 404),
    ),
    # Proposals: ``{prop}`` the lead's, open, with a block of ``{mem}``.
    ("POST", "/werkgroepen/{grp}/voorstellen", (LOGIN, 403, 403, 303, 303, 403)),
    ("POST", "/werkgroepen/{grp}/voorstellen/{prop}/reactie", (LOGIN, 403, 403, 303, 303, 403)),
    ("POST", "/werkgroepen/{grp}/voorstellen/{prop}/sluiten", (LOGIN, 403, 403, 403, 303, 403)),
    ("POST", "/werkgroepen/{grp}/voorstellen/{prop}/uitkomst", (LOGIN, 403, 403, 403, 303, 403)),
    # The group's discussion: Kennisbank routes on its post and reply.
    ("GET", "/kennisbank/nieuw?soort=dilemma&werkgroep={grp}", (LOGIN, 200, 200, 200, 200, 200)),
    ("POST", "/kennisbank/nieuw?soort=dilemma", (LOGIN, 200, 200, 303, 303, 200)),  # refused
    ("GET", "/kennisbank/{gitem}", (404, 404, 404, 200, 200, 404)),
    ("GET", "/kennisbank/{gitem}/geschiedenis", (404, 404, 404, 200, 200, 404)),
    ("GET", "/kennisbank/{gitem}/bewerken", (LOGIN, 404, 404, 403, 200, 404)),
    ("POST", "/kennisbank/{gitem}/reacties", (LOGIN, 404, 404, 303, 303, 404)),
    ("POST", "/kennisbank/{gitem}/besluit", (LOGIN, 404, 404, 403, 303, 404)),
    ("POST", "/kennisbank/{gitem}/herken", (LOGIN, 404, 404, 303, 303, 404)),
    ("POST", "/kennisbank/{gitem}/volg", (LOGIN, 404, 404, 303, 303, 404)),
    ("GET", "/kennisbank/{gitem}/meedenkers", (LOGIN, 404, 404, 403, 200, 404)),  # lead asked
    ("POST", "/kennisbank/{gitem}/meedenkers", (LOGIN, 404, 404, 403, 200, 404)),
    ("GET", "/kennisbank/{gitem}/meedenkers/voorstel", (LOGIN, 404, 404, 403, 303, 404)),
    ("GET", "/kennisbank/reacties/{greply}/bewerken", (LOGIN, 404, 404, 403, 403, 404)),
    ("POST", "/kennisbank/reacties/{greply}/nuttig", (LOGIN, 404, 404, 303, 303, 404)),
    ("POST", "/kennisbank/reacties/{greply}/hielp", (LOGIN, 404, 404, 403, 303, 404)),
    ("GET", "/melden/item/{gitem}", (LOGIN, 404, 404, 200, 200, 404)),
    ("POST", "/melden/reply/{greply}", (LOGIN, 404, 404, 303, 303, 404)),
]

NEW_GROUP = {
    "name": "Werkgroep Open Data",
    "opgave": "Welke data publiceren we eerst?",
    "deliverable": "Een lijst",
    "ends_on": "{ends_on}",
    "size_cap": "8",
    "join_policy": "request",
}

GROUP_POST_DATA = {
    "/werkgroepen/nieuw": NEW_GROUP,
    "/werkgroepen/nieuw?dilemma={gitem}": NEW_GROUP,
    "/werkgroepen/{grp}/bewerken": {**NEW_GROUP, "name": "Werkgroep Woo", "opgave": "Sneller."},
    "/werkgroepen/{grp}/uitnodigen": {"member_id": "{outsider}"},
    "/werkgroepen/{grp}/aanmelden": {"contribution": "Kennis van de Woo."},
    "/werkgroepen/{grp}/leden/{req}/afwijzen": {"message": "Nu niet."},
    "/werkgroepen/{grp}/leden/{mem}/rol": {"role": "lead"},
    "/werkgroepen/{grp}/actiepunten": {"title": "Bellen"},
    "/werkgroepen/{grp}/actiepunten/{task}": {"state": "done"},
    "/werkgroepen/{grp}/links": {"title": "Handreiking", "url": "https://example.org"},
    "/werkgroepen/{grp}/verlengen": {"ends_on": "{later}", "reason": "Uitloop."},
    "/werkgroepen/{grp}/voorstellen": {"title": "Nog een voorstel", "closes_on": "{ends_on}"},
    "/werkgroepen/{grp}/voorstellen/{prop}/reactie": {"position": "agree"},
    "/werkgroepen/{grp}/voorstellen/{prop}/uitkomst": {"outcome": "Aangenomen."},
    "/werkgroepen/{grp}/berichten": {"body": "Een nieuw bericht.", "parent_id": "{msg}"},
    "/werkgroepen/{grp}/berichten/{msg}/bewerken": {"edit-body": "Verbeterd."},
    "/werkgroepen/{grp}/berichten/{msg}/naar-kennisbank": {"soort": "dilemma"},
    "/kennisbank/nieuw?soort=dilemma": {
        "kind": "dilemma",
        "title": "Een vraag voor de groep",
        "tension": "Dit of dat.",
        "visibility": "group",
        "group_id": "{grp}",
    },
    "/kennisbank/{gitem}/reacties": {"body": "Goed punt.", "perspective": "beleid"},
    "/kennisbank/{gitem}/besluit": {"decision": "We doen het zo."},
    "/kennisbank/{gitem}/herken": {"aan": "1"},
    "/kennisbank/{gitem}/volg": {"aan": "1"},
    "/kennisbank/{gitem}/meedenkers": {"member_id": "{outsider}"},
    "/kennisbank/reacties/{greply}/nuttig": {"aan": "1"},
    "/kennisbank/reacties/{greply}/hielp": {"aan": "1"},
    "/melden/reply/{greply}": {"reason": "Past niet bij de huisregels."},
}

#: The title of the post in the group's private discussion.
SECRET = "Vertrouwelijk groepsoverleg"
#: What only the group may read, one of each kind of content in its space; no page, search
#: result, feed, notification or e-mail for anyone outside the group may contain any of it.
#: Each has a word of its own to search for, and the post and reply share "Woo" with the
#: group's public side, so that a search for it would show them in a snippet.
GROUP_SECRETS = {
    "post title": SECRET,
    "post text": "Het Spreeuwenplan voor de Woo-termijnen",
    "reply": "Antwoord over de Kwartelkoning en de Woo",
    "note title": "Notitie Okapiweide",
    "note text": "De Zeebanketbrief van de directie",
    "open task": "Taak Wielewaalpad",
    "done task": "Afgerond Pimpelmeesdossier",
    "contribution": "Ik breng Lepelaarkennis in",  # what a member brings: the group sees it
    "message": "Bericht over de Kemphaanregeling",
    "message reply": "Reactie over de Tureluurtermijn",
    "document title": "Document Roodborstnotitie",
    "document note": "Over de Goudvinkaanpak",
    "document file": "Inhoud Zilverreigerbestand",
    "proposal": "Voorstel Boomklevertraject",
    "block reason": "Blokkade om de Appelvinkkwestie",
}
#: What someone who asks to join brings in: for the leads, not even for the other members.
REQUEST_SECRET = "Ik vraag met Gruttokennis"
#: One search for every secret word.
SECRET_WORDS = " OF ".join(
    ["groepsoverleg", "spreeuwenplan", "kwartelkoning", "okapiweide", "zeebanketbrief"]
    + ["wielewaalpad", "pimpelmeesdossier", "lepelaarkennis", "gruttokennis"]
    + ["kemphaanregeling", "tureluurtermijn", "roodborstnotitie", "goudvinkaanpak"]
)


def today_plus(days: int):
    from datetime import timedelta

    from alliance.core.timeutil import utcnow

    return utcnow().date() + timedelta(days=days)


def hidden_from(role: str) -> tuple[str, ...]:
    """The secrets ``role`` may not read."""
    if role == "lead":
        return ()
    if role == "group_member":
        return (REQUEST_SECRET,)
    return (*GROUP_SECRETS.values(), REQUEST_SECRET)


def mail_text(message) -> str:
    """The subject and every text part of an e-mail, decoded."""
    parts = [p.get_content() for p in message.walk() if p.get_content_maintype() == "text"]
    return "\n".join([str(message["Subject"]), *parts])


def send_queued_mail(app) -> None:
    """Send the e-mail the services queued outside a request (what ``flask mail send`` does)."""
    from alliance.extensions import db
    from alliance.mail.services import deliver_pending

    with app.app_context():
        deliver_pending()
        db.session.remove()


def group_with_secrets(app, make_member, make_item, mailbox) -> tuple[dict, dict]:
    """A working group with every secret in its space, and the people around it: ``lead``
    (asked the post, wrote the tasks), ``in_group`` (brings something in; owns the open task),
    ``other`` (replied, added the note), ``gone`` (followed the post and got the done task,
    then the lead removed them), ``asking`` (asks to join) and ``outsider`` (never in it).
    The reply mentions ``in_group``, ``outsider`` and ``gone``. The e-mail this causes is
    sent; ``mailbox`` then holds only what came after the removal.
    Returns (people, ids for the paths)."""
    from datetime import timedelta

    from alliance.core.timeutil import utcnow
    from alliance.extensions import db
    from alliance.groups import documents, proposals, services, space, stream
    from alliance.groups.models import Membership, WorkingGroup
    from alliance.knowledge.models import Item
    from alliance.knowledge.services import add_reply, set_following
    from alliance.members.models import Member

    people = {
        "lead": make_member(name="Lea Trekker"),
        "in_group": make_member(name="Mo Lid"),
        "other": make_member(name="Ot Schrijver"),
        "gone": make_member(name="Gijs Weg"),
        "asking": make_member(name="Ans Vrager"),
        "outsider": make_member(name="Olga Buiten"),
    }
    group_id = make_working_group(app, people["lead"])
    post_id = make_item(
        visibility="group",
        group_id=group_id,
        author=people["lead"],
        title=SECRET,
        themes=["open-informatie"],
        fields={"tension": GROUP_SECRETS["post text"]},
    )
    with app.test_request_context(method="POST"):
        group, post = db.session.get(WorkingGroup, group_id), db.session.get(Item, post_id)
        member = {name: db.session.get(Member, info.id) for name, info in people.items()}
        now = utcnow()
        rows = {
            "in": Membership(
                group_id=group_id,
                member_id=member["in_group"].id,
                joined_at=now,
                contribution=GROUP_SECRETS["contribution"],
            ),
            "mem": Membership(group_id=group_id, member_id=member["other"].id, joined_at=now),
            "gone": Membership(group_id=group_id, member_id=member["gone"].id, joined_at=now),
            "req": Membership(
                group_id=group_id,
                member_id=member["asking"].id,
                state="requested",
                contribution=REQUEST_SECRET,
            ),
        }
        db.session.add_all(rows.values())
        services._recount(group)
        set_following(post, member["gone"], True)
        done = space.add_task(
            group, member["lead"], GROUP_SECRETS["done task"], member["gone"].id, None
        )
        space.update_task(done, group, state="done")
        db.session.commit()
        ids = {name: row.id for name, row in rows.items()} | {"done": done.id}
    send_queued_mail(app)
    told = [mail_text(m) for m in mailbox.to(people["gone"].email)]
    assert any(GROUP_SECRETS["done task"] in text for text in told)  # while in the group
    mailbox.clear()
    with app.test_request_context(method="POST"):
        group, post = db.session.get(WorkingGroup, group_id), db.session.get(Item, post_id)
        member = {name: db.session.get(Member, info.id) for name, info in people.items()}
        services.remove(group, db.session.get(Membership, ids.pop("gone")))
        body = f"{GROUP_SECRETS['reply']}. Wat vinden @Mo Lid, @Olga Buiten en @Gijs Weg?"
        ids["greply"] = add_reply(post, member["other"], body, None).id
        task = space.add_task(
            group, member["lead"], GROUP_SECRETS["open task"], member["in_group"].id, None
        )
        space.add_note(
            group,
            member["other"],
            GROUP_SECRETS["note title"],
            "",
            GROUP_SECRETS["note text"],
        )
        message = stream.post_message(group, member["lead"], GROUP_SECRETS["message"])
        stream.post_message(
            group,
            member["other"],
            f"{GROUP_SECRETS['message reply']}: @Mo Lid, @Olga Buiten en @Gijs Weg?",
            message,
        )
        document = documents.upload(
            group,
            member["lead"],
            io.BytesIO(GROUP_SECRETS["document file"].encode()),
            "notitie.txt",
            GROUP_SECRETS["document title"],
            GROUP_SECRETS["document note"],
        )
        proposal = proposals.propose(
            group, member["lead"], GROUP_SECRETS["proposal"], "", today_plus(10)
        )
        proposals.respond(group, proposal, member["other"], "block", GROUP_SECRETS["block reason"])
        db.session.commit()
        ids["task"] = task.id
        ids["msg"] = message.id
        ids["doc"] = document.id
        ids["prop"] = proposal.id
    send_queued_mail(app)
    today = utcnow().date()
    ids.update(
        grp=group_id,
        gitem=post_id,
        outsider=people["outsider"].id,
        ends_on=(today + timedelta(days=30)).isoformat(),
        later=(today + timedelta(days=120)).isoformat(),
    )
    return people, ids


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
    from alliance.core.database import wait_for_background_work

    people, ids = group_with_secrets(app, make_member, make_item, mailbox)
    logins = {
        "member": people["outsider"],
        "removed": people["gone"],
        "group_member": people["in_group"],
        "lead": people["lead"],
    }
    if role == "coordinator":
        auth.login(make_member(role="coordinator"))
    elif role in logins:
        auth.login(logins[role])
    url = path.format(**ids)
    if method == "GET":
        response = client.get(url)
    else:
        data = {k: v.format(**ids) for k, v in GROUP_POST_DATA.get(path, {}).items()}
        response = client.post(url, data=data)
    assert response.status_code == expected[role_index], f"{role} {method} {url}"
    if expected[role_index] == LOGIN and role == "anonymous":
        assert "/inloggen" in response.headers["Location"]
    drain()  # search too: the private post is in the index, for the group's members only
    hidden = hidden_from(role)
    assert not [s for s in hidden if s in response.text], f"{role} {method} {url} leaks"
    pages = (
        "/",
        "/kennisbank/",
        "/kennisbank/feed.atom",
        "/themas/open-informatie",
        "/werkgroepen/",
        f"/werkgroepen/{ids['grp']}",
        f"/kennisbank/{ids['gitem']}",
        "/meldingen",
        "/gevraagd",
        "/zoeken?q=woo",  # the group's public side is found: with no snippet of its space
    )
    for page in pages:
        text = client.get(page).text
        assert not [s for s in hidden if s in text], f"{role}: {page} after {method} {url}"
    if role not in ("group_member", "lead"):
        for quick in (False, True):  # the page repeats the query itself: look at the results
            params = {"q": SECRET_WORDS, **({"snel": "1"} if quick else {})}
            for headers in ({}, {"HX-Request": "true"}):
                found = client.get("/zoeken", query_string=params, headers=headers)
                assert titles(found.text) == [], f"{role} finds group content"
    wait_for_background_work()  # the e-mail that this request caused has gone out
    readers = {people["lead"].email: "lead"} | {
        people[name].email: "group_member" for name in ("in_group", "other")
    }
    for message in list(mailbox.messages):  # "gone" and "asking" read as outsiders
        text = mail_text(message)
        hidden = hidden_from(readers.get(message["To"], "outsider"))
        assert not [s for s in hidden if s in text], f"mail to {message['To']} leaks"


def test_the_group_itself_reads_every_secret(
    app, client, auth, make_member, make_item, mailbox, drain
):
    """The other side of ``test_group_access``: the same group, as its members see it. The
    leads also read what someone who asks to join brings in."""
    people, ids = group_with_secrets(app, make_member, make_item, mailbox)
    drain()
    auth.login(people["in_group"])
    space = client.get(f"/werkgroepen/{ids['grp']}").text
    for secret in ("post title", "note title", "note text", "open task", "done task"):
        assert GROUP_SECRETS[secret] in space, secret
    assert GROUP_SECRETS["contribution"] in space and REQUEST_SECRET not in space
    post = client.get(f"/kennisbank/{ids['gitem']}").text
    assert all(GROUP_SECRETS[s] in post for s in ("post title", "post text", "reply"))
    assert ask(client, "spreeuwenplan") == [SECRET]  # its text
    assert ask(client, "kwartelkoning") == [SECRET]  # a reply to it
    assert SECRET in titles(
        client.get("/zoeken?q=groepsov&snel=1", headers={"HX-Request": "true"}).text
    )
    found = client.get("/zoeken?q=woo").text
    assert SECRET in titles(found) and "Spreeuwenplan" in found  # in the snippet too
    told = client.get("/meldingen").text
    assert GROUP_SECRETS["open task"] in told and SECRET in told  # the task; the mention
    mail = [mail_text(m) for m in mailbox.to(people["in_group"].email)]
    assert any(GROUP_SECRETS["open task"] in text for text in mail)
    assert any(SECRET in text for text in mail)  # "… mentioned you in <the post>"
    assert any(SECRET in mail_text(m) for m in mailbox.to(people["lead"].email))  # the reply
    auth.logout()
    auth.login(people["lead"])
    space = client.get(f"/werkgroepen/{ids['grp']}").text
    assert GROUP_SECRETS["contribution"] in space and REQUEST_SECRET in space


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
