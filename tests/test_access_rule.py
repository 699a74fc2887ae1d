"""One rule for who sees an item, in every list: ``knowledge/access.py``.

One item in each state of visibility (public, members, one working group; shown or hidden by
moderation), each viewer role (visitor, member, author, group member, a member the lead took
out of the group, coordinator), and each list a member meets it in: the Kennisbank, search,
the notifications page, the bell, the digest e-mail and the data export. Every list must
agree with ``access.is_listed`` — and its SQL twin ``access.visible_to`` with it."""

import io
import json
import re
import zipfile

import pytest
from sqlalchemy import select

from alliance.core.database import wait_for_background_work
from alliance.extensions import db
from alliance.knowledge.access import is_listed, visible_to
from alliance.knowledge.models import Item, ItemMark
from alliance.members.models import Member
from tests.conftest import AuthActions
from tests.test_access import make_working_group
from tests.test_search import ask

VISIBILITIES = ("public", "members", "group")
ROLES = ("visitor", "member", "author", "group_member", "removed", "coordinator")
#: A word of each item's title that no other text has: search finds the item by it.
WORDS = {
    ("public", False): "appelboom",
    ("public", True): "perenboom",
    ("members", False): "kersenboom",
    ("members", True): "pruimenboom",
    ("group", False): "notenboom",
    ("group", True): "vijgenboom",
}


def _title(visibility: str, hidden: bool) -> str:
    return f"Dilemma over de {WORDS[(visibility, hidden)]}"


def _client(app, member=None):
    client = app.test_client()
    if member is not None:
        AuthActions(client).login(member)
    return client


@pytest.fixture
def world(app, make_member, make_item, drain, mailbox):
    """Six items, one per state; every viewer follows every item and hears of a reply to it
    before moderation hides half of them and the lead takes one member out of the group."""
    from alliance.groups.models import Membership
    from alliance.groups.services import remove
    from alliance.knowledge.services import add_reply
    from alliance.moderation.registry import ITEM

    people = {
        "member": make_member(name="Mila Lid"),
        "author": make_member(name="Arie Auteur"),
        "group_member": make_member(name="Gert Groep"),
        "removed": make_member(name="Roos Weg"),
        "coordinator": make_member(name="Coby Coördinator", role="coordinator"),
    }
    replier = make_member(name="Rik Reageer")
    group_id = make_working_group(app, people["author"], join_policy="open")
    for role in ("group_member", "removed"):
        assert (
            _client(app, people[role]).post(f"/werkgroepen/{group_id}/aanmelden").status_code == 303
        )
    assert _client(app, replier).post(f"/werkgroepen/{group_id}/aanmelden").status_code == 303
    items = {}
    for visibility in VISIBILITIES:
        for hidden in (False, True):
            items[(visibility, hidden)] = make_item(
                title=_title(visibility, hidden),
                visibility=visibility,
                group_id=group_id if visibility == "group" else None,
                author=people["author"],
            )
    with app.test_request_context(method="POST"):
        for item_id in items.values():
            for role in ("member", "group_member", "removed", "coordinator"):
                db.session.add(ItemMark(item_id=item_id, member_id=people[role].id, kind="follow"))
        db.session.commit()
        for item_id in items.values():
            add_reply(
                db.session.get(Item, item_id), db.session.get(Member, replier.id), "Ja.", None
            )
        db.session.commit()
        for (_visibility, hidden), item_id in items.items():
            if hidden:
                ITEM.set_hidden(db.session.get(Item, item_id), True)
        membership = db.session.scalar(
            select(Membership).where(
                Membership.group_id == group_id, Membership.member_id == people["removed"].id
            )
        )
        remove(membership.group, membership)
        db.session.commit()
    wait_for_background_work()
    drain()
    return people, items


