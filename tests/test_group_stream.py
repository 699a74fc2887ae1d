"""The conversation of a working group: messages and replies one level deep, mentions, editing
and deleting one's own with a mark, "Meer laden", htmx that focuses and announces, the poll,
and every step without JavaScript; for the group's current members only."""

import re
from datetime import timedelta

from sqlalchemy import select

from alliance.core.database import wait_for_background_work
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.groups.workmodels import GroupMessage
from tests.conftest import count_statements
from tests.test_groups import login
from tests.test_search import ask

HX = {"HX-Request": "true"}


def post(client, group_id, body, parent=None, htmx=False):
    data = {"body": body} | ({"parent_id": str(parent)} if parent else {})
    return client.post(f"/werkgroepen/{group_id}/berichten", data=data, headers=HX if htmx else {})


def message_id(app, body: str) -> int:
    with app.app_context():
        return db.session.scalar(select(GroupMessage.id).where(GroupMessage.body == body))


def test_members_write_reply_and_mention_without_javascript(
    app, make_member, make_group, mailbox, drain
):
    lea, mo, bo = (make_member(name=n) for n in ("Lea Trekker", "Mo Lid", "Bo Derde"))
    outsider = make_member(name="Olga Buiten")
    group_id = make_group(lead=lea, members=[mo, bo])
    lead, member = login(app, lea), login(app, mo)
    response = post(lead, group_id, "Wie leest **het concept** van de Kraanvogelnota?")
    assert response.status_code == 303
    first = message_id(app, "Wie leest **het concept** van de Kraanvogelnota?")
    assert response.headers["Location"].endswith(f"#bericht-{first}")
    reply = post(member, group_id, "Ik! En @Bo Derde ook, denk ik. @Olga Buiten niet.", first)
    assert reply.status_code == 303 and reply.headers["Location"].endswith(f"#bericht-{first}")
    space = lead.get(f"/werkgroepen/{group_id}").text
    assert "<strong>het concept</strong>" in space and "Ik! En @Bo Derde" in space
    assert "Alleen voor werkgroep" in space
    # A reply to a reply is a reply to the message: one level.
    post(
        lead,
        group_id,
        "Dank je, Mo.",
        message_id(app, "Ik! En @Bo Derde ook, denk ik. @Olga Buiten niet."),
    )
    with app.app_context():
        thanks = db.session.scalar(select(GroupMessage).where(GroupMessage.body == "Dank je, Mo."))
        assert thanks.parent_id == first
        top = db.session.get(GroupMessage, first)
        assert top.reply_count == 2
    drain()
    # Told: the writer of the message replied to, and the mentioned group member; the
    # outsider who was mentioned hears nothing.
    assert "reageerde op je bericht" in login(app, lea).get("/meldingen").text
    assert "noemde je in het gesprek" in login(app, bo).get("/meldingen").text
    assert any("noemde je" in mailbox.text(m) for m in mailbox.to(bo.email))
    assert "Olga" not in str([mailbox.text(m) for m in mailbox.to(outsider.email)])
    assert "gesprek" not in login(app, outsider).get("/meldingen").text
    # Search: for the group only.
    assert ask(member, "kraanvogelnota") == ["Wie leest het concept van de Kraanvogelnota?"]
    assert ask(login(app, outsider), "kraanvogelnota") == []


def test_htmx_posting_returns_the_stream_with_a_focused_announcement(app, make_member, make_group):
    lea = make_member(name="Lea Trekker")
    group_id = make_group(lead=lea)
    client = login(app, lea)
    response = post(client, group_id, "Eerste bericht via htmx", htmx=True)
    assert response.status_code == 200 and "<html" not in response.text
    assert 'role="status"' in response.text and "data-focus-after-swap" in response.text
    assert "Je bericht is geplaatst" in response.text and "Eerste bericht via htmx" in response.text
    first = message_id(app, "Eerste bericht via htmx")
    reply = post(client, group_id, "Een reactie via htmx", first, htmx=True)
    assert reply.status_code == 200 and f'id="bericht-{first}"' in reply.text
    assert "Je reactie is geplaatst" in reply.text and "<html" not in reply.text
    empty = post(client, group_id, "   ", htmx=True)
    assert empty.status_code == 200 and "Schrijf een bericht." in empty.text


