"""Notifications through the real commit path: the bell and /meldingen, direct e-mail through a
real SMTP server on loopback, digests, one-click unsubscribe, a mail server that is down,
private working groups, reminders, and the events of the Kennisbank and the working groups."""

import re
import time
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import select

from alliance.core.database import wait_for_background_work
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.groups.models import Membership, Task
from alliance.knowledge.models import Item, Reply
from alliance.mail.models import OutgoingMail
from alliance.members.models import Member
from alliance.notify.models import Notification
from tests.conftest import AuthActions, Mailbox, free_port
from tests.test_access import make_working_group


def reply_as(app, member, item_id: int, body: str = "Bij ons werkt dit zo.") -> int:
    """``member`` replies through the route (the real request and commit)."""
    client = app.test_client()
    client.post("/inloggen", data={"email": member.email, "password": member.password})
    response = client.post(
        f"/kennisbank/{item_id}/reacties", data={"body": body, "perspective": "beleid"}
    )
    assert response.status_code == 303, response.text
    wait_for_background_work()
    return int(re.search(r"reactie-(\d+)", response.headers["Location"]).group(1))


def notifications_of(app, member_id: int) -> list[Notification]:
    with app.app_context():
        rows = db.session.scalars(
            select(Notification)
            .where(Notification.recipient_id == member_id)
            .order_by(Notification.id)
        ).all()
        db.session.expunge_all()
        return list(rows)


def choose(client, **deliveries):
    """Save notification settings through the form (the rest stays at its default)."""
    from alliance.notify.registry import KINDS

    data = {f"delivery_{k}": e.default for k, e in KINDS.items()}
    data.update({f"delivery_{k}": v for k, v in deliveries.items()})
    data["monthly_cap"] = "2"
    response = client.post("/meldingen/instellingen", data=data)
    assert response.status_code == 303, response.text


def path_of(url: str) -> str:
    return urlsplit(url).path


# --- direct e-mail ----------------------------------------------------------------------------


def test_a_reply_sends_exactly_one_direct_email_to_the_author(app, make_member, make_item, mailbox):
    author = make_member(name="Anna Asker")
    replier = make_member(name="Bram Beantwoorder")
    item_id = make_item(author=author, title="Mogen we e-mails van de wethouder openbaar maken?")
    reply_as(app, replier, item_id)
    [message] = mailbox.to(author.email)
    time.sleep(0.3)
    assert len(mailbox.to(author.email)) == 1
    assert mailbox.to(replier.email, wait=0) == []  # not told about their own reply
    text = mailbox.text(message)
    assert "Bram Beantwoorder heeft gereageerd op" in message["Subject"]
    assert f"/kennisbank/{item_id}#reactie-" in text
    assert message.get_body(("html",)) is not None  # text and HTML
    assert re.fullmatch(r"<https?://\S+/meldingen/afmelden/\S+>", message["List-Unsubscribe"])
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [note] = notifications_of(app, author.id)
    assert note.kind == "reply" and note.delivery == "direct" and note.emailed_at


def test_the_email_is_in_the_members_language(app, make_member, make_item, mailbox):
    author = make_member(locale="en")
    item_id = make_item(author=author)
    reply_as(app, make_member(name="Bram"), item_id)
    [message] = mailbox.to(author.email)
    assert message["Subject"].startswith("Bram replied to")
    assert "Stop these e-mails" in mailbox.text(message)


def test_no_email_to_a_member_who_opted_out(app, client, auth, make_member, make_item, mailbox):
    author = make_member()
    auth.login(author)
    choose(client, reply="none")
    item_id = make_item(author=author)
    reply_as(app, make_member(), item_id)
    wait_for_background_work()
    time.sleep(0.3)
    assert mailbox.to(author.email, wait=0) == []
    [note] = notifications_of(app, author.id)  # still in the app
    assert note.delivery == "none"
    assert "heeft gereageerd op" in client.get("/meldingen").text