def _expected(app, people, items) -> dict:
    """What ``access.is_listed`` says, checked against its SQL twin ``visible_to``."""
    from flask_login import AnonymousUserMixin

    expected = {}
    with app.test_request_context():
        for role in ROLES:
            viewer = (
                AnonymousUserMixin()
                if role == "visitor"
                else db.session.get(Member, people[role].id)
            )
            in_sql = set(db.session.scalars(select(Item.id).where(visible_to(viewer))))
            for state, item_id in items.items():
                listed = is_listed(db.session.get(Item, item_id), viewer)
                assert listed == (item_id in in_sql), (role, state)
                expected[(role, state)] = listed
    return expected


def _export_text(client) -> str:
    response = client.get("/mijn-gegevens/download")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    return json.dumps(json.loads(archive.read("gegevens.json"))["notifications"])


def test_every_list_applies_the_one_rule(app, world, mailbox):
    from alliance.notify.digests import send_digests

    people, items = world
    expected = _expected(app, people, items)
    # The rule itself, as the README promises it.
    assert (
        expected[("visitor", ("public", False))] and not expected[("visitor", ("members", False))]
    )
    assert not expected[("member", ("public", True))]  # hidden: gone for everyone else
    assert expected[("author", ("members", True))]  # … but not for its author
    assert expected[("group_member", ("group", False))]
    assert (
        not expected[("removed", ("group", False))]
        and not expected[("coordinator", ("group", False))]
    )
    assert not expected[("coordinator", ("members", True))]  # lists, not the moderation queue

    with app.app_context():
        send_digests("daily")
        db.session.remove()
    wait_for_background_work()
    from alliance.mail.services import deliver_pending

    with app.app_context():
        deliver_pending()
        db.session.remove()

    for role in ROLES:
        member = people.get(role)
        client = _client(app, member)
        kennisbank = client.get("/kennisbank/").text
        if member is not None:
            notifications = client.get("/meldingen").text
            bell = client.get("/meldingen/teller", headers={"HX-Request": "true"}).text
            export = _export_text(client)
            digests = "\n".join(
                message.get_body(("plain",)).get_content()
                for message in mailbox.to(member.email, wait=0)
            )
        for state in items:
            title, word = _title(*state), WORDS[state]
            shown = expected[(role, state)]
            where = f"{role} × {state}"
            assert (title in kennisbank) == shown, f"Kennisbank: {where}"
            assert (title in ask(client, word)) == shown, f"search: {where}"
            if member is None or role == "author":
                continue  # visitors have no notifications; the author is told directly
            assert (title in notifications) == shown, f"/meldingen: {where}"
            assert (word in export) == shown, f"export: {where}"
            assert (title in digests) == shown, f"digest: {where}"
        if member is not None and role != "author":
            listed = sum(expected[(role, state)] for state in items)
            count = re.search(r'class="bell__count">(\d+)', bell)
            assert (int(count.group(1)) if count else 0) == listed, f"bell: {role}"


def test_a_followed_item_hidden_by_moderation_leaves_the_bell_and_the_notifications(
    app, client, auth, make_member, make_item, mailbox
):
    """The leak the copies of the rule caused: ``/meldingen`` and the bell kept the title of
    a followed item after moderation hid it."""
    from alliance.knowledge.services import add_reply, set_following
    from alliance.moderation.registry import ITEM

    author, follower, replier = make_member(), make_member(), make_member()
    item_id = make_item(title="Een dilemma met reclame erin", author=author)
    with app.test_request_context(method="POST"):
        item = db.session.get(Item, item_id)
        set_following(item, db.session.get(Member, follower.id), True)
        add_reply(item, db.session.get(Member, replier.id), "Mee eens.", None)
        db.session.commit()
    wait_for_background_work()
    auth.login(follower)
    assert "Een dilemma met reclame erin" in client.get("/meldingen").text
    with app.test_request_context(method="POST"):
        ITEM.set_hidden(db.session.get(Item, item_id), True)
        db.session.commit()
    page = client.get("/meldingen").text
    assert "Een dilemma met reclame erin" not in page
    bell = client.get("/meldingen/teller", headers={"HX-Request": "true"}).text
    assert 'class="bell__count"' not in bell
