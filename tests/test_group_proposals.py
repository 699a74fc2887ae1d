"""Proposals of a working group: any member proposes with a closing day, members respond (a
block needs a reason) and change it until the close, everyone sees who said what; the proposer
or a lead closes it and records the outcome; one reminder to who has not responded; the open
proposals a member still has to answer (for the home page)."""

from datetime import timedelta

from sqlalchemy import select

from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.groups.workmodels import Proposal, ProposalResponse
from tests.test_groups import login


def tomorrow() -> str:
    return (utcnow().date() + timedelta(days=1)).isoformat()


def proposal_id(app, title: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Proposal.id).where(Proposal.title == title))


def test_propose_respond_block_change_close_and_record_the_outcome(
    app, make_member, make_group, mailbox, drain
):
    lea, mo, bo = (make_member(name=n) for n in ("Lea Trekker", "Mo Lid", "Bo Derde"))
    group_id = make_group(lead=lea, members=[mo, bo])
    lead, member, third = login(app, lea), login(app, mo), login(app, bo)
    made = member.post(
        f"/werkgroepen/{group_id}/voorstellen",
        data={"title": "We publiceren de handreiking in maart", "closes_on": tomorrow()},
    )
    assert made.status_code == 303
    pid = proposal_id(app, "We publiceren de handreiking in maart")
    base = f"/werkgroepen/{group_id}/voorstellen/{pid}"
    # Everyone else is asked to respond (a notification and an e-mail).
    assert "doet een voorstel" in lead.get("/meldingen").text
    assert any("doet een voorstel" in mailbox.text(m) for m in mailbox.to(bo.email))
    assert lead.post(f"{base}/reactie", data={"position": "agree"}).status_code == 303
    # A block without a reason is refused, next to the field; what was chosen stays.
    refused = third.post(f"{base}/reactie", data={"position": "block", "reason": " "})
    assert refused.status_code == 200 and "Zeg waarom je blokkeert" in refused.text
    assert f'value="block" id="position-{pid}-block" checked' in refused.text
    blocked = {"position": "block", "reason": "Eerst de juristen laten kijken."}
    assert third.post(f"{base}/reactie", data=blocked).status_code == 303
    assert third.post(f"{base}/reactie", data={"position": "nonsense"}).status_code == 200
    # Who said what.
    space = member.get(f"/werkgroepen/{group_id}").text
    assert "Bo Derde</strong>: Blokkeren — " in space and "Eerst de juristen" in space
    assert "Lea Trekker</strong>: Eens" in space and "Blokkeren: 1" in space
    # A change of mind, until the close.
    assert lead.post(f"{base}/reactie", data={"position": "abstain"}).status_code == 303
    with app.app_context():
        positions = dict(
            db.session.execute(
                select(ProposalResponse.member_id, ProposalResponse.position).where(
                    ProposalResponse.proposal_id == pid
                )
            ).all()
        )
        assert positions == {lea.id: "abstain", bo.id: "block"}
    # Only the proposer or a lead closes it and records the outcome.
    assert third.post(f"{base}/sluiten").status_code == 403
    assert third.post(f"{base}/uitkomst", data={"outcome": "x"}).status_code == 403
    early = member.post(f"{base}/uitkomst", data={"outcome": "Te vroeg."})
    assert early.status_code == 303 and "staat nog open" in member.get(early.location).text
    assert member.post(f"{base}/sluiten").status_code == 303
    late = lead.post(f"{base}/reactie", data={"position": "agree"})
    assert "Dit voorstel is gesloten" in lead.get(late.location).text
    outcome = "We wachten op de juristen en publiceren in april."
    assert lead.post(f"{base}/uitkomst", data={"outcome": outcome}).status_code == 303
    space = member.get(f"/werkgroepen/{group_id}").text
    decided = space.split('id="voorstellen"')[1].split("</section>")[0]
    assert outcome in decided
    drain()
    assert "Besloten in" in third.get("/meldingen").text


def test_a_closing_day_in_the_past_or_too_far_is_refused(app, make_member, make_group):
    lea = make_member(name="Lea Trekker")
    group_id = make_group(lead=lea)
    client = login(app, lea)
    for day, message in (
        ((utcnow().date() - timedelta(days=1)).isoformat(), "Kies vandaag of een latere dag."),
        ((utcnow().date() + timedelta(days=90)).isoformat(), "hoogstens 60 dagen"),
    ):
        response = client.post(
            f"/werkgroepen/{group_id}/voorstellen", data={"title": "Iets", "closes_on": day}
        )
        assert response.status_code == 200 and message in response.text