def test_a_mail_server_that_is_down_loses_nothing(
    app, runner, make_member, make_item, mailbox, smtp_server
):
    author = make_member()
    item_id = make_item(author=author)
    app.config["MAIL_PORT"] = free_port()  # nothing listens here
    reply_as(app, make_member(), item_id)
    with app.app_context():
        [row] = db.session.scalars(select(OutgoingMail)).all()
        assert row.sent_at is None and row.last_error
    assert mailbox.messages == []
    app.config["MAIL_PORT"] = smtp_server.port  # back again; cron runs the command
    assert "1 sent" in runner.invoke(args=["notify", "send"]).output
    assert len(mailbox.to(author.email)) == 1
    assert "0 sent" in runner.invoke(args=["notify", "send"]).output


# --- digests and unsubscribing ----------------------------------------------------------------


def test_a_digest_gathers_a_days_events_into_one_email(
    app, client, auth, runner, make_member, make_item, mailbox
):
    follower = make_member(name="Fenna Volger")
    auth.login(follower)
    item_ids = [make_item(title=f"Dilemma nummer {n}") for n in (1, 2)]
    for item_id in item_ids:
        client.post(f"/kennisbank/{item_id}/volg", data={"aan": "1"})
    for item_id in item_ids:
        reply_as(app, make_member(name="Bram"), item_id)
    time.sleep(0.3)
    assert mailbox.to(follower.email, wait=0) == []  # a reply in a followed post: daily
    result = runner.invoke(args=["notify", "digest"])
    assert "1 daily digests queued" in result.output, result.output
    [digest] = mailbox.to(follower.email)
    text = mailbox.text(digest)
    assert "Dilemma nummer 1" in text and "Dilemma nummer 2" in text
    assert "2 nieuwe meldingen" in digest["Subject"]
    assert digest["List-Unsubscribe"]
    assert "0 daily digests queued" in runner.invoke(args=["notify", "digest"]).output
    assert "0 weekly" in runner.invoke(args=["notify", "digest", "--frequency", "weekly"]).output


def test_the_unsubscribe_link_works_without_logging_in(app, make_member, make_item, mailbox):
    author = make_member()
    item_id = make_item(author=author)
    reply_as(app, make_member(), item_id)
    link = path_of(mailbox.link(author.email, "/meldingen/afmelden/"))
    visitor = app.test_client()  # not logged in, no CSRF token (one-click from the mail app)
    app.config["WTF_CSRF_ENABLED"] = True
    page = visitor.get(link)
    assert page.status_code == 200 and "Ja, stop deze e-mails" in page.text
    done = visitor.post(link)
    assert done.status_code == 200 and "Een reactie op mijn bijdrage" in done.text
    app.config["WTF_CSRF_ENABLED"] = False
    mailbox.clear()
    reply_as(app, make_member(), item_id)
    time.sleep(0.3)
    assert mailbox.to(author.email, wait=0) == []
    assert len(notifications_of(app, author.id)) == 2  # the app still shows it
    assert visitor.get("/meldingen/afmelden/vervalst").status_code == 404


# --- private working groups -------------------------------------------------------------------


def test_private_group_events_never_reach_non_members(
    app, client, auth, runner, make_member, make_item, mailbox
):
    lead, member = make_member(name="Lea Trekker"), make_member(name="Mo Lid")
    outsider = make_member(name="Olga Buiten")
    group_id = make_working_group(app, lead)
    with app.app_context():
        db.session.add(Membership(group_id=group_id, member_id=member.id, joined_at=utcnow()))
        db.session.commit()
    item_id = make_item(
        visibility="group", group_id=group_id, author=lead, title="Vertrouwelijk overleg"
    )
    auth.login(member)
    client.post(f"/kennisbank/{item_id}/volg", data={"aan": "1"})  # follows: the daily digest
    # The outsider is mentioned, but cannot read the post: no notification, no e-mail.
    reply_as(app, lead, item_id, body="Vraag aan @Olga Buiten en @Mo Lid")
    assert notifications_of(app, outsider.id) == []
    assert [n.kind for n in notifications_of(app, member.id)] == ["mention"]
    # Removed from the group before the digest goes out: nothing in the digest, the bell
    # and the list no longer show it.
    with app.app_context():
        note = db.session.scalar(select(Notification).where(Notification.recipient_id == member.id))
        note.delivery, note.emailed_at = "daily", None
        db.session.execute(Membership.__table__.delete().where(Membership.member_id == member.id))
        db.session.commit()
    mailbox.clear()
    assert "0 daily digests queued" in runner.invoke(args=["notify", "digest"]).output
    assert mailbox.to(member.email, wait=0.3) == []
    page = client.get("/meldingen").text
    assert "Vertrouwelijk overleg" not in page
    assert 'class="bell__count"' not in page
    assert mailbox.to(outsider.email, wait=0) == []


