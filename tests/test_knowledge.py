"""The knowledge base through its routes: posting, visibility, replies, the meter, marks,
closing the loop, history, the list, similar items, the feed."""

import re

from sqlalchemy import select

from alliance.extensions import db
from alliance.knowledge.models import Item, ItemRevision, Reply
from tests.conftest import count_statements

DILEMMA = {
    "kind": "dilemma",
    "title": "Maken we de e-mails van de wethouder actief openbaar?",
    "situation": "Een middelgrote gemeente met veel Woo-verzoeken.",
    "tension": "Openheid tegen de privacy van inwoners die mailden.",
    "options": "Alles lakken, of alleen namen lakken.",
    "constraints": "De Woo, zes weken termijn.",
    "themes": ["2"],
    "tags": "Woo, e-mail",
    "visibility": "members",
}


def post(client, **changes):
    data = {**DILEMMA, **changes}
    return client.post(f"/kennisbank/nieuw?soort={data['kind']}", data=data)


def item_id_from(response) -> int:
    return int(re.search(r"/kennisbank/(\d+)", response.headers["Location"]).group(1))


def reply(
    client, item_id, body="Bij ons lakken we alleen namen.", perspective="uitvoering", **extra
):
    return client.post(
        f"/kennisbank/{item_id}/reacties", data={"body": body, "perspective": perspective, **extra}
    )


def test_a_member_posts_a_dilemma_and_reads_it_back(client, auth, make_member):
    auth.login(make_member(name="Anna Asker"))
    response = post(client)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).text
    for text in (
        "Maken we de e-mails",
        "Openheid tegen de privacy",
        "Alles lakken",
        "zes weken termijn",
        "Open Informatie",
        "Anna Asker",
        "Woo",
    ):
        assert text in page
    assert (
        "Nog niemand heeft gereageerd" in page
        or "nobody has replied" in page.lower()
        or ("Open" in page)
    )


def test_only_members_post(client):
    response = post(client)
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_bad_input_is_shown_next_to_the_field_and_kept(client, auth, make_member):
    auth.login(make_member())
    response = post(client, title="", tension="", situation="Wat ik al typte", tags="x" * 61)
    assert response.status_code == 200
    assert 'id="title-error"' in response.text
    assert 'id="tags-error"' in response.text
    assert "Wat ik al typte" in response.text
    assert 'href="#title"' in response.text  # the error summary links to the field
    huge = post(client, tension="a" * 1_000_000)
    assert huge.status_code in (200, 413)
    assert 'id="tension-error"' in huge.text or huge.status_code == 413


def test_visibility_public_members_and_group(app, client, auth, make_member, make_item, drain):
    from tests.test_access import make_working_group

    author = make_member()
    public = make_item(visibility="public", author=author, title="Openbaar voorbeeld")
    members = make_item(visibility="members", author=author, title="Alleen voor leden")
    group = make_item(
        visibility="group",
        group_id=make_working_group(app, author),
        author=author,
        title="Groepsgeheim",
    )
    assert client.get(f"/kennisbank/{public}").status_code == 200
    assert client.get(f"/kennisbank/{members}").status_code == 404
    listing = client.get("/kennisbank/").text
    assert "Openbaar voorbeeld" in listing and "Alleen voor leden" not in listing
    assert "1 bijdrage" in listing or "1 post" in listing
    feed = client.get("/kennisbank/feed.atom")
    assert feed.mimetype == "application/atom+xml"
    assert "Openbaar voorbeeld" in feed.text and "Alleen voor leden" not in feed.text
    auth.login(make_member())
    listing = client.get("/kennisbank/").text
    assert "Alleen voor leden" in listing and "Groepsgeheim" not in listing
    assert client.get(f"/kennisbank/{group}").status_code == 404
    drain()
    assert "Groepsgeheim" not in client.get("/kennisbank/vergelijkbaar?title=groepsgeheim").text
    assert "Groepsgeheim" not in client.get("/themas/open-informatie").text


def test_anonymous_dilemma_hides_the_author_from_members_only(app, client, auth, make_member):
    author = make_member(name="Geheime Gerda")
    auth.login(author)
    item_id = item_id_from(post(client, anonymous="y"))
    assert "Geheime Gerda" in client.get(f"/kennisbank/{item_id}").text  # the author sees it
    auth.logout()
    auth.login(make_member())
    page = client.get(f"/kennisbank/{item_id}").text
    assert "Geheime Gerda" not in page and ("een lid (anoniem)" in page)
    auth.logout()
    auth.login(make_member(role="coordinator"))
    assert "Geheime Gerda" in client.get(f"/kennisbank/{item_id}").text


