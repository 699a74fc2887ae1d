"""Moderation: reporting, the queue, hide/edit/restore/dismiss, suspensions, the audit log."""

import csv
import io

from alliance.extensions import db
from tests.test_search import ask


def _reply(app, item_id: int, author, body: str = "Dit is een scheldpartij.") -> int:
    from alliance.knowledge.models import Item
    from alliance.knowledge.services import add_reply
    from alliance.members.models import Member

    with app.test_request_context(method="POST"):
        reply = add_reply(
            db.session.get(Item, item_id), db.session.get(Member, author.id), body, None
        )
        db.session.commit()
        reply_id = reply.id
        db.session.remove()
    return reply_id


def _open_report_id(app) -> int:
    from sqlalchemy import select

    from alliance.moderation.models import Report

    with app.app_context():
        report_id = db.session.scalar(select(Report.id).where(Report.state == "open"))
        db.session.remove()
    return report_id


def test_member_reports_a_reply_coordinator_hides_it_author_sees_note_others_do_not(
    app, client, auth, make_member, make_item, mailbox, drain
):
    author = make_member(name="Schrijver")
    reporter = make_member(name="Melder", email="melder@example.org")
    other = make_member(name="Lezer")
    coordinator = make_member(name="Coördinator", role="coordinator")
    item_id = make_item(title="Openbaarheid van agenda's", visibility="public")
    reply_id = _reply(app, item_id, author, "Zeldzaamwoord scheldpartij in een reactie.")
    drain()
    assert ask(client, "zeldzaamwoord") == ["Openbaarheid van agenda's"]

    auth.login(reporter)
    page = client.get(f"/kennisbank/{item_id}")
    assert f"/melden/reply/{reply_id}" in page.text
    empty = client.post(f"/melden/reply/{reply_id}", data={"reason": "  "})
    assert empty.status_code == 200 and 'id="reason-error"' in empty.text
    sent = client.post(f"/melden/reply/{reply_id}", data={"reason": "Schelden mag niet."})
    assert sent.status_code == 303
    auth.logout()

    auth.login(coordinator)
    queue = client.get("/moderatie")
    assert "Schelden mag niet." in queue.text
    report_id = _open_report_id(app)
    missing_reason = client.post(
        f"/moderatie/meldingen/{report_id}", data={"action": "hide", "reason": ""}
    )
    assert missing_reason.status_code == 200 and 'id="reason-error"' in missing_reason.text
    done = client.post(
        f"/moderatie/meldingen/{report_id}",
        data={"action": "hide", "reason": "Huisregel 1: respect."},
    )
    assert done.status_code == 303
    log = client.get("/moderatie/logboek")
    assert "Huisregel 1: respect." in log.text and "Coördinator" in log.text
    auth.logout()
    drain()

    # The reporter hears the result, by e-mail (through the outbox).
    messages = mailbox.to("melder@example.org")
    assert messages and "verborgen" in mailbox.text(messages[0])

    # Others: the reply is gone from the page, the count and search.
    auth.login(other)
    page = client.get(f"/kennisbank/{item_id}")
    assert "scheldpartij" not in page.text and "0 reacties" in page.text
    assert ask(client, "zeldzaamwoord") == []
    auth.logout()
    anonymous = client.get(f"/kennisbank/{item_id}")
    assert "scheldpartij" not in anonymous.text

    # The author still sees it, with the note.
    auth.login(author)
    page = client.get(f"/kennisbank/{item_id}")
    assert "scheldpartij" in page.text and "Verborgen door de moderatie" in page.text