def test_group_events(app, client, auth, make_member, mailbox):
    lead, asker, invitee = make_member(name="Lea"), make_member(name="Sam"), make_member()
    group_id = make_working_group(app, lead, join_policy="request")
    auth.login(asker)
    client.post(f"/werkgroepen/{group_id}/aanmelden", data={"contribution": "Woo-kennis"})
    assert [n.kind for n in notifications_of(app, lead.id)] == ["join_request"]
    auth.logout()
    auth.login(lead)
    with app.app_context():
        request_id = db.session.scalar(
            select(Membership.id).where(Membership.member_id == asker.id)
        )
    client.post(f"/werkgroepen/{group_id}/leden/{request_id}/toelaten", data={})
    client.post(f"/werkgroepen/{group_id}/uitnodigen", data={"member_id": str(invitee.id)})
    client.post(
        f"/werkgroepen/{group_id}/actiepunten", data={"title": "Bellen", "owner_id": str(asker.id)}
    )
    assert [n.kind for n in notifications_of(app, asker.id)] == ["join_approved", "task_assigned"]
    assert [n.kind for n in notifications_of(app, invitee.id)] == ["group_invitation"]
    auth.logout()
    auth.login(asker)
    page = client.get("/meldingen").text
    assert "Lea heeft je een taak gegeven in “Werkgroep Woo”: Bellen" in page
    assert "Je bent nu lid van “Werkgroep Woo”" in page


def test_the_leads_answer_reaches_who_asked(app, client, auth, make_member, mailbox):
    lead, sam, dora = make_member(name="Lea"), make_member(name="Sam"), make_member(name="Dora")
    group_id = make_working_group(app, lead, join_policy="request")
    for member in (sam, dora):
        asker = app.test_client()
        AuthActions(asker).login(member)
        asker.post(f"/werkgroepen/{group_id}/aanmelden", data={"contribution": "Woo-kennis"})
    with app.app_context():
        rows = dict(
            db.session.execute(
                select(Membership.member_id, Membership.id).where(Membership.group_id == group_id)
            ).all()
        )
    auth.login(lead)
    welcome = "Welkom! We beginnen dinsdag met de interviews. " + "Neem je vragen mee. " * 20
    client.post(f"/werkgroepen/{group_id}/leden/{rows[sam.id]}/toelaten", data={"message": welcome})
    client.post(
        f"/werkgroepen/{group_id}/leden/{rows[dora.id]}/afwijzen",
        data={"message": "We zoeken nu juist juristen."},
    )
    assert [n.kind for n in notifications_of(app, sam.id)] == ["join_approved"]
    assert [n.kind for n in notifications_of(app, dora.id)] == ["join_declined"]
    assert welcome.strip() in " ".join(Mailbox.text(mailbox.to(sam.email)[-1]).split())
    declined = Mailbox.text(mailbox.to(dora.email)[-1])
    assert "Lea heeft je verzoek afgewezen om mee te doen aan “Werkgroep Woo”" in declined
    assert "We zoeken nu juist juristen." in declined
    # Dora is not in the group, yet the answer to her is hers to read in the app as well.
    auth.logout()
    auth.login(dora)
    page = client.get("/meldingen").text
    assert "We zoeken nu juist juristen." in page and 'class="bell__count">1<' in page