def test_replies_fill_the_perspective_meter_and_suggest_who_could_help(
    client, auth, make_member, make_item
):
    author = make_member()
    item_id = make_item(author=author, tags="Woo", themes=["open-informatie"])
    make_member(name="Olivia Onderzoek", perspective="onderzoek", offers=["Woo-onderzoek"])
    make_member(name="Irene Inwoner", perspective="inwoner", offers=["fietsen"])
    auth.login(make_member(perspective="uitvoering"))
    assert reply(client, item_id).status_code == 303
    page = client.get(f"/kennisbank/{item_id}").text
    meter = page[page.index('class="meter"') : page.index('class="replies"')]
    assert re.search(r"Uitvoering</span>\s*<span class=\"meter__state\">heeft gereageerd", meter)
    assert "nog geen reactie vanuit onderzoek" in meter
    assert "Olivia Onderzoek" in meter and "Irene Inwoner" not in meter
    with_missing = client.get("/kennisbank/?ontbreekt=onderzoek").text
    assert "Mogen we e-mails" in with_missing
    assert "Mogen we e-mails" not in client.get("/kennisbank/?ontbreekt=uitvoering").text


def test_answers_go_one_level_deep_and_quoting_prefills(app, client, auth, make_member, make_item):
    item_id = make_item()
    auth.login(make_member())
    reply(client, item_id, body="Eerste reactie")
    with app.app_context():
        first = db.session.scalar(select(Reply.id))
    reply(client, item_id, body="Antwoord", parent_id=str(first))
    with app.app_context():
        second = db.session.scalar(select(Reply.id).where(Reply.body == "Antwoord"))
    reply(client, item_id, body="Antwoord op antwoord", parent_id=str(second))
    with app.app_context():
        deepest = db.session.scalar(select(Reply).where(Reply.body == "Antwoord op antwoord"))
        assert deepest.parent_id == first  # still one level
    quoted = client.get(f"/kennisbank/{item_id}?citeer={first}").text
    assert "&gt; Eerste reactie" in quoted


def test_reply_with_htmx_returns_the_replies_fragment(client, auth, make_member, make_item):
    item_id = make_item()
    auth.login(make_member())
    response = (
        reply(client, item_id, body="Via htmx", headers=None)
        if False
        else client.post(
            f"/kennisbank/{item_id}/reacties",
            data={"body": "Via htmx", "perspective": "beleid"},
            headers={"HX-Request": "true"},
        )
    )
    assert response.status_code == 200
    assert "<html" not in response.text and "Via htmx" in response.text
    empty = client.post(
        f"/kennisbank/{item_id}/reacties",
        data={"body": "", "perspective": ""},
        headers={"HX-Request": "true"},
    )
    assert empty.status_code == 200 and 'id="body-error"' in empty.text


def test_helped_only_by_the_asker_and_useful_by_anyone(app, client, auth, make_member, make_item):
    asker = make_member()
    item_id = make_item(author=asker)
    auth.login(make_member())
    reply(client, item_id)
    with app.app_context():
        reply_id = db.session.scalar(select(Reply.id))
    assert (
        client.post(f"/kennisbank/reacties/{reply_id}/hielp", data={"aan": "1"}).status_code == 403
    )
    client.post(f"/kennisbank/reacties/{reply_id}/nuttig", data={"aan": "1"})
    client.post(f"/kennisbank/reacties/{reply_id}/nuttig", data={"aan": "1"})  # twice: one mark
    auth.logout()
    auth.login(asker)
    client.post(f"/kennisbank/reacties/{reply_id}/hielp", data={"aan": "1"})
    with app.app_context():
        marked = db.session.get(Reply, reply_id)
        assert marked.helped_author and marked.useful_count == 1


def test_closing_the_loop(app, client, auth, make_member, make_item):
    asker = make_member()
    item_id = make_item(author=asker)
    auth.login(make_member())
    assert (
        client.post(f"/kennisbank/{item_id}/besluit", data={"decision": "Ik beslis"}).status_code
        == 403
    )
    auth.logout()
    auth.login(asker)
    early = client.post(f"/kennisbank/{item_id}/evaluatie", data={"outcome": "x", "lesson": "y"})
    assert early.status_code == 200 and 'id="outcome-error"' in early.text
    client.post(f"/kennisbank/{item_id}/besluit", data={"decision": "We lakken alleen namen."})
    client.post(
        f"/kennisbank/{item_id}/evaluatie",
        data={"outcome": "Geen klachten.", "lesson": "Lak vroeg in het proces."},
    )
    page = client.get(f"/kennisbank/{item_id}").text
    summary = page[page.index('class="summary') : page.index('class="item__fields"')]
    for text in ("We lakken alleen namen.", "Geen klachten.", "Lak vroeg in het proces."):
        assert text in summary
    assert "Geëvalueerd" in client.get("/kennisbank/?status=geevalueerd").text
    assert "Mogen we e-mails" not in client.get("/kennisbank/?status=open").text


