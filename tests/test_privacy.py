"""My data (AVG): the export ZIP holds everything, account deletion anonymises contributions and
removes the name everywhere, search included."""

import io
import json
import zipfile

from sqlalchemy import func, select

from alliance.extensions import db
from tests.test_access import make_working_group
from tests.test_search import ask


def _activity(app, member, others):
    """A post, a reply, marks, a working group it leads with a task and a note, a report."""
    from alliance.groups import services as groups
    from alliance.groups import space
    from alliance.groups.models import WorkingGroup
    from alliance.knowledge import services as knowledge
    from alliance.knowledge.models import Item
    from alliance.members.models import Member
    from alliance.moderation.services import report

    group_id = make_working_group(app, member, join_policy="open", name="Werkgroep Zwartveld")
    with app.test_request_context(method="POST"):
        me = db.session.get(Member, member.id)
        group = db.session.get(WorkingGroup, group_id)
        helper = db.session.get(Member, others[0].id)
        groups.join(group, helper, "Ik help mee.")
        space.add_task(group, me, "Handreiking schrijven", me.id, None)
        space.add_note(group, me, "Woo-index", "https://example.org/woo", "")
        own = knowledge.post_item(
            me,
            knowledge.ItemChange(
                kind="dilemma",
                title="Zwartvelds dilemma over openbaarheid",
                visibility="members",
                fields={"tension": "Openheid tegen privacy."},
            ),
        )
        theirs = db.session.get(Item, others[1])
        reply = knowledge.add_reply(theirs, me, "Bij ons werkte een Woo-index goed.", "beleid")
        knowledge.set_recognised(theirs, me, True)
        knowledge.set_useful(reply, helper, True)
        report("item", theirs.id, me, "Klopt niet helemaal.")
        db.session.commit()
        ids = {"group": group_id, "own": own.id, "theirs": theirs.id, "reply": reply.id}
        db.session.remove()
    return ids


def test_download_holds_everything_about_me(app, client, auth, make_member, make_item):
    member = make_member(name="Zwartveld", bio="Ik werk aan de Woo.", offers=["Woo-verzoeken"])
    helper = make_member(name="Helper")
    other_item = make_item(title="Andermans dilemma")
    ids = _activity(app, member, [helper, other_item])
    auth.login(member)
    assert client.get("/mijn-gegevens").status_code == 200
    response = client.get("/mijn-gegevens/download")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    data = json.loads(archive.read("gegevens.json"))
    for key in (
        "account",
        "profile",
        "items",
        "replies",
        "marks",
        "groups",
        "tasks",
        "group_notes",
        "reports",
        "sessions",
    ):
        assert key in data, key
    assert data["account"]["email"] == member.email
    assert data["profile"]["offers"] == ["Woo-verzoeken"]
    assert data["items"][0]["title"] == "Zwartvelds dilemma over openbaarheid"
    assert data["replies"][0]["body"] == "Bij ons werkte een Woo-index goed."
    assert data["replies"][0]["item_title"] == "Andermans dilemma"
    assert {"item_id": ids["theirs"], "kind": "recognise"}.items() <= {
        k: v
        for mark in data["marks"]["items"]
        if mark["kind"] == "recognise"
        for k, v in mark.items()
    }.items()
    assert (
        data["groups"][0]["group"] == "Werkgroep Zwartveld" and data["groups"][0]["role"] == "lead"
    )
    assert data["tasks"][0]["title"] == "Handreiking schrijven"
    assert data["group_notes"][0]["url"] == "https://example.org/woo"
    assert data["reports"]["reports"][0]["reason"] == "Klopt niet helemaal."
    assert len(data["sessions"]) == 1 and "token" not in json.dumps(data["sessions"])
    assert "password" not in json.dumps(data) and "totp" not in json.dumps(data)
    markdown = [name for name in names if name.startswith("bijdragen/")]
    assert any("zwartvelds-dilemma" in name for name in markdown)
    replies = archive.read("bijdragen/reacties.md").decode()
    assert "Woo-index goed" in replies


