"""Working groups through their routes and services: starting one (also from a dilemma), joining,
asking, inviting, leaving, the private space (discussion, tasks, links, since your last visit),
the time box, and wrapping up with the result published to the Kennisbank."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.groups.models import Membership, Task, WorkingGroup
from alliance.knowledge.models import Item, Reply
from tests.conftest import AuthActions, count_statements
from tests.test_search import ask


def in_days(days: int) -> str:
    return (utcnow().date() + timedelta(days=days)).isoformat()


GROUP = {
    "name": "Woo-verzoeken sneller afhandelen",
    "opgave": "Hoe handelen gemeenten Woo-verzoeken binnen de termijn af?",
    "deliverable": "Een handreiking",
    "description": "Voor iedereen die met Woo-verzoeken werkt.",
    "themes": ["2"],
    "size_cap": "8",
    "join_policy": "request",
}


def start(client, **changes) -> object:
    return client.post("/werkgroepen/nieuw", data={**GROUP, "ends_on": in_days(90), **changes})


def group_id_from(response) -> int:
    return int(re.search(r"/werkgroepen/(\d+)", response.headers["Location"]).group(1))


def login(app, member):
    client = app.test_client()
    AuthActions(client).login(member)  # with the second step for coordinators
    return client


def group_row(app, group_id) -> WorkingGroup:
    with app.app_context():
        group = db.session.get(WorkingGroup, group_id)
        db.session.expunge(group)
        return group


def state_of(app, group_id, member) -> str | None:
    with app.app_context():
        return db.session.scalar(
            select(Membership.state).where(
                Membership.group_id == group_id, Membership.member_id == member.id
            )
        )


# --- starting and editing -----------------------------------------------------------------------


def test_a_member_starts_a_group_and_leads_it(app, client, auth, make_member, drain):
    anna = make_member(name="Anna Trekker")
    auth.login(anna)
    response = start(client)
    assert response.status_code == 303
    group_id = group_id_from(response)
    page = client.get(f"/werkgroepen/{group_id}").text
    assert "Woo-verzoeken sneller afhandelen" in page and "Een handreiking" in page
    assert "1 van 8" in page and "Anna Trekker" in page
    assert "Je bent de trekker van deze werkgroep." in page
    assert state_of(app, group_id, anna) == "member"
    drain()  # search heard about it in the same transaction: the group is found
    assert "Woo-verzoeken sneller afhandelen" in ask(client, "sneller afhandelen")


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"ends_on": in_days(-1)}, "ends_on", "in het verleden"),
        ({"ends_on": in_days(400)}, "ends_on", "hoogstens een jaar"),
        ({"ends_on": ""}, "ends_on", "einddatum"),
        ({"ends_on": "morgen"}, "ends_on", ""),
        ({"size_cap": "16"}, "size_cap", "15"),
        ({"size_cap": "1"}, "size_cap", "15"),
        ({"size_cap": "veel"}, "size_cap", ""),
        ({"name": "  "}, "name", "naam"),
        ({"join_policy": "iedereen"}, "join_policy", ""),
    ],
)
def test_bad_group_input_is_shown_next_to_the_field(
    client, auth, make_member, changes, field, message
):
    auth.login(make_member())
    response = start(client, **changes)
    assert response.status_code == 200
    assert f'id="{field}-error"' in response.text
    assert message in response.text
    assert "Hoe handelen gemeenten" in response.text  # what was typed is kept


def test_the_cap_cannot_go_below_the_current_size(app, make_member, make_group):
    lead = make_member()
    group_id = make_group(lead=lead, members=[make_member(), make_member()])
    client = login(app, lead)
    data = {**GROUP, "ends_on": in_days(30), "size_cap": "2"}
    response = client.post(f"/werkgroepen/{group_id}/bewerken", data=data)
    assert response.status_code == 200 and 'id="size_cap-error"' in response.text
    assert "al 3 leden" in response.text
    data["size_cap"] = "3"
    assert client.post(f"/werkgroepen/{group_id}/bewerken", data=data).status_code == 303
    assert group_row(app, group_id).size_cap == 3


def test_the_edit_form_moves_the_end_date_earlier_only(app, make_member, make_group):
    lead = make_member()
    group_id = make_group(lead=lead)  # ends in 60 days
    client = login(app, lead)
    url = f"/werkgroepen/{group_id}/bewerken"
    later = client.post(url, data={**GROUP, "ends_on": in_days(200)})
    assert later.status_code == 200 and 'id="ends_on-error"' in later.text
    assert "Verlengen" in later.text and "Hoe handelen gemeenten" in later.text
    assert group_row(app, group_id).ends_on.isoformat() == in_days(60)
    assert client.post(url, data={**GROUP, "ends_on": in_days(45)}).status_code == 303
    assert group_row(app, group_id).ends_on.isoformat() == in_days(45)
    extend = {"ends_on": in_days(100), "reason": "De interviews lopen uit."}
    assert client.post(f"/werkgroepen/{group_id}/verlengen", data=extend).status_code == 303
    again = client.post(url, data={**GROUP, "ends_on": in_days(120)})
    assert again.status_code == 200 and "al een keer verlengd" in again.text
    assert group_row(app, group_id).ends_on.isoformat() == in_days(100)


def test_only_the_lead_edits(app, make_member, make_group):
    member = make_member()
    group_id = make_group(members=[member])
    assert login(app, member).get(f"/werkgroepen/{group_id}/bewerken").status_code == 403


def test_start_from_a_dilemma_links_the_two(app, client, auth, make_member, make_item):
    dilemma = make_item(title="Chatberichten archiveren?", themes=["open-informatie"])
    auth.login(make_member())
    item_page = client.get(f"/kennisbank/{dilemma}").text
    assert "Pak dit samen op" in item_page
    form = client.get(f"/werkgroepen/nieuw?dilemma={dilemma}").text
    assert 'value="Chatberichten archiveren?"' in form
    response = start(client, dilemma=str(dilemma), name="Chatberichten")
    group_id = group_id_from(response)
    assert group_row(app, group_id).dilemma_id == dilemma
    assert "Chatberichten archiveren?" in client.get(f"/werkgroepen/{group_id}").text
    assert f'href="/werkgroepen/{group_id}"' in client.get(f"/kennisbank/{dilemma}").text


def test_a_group_only_dilemma_is_linked_but_not_copied(app, make_member, make_group, make_item):
    lead = make_member()
    group_id = make_group(lead=lead)
    secret = make_item(
        title="Geheime afweging",
        visibility="group",
        group_id=group_id,
        author=lead,
        fields={"tension": "Vertrouwelijke spanning."},
    )
    client = login(app, lead)
    form = client.get(f"/werkgroepen/nieuw?dilemma={secret}").text
    assert f'href="/kennisbank/{secret}"' in form and "in je eigen woorden" in form
    assert 'value="Geheime afweging"' not in form and "Vertrouwelijke spanning." not in form
    new_group = group_id_from(start(client, dilemma=str(secret), name="Samen verder"))
    assert group_row(app, new_group).dilemma_id == secret
    assert "Geheime afweging" in client.get(f"/werkgroepen/{new_group}").text
    assert "Geheime afweging" not in login(app, make_member()).get(f"/werkgroepen/{new_group}").text


# --- membership -----------------------------------------------------------------------------


def test_open_group_join_twice_full_waiting_list_and_a_place_frees_up(app, make_member, make_group):
    lead, bea = make_member(), make_member()
    group_id = make_group(lead=lead, members=[bea], join_policy="open", size_cap=3)
    carl, dirk = make_member(), make_member()
    carl_client, dirk_client = login(app, carl), login(app, dirk)
    assert carl_client.post(f"/werkgroepen/{group_id}/aanmelden").status_code == 303
    assert state_of(app, group_id, carl) == "member"
    twice = carl_client.post(f"/werkgroepen/{group_id}/aanmelden")
    assert twice.status_code == 200 and "al lid" in twice.text
    assert 'role="alert"' in twice.text
    # Full: Dirk waits, and gets in when Bea leaves.
    assert dirk_client.post(f"/werkgroepen/{group_id}/aanmelden").status_code == 303
    assert state_of(app, group_id, dirk) == "waiting"
    assert "3 van 3" in dirk_client.get("/werkgroepen/").text
    login(app, bea).post(f"/werkgroepen/{group_id}/verlaten")
    assert state_of(app, group_id, bea) is None
    assert state_of(app, group_id, dirk) == "member"
    assert group_row(app, group_id).member_count == 3


def test_request_with_what_i_bring_then_approved_or_declined(app, make_member, make_group):
    lead = make_member(name="Lea Lead")
    group_id = make_group(lead=lead, join_policy="request")
    cas, dora = make_member(name="Cas Aanvrager"), make_member(name="Dora Nee")
    cas_client = login(app, cas)
    empty = cas_client.post(f"/werkgroepen/{group_id}/aanmelden", data={"contribution": " "})
    assert empty.status_code == 200 and "wat je inbrengt" in empty.text.lower()
    cas_client.post(f"/werkgroepen/{group_id}/aanmelden", data={"contribution": "Ervaring met Woo"})
    assert state_of(app, group_id, cas) == "requested"
    # Not a member yet: no tasks.
    assert cas_client.get(f"/werkgroepen/{group_id}/actiepunten").status_code == 403
    login(app, dora).post(f"/werkgroepen/{group_id}/aanmelden", data={"contribution": "Tijd"})
    lead_client = login(app, lead)
    page = lead_client.get(f"/werkgroepen/{group_id}").text
    assert "Cas Aanvrager" in page and "Ervaring met Woo" in page
    with app.app_context():
        ids = dict(
            db.session.execute(
                select(Membership.member_id, Membership.id).where(Membership.group_id == group_id)
            ).all()
        )
    approve = lead_client.post(f"/werkgroepen/{group_id}/leden/{ids[cas.id]}/toelaten")
    assert approve.status_code == 303 and state_of(app, group_id, cas) == "member"
    no_reason = lead_client.post(f"/werkgroepen/{group_id}/leden/{ids[dora.id]}/afwijzen")
    assert no_reason.status_code == 200 and 'id="message-error"' in no_reason.text
    lead_client.post(
        f"/werkgroepen/{group_id}/leden/{ids[dora.id]}/afwijzen",
        data={"message": "We zoeken nu juist juristen."},
    )
    assert state_of(app, group_id, dora) == "declined"
    assert "We zoeken nu juist juristen." in login(app, dora).get(f"/werkgroepen/{group_id}").text
    # Someone else cannot answer requests.
    assert (
        cas_client.post(f"/werkgroepen/{group_id}/leden/{ids[dora.id]}/toelaten").status_code == 403
    )


def test_invite_by_name_with_suggestions_while_typing(app, make_member, make_group):
    lead = make_member(name="Lea Leider")
    group_id = make_group(lead=lead, join_policy="invite")
    eva = make_member(name="Eva Visser")
    make_member(name="Eva de Boer")
    make_member(name="Evert Onbevestigd", confirmed=False)
    client = login(app, lead)
    url = f"/werkgroepen/{group_id}/uitnodigen"
    # While typing (htmx): a fragment with the members whose name fits, each with a button.
    typed = client.get(f"{url}/namen?name=eva", headers={"HX-Request": "true"})
    assert typed.status_code == 200 and "<html" not in typed.text
    assert "Eva Visser" in typed.text and "Eva de Boer" in typed.text
    assert "Evert" not in typed.text and "Lea Leider" not in typed.text
    # Without JavaScript: a name that fits two members lists both to choose from ...
    two = client.post(url, data={"name": "eva"})
    assert two.status_code == 200 and "Eva Visser" in two.text and "Eva de Boer" in two.text
    assert "Kies er hieronder een" in two.text and state_of(app, group_id, eva) is None
    # ... a name that fits one invites that member.
    assert client.post(url, data={"name": "eva visser"}).status_code == 303
    assert state_of(app, group_id, eva) == "invited"
    after = client.get(f"{url}/namen?name=eva", headers={"HX-Request": "true"}).text
    assert "Eva Visser" not in after and "Eva de Boer" in after
    # No field's internal name, and no e-mail address field, anywhere.
    for page in (client.get(url).text, two.text, client.post(url, data={"name": ""}).text):
        assert "Member Id" not in page and "member_id-error" not in page
        assert 'type="email"' not in page
    # Only a lead may look names up here.
    assert login(app, eva).get(f"{url}/namen?name=eva").status_code == 403


def test_invite_suggestions_follow_ik_bied_and_themes(app, make_member, make_group):
    lead = make_member()
    group_id = make_group(lead=lead, join_policy="invite")
    bram = make_member(name="Bram Bied", offers=["Open source aanbesteden"])
    make_member(name="Fien Fietsen", offers=["fietsen"])
    client = login(app, lead)
    page = client.get(f"/werkgroepen/{group_id}/uitnodigen").text
    assert "Bram Bied" in page and "Fien Fietsen" not in page
    assert (
        client.post(
            f"/werkgroepen/{group_id}/uitnodigen", data={"member_id": str(bram.id)}
        ).status_code
        == 303
    )
    assert state_of(app, group_id, bram) == "invited"
    again = client.post(f"/werkgroepen/{group_id}/uitnodigen", data={"member_id": str(bram.id)})
    assert again.status_code == 200 and "al uitgenodigd" in again.text
    unknown = client.post(f"/werkgroepen/{group_id}/uitnodigen", data={"name": "Niemand Anders"})
    assert unknown.status_code == 200 and 'id="name-error"' in unknown.text
    for nonsense in ["²", "١٢", "9" * 30]:  # digits int() refuses or no id at all
        odd = client.post(f"/werkgroepen/{group_id}/uitnodigen", data={"member_id": nonsense})
        assert odd.status_code == 200 and 'id="name-error"' in odd.text
    # An outsider cannot join an invitation-only group; the invited member can.
    outsider = login(app, make_member())
    refused = outsider.post(f"/werkgroepen/{group_id}/aanmelden")
    assert refused.status_code == 200 and "alleen leden die ze uitnodigt" in refused.text
    assert login(app, bram).post(f"/werkgroepen/{group_id}/aanmelden").status_code == 303
    assert state_of(app, group_id, bram) == "member"


def test_the_lead_hands_over_and_there_is_always_a_lead(app, make_member, make_group):
    lead, bea = make_member(), make_member()
    group_id = make_group(lead=lead, members=[bea])
    client = login(app, lead)
    refused = client.post(f"/werkgroepen/{group_id}/verlaten", follow_redirects=True)
    assert "Draag het eerst over" in refused.text
    with app.app_context():
        bea_row = db.session.scalar(select(Membership.id).where(Membership.member_id == bea.id))
    client.post(f"/werkgroepen/{group_id}/leden/{bea_row}/rol", data={"role": "overdragen"})
    with app.app_context():
        roles = dict(
            db.session.execute(
                select(Membership.member_id, Membership.role).where(Membership.group_id == group_id)
            ).all()
        )
    assert roles == {lead.id: "member", bea.id: "lead"}
    assert client.post(f"/werkgroepen/{group_id}/verlaten").status_code == 303


def test_the_members_of_an_archived_group_stay_as_they_are(app, make_member, make_group):
    from alliance.groups import services
    from alliance.members.models import Member

    lead, bea, asker = make_member(), make_member(), make_member()
    group_id = make_group(lead=lead, members=[bea], join_policy="request")
    login(app, asker).post(f"/werkgroepen/{group_id}/aanmelden", data={"contribution": "Tijd"})
    with app.app_context():
        db.session.get(WorkingGroup, group_id).state = "archived"
        db.session.commit()
        rows = dict(
            db.session.execute(
                select(Membership.member_id, Membership.id).where(Membership.group_id == group_id)
            ).all()
        )
    client = login(app, lead)
    members = f"/werkgroepen/{group_id}/leden"
    removed = client.post(f"{members}/{rows[bea.id]}/verwijderen", follow_redirects=True)
    assert "gearchiveerd" in removed.text
    promoted = client.post(f"{members}/{rows[bea.id]}/rol", data={"role": "lead"})
    assert promoted.status_code == 303
    assert "gearchiveerd" in client.get(promoted.headers["Location"]).text
    declined = client.post(f"{members}/{rows[asker.id]}/afwijzen", data={"message": "Nee."})
    assert declined.status_code == 200 and 'id="message-error"' in declined.text
    assert "gearchiveerd" in declined.text
    assert (state_of(app, group_id, bea), state_of(app, group_id, asker)) == ("member", "requested")
    # An account can still be deleted: the sole lead of an archived group hands over to nobody.
    with app.test_request_context(method="POST"):
        services.depart(db.session.get(WorkingGroup, group_id), db.session.get(Member, lead.id))
        db.session.commit()
        roles = db.session.execute(
            select(Membership.member_id, Membership.role).where(Membership.state == "member")
        ).all()
    assert roles == [(bea.id, "member")]


# --- the private space ----------------------------------------------------------------------


def test_private_content_never_reaches_a_non_member(app, make_member, make_group, make_item):
    lead, bea = make_member(), make_member()
    group_id = make_group(lead=lead, members=[bea])
    secret = make_item(
        title="Groepsgeheim over inkoop",
        visibility="group",
        group_id=group_id,
        author=bea,
        themes=["open-inkoop"],
    )
    member_client = login(app, lead)
    assert member_client.get(f"/kennisbank/{secret}").status_code == 200
    space = member_client.get(f"/werkgroepen/{group_id}").text
    assert "Groepsgeheim over inkoop" in space
    outsider = login(app, make_member())
    coordinator = login(app, make_member(role="coordinator"))
    for client in (outsider, coordinator):
        assert client.get(f"/kennisbank/{secret}").status_code == 404
        page = client.get(f"/werkgroepen/{group_id}").text
        assert "Open source inkopen" in page  # the description: yes
        assert "Groepsgeheim" not in page and "Actiepunten" not in page  # the space: no
        assert "Groepsgeheim" not in client.get("/kennisbank/").text
        assert "Groepsgeheim" not in client.get("/themas/open-inkoop").text
        assert "Groepsgeheim" not in client.get("/kennisbank/vergelijkbaar?title=groepsgeheim").text
        assert (
            client.post(f"/werkgroepen/{group_id}/actiepunten", data={"title": "x"}).status_code
            == 403
        )
    assert "Groepsgeheim" not in app.test_client().get("/kennisbank/feed.atom").text
    # A removed member loses access at once.
    with app.app_context():
        bea_row = db.session.scalar(select(Membership.id).where(Membership.member_id == bea.id))
    bea_client = login(app, bea)
    assert bea_client.get(f"/kennisbank/{secret}").status_code == 200
    member_client.post(f"/werkgroepen/{group_id}/leden/{bea_row}/verwijderen")
    assert bea_client.get(f"/kennisbank/{secret}").status_code == 404
    assert "Groepsgeheim" not in bea_client.get(f"/werkgroepen/{group_id}").text


def test_every_post_of_the_discussion_can_be_reached(app, make_member, make_group, make_item):
    from alliance.groups.stream import PAGE as DISCUSSION_SHOWN

    TOTAL = 22  # more than a page of the stream and of the Kennisbank
    lead, outsider = make_member(), make_member()
    group_id = make_group(lead=lead, name="Werkgroep Archiefregels")
    for number in range(TOTAL):
        make_item(
            author=lead, visibility="group", group_id=group_id, title=f"Groepspost {number:02d}"
        )
    make_item(author=lead, title="Een gewone post")
    client = login(app, lead)
    space = client.get(f"/werkgroepen/{group_id}").text
    assert space.count("Groepspost ") == DISCUSSION_SHOWN  # the rest: "Meer laden"
    assert f"/kennisbank/?werkgroep={group_id}" in space
    listed = client.get(f"/kennisbank/?werkgroep={group_id}").text
    page_size = app.config["ITEMS_PAGE_SIZE"]
    assert listed.count("Groepspost ") == min(page_size, TOTAL)
    rest = client.get(f"/kennisbank/?werkgroep={group_id}&pagina=2").text
    assert rest.count("Groepspost ") == TOTAL - page_size
    assert f"werkgroep={group_id}" in listed.split('id="load-more"')[1][:400]  # "Meer laden"
    assert "Een gewone post" not in listed and "Werkgroep Archiefregels" in listed
    assert 'name="werkgroep"' in listed  # the other filters keep to the group
    # A non-member gets nothing of it: no posts, not the group's name.
    other = login(app, outsider).get(f"/kennisbank/?werkgroep={group_id}").text
    assert "Groepspost" not in other and "Werkgroep Archiefregels" not in other


def test_an_anonymous_group_dilemma_keeps_its_author_hidden_in_the_space(
    app, make_member, make_group, make_item
):
    lead, bea = make_member(name="Lea Trekker"), make_member(name="Bea Anoniem")
    group_id = make_group(lead=lead, members=[bea])
    make_item(
        author=bea,
        visibility="group",
        group_id=group_id,
        anonymous=True,
        title="Een gevoelige vraag",
    )
    space = login(app, lead).get(f"/werkgroepen/{group_id}").text
    assert "Een gevoelige vraag" in space and "een lid (anoniem)" in space
    assert "Bea Anoniem" not in space.split('id="gesprek"')[1].split("</section>")[0]
    own = login(app, bea).get(f"/werkgroepen/{group_id}").text  # the author sees it is theirs
    assert "anoniem geplaatst" in own.split('id="gesprek"')[1].split("</section>")[0]


def test_posting_in_a_group_needs_membership(app, make_member, make_group):
    lead = make_member()
    group_id = make_group(lead=lead)
    data = {
        "kind": "dilemma",
        "title": "Groepsvraag",
        "tension": "Dit of dat.",
        "visibility": "group",
        "group_id": str(group_id),
    }
    client = login(app, lead)
    form = client.get(f"/kennisbank/nieuw?soort=dilemma&werkgroep={group_id}").text
    assert "Welke werkgroep?" in form
    response = client.post("/kennisbank/nieuw?soort=dilemma", data=data)
    assert response.status_code == 303
    outsider = login(app, make_member())
    refused = outsider.post("/kennisbank/nieuw?soort=dilemma", data=data)
    assert refused.status_code == 200 and 'id="group_id-error"' in refused.text


def test_tasks_inline_and_without_javascript(app, make_member, make_group):
    lead, bea, outsider = make_member(), make_member(name="Bea Lid"), make_member()
    group_id = make_group(lead=lead, members=[bea])
    client = login(app, lead)
    url = f"/werkgroepen/{group_id}/actiepunten"
    foreign = client.post(url, data={"title": "Bellen", "owner_id": str(outsider.id)})
    assert foreign.status_code == 200 and "Kies een lid van deze groep" in foreign.text
    fragment = client.post(
        url,
        data={"title": "Interviews plannen", "owner_id": str(bea.id), "due_on": in_days(7)},
        headers={"HX-Request": "true"},
    )
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "Interviews plannen" in fragment.text and "Bea Lid" in fragment.text
    plain = client.post(url, data={"title": "Samenvatting schrijven"})
    assert plain.status_code == 303 and "#actiepunt-" in plain.headers["Location"]
    with app.app_context():
        task_id = db.session.scalar(select(Task.id).where(Task.title == "Interviews plannen"))
    moved = client.post(
        f"{url}/{task_id}",
        data={"state": "done", "owner_id": str(bea.id)},
        headers={"HX-Request": "true"},
    )
    assert moved.status_code == 200 and "<html" not in moved.text
    with app.app_context():
        assert db.session.get(Task, task_id).state == "done"
    wrong = client.post(f"{url}/{task_id}", data={"state": "klaar-ish"})
    assert wrong.status_code == 303  # back at the task, with the message
    assert "Kies te doen, bezig of klaar" in client.get(wrong.location).text
    wrong = client.post(f"{url}/{task_id}", data={"state": "klaar-ish"}, headers=HX)
    assert wrong.status_code == 200 and "Kies te doen, bezig of klaar" in wrong.text
    with app.app_context():
        assert db.session.get(Task, task_id).state == "done"  # nothing changed


HX = {"HX-Request": "true"}


def test_a_change_to_one_task_swaps_its_row_and_a_refused_owner_changes_nothing(
    app, make_member, make_group
):
    lead, bea, outsider = make_member(), make_member(name="Bea Lid"), make_member()
    group_id = make_group(lead=lead, members=[bea])
    client = login(app, lead)
    url = f"/werkgroepen/{group_id}/actiepunten"
    client.post(url, data={"title": "Interviews plannen"})
    with app.app_context():
        task_id = db.session.scalar(select(Task.id).where(Task.title == "Interviews plannen"))
    row = client.post(
        f"{url}/{task_id}", data={"state": "doing", "owner_id": str(bea.id)}, headers=HX
    ).text
    assert row.lstrip().startswith(f'<li class="task task--doing" id="actiepunt-{task_id}"')
    assert "Opgeslagen." in row and "Bea Lid" in row and row.count("<li") == 1
    done = client.post(f"{url}/{task_id}", data={"state": "done"}, headers=HX).text
    assert "task--done" in done and "Weer openen" in done and "<select" not in done
    reopened = client.post(f"{url}/{task_id}", data={"state": "todo"}, headers=HX).text
    assert "task--todo" in reopened and "Bea Lid" in reopened  # the owner stays
    client.post(f"{url}/{task_id}", data={"state": "doing"}, headers=HX)
    refused = client.post(
        f"{url}/{task_id}", data={"state": "done", "owner_id": str(outsider.id)}, headers=HX
    ).text
    assert "Kies een lid van deze groep" in refused and "task--doing" in refused
    with app.app_context():
        task = db.session.get(Task, task_id)
        assert (task.state, task.owner_id) == ("doing", bea.id)  # the state did not move either


def test_the_space_shows_the_first_open_tasks_and_all_on_request(app, make_member, make_group):
    from alliance.groups.space import DONE_SHOWN, OPEN_SHOWN

    lead = make_member()
    group_id = make_group(lead=lead, members=[make_member()])
    today = utcnow().date()
    with app.app_context():
        for number in range(OPEN_SHOWN + 5):  # due one day after another: a fixed order
            db.session.add(
                Task(
                    group_id=group_id,
                    title=f"Open taak {number:02d}",
                    due_on=today + timedelta(days=number),
                )
            )
        for number in range(DONE_SHOWN + 3):
            db.session.add(Task(group_id=group_id, title=f"Klare taak {number:02d}", state="done"))
        db.session.commit()
    client = login(app, lead)
    page = client.get(f"/werkgroepen/{group_id}").text
    assert page.count('class="task task--todo"') == OPEN_SHOWN
    assert f"Open taak {OPEN_SHOWN - 1:02d}" in page and f"Open taak {OPEN_SHOWN:02d}" not in page
    assert f"Alle {OPEN_SHOWN + 5} open actiepunten tonen" in page
    assert page.count('class="task task--done"') == DONE_SHOWN
    assert f"Alle {DONE_SHOWN + 3} afgeronde actiepunten tonen" in page
    # All of them: without JavaScript the page, with htmx the section.
    whole = client.get(f"/werkgroepen/{group_id}?open=alle&klaar=alle").text
    assert whole.count('class="task task--todo"') == OPEN_SHOWN + 5
    assert whole.count('class="task task--done"') == DONE_SHOWN + 3
    assert "open actiepunten tonen" not in whole
    section = client.get(f"/werkgroepen/{group_id}/actiepunten?open=alle", headers=HX).text
    assert "<html" not in section and section.count('class="task task--todo"') == OPEN_SHOWN + 5
    assert section.count('class="task task--done"') == DONE_SHOWN  # only what was asked
    assert 'name="open" value="alle"' in section  # the forms keep the view after a change
    plain = client.get(f"/werkgroepen/{group_id}/actiepunten?open=alle")
    assert plain.status_code == 303 and plain.location.endswith("?open=alle#actiepunten")
    added = client.post(
        f"/werkgroepen/{group_id}/actiepunten", data={"title": "Nog een taak", "open": "alle"}
    )
    assert "open=alle" in added.location and "#actiepunt-" in added.location
    # A task added or changed is shown even where its date puts it past the first ones.
    late = {"title": "Heel late taak", "due_on": (today + timedelta(days=300)).isoformat()}
    added = client.post(f"/werkgroepen/{group_id}/actiepunten", data=late)
    page = client.get(added.location).text
    assert "Heel late taak" in page and page.count('class="task task--todo"') == OPEN_SHOWN + 1
    section = client.post(
        f"/werkgroepen/{group_id}/actiepunten",
        data={**late, "title": "Nog latere taak"},
        headers=HX,
    ).text
    assert "Nog latere taak" in section and "Heel late taak" not in section


def test_a_bad_task_status_says_what_is_wrong(app, make_member, make_group):
    lead = make_member()
    group_id = make_group(lead=lead)
    client = login(app, lead)
    url = f"/werkgroepen/{group_id}/actiepunten"
    client.post(url, data={"title": "Interviews plannen"})
    with app.app_context():
        task_id = db.session.scalar(select(Task.id))
    plain = client.post(f"{url}/{task_id}", data={"state": "bogus"})
    assert plain.status_code == 303 and plain.headers["Location"].endswith(f"#actiepunt-{task_id}")
    assert "Kies te doen, bezig of klaar." in client.get(plain.headers["Location"]).text
    fragment = client.post(
        f"{url}/{task_id}", data={"state": "bogus"}, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "Kies te doen, bezig of klaar." in fragment.text  # next to the task (task_error)
    # Told once, where it happened: not again on the next page.
    assert "Kies te doen" not in client.get(f"/werkgroepen/{group_id}").text
    with app.app_context():
        assert db.session.get(Task, task_id).state == "todo"


def test_who_leaves_or_is_removed_owns_no_open_task_any_more(app, make_member, make_group):
    lead, bea, cas = make_member(), make_member(name="Bea Weg"), make_member(name="Cas Weg")
    group_id = make_group(lead=lead, members=[bea, cas])
    client = login(app, lead)
    url = f"/werkgroepen/{group_id}/actiepunten"
    for title, owner in [("Interviews plannen", bea), ("Verslag maken", bea), ("Bellen", cas)]:
        client.post(url, data={"title": title, "owner_id": str(owner.id)})

    def owners():
        with app.app_context():
            return dict(db.session.execute(select(Task.title, Task.owner_id)).all())

    with app.app_context():
        tasks = dict(db.session.execute(select(Task.title, Task.id)).all())
    client.post(f"{url}/{tasks['Verslag maken']}", data={"state": "done", "owner_id": str(bea.id)})
    with app.app_context():
        bea_row = db.session.scalar(select(Membership.id).where(Membership.member_id == bea.id))
    assert client.post(f"/werkgroepen/{group_id}/leden/{bea_row}/verwijderen").status_code == 303
    assert login(app, cas).post(f"/werkgroepen/{group_id}/verlaten").status_code == 303
    # Open tasks go back to "nobody yet"; the done one keeps who did it.
    assert owners() == {"Interviews plannen": None, "Verslag maken": bea.id, "Bellen": None}
    assert "Cas Weg" not in client.get(f"/werkgroepen/{group_id}").text
    # Reopened, the done task does not hand itself back to someone who has left.
    client.post(f"{url}/{tasks['Verslag maken']}", data={"state": "todo"})
    assert owners()["Verslag maken"] is None


def test_since_your_last_visit(app, make_member, make_group):
    lead, bea = make_member(), make_member()
    group_id = make_group(lead=lead, members=[bea])
    bea_client = login(app, bea)
    assert "eerste bezoek" in bea_client.get(f"/werkgroepen/{group_id}").text
    login(app, lead).post(f"/werkgroepen/{group_id}/actiepunten", data={"title": "Iets doen"})
    page = bea_client.get(f"/werkgroepen/{group_id}").text
    assert "1 nieuw actiepunt" in page
    assert "Niets nieuw" in bea_client.get(f"/werkgroepen/{group_id}").text


def test_group_page_statements_do_not_grow_with_tasks(app, make_member, make_group):
    lead = make_member()
    group_id = make_group(lead=lead, members=[make_member() for _ in range(4)])
    client = login(app, lead)

    def add_tasks(n):
        with app.app_context():
            for number in range(n):
                db.session.add(Task(group_id=group_id, title=f"Taak {number}", owner_id=lead.id))
            db.session.commit()

    add_tasks(5)
    few = count_statements(app, client, f"/werkgroepen/{group_id}")
    add_tasks(60)
    many = count_statements(app, client, f"/werkgroepen/{group_id}")
    every = count_statements(app, client, f"/werkgroepen/{group_id}?open=alle")
    assert few == many == every <= 15, (few, many, every)


# --- the time box and the lifecycle ---------------------------------------------------------


def test_overdue_groups_ask_to_wrap_up_or_extend_once(app, make_member, make_group):
    lead = make_member()
    group_id = make_group(lead=lead)
    with app.app_context():
        group = db.session.get(WorkingGroup, group_id)
        group.ends_on = utcnow().date() - timedelta(days=3)
        db.session.commit()
    client = login(app, lead)
    page = client.get(f"/werkgroepen/{group_id}").text
    assert "Voorbij de einddatum" in page and "Verlengen" in page
    url = f"/werkgroepen/{group_id}/verlengen"
    no_reason = client.post(url, data={"ends_on": in_days(30), "reason": ""})
    assert no_reason.status_code == 200 and 'id="reason-error"' in no_reason.text
    ok = client.post(url, data={"ends_on": in_days(30), "reason": "De interviews lopen uit."})
    assert ok.status_code == 303
    again = client.post(url, data={"ends_on": in_days(60), "reason": "Nog meer tijd."})
    assert again.status_code == 200 and "al een keer verlengd" in again.text


def test_the_overdue_alert_offers_to_extend_only_where_the_group_can(app, make_member, make_group):
    lead = make_member()
    group_id = make_group(lead=lead)
    client = login(app, lead)

    def overdue_alert(**values) -> str:
        with app.app_context():
            group = db.session.get(WorkingGroup, group_id)
            group.ends_on = utcnow().date() - timedelta(days=3)
            for name, value in values.items():
                setattr(group, name, value)
            db.session.commit()
        page = client.get(f"/werkgroepen/{group_id}").text
        return re.search(r'<p class="alert alert--error">([^<]*)</p>', page).group(1)

    offer = "of verleng één keer"
    assert offer in overdue_alert()
    assert offer not in overdue_alert(state="wrapping_up")
    assert "opbrengst" in overdue_alert()
    extended = overdue_alert(state="active", extension_reason="Meer tijd.")
    assert offer not in extended and "al een keer verlengd" in extended


def test_wrap_up_publishes_the_result_with_co_authors_and_archives(
    app, make_member, make_group, make_item
):
    lead = make_member(name="Anna Trekker")
    bea, cas = make_member(name="Bea Mede"), make_member(name="Cas Mede")
    group_id = make_group(lead=lead, members=[bea, cas])
    make_item(title="Interne notitie", visibility="group", group_id=group_id, author=bea)
    client = login(app, lead)
    assert client.post(f"/werkgroepen/{group_id}/afronden").status_code == 303
    assert group_row(app, group_id).state == "wrapping_up"
    joining = login(app, make_member()).post(f"/werkgroepen/{group_id}/aanmelden")
    assert joining.status_code == 200 and "neemt geen nieuwe leden" in joining.text
    url = f"/werkgroepen/{group_id}/opbrengst"
    missing = client.post(
        url, data={"title": "Opbrengst", "made": "", "learned": "", "action": "publish"}
    )
    assert missing.status_code == 200 and 'id="made-error"' in missing.text
    published = client.post(
        url,
        data={
            "title": "Modelbestek open source",
            "made": "Een modelbestek.",
            "learned": "Begin klein.",
            "visibility": "public",
            "action": "publish",
        },
    )
    assert published.status_code == 303
    item_id = int(re.search(r"/kennisbank/(\d+)", published.headers["Location"]).group(1))
    with app.app_context():
        item = db.session.get(Item, item_id)
        assert item.kind == "ervaring" and item.visibility == "public"
        assert item.author_id == lead.id
        assert {m.name for m in item.coauthors} == {"Bea Mede", "Cas Mede"}
        group = db.session.get(WorkingGroup, group_id)
        assert group.state == "archived" and group.result_item_id == item_id
    public_page = app.test_client().get(f"/kennisbank/{item_id}").text
    assert "Modelbestek open source" in public_page and "Bea Mede" in public_page
    assert "Interne notitie" not in public_page
    # Archived: read-only, still findable.
    assert (
        client.post(f"/werkgroepen/{group_id}/actiepunten", data={"title": "Nog iets"}).status_code
        == 200
    )
    archived = client.get("/werkgroepen/?staat=gearchiveerd").text
    assert "Open source inkopen" in archived


def test_posts_of_an_archived_group_can_only_be_read(app, make_member, make_group, make_item):
    lead, bea = make_member(), make_member()
    group_id = make_group(lead=lead, members=[bea])
    item_id = make_item(
        title="Interne afweging", visibility="group", group_id=group_id, author=lead
    )
    client, bea_client = login(app, lead), login(app, bea)
    answered = bea_client.post(
        f"/kennisbank/{item_id}/reacties", data={"body": "Mijn reactie.", "perspective": "beleid"}
    )
    reply_id = int(re.search(r"reactie-(\d+)", answered.headers["Location"]).group(1))
    with app.app_context():
        db.session.get(WorkingGroup, group_id).state = "archived"
        db.session.commit()
    edit = client.post(
        f"/kennisbank/{item_id}/bewerken",
        data={
            "kind": "dilemma",
            "title": "Nieuwe titel",
            "tension": "Anders.",
            "visibility": "group",
            "group_id": str(group_id),
        },
    )
    assert edit.status_code == 200 and 'id="title-error"' in edit.text
    assert "gearchiveerd" in edit.text and 'value="Nieuwe titel"' in edit.text
    decided = client.post(f"/kennisbank/{item_id}/besluit", data={"decision": "We doen het."})
    assert decided.status_code == 200 and 'id="decision-error"' in decided.text
    edited = bea_client.post(f"/kennisbank/reacties/{reply_id}/bewerken", data={"body": "Anders."})
    assert edited.status_code == 200 and 'id="body-error"' in edited.text
    with app.app_context():
        item = db.session.get(Item, item_id)
        assert (item.title, item.visibility, item.decision) == ("Interne afweging", "group", "")
        assert db.session.get(Reply, reply_id).body == "Mijn reactie."
        item.status, item.decision = "besloten", "Eerder besloten."
        db.session.commit()
    evaluated = client.post(
        f"/kennisbank/{item_id}/evaluatie", data={"outcome": "Het werkte.", "lesson": "Klein."}
    )
    assert evaluated.status_code == 200 and 'id="outcome-error"' in evaluated.text
    # Marking a reply useful changes nothing anyone wrote: that still works.
    useful = bea_client.post(f"/kennisbank/reacties/{reply_id}/nuttig", data={"aan": "1"})
    assert useful.status_code == 303
    with app.app_context():
        assert db.session.get(Item, item_id).status == "besloten"
        assert db.session.get(Reply, reply_id).useful_count == 1


def test_a_group_post_stays_in_its_group(app, make_member, make_group, make_item):
    lead = make_member()
    group_id = make_group(lead=lead)
    other_group = make_group(lead=lead, name="Andere groep")
    item_id = make_item(
        title="Interne afweging", visibility="group", group_id=group_id, author=lead
    )
    client = login(app, lead)
    url = f"/kennisbank/{item_id}/bewerken"
    data = {"kind": "dilemma", "title": "Nu voor iedereen", "tension": "Openheid."}
    for visibility, group in [("members", group_id), ("public", ""), ("group", other_group)]:
        response = client.post(url, data={**data, "visibility": visibility, "group_id": str(group)})
        assert response.status_code == 200 and 'id="visibility-error"' in response.text
        assert 'value="Nu voor iedereen"' in response.text  # what was typed is kept
    with app.app_context():
        item = db.session.get(Item, item_id)
        assert (item.visibility, item.group_id, item.title) == (
            "group",
            group_id,
            "Interne afweging",
        )
    kept = client.post(url, data={**data, "visibility": "group", "group_id": str(group_id)})
    assert kept.status_code == 303


def test_overview_filters_and_sizes(app, make_member, make_group):
    make_group(name="Open groep", join_policy="open")
    make_group(name="Alleen op uitnodiging", join_policy="invite")
    client = login(app, make_member())
    everything = client.get("/werkgroepen/").text
    assert "Open groep" in everything and "Alleen op uitnodiging" in everything
    assert "1 van 8" in everything
    open_only = client.get("/werkgroepen/?open=1").text
    assert "Open groep" in open_only and "Alleen op uitnodiging" not in open_only
    fragment = client.get("/werkgroepen/?open=1", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and "1 werkgroep" in fragment.text
    assert "Open groep" not in client.get("/werkgroepen/?staat=gearchiveerd").text
    assert "Open groep" not in client.get("/werkgroepen/?thema=open-inkoop").text
    assert app.test_client().get("/werkgroepen/").status_code == 302  # members only
