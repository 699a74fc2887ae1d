"""Messages between members (issue 17): the flow, the notification and e-mail by the member's
choice, blocking, who may write, reporting, the limit for new accounts, privacy (a third member
sees nothing, search never finds a message), the export and account deletion."""

import json
import re
import time
import zipfile
from datetime import timedelta
from io import BytesIO

import pytest
from sqlalchemy import select

from alliance.core.database import wait_for_background_work
from alliance.extensions import db
from tests.conftest import AuthActions, count_statements
from tests.test_notify import choose, notifications_of, path_of


def login(app, member):
    client = app.test_client()
    AuthActions(client).login(member)
    return client


def send(client, to_id: int, body: str):
    return client.post(f"/berichten/nieuw?aan={to_id}", data={"body": body})


def conversation_path(response) -> str:
    assert response.status_code == 303, response.text[:500]
    return path_of(response.location)


def age(app, member, days: int) -> None:
    """Make an account older (the limit is for new accounts)."""
    from alliance.core.timeutil import utcnow
    from alliance.members.models import Member

    with app.app_context():
        db.session.get(Member, member.id).created_at = utcnow() - timedelta(days=days)
        db.session.commit()
        db.session.remove()


def test_a_member_writes_the_expert_who_gets_told_and_answers(app, make_member, mailbox):
    asker = make_member(name="Sanne Vrager")
    expert = make_member(name="Eva Expert")
    asking, answering = login(app, asker), login(app, expert)
    profile = asking.get(f"/leden/{expert.id}").text
    assert f"/berichten/nieuw?aan={expert.id}" in profile and "Stuur een bericht" in profile
    assert "Nieuw bericht" in asking.get(f"/berichten/nieuw?aan={expert.id}").text
    path = conversation_path(send(asking, expert.id, "Hoe pakte jij de Woo-verzoeken aan?"))
    page = asking.get(path).text
    assert "Hoe pakte jij de Woo-verzoeken aan?" in page and "Gesprek met Eva Expert" in page

    # The expert: a notification in the app, and an e-mail (direct, the default) that links
    # to the conversation and does not say what the message says.
    [note] = notifications_of(app, expert.id)
    assert note.kind == "message" and note.url.startswith(path)
    assert "Sanne Vrager heeft je een bericht gestuurd" in answering.get("/meldingen").text
    [mail] = mailbox.to(expert.email)
    text = mailbox.text(mail)
    assert "Sanne Vrager heeft je een bericht gestuurd" in text and path in text
    assert "Woo-verzoeken" not in text
    assert mail["List-Unsubscribe"]

    inbox = answering.get("/berichten").text
    assert "Sanne Vrager" in inbox and "Nieuw" in inbox
    assert "Hoe pakte jij" in answering.get(path).text
    assert "conversation-row--unread" not in answering.get("/berichten").text  # read now
    answered = answering.post(path, data={"body": "Met een vast team. Bel me gerust."})
    assert answered.status_code == 303
    assert "Met een vast team." in asking.get(path).text
    assert [n.kind for n in notifications_of(app, asker.id)] == ["message"]

    # Writing again from the profile goes to the same conversation of the two.
    assert conversation_path(send(asking, expert.id, "Dank je!")) == path