def test_export_leaves_out_titles_of_groups_i_left(app, client, auth, make_member, make_item):
    from alliance.groups import services as groups
    from alliance.groups.models import WorkingGroup
    from alliance.knowledge import services as knowledge
    from alliance.knowledge.models import Item
    from alliance.members.models import Member

    lead = make_member()
    member = make_member()
    group_id = make_working_group(app, lead, join_policy="open")
    item_id = make_item(
        title="Geheim werkgroepstuk", visibility="group", group_id=group_id, author=lead
    )
    with app.test_request_context(method="POST"):
        group = db.session.get(WorkingGroup, group_id)
        me = db.session.get(Member, member.id)
        groups.join(group, me)
        knowledge.add_reply(db.session.get(Item, item_id), me, "Mijn eigen woorden.", None)
        groups.leave(group, me)
        db.session.commit()
    auth.login(member)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/mijn-gegevens/download").data))
    text = archive.read("gegevens.json").decode() + archive.read("bijdragen/reacties.md").decode()
    assert "Mijn eigen woorden." in text and "Geheim werkgroepstuk" not in text


def test_export_leaves_out_tasks_of_groups_i_left(app, client, auth, make_member):
    from alliance.groups import services as groups
    from alliance.groups import space
    from alliance.groups.models import WorkingGroup
    from alliance.members.models import Member

    lead, member = make_member(), make_member()
    group_id = make_working_group(app, lead, join_policy="open")
    with app.test_request_context(method="POST"):
        group = db.session.get(WorkingGroup, group_id)
        me, them = db.session.get(Member, member.id), db.session.get(Member, lead.id)
        groups.join(group, me)
        space.add_task(group, them, "Gesprek met de wethouder voorbereiden", me.id, None)
        done = space.add_task(group, them, "Vertrouwelijke lijst nalopen", me.id, None)
        space.add_task(group, me, "Mijn eigen actiepunt", None, None)
        space.update_task(done, group, state="done")
        groups.leave(group, me)
        db.session.commit()
    auth.login(member)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/mijn-gegevens/download").data))
    tasks = json.loads(archive.read("gegevens.json"))["tasks"]
    assert [task["title"] for task in tasks] == ["Mijn eigen actiepunt"]


def test_delete_account_keeps_contributions_under_former_member_and_the_name_nowhere(
    app, client, auth, make_member, make_item, drain, mailbox
):
    from alliance.groups.models import Membership
    from alliance.knowledge.models import Item, Reply
    from alliance.mail.models import OutgoingMail
    from alliance.members.models import Member

    member = make_member(name="Zwartveld", offers=["Woo-verzoeken"])
    helper = make_member(name="Helper")
    reader = make_member(name="Lezer")
    other_item = make_item(title="Andermans dilemma", visibility="public")
    ids = _activity(app, member, [helper, other_item])
    drain()
    auth.login(reader)
    assert "Zwartveld" in ask(client, "zwartveld")
    auth.logout()

    auth.login(member)
    wrong = client.post(
        "/mijn-gegevens/verwijderen", data={"password": "niet mijn wachtwoord", "confirm": "y"}
    )
    assert wrong.status_code == 400 and 'id="password-error"' in wrong.text
    unticked = client.post("/mijn-gegevens/verwijderen", data={"password": member.password})
    assert unticked.status_code == 400 and 'id="confirm-error"' in unticked.text
    gone = client.post(
        "/mijn-gegevens/verwijderen", data={"password": member.password, "confirm": "y"}
    )
    assert gone.status_code == 303
    assert client.get("/account").status_code == 302
    assert auth.login(member).status_code == 200  # the account is no more
    drain()

    auth.login(reader)
    assert client.get(f"/leden/{member.id}").status_code == 404
    own = client.get(f"/kennisbank/{ids['own']}")
    theirs = client.get(f"/kennisbank/{ids['theirs']}")
    for page in (own, theirs):
        assert page.status_code == 200
        assert "Zwartveld" not in page.text.replace("Zwartvelds dilemma", "")
        assert "een voormalig lid" in page.text
    assert "Bij ons werkte een Woo-index goed." in theirs.text
    directory = client.get("/leden?q=Zwartveld").text
    assert f'href="/leden/{member.id}"' not in directory
    assert directory.count("Zwartveld") == client.get("/leden?q=Niemandnamen").text.count(
        "Niemandnamen"
    )
    assert all("Zwartveld" != title for title in ask(client, "zwartveld"))
    assert ask(client, "Woo-verzoeken", soort="member") == []
    assert "Zwartveld" not in client.get(f"/werkgroepen/{ids['group']}").text.replace(
        "Werkgroep Zwartveld", ""
    )

    with app.app_context():
        assert db.session.get(Member, member.id) is None
        assert db.session.get(Item, ids["own"]).author_id is None
        assert db.session.get(Reply, ids["reply"]).author_id is None
        assert db.session.get(Item, ids["theirs"]).recognition_count == 0
        lead = db.session.scalar(
            select(Membership).where(Membership.group_id == ids["group"], Membership.role == "lead")
        )
        assert lead is not None and lead.member_id == helper.id  # handed over first
        left = db.session.scalar(
            select(func.count(OutgoingMail.id)).where(OutgoingMail.recipient == member.email)
        )
        assert left == 0
        db.session.remove()