def test_one_reminder_before_the_close_to_who_has_not_responded(
    app, make_member, make_group, runner
):
    lea, mo, bo = (make_member(name=n) for n in ("Lea Trekker", "Mo Lid", "Bo Derde"))
    group_id = make_group(lead=lea, members=[mo, bo])
    lead = login(app, lea)
    lead.post(
        f"/werkgroepen/{group_id}/voorstellen",
        data={"title": "Vergaderen op dinsdag", "closes_on": tomorrow()},
    )
    pid = proposal_id(app, "Vergaderen op dinsdag")
    login(app, mo).post(
        f"/werkgroepen/{group_id}/voorstellen/{pid}/reactie", data={"position": "agree"}
    )
    for _ in range(2):
        runner.invoke(args=["notify", "reminders"])
    from alliance.notify.models import Notification

    with app.app_context():
        told = db.session.execute(
            select(Notification.recipient_id).where(Notification.kind == "proposal_closing")
        ).all()
    assert [row[0] for row in told] == [bo.id]  # not the proposer, not who responded; once


def test_the_open_proposals_a_member_still_has_to_answer(app, make_member, make_group):
    from alliance.groups.proposals import awaiting_response
    from alliance.members.models import Member

    lea, mo = make_member(name="Lea Trekker"), make_member(name="Mo Lid")
    outsider = make_member(name="Olga Buiten")
    group_id = make_group(lead=lea, members=[mo], name="Werkgroep Termijnen")
    lead = login(app, lea)
    for title in ("Eerste voorstel", "Tweede voorstel"):
        lead.post(
            f"/werkgroepen/{group_id}/voorstellen", data={"title": title, "closes_on": tomorrow()}
        )
    first = proposal_id(app, "Eerste voorstel")
    login(app, mo).post(
        f"/werkgroepen/{group_id}/voorstellen/{first}/reactie", data={"position": "agree"}
    )
    with app.test_request_context():
        waiting = awaiting_response(db.session.get(Member, mo.id))
        assert [(p.title, name) for p, name in waiting] == [
            ("Tweede voorstel", "Werkgroep Termijnen")
        ]
        assert awaiting_response(db.session.get(Member, lea.id)) == []  # their own
        assert awaiting_response(db.session.get(Member, outsider.id)) == []


def test_the_wrap_up_publishes_the_chosen_documents_and_decisions_with_the_result(
    app, client, make_member, make_group
):
    import io

    lea, mo = make_member(name="Lea Trekker"), make_member(name="Mo Lid")
    group_id = make_group(lead=lea, members=[mo])
    lead = login(app, lea)
    for title in ("Eindrapport", "Interne aantekeningen"):
        data = {
            "file": (io.BytesIO(b"%PDF-1.7\n" + title.encode()), f"{title}.pdf"),
            "title": title,
        }
        assert lead.post(f"/werkgroepen/{group_id}/documenten", data=data).status_code == 303
    for title in ("Besluit A", "Besluit B"):
        lead.post(
            f"/werkgroepen/{group_id}/voorstellen", data={"title": title, "closes_on": tomorrow()}
        )
        pid = proposal_id(app, title)
        lead.post(f"/werkgroepen/{group_id}/voorstellen/{pid}/sluiten")
        lead.post(
            f"/werkgroepen/{group_id}/voorstellen/{pid}/uitkomst",
            data={"outcome": f"Uitkomst van {title}."},
        )
    with app.app_context():
        from alliance.groups.workmodels import GroupDocument

        report = db.session.scalar(
            select(GroupDocument.id).where(GroupDocument.title == "Eindrapport")
        )
        notes = db.session.scalar(
            select(GroupDocument.id).where(GroupDocument.title == "Interne aantekeningen")
        )
    assert lead.post(f"/werkgroepen/{group_id}/afronden").status_code == 303
    form = lead.get(f"/werkgroepen/{group_id}/opbrengst").text
    assert "Eindrapport" in form and "Uitkomst van Besluit A." in form  # decided: in the wrap-up
    published = lead.post(
        f"/werkgroepen/{group_id}/opbrengst",
        data={
            "title": "Handreiking termijnen",
            "made": "Een handreiking.",
            "learned": "Begin vroeg.",
            "visibility": "public",
            "documents": [str(report)],
            "proposals": [str(proposal_id(app, "Besluit A"))],
            "action": "publish",
        },
    )
    assert published.status_code == 303
    item_url = published.headers["Location"]
    page = client.get(item_url).text  # a visitor: the result is public
    assert "Eindrapport" in page and "Uitkomst van Besluit A." in page
    assert "Interne aantekeningen" not in page and "Besluit B" not in page
    base = f"/werkgroepen/{group_id}/documenten"
    file = client.get(f"{base}/{report}/download")
    assert file.status_code == 200 and file.data.endswith(b"Eindrapport")
    assert client.get(f"{base}/{report}/download?versie=1").status_code == 404  # newest only
    assert client.get(f"{base}/{notes}/download").status_code == 404