# --- the bell, the list, mentions ------------------------------------------------------------


def test_bell_counts_and_marking_read(app, client, auth, make_member, make_item, mailbox):
    author = make_member()
    item_id = make_item(author=author)
    other_item = make_item(author=author, title="Een tweede vraag")
    auth.login(author)
    assert 'class="bell__count"' not in client.get("/").text
    reply_as(app, make_member(), item_id)
    reply_as(app, make_member(), other_item)
    page = client.get("/").text
    assert re.search(r'class="bell__count">2<', page)
    bell = client.get("/meldingen/teller", headers={"HX-Request": "true"})
    assert "<html" not in bell.text and ">2<" in bell.text
    [first, _second] = notifications_of(app, author.id)
    response = client.post(
        f"/meldingen/{first.id}/gelezen", headers={"HX-Request": "true"}
    )  # htmx: the list, and the bell out of band
    assert 'hx-swap-oob="true"' in response.text and "<html" not in response.text
    assert re.search(r'class="bell__count">1<', response.text)
    assert client.post("/meldingen/gelezen").status_code == 303
    assert 'class="bell__count"' not in client.get("/").text
    other = make_member()
    auth.logout()
    auth.login(other)  # someone else's notification is not theirs to mark
    assert client.post(f"/meldingen/{first.id}/gelezen").status_code == 404


def test_mentions_are_notified_and_suggested(app, client, auth, make_member, make_item):
    make_member(name="Anna de Vries")
    anna = make_member(name="Anna de Vries-Jansen")
    make_member(name="Annabel Smit")
    item_id = make_item()
    replier = make_member()
    reply_as(app, replier, item_id, body="Vraag het @Anna de Vries-Jansen, die weet het.")
    assert [n.kind for n in notifications_of(app, anna.id)] == ["mention"]
    auth.login(replier)
    names = client.get("/meldingen/namen?body=Vraag het @anna d", headers={"HX-Request": "true"})
    assert "@Anna de Vries" in names.text and "Annabel" not in names.text
    assert client.get("/meldingen/namen?body=geen apenstaartje").text.strip() == ""


def test_helped_and_evaluated_reach_the_repliers(app, client, auth, make_member, make_item):
    author, replier = make_member(name="Anna"), make_member(name="Bram")
    item_id = make_item(author=author)
    reply_id = reply_as(app, replier, item_id)
    auth.login(author)
    client.post(f"/kennisbank/reacties/{reply_id}/hielp", data={"aan": "1"})
    client.post(f"/kennisbank/reacties/{reply_id}/hielp", data={"aan": "0"})
    client.post(f"/kennisbank/reacties/{reply_id}/hielp", data={"aan": "1"})  # told once
    client.post(f"/kennisbank/{item_id}/besluit", data={"decision": "We doen het."})
    client.post(
        f"/kennisbank/{item_id}/evaluatie", data={"outcome": "Het werkte.", "lesson": "Begin."}
    )
    assert [n.kind for n in notifications_of(app, replier.id)] == ["helped", "evaluated"]


def test_an_anonymous_asker_stays_anonymous(app, client, auth, make_member, make_item):
    author, replier = make_member(name="Geheime Vrager"), make_member()
    item_id = make_item(author=author, anonymous=True)
    reply_id = reply_as(app, replier, item_id)
    auth.login(author)
    client.post(f"/kennisbank/reacties/{reply_id}/hielp", data={"aan": "1"})
    auth.logout()
    auth.login(replier)
    page = client.get("/meldingen").text
    assert "Iemand" in page and "Geheime Vrager" not in page


# --- reminders --------------------------------------------------------------------------------


