"""An anonymous asker is never named to others, whatever they do on their own dilemma: in no
notification kind (reply, mention, follow, helped, asked to think along, evaluated), on no
surface (the page, the bell, a direct e-mail, a digest, the data export)."""

import io
import json
import zipfile

from alliance.core.database import wait_for_background_work
from alliance.extensions import db
from alliance.notify.registry import KINDS
from tests.conftest import AuthActions

NAME = "Anja Anoniem"
TITLE = "Mogen we de namen van klagers doorgeven aan de wethouder?"


def _client(app, member):
    client = app.test_client()
    AuthActions(client).login(member)
    return client


def _everything_a_member_sees(app, member, mailbox) -> str:
    client = _client(app, member)
    page = client.get("/meldingen").text
    bell = client.get("/meldingen/teller", headers={"HX-Request": "true"}).text
    export = zipfile.ZipFile(io.BytesIO(client.get("/mijn-gegevens/download").data))
    data = json.dumps(json.loads(export.read("gegevens.json"))["notifications"], ensure_ascii=False)
    mails = "\n".join(
        f"{message['Subject']}\n{message.get_body(('plain',)).get_content()}"
        f"\n{message.get_body(('html',)).get_content()}"
        for message in mailbox.to(member.email, wait=0)
    )
    return "\n".join([page, bell, data, mails])


def test_the_anonymous_asker_is_named_in_no_notification(app, make_member, make_item, mailbox):
    from alliance.mail.services import deliver_pending
    from alliance.notify.digests import send_digests

    asker = make_member(name=NAME)
    follower = make_member(name="Fleur Volger")
    mentioned = make_member(name="Mila Genoemd")
    replier = make_member(name="Rob Reageer")
    helper = make_member(name="Hans Helper")
    item_id = make_item(author=asker, anonymous=True, title=TITLE)

    _client(app, follower).post(f"/kennisbank/{item_id}/volg", data={"aan": "1"})
    _client(app, replier).post(f"/kennisbank/{item_id}/reacties", data={"body": "Liever niet."})
    with app.app_context():
        from sqlalchemy import select

        from alliance.knowledge.models import Reply

        reply_id = db.session.scalar(select(Reply.id).where(Reply.item_id == item_id))
    own = _client(app, asker)
    # The asker answers on their own dilemma, naming someone: "reageerde", "noemde je".
    assert (
        own.post(
            f"/kennisbank/{item_id}/reacties", data={"body": "Dank, @Mila Genoemd, wat vind jij?"}
        ).status_code
        == 303
    )
    assert own.post(f"/kennisbank/reacties/{reply_id}/hielp", data={"aan": "1"}).status_code == 303
    asked = own.post(f"/kennisbank/{item_id}/meedenkers", data={"member_id": str(helper.id)})
    assert asked.status_code == 303, asked.text
    own.post(f"/kennisbank/{item_id}/besluit", data={"decision": "We geven ze niet door."})
    own.post(
        f"/kennisbank/{item_id}/evaluatie",
        data={"outcome": "Niemand klaagde.", "lesson": "Vraag het de klager eerst."},
    )
    wait_for_background_work()
    with app.app_context():
        send_digests("daily")
        send_digests("weekly")
        deliver_pending()
        db.session.remove()

    told = [
        (follower, {"followed_reply"}),
        (mentioned, {"mention"}),
        (replier, {"followed_reply", "helped", "evaluated"}),
        (helper, {"help_asked"}),
    ]
    kinds_seen = set()
    with app.app_context():
        from sqlalchemy import select

        from alliance.notify.models import Notification

        for member, expected in told:
            kinds = set(
                db.session.scalars(
                    select(Notification.kind).where(Notification.recipient_id == member.id)
                )
            )
            assert expected <= kinds, (member.name, kinds)
            kinds_seen |= kinds
    # Every notification kind about an item that an asker's own action can cause is covered.
    item_kinds = {k for k, kind in KINDS.items() if kind.audience == "item"}
    assert item_kinds - kinds_seen <= {"reply", "close_loop", "write_lesson"}  # to the asker
    for member, _expected in told:
        seen = _everything_a_member_sees(app, member, mailbox)
        assert TITLE in seen or "klagers" in seen, member.name  # the notifications are there
        assert NAME not in seen and "Anja" not in seen, member.name