def test_hidden_item_vanishes_from_lists_feed_and_search_and_can_be_restored(
    app, client, auth, make_member, make_item, drain
):
    author = make_member(name="Schrijver")
    coordinator = make_member(role="coordinator")
    reader = make_member()
    item_id = make_item(title="Reclame voor mijn product", visibility="public", author=author)
    drain()
    auth.login(reader)
    client.post(f"/melden/item/{item_id}", data={"reason": "Reclame."})
    auth.logout()
    auth.login(coordinator)
    report_id = _open_report_id(app)
    client.post(f"/moderatie/meldingen/{report_id}", data={"action": "hide", "reason": "Regel 5."})
    assert "Reclame voor mijn product" in client.get("/moderatie?toon=verborgen").text
    auth.logout()
    drain()

    for viewer in (None, reader):
        if viewer:
            auth.login(viewer)
        assert "Reclame voor mijn product" not in client.get("/kennisbank/").text
        assert client.get(f"/kennisbank/{item_id}").status_code == 404
        assert ask(client, "reclame") == []
        if viewer:
            auth.logout()
    assert "Reclame voor mijn product" not in client.get("/kennisbank/feed.atom").text

    auth.login(author)
    own = client.get(f"/kennisbank/{item_id}")
    assert own.status_code == 200 and "Verborgen door de moderatie" in own.text
    auth.logout()

    auth.login(coordinator)
    restored = client.post(
        f"/moderatie/meldingen/{report_id}", data={"action": "restore", "reason": "Toch niet."}
    )
    assert restored.status_code == 303
    auth.logout()
    drain()
    assert "Reclame voor mijn product" in client.get("/kennisbank/").text
    assert ask(client, "reclame") == ["Reclame voor mijn product"]


def test_edit_marks_the_reply_and_dismiss_leaves_it(app, client, auth, make_member, make_item):
    author = make_member()
    reporter = make_member()
    coordinator = make_member(role="coordinator")
    item_id = make_item(visibility="members")
    first = _reply(app, item_id, author, "Bel Jan op 06-12345678.")
    second = _reply(app, item_id, author, "Een prima reactie.")
    auth.login(reporter)
    client.post(f"/melden/reply/{first}", data={"reason": "Telefoonnummer."})
    auth.logout()
    auth.login(coordinator)
    report_id = _open_report_id(app)
    no_text = client.post(
        f"/moderatie/meldingen/{report_id}", data={"action": "edit", "reason": "AVG", "text": ""}
    )
    assert 'id="text-error"' in no_text.text
    client.post(
        f"/moderatie/meldingen/{report_id}",
        data={"action": "edit", "reason": "Regel 4.", "text": "Bel Jan (nummer verwijderd)."},
    )
    auth.logout()
    auth.login(reporter)
    client.post(f"/melden/reply/{second}", data={"reason": "Vind ik niks."})
    auth.logout()
    auth.login(coordinator)
    client.post(
        f"/moderatie/meldingen/{_open_report_id(app)}",
        data={"action": "dismiss", "reason": "Past bij de huisregels."},
    )
    page = client.get(f"/kennisbank/{item_id}")
    assert "06-12345678" not in page.text and "nummer verwijderd" in page.text
    assert "aangepast door de moderatie" in page.text
    assert "Een prima reactie." in page.text
    assert "Geen open meldingen" in client.get("/moderatie").text


def test_reports_need_sight_of_the_content(app, client, auth, make_member, make_item):
    from tests.test_access import make_working_group

    lead = make_member()
    group_id = make_working_group(app, lead)
    item_id = make_item(visibility="group", group_id=group_id, author=lead)
    outsider = make_member()
    auth.login(outsider)
    assert client.get(f"/melden/item/{item_id}").status_code == 404
    assert client.post(f"/melden/item/{item_id}", data={"reason": "x"}).status_code == 404
    assert client.get("/melden/onbekend/1").status_code == 404
    assert client.get(f"/melden/profile/{lead.id}").status_code == 200


def test_hidden_profile_shows_only_the_name(app, client, auth, make_member, drain):
    target = make_member(name="Profiel Persoon", bio="Zeldzaamwoordje in mijn bio.")
    reporter = make_member()
    coordinator = make_member(role="coordinator")
    auth.login(reporter)
    client.post(f"/melden/profile/{target.id}", data={"reason": "Beledigende bio."})
    auth.logout()
    auth.login(coordinator)
    client.post(
        f"/moderatie/meldingen/{_open_report_id(app)}", data={"action": "hide", "reason": "R1"}
    )
    auth.logout()
    drain()
    auth.login(reporter)
    page = client.get(f"/leden/{target.id}")
    assert "Profiel Persoon" in page.text and "Zeldzaamwoordje" not in page.text
    assert ask(client, "zeldzaamwoordje") == []
    auth.logout()
    auth.login(target)
    assert "Zeldzaamwoordje" in client.get(f"/leden/{target.id}").text