def test_reminders_go_out_once(app, runner, make_member, make_item):
    lead, owner = make_member(), make_member()
    group_id = make_working_group(app, lead, ends_on=utcnow().date() + timedelta(days=10))
    author = make_member()
    open_id = make_item(author=author, title="Al lang open")
    decided_id = make_item(author=author, title="Al lang besloten")
    with app.app_context():
        db.session.add(Membership(group_id=group_id, member_id=owner.id, joined_at=utcnow()))
        db.session.add(
            Task(
                group_id=group_id,
                title="Bellen",
                owner_id=owner.id,
                due_on=utcnow().date() + timedelta(days=1),
            )
        )
        long_ago = utcnow() - timedelta(days=31)
        db.session.add(Reply(item_id=open_id, author_id=lead.id, body="Zo", created_at=long_ago))
        db.session.get(Item, open_id).reply_count = 1
        decided = db.session.get(Item, decided_id)
        decided.status, decided.decided_at = "besloten", utcnow() - timedelta(days=91)
        db.session.commit()
    assert "5 reminders" in runner.invoke(args=["notify", "reminders"]).output
    assert "0 reminders" in runner.invoke(args=["notify", "reminders"]).output
    assert sorted(n.kind for n in notifications_of(app, owner.id)) == ["group_ending", "task_due"]
    assert [n.kind for n in notifications_of(app, lead.id)] == ["group_ending"]
    assert sorted(n.kind for n in notifications_of(app, author.id)) == [
        "close_loop",
        "write_lesson",
    ]


def test_the_leads_of_an_overdue_group_are_reminded_once_per_end_date(
    app, runner, make_member, mailbox
):
    from alliance.groups.models import WorkingGroup

    lead, member = make_member(), make_member()
    group_id = make_working_group(app, lead, name="Werkgroep Archief")

    def set_group(**values):
        with app.app_context():
            group = db.session.get(WorkingGroup, group_id)
            for name, value in values.items():
                setattr(group, name, value)
            db.session.commit()

    with app.app_context():
        db.session.add(Membership(group_id=group_id, member_id=member.id, joined_at=utcnow()))
        db.session.commit()
    set_group(ends_on=utcnow().date())  # ends today: not overdue yet
    runner.invoke(args=["notify", "reminders"])
    assert "group_overdue" not in [n.kind for n in notifications_of(app, lead.id)]
    set_group(ends_on=utcnow().date() - timedelta(days=3))
    assert "1 reminders" in runner.invoke(args=["notify", "reminders"]).output
    assert "0 reminders" in runner.invoke(args=["notify", "reminders"]).output
    assert [n.kind for n in notifications_of(app, lead.id)][-1] == "group_overdue"
    assert "group_overdue" not in [n.kind for n in notifications_of(app, member.id)]
    runner.invoke(args=["notify", "send"])
    mail = Mailbox.text(mailbox.to(lead.email)[-1])
    assert "De einddatum van “Werkgroep Archief” is voorbij" in mail
    assert f"/werkgroepen/{group_id}#lifecycle-heading" in mail
    # Extended, and past the new end date too (still wrapping up): reminded once more.
    set_group(ends_on=utcnow().date() - timedelta(days=1), extension_reason="Meer tijd.")
    set_group(state="wrapping_up")
    assert "1 reminders" in runner.invoke(args=["notify", "reminders"]).output
    set_group(ends_on=utcnow().date() - timedelta(days=2), state="archived")
    assert "0 reminders" in runner.invoke(args=["notify", "reminders"]).output


def test_pages_of_notifications(app, client, auth, make_member):
    member = make_member()
    auth.login(member)
    assert "Nog geen meldingen" in client.get("/meldingen").text
    settings = client.get("/meldingen/instellingen").text
    assert "Een reactie op mijn bijdrage" in settings
    bad = client.post(
        "/meldingen/instellingen", data={"delivery_reply": "vaak", "monthly_cap": "x"}
    )
    assert bad.status_code == 200 and 'aria-invalid="true"' in bad.text
    with app.app_context():
        assert db.session.get(Member, member.id) is not None