def test_edit_and_delete_own_messages_only_with_a_visible_mark(app, make_member, make_group):
    lea, mo = make_member(name="Lea Trekker"), make_member(name="Mo Lid")
    group_id = make_group(lead=lea, members=[mo])
    lead, member = login(app, lea), login(app, mo)
    post(lead, group_id, "Origineel bericht")
    first = message_id(app, "Origineel bericht")
    post(member, group_id, "Een reactie die blijft", first)
    url = f"/werkgroepen/{group_id}/berichten/{first}"
    assert member.get(f"{url}/bewerken").status_code == 403
    assert member.post(f"{url}/verwijderen").status_code == 403
    form = lead.get(f"{url}/bewerken")
    assert form.status_code == 200 and "Origineel bericht" in form.text
    inline = lead.get(f"{url}/bewerken", headers=HX)  # with htmx: the form in place
    assert inline.status_code == 200 and "<html" not in inline.text
    assert "Origineel bericht" in inline.text and "data-focus-after-swap" in inline.text
    saved = lead.post(f"{url}/bewerken", data={"edit-body": "Verbeterd bericht"})
    assert saved.status_code == 303
    space = member.get(f"/werkgroepen/{group_id}").text
    assert "Verbeterd bericht" in space and "bewerkt" in space
    gone = lead.post(f"{url}/verwijderen", headers=HX)
    assert gone.status_code == 200 and "Je bericht is verwijderd" in gone.text
    space = member.get(f"/werkgroepen/{group_id}").text
    assert (
        "Verbeterd bericht" not in space and "De schrijver heeft dit bericht verwijderd." in space
    )
    assert "Een reactie die blijft" in space
    assert lead.get(f"{url}/bewerken").status_code == 403


def test_meer_laden_reaches_every_message_and_every_post(app, make_member, make_group, make_item):
    from alliance.groups.stream import PAGE

    lea = make_member(name="Lea Trekker")
    group_id = make_group(lead=lea, name="Werkgroep Archiefregels")
    client = login(app, lea)
    for number in range(PAGE + 3):
        post(client, group_id, f"Bericht nummer {number:02d}")
    make_item(author=lea, visibility="group", group_id=group_id, title="Een groepsdilemma")
    space = client.get(f"/werkgroepen/{group_id}").text
    assert space.count('class="stream__entry') == PAGE
    more = re.search(r'href="(/werkgroepen/\d+/gesprek\?vor=[^"]+)"', space).group(1)
    more = more.replace("&amp;", "&")
    page = client.get(more)  # without JavaScript: a page of its own
    assert page.status_code == 200 and "<html" in page.text
    fragment = client.get(more, headers=HX).text  # with htmx: the next entries
    assert "<html" not in fragment and "data-focus-after-swap" in fragment
    seen = space + fragment
    assert all(f"Bericht nummer {n:02d}" in seen for n in range(PAGE + 3))
    assert "Een groepsdilemma" in seen


def test_the_poll_counts_what_others_wrote(app, make_member, make_group):
    lea, mo = make_member(name="Lea Trekker"), make_member(name="Mo Lid")
    group_id = make_group(lead=lea, members=[mo])
    lead, member = login(app, lea), login(app, mo)
    space = lead.get(f"/werkgroepen/{group_id}").text
    poll = re.search(r'hx-get="(/werkgroepen/\d+/gesprek/nieuw\?na=[^"]+)"', space).group(1)
    poll = poll.replace("&amp;", "&")
    assert 'hx-trigger="every 30s"' in space
    assert lead.get(poll, headers=HX).status_code == 204
    post(lead, group_id, "Mijn eigen bericht telt niet")
    assert lead.get(poll, headers=HX).status_code == 204
    post(member, group_id, "Nieuw van Mo")
    news = lead.get(poll, headers=HX)
    assert news.status_code == 200 and "1 nieuw bericht" in news.text


def test_a_page_of_the_stream_costs_the_same_statements_however_long(app, make_member, make_group):
    lea, mo = make_member(name="Lea Trekker"), make_member(name="Mo Lid")
    group_id = make_group(lead=lea, members=[mo])
    client = login(app, lea)
    post(client, group_id, "Een")
    client.get(f"/werkgroepen/{group_id}")  # a visit before: "since your last visit" counts
    wait_for_background_work()  # the search index is fed in a thread: not this page's statements
    few = count_statements(app, client, f"/werkgroepen/{group_id}")
    for number in range(12):
        post(client, group_id, f"Bericht {number}")
        top = message_id(app, f"Bericht {number}")
        for reply in range(3):
            post(login(app, mo) if reply == 0 else client, group_id, f"R {number}.{reply}", top)
    wait_for_background_work()
    many = count_statements(app, client, f"/werkgroepen/{group_id}")
    assert many == few + 1  # the replies: one statement for all of them