def test_suspended_member_cannot_log_in_or_post_and_hears_why(
    app, client, auth, make_member, make_item
):
    member = make_member(name="Geschorst")
    coordinator = make_member(role="coordinator")
    item_id = make_item()
    other_client = app.test_client()
    from tests.conftest import AuthActions

    AuthActions(other_client).login(member)
    assert other_client.get("/account").status_code == 200

    auth.login(coordinator)
    bad = client.post(f"/moderatie/leden/{member.id}/schorsen", data={"days": "²", "reason": "x"})
    assert bad.status_code == 200 and 'id="days-error"' in bad.text
    done = client.post(
        f"/moderatie/leden/{member.id}/schorsen", data={"days": "7", "reason": "Herhaald schelden."}
    )
    assert done.status_code == 303
    assert "Herhaald schelden." in client.get("/moderatie/logboek").text
    auth.logout()

    # The running session has ended: posting is refused.
    posted = other_client.post(f"/kennisbank/{item_id}/reacties", data={"body": "Hallo"})
    assert posted.status_code == 302 and "/inloggen" in posted.location
    refused = auth.login(member)
    assert refused.status_code == 200 and "geschorst tot" in refused.text
    assert client.get("/account").status_code == 302

    auth.login(coordinator)
    client.post(f"/moderatie/leden/{member.id}/opheffen", data={"lift-reason": "Gesprek gehad."})
    auth.logout()
    assert auth.login(member).status_code == 303