def test_personal_data_export_and_erasure(app, client, auth, make_member, make_item, mailbox):
    from alliance.mail.receivers import erase as erase_mail
    from alliance.notify.receivers import erase as erase_notifications
    from alliance.notify.receivers import personal_data as collected

    def personal_data(member):
        [found] = collected(member)
        return found.data

    def erase_personal_data(member):
        erase_notifications(member)
        erase_mail(member)

    author, replier = make_member(name="Anna"), make_member(name="Bram")
    item_id = make_item(author=author, title="Een dilemma over lakken")
    reply_as(app, replier, item_id)
    auth.login(author)
    choose(client, followed_reply="weekly")
    wait_for_background_work()
    with app.test_request_context(method="POST"):
        member = db.session.get(Member, author.id)
        data = personal_data(member)
        assert data["notifications"][0]["text"].startswith("Bram heeft gereageerd op")
        assert data["settings"]["deliveries"]["followed_reply"] == "weekly"
        erase_personal_data(member)
        db.session.commit()
        assert personal_data(member)["notifications"] == []
        assert (
            db.session.scalars(
                select(OutgoingMail).where(OutgoingMail.recipient == author.email)
            ).all()
            == []
        )


def test_opening_a_notification_marks_it_and_the_others_about_that_post_read(
    app, client, auth, make_member, make_item
):
    author = make_member()
    item_id = make_item(author=author)
    reply_as(app, make_member(), item_id)
    reply_as(app, make_member(), item_id)
    auth.login(author)
    assert re.search(r'class="bell__count">2<', client.get("/").text)
    first, newest = notifications_of(app, author.id)
    assert f'href="/meldingen/{newest.id}"' in client.get("/meldingen").text
    opened = client.get(f"/meldingen/{first.id}")
    assert opened.status_code == 303
    assert opened.headers["Location"].startswith(f"/kennisbank/{item_id}")
    assert all(n.read_at is not None for n in notifications_of(app, author.id))
    assert 'class="bell__count"' not in client.get("/").text
    auth.logout()
    auth.login(make_member())  # not theirs
    assert client.get(f"/meldingen/{first.id}").status_code == 404


def test_replying_to_the_post_marks_its_notifications_read(app, make_member, make_item):
    author = make_member()
    item_id = make_item(author=author)
    other_item = make_item(author=author, title="Een andere vraag over archiveren")
    reply_as(app, make_member(), item_id)
    reply_as(app, make_member(), other_item)
    reply_as(app, author, item_id, "Dank jullie wel, dit helpt.")
    state = {n.item_id: n.read_at for n in notifications_of(app, author.id)}
    assert state[item_id] is not None  # acted on: read
    assert state[other_item] is None  # another post: still new


def test_similar_notifications_are_one_line(app, client, auth, make_member, make_item):
    author = make_member()
    item_id = make_item(author=author, title="Wie bewaart de chats?")
    eva = make_member(name="Eva Visser")
    for member in (make_member(), make_member(), make_member()):
        reply_as(app, member, item_id)
    reply_as(app, eva, item_id)
    auth.login(author)
    page = client.get("/meldingen").text
    assert "Eva Visser en 3 anderen reageerden op “Wie bewaart de chats?”" in page
    assert page.count('class="notification__text"') == 1  # one line, not four
    newest = notifications_of(app, author.id)[-1]
    client.post(f"/meldingen/{newest.id}/gelezen")
    assert all(n.read_at is not None for n in notifications_of(app, author.id))


def test_recording_the_decision_marks_the_notifications_about_the_post_read(
    app, client, auth, make_member, make_item
):
    author = make_member()
    item_id = make_item(author=author)
    reply_as(app, make_member(), item_id)
    auth.login(author)
    assert notifications_of(app, author.id)[0].read_at is None
    response = client.post(f"/kennisbank/{item_id}/besluit", data={"decision": "We doen het."})
    assert response.status_code == 303
    assert notifications_of(app, author.id)[0].read_at is not None