def test_edits_keep_a_visible_history(app, client, auth, make_member):
    auth.login(make_member())
    item_id = item_id_from(post(client))
    client.post(f"/kennisbank/{item_id}/bewerken", data={**DILEMMA, "title": "Nieuwe titel"})
    history = client.get(f"/kennisbank/{item_id}/geschiedenis").text
    assert "Maken we de e-mails van de wethouder" in history
    with app.app_context():
        assert db.session.scalar(select(Item.title)) == "Nieuwe titel"
        assert len(db.session.scalars(select(ItemRevision)).all()) == 1


def test_recognise_and_follow(app, client, auth, make_member, make_item):
    item_id = make_item()
    auth.login(make_member())
    client.post(f"/kennisbank/{item_id}/herken", data={"aan": "1"})
    client.post(f"/kennisbank/{item_id}/herken", data={"aan": "1"})
    with app.app_context():
        assert db.session.get(Item, item_id).recognition_count == 1
    client.post(f"/kennisbank/{item_id}/herken", data={"aan": "0"})
    with app.app_context():
        assert db.session.get(Item, item_id).recognition_count == 0


def test_similar_items_while_typing_and_without_javascript(
    client, auth, make_member, make_item, drain
):
    make_item(title="Woo-verzoek over e-mails van de burgemeester")
    drain()
    auth.login(make_member())
    fragment = client.get(
        "/kennisbank/vergelijkbaar?title=e-mails burgemeester", headers={"HX-Request": "true"}
    )
    assert "Woo-verzoek over e-mails" in fragment.text and "<html" not in fragment.text
    no_js = client.post(
        "/kennisbank/nieuw?soort=dilemma",
        data={
            "title": "e-mails van de burgemeester",
            "action": "similar",
            "tension": "Wat ik typte",
        },
    )
    assert "Woo-verzoek over e-mails" in no_js.text and "Wat ik typte" in no_js.text


def test_list_sorting_filters_and_load_more(app, client, auth, make_member, make_item):
    app.config["ITEMS_PAGE_SIZE"] = 3
    author = make_member()
    ids = [make_item(author=author, title=f"Vraag nummer {n}") for n in range(5)]
    make_item(kind="ervaring", author=author, title="Een ervaring")
    auth.login(make_member())
    first = client.get("/kennisbank/?soort=dilemma").text
    assert (
        "Vraag nummer 4" in first and "Vraag nummer 1" not in first and "Een ervaring" not in first
    )
    more = client.get("/kennisbank/?soort=dilemma&pagina=2&meer=1", headers={"HX-Request": "true"})
    assert "Vraag nummer 1" in more.text and "<html" not in more.text
    client.post(f"/kennisbank/{ids[0]}/herken", data={"aan": "1"})
    top = client.get("/kennisbank/?sorteer=recognised").text
    assert top.index("Vraag nummer 0") < top.index("Vraag nummer 4")
    assert "Een ervaring" in client.get("/kennisbank/?onbeantwoord=1&soort=ervaring").text


def test_item_page_statements_do_not_grow_with_replies(app, client, auth, make_member, make_item):
    from alliance.knowledge.services import add_reply
    from alliance.members.models import Member

    item_id = make_item(tags="Woo")
    repliers = [make_member(perspective=p) for p in ("beleid", "uitvoering", "onderzoek")]
    auth.login(make_member())

    def add_replies(count):
        with app.test_request_context(method="POST"):
            item = db.session.get(Item, item_id)
            for n in range(count):
                replier = db.session.get(Member, repliers[n % 3].id)
                add_reply(item, replier, f"Reactie {n}", replier.perspective)
            db.session.commit()

    add_replies(2)
    few = count_statements(app, client, f"/kennisbank/{item_id}")
    add_replies(48)
    many = count_statements(app, client, f"/kennisbank/{item_id}")
    assert few == many <= 15


def test_list_statements_do_not_grow_with_the_page(app, client, auth, make_member, make_item):
    author = make_member()
    for _n in range(6):
        make_item(author=author, themes=["open-informatie"], tags="Woo, AVG")
    auth.login(make_member())
    app.config["ITEMS_PAGE_SIZE"] = 2
    few = count_statements(app, client, "/kennisbank/")
    app.config["ITEMS_PAGE_SIZE"] = 50
    many = count_statements(app, client, "/kennisbank/")
    assert few == many <= 15