def test_audit_log_for_coordinators_export_for_administrators(
    app, client, auth, make_member, make_item
):
    member = make_member()
    coordinator = make_member(role="coordinator")
    admin = make_member(role="admin")
    auth.login(coordinator)
    client.post(
        f"/moderatie/leden/{member.id}/schorsen", data={"days": "1", "reason": "=HYPERLINK(1)"}
    )
    assert client.get("/moderatie/logboek").status_code == 200
    assert client.get("/moderatie/logboek.csv").status_code == 403
    auth.logout()
    auth.login(member)
    assert client.get("/moderatie/logboek").status_code in (302, 403)
    auth.logout()
    auth.login(admin)
    export = client.get("/moderatie/logboek.csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(export.text)))
    assert rows[0][:5] == ["id", "created_at", "actor_id", "actor", "action"]
    assert rows[1][4] == "suspend" and rows[1][3] == "Lid 2"
    assert not rows[1][8].startswith("=")  # no formula for a spreadsheet to run


def test_role_pages_list_what_each_role_can_do(client):
    overview = client.get("/rollen")
    assert overview.status_code == 200
    for slug, words in (
        ("lid", "melden"),
        ("coordinator", "Modereren"),
        ("beheerder", "Rollen beheren"),
    ):
        page = client.get(f"/rollen/{slug}")
        assert page.status_code == 200 and words in page.text
    assert client.get("/rollen/koning").status_code == 404


def test_house_rules_are_linked_from_content_forms(app, client, auth, make_member, make_item):
    item_id = make_item()
    auth.login(make_member())
    for path in (
        "/kennisbank/nieuw",
        f"/kennisbank/{item_id}",
        "/profiel/bewerken",
        "/werkgroepen/nieuw",
    ):
        assert 'href="/huisregels"' in client.get(path).text.split("<footer")[0], path


def test_a_role_change_is_in_the_audit_log(app, client, auth, make_member):
    admin = make_member(role="admin", name="Beheerder Bea")
    member = make_member(name="Nieuwe Coördinator")
    auth.login(admin)
    client.post("/beheer/rollen", data={"member_id": str(member.id), "role": "coordinator"})
    log = client.get("/moderatie/logboek").text
    assert "veranderde de rol van" in log and "member → coordinator" in log


def test_an_event_is_reported_and_hidden_from_the_agenda_its_organiser_sees_the_note(
    app, client, auth, make_member, mailbox
):
    from alliance.agenda import services as agenda
    from alliance.members.models import Member
    from tests.test_agenda import local

    organiser = make_member(name="Organisator")
    reporter = make_member(name="Melder", email="melder@example.org")
    other = make_member(name="Lezer")
    coordinator = make_member(name="Coördinator", role="coordinator")
    with app.test_request_context(method="POST"):
        event = agenda.propose_event(
            db.session.get(Member, organiser.id),
            agenda.EventChange(
                title="Reclame voor een adviesbureau",
                kind="bijeenkomst",
                starts_at=local(7),
                ends_at=local(7, 16),
                location="Utrecht",
            ),
        )
        event.state = "approved"
        db.session.commit()
        event_id = event.id
        db.session.remove()

    auth.login(reporter)
    page = client.get(f"/agenda/{event_id}")
    assert f"/melden/event/{event_id}" in page.text
    sent = client.post(f"/melden/event/{event_id}", data={"reason": "Dit is reclame."})
    assert sent.status_code == 303
    auth.logout()

    auth.login(coordinator)
    assert "Dit is reclame." in client.get("/moderatie").text
    done = client.post(
        f"/moderatie/meldingen/{_open_report_id(app)}",
        data={"action": "hide", "reason": "Huisregel: geen reclame."},
    )
    assert done.status_code == 303
    auth.logout()

    auth.login(other)
    assert "Reclame voor een adviesbureau" not in client.get("/agenda").text
    assert client.get(f"/agenda/{event_id}").status_code == 404
    auth.logout()
    auth.login(organiser)
    page = client.get(f"/agenda/{event_id}")
    assert page.status_code == 200 and "Verborgen door de moderatie" in page.text
    auth.logout()
    auth.login(reporter)  # the reporter hears it in the bell (and by e-mail)
    assert "Je melding is afgehandeld: het is nu verborgen" in client.get("/meldingen").text
    assert mailbox.to("melder@example.org")


def test_a_report_on_group_content_stays_sealed_until_the_coordinator_says_why(
    app, client, auth, make_member, make_item, mailbox
):
    """Content of a working group never reaches a coordinator outside it unseen: the queue
    shows the group's name and the reason of the report; reading the content takes a reason,
    which goes into the audit log and to the group's leads."""
    from sqlalchemy import select

    from alliance.moderation.models import AuditEntry
    from alliance.notify.models import Notification
    from tests.test_access import make_working_group

    lead, member = make_member(name="Lotte Trekker"), make_member(name="Mo Lid")
    coordinator = make_member(name="Cor Coördinator", role="coordinator")
    group_id = make_working_group(app, lead, join_policy="open")
    auth.login(member)
    client.post(f"/werkgroepen/{group_id}/aanmelden")
    item_id = make_item(
        title="Onze interne afspraken", visibility="group", group_id=group_id, author=lead
    )
    _reply(app, item_id, lead, body="Geheime scheldpartij in de groep.")
    with app.app_context():
        from alliance.knowledge.models import Reply

        reply_id = db.session.scalar(select(Reply.id).where(Reply.item_id == item_id))
    client.post(f"/melden/reply/{reply_id}", data={"reason": "Schelden in de werkgroep."})
    auth.logout()

    auth.login(coordinator)
    report_id = _open_report_id(app)
    queue = client.get("/moderatie").text
    handle = client.get(f"/moderatie/meldingen/{report_id}").text
    for page in (queue, handle):
        assert "Geheime scheldpartij" not in page and "Onze interne afspraken" not in page
        assert "Werkgroep Woo" in page and "Schelden in de werkgroep." in page
    refused = client.post(
        f"/moderatie/meldingen/{report_id}", data={"action": "hide", "reason": "Schelden."}
    )
    assert refused.status_code == 200 and "Geheime scheldpartij" not in refused.text
    no_reason = client.post(f"/moderatie/meldingen/{report_id}/inzien", data={"reason": ""})
    assert no_reason.status_code == 200 and 'id="reason-error"' in no_reason.text
    opened = client.post(
        f"/moderatie/meldingen/{report_id}/inzien",
        data={"reason": "De melding gaat over schelden: ik moet het lezen."},
    )
    assert opened.status_code == 303
    assert "Geheime scheldpartij" in client.get(f"/moderatie/meldingen/{report_id}").text
    hidden = client.post(
        f"/moderatie/meldingen/{report_id}", data={"action": "hide", "reason": "Schelden."}
    )
    assert hidden.status_code == 303
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions == ["open", "hide"]
        told = db.session.scalars(
            select(Notification).where(Notification.kind == "group_content_opened")
        ).all()
        assert [n.recipient_id for n in told] == [lead.id]
        assert "ik moet het lezen" in told[0].params["message"]
    # Another coordinator has not opened it: for them it stays sealed.
    auth.logout()
    auth.login(make_member(role="coordinator"))
    assert "Geheime scheldpartij" not in client.get(f"/moderatie/meldingen/{report_id}").text