def test_an_answer_by_htmx_returns_the_conversation_fragment(app, make_member):
    asker, expert = make_member(), make_member()
    asking = login(app, asker)
    path = conversation_path(send(asking, expert.id, "Eerste bericht"))
    fragment = asking.post(path, data={"body": "Tweede bericht"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "Tweede bericht" in fragment.text
    refresh = asking.get(path, headers={"HX-Request": "true"})
    assert "<html" not in refresh.text and "Eerste bericht" in refresh.text
    empty = asking.post(path, data={"body": "  "})
    assert empty.status_code == 422 and 'id="body-error"' in empty.text


def test_the_email_follows_the_members_choice(app, make_member, mailbox):
    asker, expert = make_member(), make_member()
    expert_client = login(app, expert)
    choose(expert_client, message="none")
    send(login(app, asker), expert.id, "Hallo")
    wait_for_background_work()
    time.sleep(0.3)
    assert mailbox.to(expert.email, wait=0) == []
    [note] = notifications_of(app, expert.id)
    assert note.delivery == "none"


def test_a_third_member_sees_nothing_of_a_conversation(app, make_member, make_item, drain, mailbox):
    asker, expert, third = make_member(), make_member(), make_member(role="coordinator")
    asking = login(app, asker)
    path = conversation_path(send(asking, expert.id, "Geheimzinnig zeeslakkenonderwerp"))
    drain()
    outsider = login(app, third)
    message_id = int(path.rsplit("/", 1)[1])
    for url in (
        path,
        f"{path}?voor=999",
        "/berichten",
        "/meldingen",
        "/zoeken?q=zeeslakkenonderwerp",
        "/kennisbank/",
        f"/leden/{asker.id}",
    ):
        response = outsider.get(url, headers={"HX-Request": "true"} if "zoeken" in url else {})
        text = response.get_data(as_text=True).lower()
        assert "geheimzinnig" not in text and f'href="{path}' not in text, url
    archive = zipfile.ZipFile(BytesIO(outsider.get("/mijn-gegevens/download").data))
    assert "geheimzinnig" not in archive.read("gegevens.json").decode().lower()
    assert outsider.get(path).status_code == 404
    assert outsider.post(path, data={"body": "Ik ook"}).status_code == 404
    assert outsider.get(f"/melden/message/{message_id}").status_code == 404
    # Not even its own members find it in search: messages are never indexed.
    found = asking.get("/zoeken?q=zeeslakkenonderwerp").text.lower()
    assert "geheimzinnig" not in found and path not in found
    assert login(app, expert).get(path).status_code == 200
    visitor = app.test_client()
    assert visitor.get(path).status_code == 302  # to the login page
    wait_for_background_work()
    assert mailbox.to(expert.email)  # the one told, by e-mail
    assert mailbox.to(third.email, wait=0) == [] and mailbox.to(asker.email, wait=0) == []


def test_a_blocked_member_cannot_write_and_is_not_seen(app, make_member, mailbox):
    asker, expert = make_member(name="Piet Opdringer"), make_member(name="Eva Expert")
    asking, expert_client = login(app, asker), login(app, expert)
    path = conversation_path(send(asking, expert.id, "Eerste"))
    assert "Piet Opdringer heeft je een bericht gestuurd" in expert_client.get("/meldingen").text
    blocked = expert_client.post(f"/berichten/blokkeren/{asker.id}", data={"next": path})
    assert blocked.status_code == 303
    # They cannot write: not from the profile, not in the conversation; told in neutral words.
    profile = asking.get(f"/leden/{expert.id}").text
    assert "Stuur een bericht" not in profile and "ontvangt geen berichten van jou" in profile
    refused = send(asking, expert.id, "Nog een keer")
    assert refused.status_code == 403 and "Je kunt dit lid geen bericht sturen." in refused.text
    answer = asking.post(path, data={"body": "Hallo??"})
    assert answer.status_code == 422 and "Je kunt dit lid geen bericht sturen." in answer.text
    assert "geblokkeerd" not in answer.text.lower()
    # And I no longer see what they wrote, nor that they wrote.
    assert "Eerste" not in expert_client.get(path).text
    assert "Piet Opdringer heeft je" not in expert_client.get("/meldingen").text
    assert "Piet Opdringer" in expert_client.get("/berichten/instellingen").text
    expert_client.post(f"/berichten/deblokkeren/{asker.id}")
    assert "Eerste" in expert_client.get(path).text
    assert send(asking, expert.id, "Sorry").status_code == 303


@pytest.mark.parametrize(
    "allow, shares, may",
    [
        ("all", False, True),
        ("shared", False, False),
        ("shared", True, True),
        ("none", True, False),
    ],
)
def test_who_may_write_is_the_members_choice(app, make_member, allow, shares, may):
    themes = ["open-informatie"] if shares else []
    asker = make_member(themes=themes)
    expert = make_member(themes=["open-informatie"] if shares else ["open-inkoop"])
    expert_client = login(app, expert)
    assert expert_client.post("/berichten/instellingen", data={"allow": allow}).status_code == 303
    response = send(login(app, asker), expert.id, "Mag dit?")
    assert (response.status_code == 303) is may


def test_sharing_a_working_group_counts_as_sharing(app, make_member):
    from tests.test_fuzz_forms import working_group

    ids = working_group(app, make_member)
    lead, member = ids["lead"], ids["group_member"]
    login(app, lead).post("/berichten/instellingen", data={"allow": "shared"})
    assert send(login(app, member), lead.id, "Over de groep").status_code == 303
    assert send(login(app, make_member()), lead.id, "Van buiten").status_code == 403


def test_a_report_reaches_the_queue_with_the_message_only(app, make_member):
    asker, expert = make_member(), make_member()
    coordinator = make_member(role="coordinator")
    asking = login(app, asker)
    path = conversation_path(send(asking, expert.id, "Een nette vraag"))
    asking.post(path, data={"body": "Koop nu goedkope horloges"})
    expert_client = login(app, expert)
    page = expert_client.get(path).text
    spam_id = int(re.findall(r'id="bericht-(\d+)"', page)[-1])
    assert f"/melden/message/{spam_id}" in page
    reported = expert_client.post(f"/melden/message/{spam_id}", data={"reason": "Spam"})
    assert reported.status_code == 303
    queue = login(app, coordinator).get("/moderatie").text
    assert "Koop nu goedkope horloges" in queue
    assert "Een nette vraag" not in queue  # the message, not the conversation
    assert path not in queue
    from alliance.moderation.models import Report

    with app.app_context():
        report_id = db.session.scalar(select(Report.id))
        db.session.remove()
    coordinating = login(app, coordinator)
    handle = coordinating.get(f"/moderatie/meldingen/{report_id}")
    assert handle.status_code == 200 and "Een nette vraag" not in handle.text
    assert coordinating.get(path).status_code == 404
    done = coordinating.post(
        f"/moderatie/meldingen/{report_id}", data={"action": "hide", "reason": "Spam"}
    )
    assert done.status_code == 303
    assert "Koop nu goedkope horloges" not in expert_client.get(path).text
    assert "verborgen door de moderatie" in expert_client.get(path).text


def test_new_accounts_are_limited_per_hour(app, make_member):
    app.config["MESSAGES_NEW_PER_HOUR"] = 3
    newcomer, older = make_member(), make_member()
    age(app, older, 30)
    writing = login(app, newcomer)
    for number in range(3):
        assert send(writing, make_member().id, f"Bericht {number}").status_code == 303
    refused = send(writing, make_member().id, "Nummer vier")
    assert refused.status_code == 200
    assert "Nieuwe accounts kunnen 3 berichten per uur sturen" in refused.text
    old_writer = login(app, older)
    for number in range(5):
        assert send(old_writer, make_member().id, f"Oud {number}").status_code == 303


def test_new_accounts_are_limited_per_day(app, make_member):
    from alliance.core.timeutil import utcnow
    from alliance.messages.models import Message

    app.config["MESSAGES_NEW_PER_DAY"] = 4
    newcomer = make_member()
    writing = login(app, newcomer)
    for number in range(4):
        send(writing, make_member().id, f"Bericht {number}")
    with app.app_context():  # sent earlier today: not this hour
        for message in db.session.scalars(select(Message)):
            message.created_at = utcnow() - timedelta(hours=3)
        db.session.commit()
        db.session.remove()
    refused = send(writing, make_member().id, "Nummer vijf")
    assert "Nieuwe accounts kunnen 4 berichten per dag sturen" in refused.text


def test_a_conversation_of_a_few_members(app, make_member):
    writer = make_member()
    others = [make_member() for _ in range(7)]
    writing = login(app, writer)
    query = "&".join(f"aan={m.id}" for m in others[:3])
    response = writing.post(f"/berichten/nieuw?{query}", data={"body": "Aan drie"})
    path = conversation_path(response)
    for member in others[:3]:
        assert "Aan drie" in login(app, member).get(path).text
    assert login(app, others[3]).get(path).status_code == 404
    from alliance.core.errors import RuleError
    from alliance.members.models import Member
    from alliance.messages.services import start

    extra = make_member().id
    with app.test_request_context(method="POST"):
        with pytest.raises(RuleError, match="hoogstens 8 leden"):
            start(db.session.get(Member, writer.id), [m.id for m in others] + [extra], "x")


def test_my_data_holds_my_conversations_and_deletion_leaves_a_former_member(app, make_member):
    asker, expert = make_member(name="Sanne Vrager"), make_member(name="Eva Expert")
    asking = login(app, asker)
    path = conversation_path(send(asking, expert.id, "Mijn eigen vraag"))
    login(app, expert).post(path, data={"body": "Het antwoord"})
    archive = zipfile.ZipFile(BytesIO(asking.get("/mijn-gegevens/download").data))
    data = json.loads(archive.read("gegevens.json"))
    [conversation] = data["messages"]["conversations"]
    assert conversation["with"] == ["Eva Expert"]
    assert [(m["from"], m["text"]) for m in conversation["messages"]] == [
        ("me", "Mijn eigen vraag"),
        ("Eva Expert", "Het antwoord"),
    ]
    deleted = asking.post(
        "/mijn-gegevens/verwijderen", data={"password": asker.password, "confirm": "y"}
    )
    assert deleted.status_code == 303
    page = login(app, expert).get(path).text
    assert "Mijn eigen vraag" in page and "een voormalig lid" in page
    assert "Sanne Vrager" not in page


def test_the_inbox_costs_the_same_statements_for_5_or_500_messages(app, make_member):
    from alliance.members.models import Member
    from alliance.messages.services import start

    me = make_member()
    age(app, me, 30)
    writing = login(app, me)
    first = [make_member().id for _ in range(5)]
    with app.test_request_context(method="POST"):
        sender = db.session.get(Member, me.id)
        for member_id in first:
            start(sender, [member_id], "Hallo")
        db.session.commit()
        db.session.remove()
    few = count_statements(app, writing, "/berichten")
    people = [make_member().id for _ in range(25)]
    with app.test_request_context(method="POST"):
        sender = db.session.get(Member, me.id)
        for number in range(495):
            start(sender, [people[number % 25]], f"Bericht {number}")
        db.session.commit()
        db.session.remove()
    many = count_statements(app, writing, "/berichten")
    assert many == few and many <= 15, (few, many)


def test_write_from_a_reply_but_never_to_the_anonymous_asker(app, make_member, make_item):
    from alliance.knowledge.models import Item
    from alliance.knowledge.services import add_reply
    from alliance.members.models import Member

    asker, replier, reader = make_member(), make_member(name="Ria Reageerder"), make_member()
    item_id = make_item(author=asker, anonymous=True)
    with app.test_request_context(method="POST"):
        item = db.session.get(Item, item_id)
        add_reply(item, db.session.get(Member, replier.id), "Zo doen wij het.", "beleid")
        add_reply(item, db.session.get(Member, asker.id), "Dank, en hoe verder?", None)
        db.session.commit()
        db.session.remove()
    page = login(app, reader).get(f"/kennisbank/{item_id}").text
    assert f"/berichten/nieuw?aan={replier.id}" in page
    assert f"aan={asker.id}" not in page  # would name the anonymous asker


def test_add_people_by_name_to_a_new_conversation(app, make_member):
    """Issue 17: a conversation of a few is started on a screen, not by editing the address:
    find a member by name, add them, send. Who does not take messages is not offered."""
    writer = make_member(name="Wim Schrijver")
    first = make_member(name="Eva Expert")
    second = make_member(name="Evert Evenaar")
    closed = make_member(name="Eveline Dicht")
    login(app, closed).post("/berichten/instellingen", data={"allow": "none"})
    writing = login(app, writer)
    assert 'href="/berichten/nieuw"' in writing.get("/berichten").text
    page = writing.get("/berichten/nieuw?naam=eve").text
    assert "Eva Expert" not in page  # "eve" is not in "Eva Expert"
    assert f"/berichten/nieuw?aan={second.id}" in page and "Eveline Dicht" not in page
    page = writing.get(f"/berichten/nieuw?aan={second.id}&naam=ev").text
    assert f"aan={second.id}&amp;aan={first.id}" in page  # add Eva to Evert
    assert page.count("Evert Evenaar") == 1  # already in: not offered again
    both = f"/berichten/nieuw?aan={second.id}&aan={first.id}"
    page = writing.get(both).text
    assert "Eva Expert" in page and "Evert Evenaar" in page and "Verwijderen" in page
    path = conversation_path(writing.post(both, data={"body": "Aan jullie twee"}))
    for member in (first, second):
        assert "Aan jullie twee" in login(app, member).get(path).text
    assert login(app, closed).get(path).status_code == 404


def test_a_new_message_without_anyone_asks_who(app, make_member):
    writing = login(app, make_member())
    page = writing.get("/berichten/nieuw")
    assert page.status_code == 200 and 'name="naam"' in page.text and 'name="body"' not in page.text
    assert writing.post("/berichten/nieuw", data={"body": "Aan niemand"}).status_code == 404