def test_the_whole_space_stays_within_the_bar_of_15_statements(
    app, make_member, make_group, make_item
):
    import io

    lea, mo = make_member(name="Lea Trekker"), make_member(name="Mo Lid")
    group_id = make_group(lead=lea, members=[mo])
    client, member = login(app, lea), login(app, mo)
    for number in range(3):
        post(client, group_id, f"Bericht {number}")
        post(member, group_id, f"Reactie {number}", message_id(app, f"Bericht {number}"))
    make_item(author=lea, visibility="group", group_id=group_id, title="Een groepsdilemma")
    upload = {"file": (io.BytesIO(b"%PDF-1.7\n"), "a.pdf"), "title": "Stuk"}
    client.post(f"/werkgroepen/{group_id}/documenten", data=upload)
    client.post(f"/werkgroepen/{group_id}/actiepunten", data={"title": "Bellen"})
    client.post(f"/werkgroepen/{group_id}/links", data={"title": "Link", "body": "Tekst"})
    client.post(
        f"/werkgroepen/{group_id}/voorstellen",
        data={"title": "Voorstel", "closes_on": (utcnow().date() + timedelta(days=3)).isoformat()},
    )
    proposal = client.get(f"/werkgroepen/{group_id}").text.split('id="voorstellen"')[1]
    assert (
        "Geen open voorstellen." not in proposal
        and "Stuk" in client.get(f"/werkgroepen/{group_id}").text
    )
    client.get(f"/werkgroepen/{group_id}")
    wait_for_background_work()
    assert count_statements(app, client, f"/werkgroepen/{group_id}") <= 15


def test_group_only_things_carry_the_label_wherever_they_are_listed(
    app, make_member, make_group, make_item, drain
):
    lea, mo = make_member(name="Lea Trekker"), make_member(name="Mo Lid")
    group_id = make_group(lead=lea, members=[mo], name="Werkgroep Fuut")
    make_item(
        author=lea, visibility="group", group_id=group_id, title="Het dilemma over het futenplan"
    )
    make_item(author=lea, title="Een gewoon bericht over het futenplan")
    lead, member = login(app, lea), login(app, mo)
    post(lead, group_id, "Het futenplan in de groep, voor @Mo Lid")
    drain()
    label = "Alleen voor werkgroep Werkgroep Fuut"
    listed = member.get("/kennisbank/").text
    row = listed.split("Het dilemma over het futenplan")[0].rsplit('<li class="item-row', 1)[1]
    assert label in row
    plain = listed.split("Een gewoon bericht over het futenplan")[0].rsplit(
        '<li class="item-row', 1
    )[1]
    assert label not in plain
    found = member.get("/zoeken?q=futenplan").text
    assert found.count(label) == 2  # the group's dilemma and its message; not the plain one
    assert label in member.get("/meldingen").text  # the mention


def test_a_message_becomes_a_dilemma_of_the_group_with_a_link_back(app, make_member, make_group):
    lea, mo = make_member(name="Lea Trekker"), make_member(name="Mo Lid")
    outsider = make_member(name="Olga Buiten")
    group_id = make_group(lead=lea, members=[mo])
    lead, member = login(app, lea), login(app, mo)
    post(
        lead, group_id, "Mogen we chats van wethouders bewaren?\n\nHet hangt af van de Archiefwet."
    )
    first = message_id(
        app, "Mogen we chats van wethouders bewaren?\n\nHet hangt af van de Archiefwet."
    )
    url = f"/werkgroepen/{group_id}/berichten/{first}/naar-kennisbank"
    assert member.post(url, data={"soort": "dilemma"}).status_code == 403  # not their message
    made = lead.post(url, data={"soort": "dilemma"})
    assert made.status_code == 303 and made.headers["Location"].endswith("/bewerken")
    item_path = made.headers["Location"].removesuffix("/bewerken")
    page = member.get(item_path).text
    assert "Mogen we chats van wethouders bewaren?" in page and "Archiefwet" in page
    assert f"/werkgroepen/{group_id}#bericht-{first}" in page  # the link back
    assert login(app, outsider).get(item_path).status_code == 404  # the group's post
    space = member.get(f"/werkgroepen/{group_id}").text
    assert f'href="{item_path}"' in space  # the message links to it
    assert lead.post(url, data={"soort": "ervaring"}).status_code == 303  # once: refused
    assert "al in de Kennisbank" in lead.get(f"/werkgroepen/{group_id}").text
