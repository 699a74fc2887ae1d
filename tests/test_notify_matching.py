"""Matching a dilemma to members who can help: reasons, opt-out, the monthly cap (also under
two clicks at once), the page "Waar jouw kennis gevraagd wordt", and reciprocity."""

import threading

from sqlalchemy import func, select

from alliance.core.database import wait_for_background_work
from alliance.extensions import db
from alliance.notify.models import HelpRequest, NotificationSetting
from tests.test_access import make_working_group
from tests.test_notify import notifications_of, reply_as

WOO = {"tension": "Hoe handelen we Woo-verzoeken af binnen de termijn?"}


def dilemma(make_item, author, title="Hoe handelen we Woo-verzoeken sneller af?", **extra):
    return make_item(author=author, title=title, tags="Woo", fields=WOO, **extra)


def settings_for(app, member, opt_out=False, cap=2):
    with app.app_context():
        db.session.merge(
            NotificationSetting(
                member_id=member.id, deliveries={}, matching_opt_out=opt_out, monthly_cap=cap
            )
        )
        db.session.commit()


def suggestions_on_item_page(client, item_id: int) -> str:
    """The suggestions as the item page loads them (htmx); without htmx, the link leads to the
    matches page."""
    plain = client.get(f"/kennisbank/{item_id}/meedenkers/voorstel")
    assert plain.status_code == 303 and plain.location.endswith(f"/kennisbank/{item_id}/meedenkers")
    response = client.get(
        f"/kennisbank/{item_id}/meedenkers/voorstel", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "<html" not in response.text
    return response.text


def test_a_fitting_member_is_suggested_with_a_reason(
    app, client, auth, make_member, make_item, mailbox
):
    asker = make_member(name="Anna Asker", perspective="beleid")
    expert = make_member(
        name="Eva Expert", perspective="uitvoering", offers=["Woo-verzoeken afhandelen"]
    )
    make_member(name="Niet Passend", offers=["Open source beleid"])
    item_id = dilemma(make_item, asker)
    auth.login(asker)
    page = client.get(f"/kennisbank/{item_id}").text
    assert "Wie kan meedenken?" in page  # the suggestions load after the page (htmx) ...
    assert f"/kennisbank/{item_id}/meedenkers/voorstel" in page
    page = suggestions_on_item_page(client, item_id)
    assert "Eva Expert" in page and "biedt: Woo-verzoeken afhandelen" in page
    assert "perspectief nog niet gehoord: Uitvoering" in page
    assert "Niet Passend" not in page
    response = client.post(f"/kennisbank/{item_id}/meedenkers", data={"member_id": str(expert.id)})
    assert response.status_code == 303
    [note] = notifications_of(app, expert.id)
    assert note.kind == "help_asked"
    [message] = mailbox.to(expert.email)
    assert "Anna Asker vraagt je mee te denken" in message["Subject"]
    again = client.get(f"/kennisbank/{item_id}/meedenkers").text  # asked: not suggested again
    assert "Al gevraagd" in again and f'name="member_id" value="{expert.id}"' not in again
    # Another member's page shows no suggestions, and they cannot ask on the asker's behalf.
    auth.logout()
    auth.login(make_member())
    assert "Wie kan meedenken?" not in client.get(f"/kennisbank/{item_id}").text
    hx = {"HX-Request": "true"}
    assert client.get(f"/kennisbank/{item_id}/meedenkers/voorstel", headers=hx).status_code == 403
    refused = client.post(f"/kennisbank/{item_id}/meedenkers", data={"member_id": str(expert.id)})
    assert refused.status_code == 403


def test_an_opted_out_member_is_never_suggested_nor_asked(
    app, client, auth, make_member, make_item, mailbox
):
    asker = make_member()
    shy = make_member(name="Stille Kenner", offers=["Woo-verzoeken afhandelen"])
    auth.login(shy)
    data = {"matching_opt_out": "y", "monthly_cap": "2"}
    assert client.post("/meldingen/instellingen", data=data).status_code == 303
    auth.logout()
    item_id = dilemma(make_item, asker)
    auth.login(asker)
    assert "Stille Kenner" not in client.get(f"/kennisbank/{item_id}/meedenkers").text
    refused = client.post(f"/kennisbank/{item_id}/meedenkers", data={"member_id": str(shy.id)})
    assert (
        refused.status_code == 200 and "Stille Kenner wil geen verzoeken krijgen." in refused.text
    )
    assert notifications_of(app, shy.id) == []


def test_the_cap_holds(app, client, auth, make_member, make_item, mailbox):
    expert = make_member(name="Eva Expert", offers=["Woo-verzoeken afhandelen"])
    settings_for(app, expert, cap=1)
    first, second = make_member(), make_member()
    item_one = dilemma(make_item, first)
    item_two = dilemma(make_item, second, title="Woo-verzoeken en de termijn")
    auth.login(first)
    assert client.post(f"/kennisbank/{item_one}/meedenkers", data={"member_id": str(expert.id)})
    auth.logout()
    auth.login(second)
    assert "Eva Expert" not in suggestions_on_item_page(client, item_two)  # at the cap
    refused = client.post(
        f"/kennisbank/{item_two}/meedenkers",
        data={"member_id": str(expert.id)},
        headers={"HX-Request": "true"},
    )
    assert "genoeg verzoeken gehad" in refused.text and "<html" not in refused.text
    assert [n.kind for n in notifications_of(app, expert.id)] == ["help_asked"]


def test_the_cap_holds_under_two_clicks_at_once(app, make_member, make_item, mailbox):
    expert = make_member(offers=["Woo-verzoeken afhandelen"])
    settings_for(app, expert, cap=1)
    askers = [make_member() for _ in range(4)]
    items = [dilemma(make_item, a, title=f"Woo-verzoek {n}") for n, a in enumerate(askers)]
    clients = []
    for asker in askers:
        c = app.test_client()
        c.post("/inloggen", data={"email": asker.email, "password": asker.password})
        clients.append(c)
    barrier = threading.Barrier(len(clients))
    statuses = []

    def click(c, item_id):
        barrier.wait()
        r = c.post(f"/kennisbank/{item_id}/meedenkers", data={"member_id": str(expert.id)})
        statuses.append(r.status_code)

    threads = [
        threading.Thread(target=click, args=pair) for pair in zip(clients, items, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    wait_for_background_work()
    assert sorted(statuses) == [200, 200, 200, 303]
    with app.app_context():
        assert db.session.scalar(select(func.count(HelpRequest.id))) == 1
    assert len(notifications_of(app, expert.id)) == 1


def test_who_answered_or_is_outside_the_group_is_not_suggested(
    app, client, auth, make_member, make_item, mailbox
):
    asker = make_member()
    answered = make_member(name="Al Geantwoord", offers=["Woo-verzoeken afhandelen"])
    outside = make_member(name="Buiten Groep", offers=["Woo-verzoeken afhandelen"])
    item_id = dilemma(make_item, asker)
    reply_as(app, answered, item_id)
    auth.login(asker)
    page = client.get(f"/kennisbank/{item_id}/meedenkers").text
    assert "Al Geantwoord" not in page and "Buiten Groep" in page
    group_id = make_working_group(app, asker)
    private = dilemma(make_item, asker, visibility="group", group_id=group_id)
    assert "Buiten Groep" not in client.get(f"/kennisbank/{private}/meedenkers").text
    refused = client.post(f"/kennisbank/{private}/meedenkers", data={"member_id": str(outside.id)})
    assert "Dit lid kan je dilemma niet lezen." in refused.text
    assert [n.kind for n in notifications_of(app, outside.id)] == []


def test_where_my_knowledge_is_asked(app, client, auth, make_member, make_item, drain, mailbox):
    expert = make_member(name="Eva Expert", offers=["Woo-verzoeken afhandelen"])
    asker = make_member()
    fitting = dilemma(make_item, asker, title="Termijnen voor Woo-verzoeken")
    make_item(author=asker, title="Iets over open source", fields={"tension": "Licenties."})
    asked = make_item(author=asker, title="Een vraag aan Eva", fields={"tension": "Graag hulp."})
    with app.app_context():
        db.session.add(HelpRequest(item_id=asked, member_id=expert.id, asked_by_id=asker.id))
        db.session.commit()
    drain()
    auth.login(expert)
    page = client.get("/gevraagd").text
    assert "Waar jouw kennis gevraagd wordt" in page
    assert "Termijnen voor Woo-verzoeken" in page and "Een vraag aan Eva" in page
    assert page.index("Een vraag aan Eva") < page.index("Termijnen voor Woo-verzoeken")
    assert "Jou is het gevraagd" in page and "open source" not in page
    reply_as(app, expert, fitting)
    assert "Termijnen voor Woo-verzoeken" not in client.get("/gevraagd").text


def test_reciprocity_on_the_profile(app, client, auth, make_member, make_item, mailbox):
    helper = make_member(name="Hanna Helper")
    askers = [make_member(name=f"Vrager {n}") for n in range(2)]
    for asker in askers:
        item_id = make_item(author=asker, themes=["open-informatie"])
        reply_id = reply_as(app, helper, item_id)
        auth.login(asker)
        client.post(f"/kennisbank/reacties/{reply_id}/hielp", data={"aan": "1"})
        auth.logout()
    auth.login(askers[0])
    page = client.get(f"/leden/{helper.id}").text
    assert "Heeft 2 leden geholpen" in page and "is door 0 leden geholpen" in page
    assert "Hielp anderen bij" in page and "Open Informatie" in page
    asker_page = client.get(f"/leden/{askers[0].id}").text
    assert "Heeft 0 leden geholpen, is door 1 lid geholpen" in asker_page
    assert "punten" not in page.lower()
