"""Themes: reference data with a page each; coordinators add, rename and retire them."""

from alliance.extensions import db


def test_the_six_action_plan_themes_have_pages(client):
    index = client.get("/themas/").text
    for name in (
        "Open Technologie",
        "Open Informatie",
        "Open Communicatie",
        "Open Justice",
        "Open Inkoop",
        "Open Organisatie",
    ):
        assert name in index
    assert "Woo" in client.get("/themas/open-informatie").text
    assert client.get("/themas/bestaat-niet").status_code == 404


def test_theme_page_lists_its_members_for_members(client, auth, make_member):
    make_member(name="Ina Inkoop", themes=["open-inkoop"])
    assert "Ina Inkoop" not in client.get("/themas/open-inkoop").text
    auth.login(make_member())
    assert "Ina Inkoop" in client.get("/themas/open-inkoop").text


def test_a_coordinator_adds_renames_and_retires_a_theme(client, auth, make_member):
    auth.login(make_member(role="coordinator"))
    response = client.post(
        "/themas/beheer",
        data={"name_nl": "Open Data", "name_en": "Open Data", "description_nl": "Data delen."},
    )
    assert response.status_code == 303
    assert "Open Data" in client.get("/themas/").text
    duplicate = client.post("/themas/beheer", data={"name_nl": "Open data", "name_en": "x"})
    assert duplicate.status_code == 200 and 'id="name_nl-error"' in duplicate.text

    client.post(
        "/themas/open-data/bewerken",
        data={"name_nl": "Open Data en Standaarden", "name_en": "Open Data and Standards"},
    )
    assert "Open Data en Standaarden" in client.get("/themas/open-data").text

    client.post("/themas/open-data/status", data={"retired": "1"})
    assert "Open Data en Standaarden" not in client.get("/themas/").text
    assert "Open Data en Standaarden" not in client.get("/profiel/bewerken").text
    client.post("/themas/open-data/status", data={"retired": "0"})
    assert "Open Data en Standaarden" in client.get("/themas/").text


def test_retiring_keeps_the_theme_on_profiles(app, client, auth, make_member):
    from alliance.members.models import Member

    member = make_member(themes=["open-justice"])
    coordinator = make_member(role="coordinator")
    auth.login(coordinator)
    client.post("/themas/open-justice/status", data={"retired": "1"})
    auth.logout()
    auth.login(member)
    client.post("/profiel/bewerken", data={"name": "Lid", "themes": ["1"]})
    with app.app_context():
        slugs = {t.slug for t in db.session.get(Member, member.id).themes}
    assert slugs == {"open-justice", "open-technologie"}


def test_members_cannot_manage_themes(client, auth, make_member):
    auth.login(make_member())
    assert client.get("/themas/beheer").status_code == 403
    assert client.post("/themas/open-inkoop/status", data={"retired": "1"}).status_code == 403