def test_last_administrator_cannot_delete_the_account(app, client, auth, make_member):
    admin = make_member(role="admin")
    auth.login(admin)
    refused = client.post(
        "/mijn-gegevens/verwijderen", data={"password": admin.password, "confirm": "y"}
    )
    assert refused.status_code == 400 and "laatste beheerder" in refused.text


def test_privacy_statement_says_what_and_why(client):
    page = client.get("/privacy")
    assert page.status_code == 200
    for words in ("functionele cookies", "Mijn gegevens downloaden", "Account verwijderen"):
        assert words in page.text, words


def test_my_data_holds_and_deletion_clears_agenda_and_notifications(
    app, client, auth, make_member, make_item, mailbox
):
    """The agenda and the notifications plug into the export and into account deletion: a
    place at a coming event goes to the first on the waiting list, who is told."""
    from datetime import timedelta

    from alliance.agenda import services as agenda
    from alliance.agenda.models import Event, Signup
    from alliance.core.timeutil import utcnow
    from alliance.knowledge import services as knowledge
    from alliance.knowledge.models import Item
    from alliance.members.models import Member
    from alliance.notify.models import Notification

    member = make_member(name="Zwartveld")
    organiser = make_member(name="Organisator")
    waiting = make_member(name="Wachter")
    coordinator = make_member(name="Coördinator", role="coordinator")
    own_item = make_item(author=member, title="Zwartvelds vraag")
    starts = agenda.utc_to_local(utcnow()).replace(microsecond=0) + timedelta(days=5)

    def event(by, title: str, capacity=None) -> int:
        with app.test_request_context(method="POST"):
            made = agenda.propose_event(
                db.session.get(Member, by.id),
                agenda.EventChange(
                    title=title,
                    kind="meedenksessie",
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=2),
                    description="Over open data.",
                    location="Utrecht",
                    capacity=capacity,
                ),
            )
            agenda.approve(made, db.session.get(Member, coordinator.id))
            db.session.commit()
            made_id = made.id
            db.session.remove()
        return made_id

    full = event(organiser, "Sessie met één plek", capacity=1)
    mine = event(member, "Zwartvelds sessie")
    for who in (member, waiting):  # the member takes the place, the other waits
        auth.login(who)
        assert client.post(f"/agenda/{full}/aanmelden").status_code in (200, 303)
        auth.logout()
    with app.test_request_context(method="POST"):
        knowledge.add_reply(
            db.session.get(Item, own_item),
            db.session.get(Member, organiser.id),
            "Een antwoord.",
            "beleid",
        )
        db.session.commit()
        db.session.remove()

    auth.login(member)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/mijn-gegevens/download").data))
    data = json.loads(archive.read("gegevens.json"))
    assert [(s["event"], s["state"]) for s in data["agenda"]["signups"]] == [
        ("Sessie met één plek", "signed_up")
    ]
    assert [e["title"] for e in data["agenda"]["organised"]] == ["Zwartvelds sessie"]
    assert any(name.startswith("agenda/") for name in archive.namelist())
    kinds = {n["kind"] for n in data["notifications"]["notifications"]}
    assert {"event_signed_up", "event_approved", "reply"} <= kinds
    # The bell shows the sign-up too.
    assert "Je bent aangemeld voor" in client.get("/meldingen").text

    mailbox.clear()
    gone = client.post(
        "/mijn-gegevens/verwijderen", data={"password": member.password, "confirm": "y"}
    )
    assert gone.status_code == 303
    with app.app_context():
        states = dict(
            db.session.execute(
                select(Signup.member_id, Signup.state).where(Signup.event_id == full)
            ).all()
        )
        assert states == {waiting.id: "signed_up"}  # moved up into the place
        assert db.session.get(Event, mine).organiser_id is None  # the event stays
        left = db.session.scalar(
            select(func.count(Notification.id)).where(Notification.recipient_id == member.id)
        )
        assert left == 0
        db.session.remove()
    assert mailbox.to(waiting.email), "the member who moved up is told"
