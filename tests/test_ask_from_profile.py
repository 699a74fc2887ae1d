"""'Vraag om mee te denken' from a profile (issue 17): pick one of my open dilemmas and send
the invitation, with the consent and monthly cap of the matching flow."""

from sqlalchemy import select

from alliance.extensions import db
from tests.test_notify import choose, notifications_of


def requests_for(app, member_id: int) -> list:
    from alliance.notify.models import HelpRequest

    with app.app_context():
        rows = db.session.scalars(select(HelpRequest).where(HelpRequest.member_id == member_id))
        found = [(r.item_id, r.asked_by_id) for r in rows]
        db.session.remove()
    return found


def test_ask_the_expert_about_one_of_my_open_dilemmas(app, client, auth, make_member, make_item):
    asker, expert = make_member(name="Ad Vrager"), make_member(name="Eva Expert")
    mine = make_item(title="Mijn open dilemma", author=asker)
    make_item(kind="ervaring", title="Mijn ervaring", author=asker)
    someone_elses = make_item(title="Dilemma van een ander")
    auth.login(asker)
    profile = client.get(f"/leden/{expert.id}").text
    assert f"/leden/{expert.id}/meedenken" in profile and "Vraag om mee te denken" in profile
    page = client.get(f"/leden/{expert.id}/meedenken").text
    assert "Vraag Eva Expert om mee te denken" in page and "Mijn open dilemma" in page
    assert "Mijn ervaring" not in page and "Dilemma van een ander" not in page
    refused = client.post(f"/leden/{expert.id}/meedenken", data={"item_id": str(someone_elses)})
    assert "Kies een van je open dilemma" in refused.text
    assert client.post(f"/leden/{expert.id}/meedenken", data={}).status_code == 200
    sent = client.post(f"/leden/{expert.id}/meedenken", data={"item_id": str(mine)})
    assert sent.status_code == 303
    assert requests_for(app, expert.id) == [(mine, asker.id)]
    assert [n.kind for n in notifications_of(app, expert.id)] == ["help_asked"]
    again = client.post(f"/leden/{expert.id}/meedenken", data={"item_id": str(mine)})
    assert "Je hebt Eva Expert dit al gevraagd" in again.text or "al gevraagd" in again.text
    assert len(requests_for(app, expert.id)) == 1


def test_the_experts_consent_and_cap_hold(app, client, auth, make_member, make_item):
    asker, expert = make_member(), make_member(name="Eva Expert")
    first = make_item(title="Eerste", author=asker)
    second = make_item(title="Tweede", author=asker)
    expert_client = app.test_client()
    from tests.conftest import AuthActions

    AuthActions(expert_client).login(expert)
    choose(expert_client)  # monthly cap 2
    other = make_member()
    auth.login(other)
    for title in ("Van een ander 1", "Van een ander 2"):
        item = make_item(title=title, author=other)
        assert (
            client.post(f"/leden/{expert.id}/meedenken", data={"item_id": str(item)}).status_code
            == 303
        )
    auth.logout()
    auth.login(asker)
    capped = client.post(f"/leden/{expert.id}/meedenken", data={"item_id": str(first)})
    assert capped.status_code == 200 and "genoeg verzoeken" in capped.text
    from alliance.notify.models import NotificationSetting

    with app.app_context():
        setting = db.session.get(NotificationSetting, expert.id)
        setting.matching_opt_out, setting.monthly_cap = True, 10
        db.session.commit()
        db.session.remove()
    opted_out = client.post(f"/leden/{expert.id}/meedenken", data={"item_id": str(second)})
    assert (
        opted_out.status_code == 200 and "Eva Expert wil geen verzoeken krijgen" in opted_out.text
    )


def test_without_an_open_dilemma_start_one(app, client, auth, make_member):
    expert = make_member()
    auth.login(make_member())
    page = client.get(f"/leden/{expert.id}/meedenken").text
    assert "Je hebt nog geen open dilemma" in page and "/kennisbank/nieuw?soort=dilemma" in page
    assert client.get("/leden/99999/meedenken").status_code == 404
