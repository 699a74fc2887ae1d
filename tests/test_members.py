"""Profiles and the member directory."""

import re

import pytest

from tests.conftest import count_statements


def edit_profile(client, **fields):
    data = {
        "name": "Sanne de Vries",
        "organisation": "Gemeente Utrecht",
        "organisation_type": "gemeente",
        "perspective": "uitvoering",
        "offers": "",
        "seeks": "",
        "bio": "",
        **fields,
    }
    return client.post("/profiel/bewerken", data=data)


def test_a_member_fills_in_a_profile_that_shows_give_and_take(client, auth, make_member):
    member = make_member(name="Sanne de Vries")
    auth.login(member)
    response = edit_profile(
        client,
        offers="Woo-verzoeken afhandelen, actieve openbaarmaking",
        seeks="open source in de gemeente",
        themes=["2"],
        bio="Ik werk aan **openbaarheid**.",
    )
    assert response.status_code == 303
    page = client.get(f"/leden/{member.id}").text
    for text in (
        "Woo-verzoeken afhandelen",
        "actieve openbaarmaking",
        "open source in de gemeente",
        "Gemeente Utrecht",
        "Uitvoering",
        "<strong>openbaarheid</strong>",
        "Open Informatie",
    ):
        assert text in page


def test_profile_text_is_cleaned(client, auth, make_member):
    member = make_member()
    auth.login(member)
    edit_profile(
        client,
        bio="<script>alert(1)</script> [klik](javascript:alert(1)) "
        '<a href="x" hx-get="/uitloggen">x</a>',
    )
    page = client.get(f"/leden/{member.id}").text
    assert "<script>alert" not in page
    assert 'href="javascript:' not in page
    main = page[page.index("<main") : page.index("</main>")]  # the header has its own hx-get
    assert not re.search(r"<[^>]*\shx-get=", main)


def test_bad_profile_input_is_shown_next_to_the_field_and_kept(client, auth, make_member):
    member = make_member()
    auth.login(member)
    long_tag = "x" * 61
    response = edit_profile(
        client, offers=f"Woo, {long_tag}", perspective="nonsense", organisation="Provincie Zeeland"
    )
    assert response.status_code == 200
    assert 'id="offers-error"' in response.text
    assert 'id="perspective-error"' in response.text
    assert 'value="Provincie Zeeland"' in response.text
    assert long_tag in response.text


def test_visitors_only_see_public_fields(app, client, make_member):
    private = make_member(name="Piet Privé", organisation="Geheim BV")
    public = make_member(
        name="Olga Open",
        organisation="Open State Foundation",
        offers=["open data"],
        bio="Over mij",
        public_fields=["offers"],
    )
    assert client.get(f"/leden/{private.id}").status_code == 404
    page = client.get(f"/leden/{public.id}").text
    assert "Olga Open" in page and "open data" in page
    assert "Open State Foundation" not in page and "Over mij" not in page
    assert public.email not in page


def test_the_directory_is_for_members(client):
    response = client.get("/leden")
    assert response.status_code == 302
    assert "/inloggen?next=" in response.headers["Location"]


def test_the_directory_finds_the_expert_by_what_they_offer(client, auth, make_member, drain):
    make_member(name="Wim Woo", offers=["Woo-verzoeken afhandelen"], perspective="uitvoering")
    make_member(name="Olaf Open", offers=["open source aanbesteden"], perspective="beleid")
    drain()
    auth.login(make_member(name="Zoeker"))
    page = client.get("/leden?q=woo").text
    assert "Wim Woo" in page and "Olaf Open" not in page
    assert "1 lid gevonden" in page or "1 member found" in page
    # Accents and case do not matter; every word must match.
    assert "Wim Woo" in client.get("/leden?q=WÓO verzoeken").text
    assert "Wim Woo" not in client.get("/leden?q=woo aanbesteden").text
    # The exact tag link from a profile.
    page = client.get("/leden?bied=woo-verzoeken afhandelen").text
    assert "Wim Woo" in page and "Olaf Open" not in page


@pytest.mark.parametrize(
    "query, expected, absent",
    [
        ("perspectief=beleid", "Bea Beleid", "Uri Uitvoering"),
        ("type=gemeente", "Uri Uitvoering", "Bea Beleid"),
        ("thema=open-inkoop", "Bea Beleid", "Uri Uitvoering"),
        ("q=provincie", "Bea Beleid", "Uri Uitvoering"),
    ],
)
def test_directory_filters(client, auth, make_member, query, expected, absent, drain):
    make_member(
        name="Bea Beleid",
        perspective="beleid",
        organisation_type="provincie",
        organisation="Provincie Utrecht",
        themes=["open-inkoop"],
    )
    make_member(
        name="Uri Uitvoering",
        perspective="uitvoering",
        organisation_type="gemeente",
        organisation="Gemeente Ede",
        themes=["open-informatie"],
    )
    drain()
    auth.login(make_member(name="Zoeker"))
    page = client.get(f"/leden?{query}").text
    assert expected in page and absent not in page


def test_unconfirmed_members_are_not_listed(client, auth, make_member):
    make_member(name="Nog Niet Bevestigd", confirmed=False)
    auth.login(make_member())
    assert "Nog Niet Bevestigd" not in client.get("/leden").text


def test_directory_fragment_for_htmx(client, auth, make_member, drain):
    make_member(name="Wim Woo", offers=["Woo"])
    drain()
    auth.login(make_member())
    response = client.get("/leden?q=woo", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text and "Wim Woo" in response.text
    assert 'hx-swap-oob="innerHTML"' in response.text  # the live region gets the new count
    assert "HX-Request" in response.headers["Vary"]
    boosted = client.get("/leden?q=woo", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.text


def test_directory_pages(app, client, auth, make_member, drain):
    app.config["DIRECTORY_PAGE_SIZE"] = 3
    for n in range(7):
        make_member(name=f"Expert {n}", offers=["Woo"])
    drain()
    auth.login(make_member(name="Zoeker"))
    first = client.get("/leden?q=woo").text
    assert "Pagina 1 van 3" in first or "Page 1 of 3" in first
    third = client.get("/leden?q=woo&pagina=3").text
    assert "Expert 6" in third and "Expert 0" not in third
    assert client.get("/leden?q=woo&pagina=99").status_code == 200


def test_directory_sql_statements_do_not_grow_with_the_list(app, client, auth, make_member):
    viewer = make_member(name="Zoeker")
    auth.login(viewer)
    for _n in range(2):
        make_member(offers=["Woo", "AVG"], themes=["open-informatie", "open-inkoop"])
    few = count_statements(app, client, "/leden")
    for _n in range(20):
        make_member(offers=["Woo", "AVG"], themes=["open-informatie", "open-inkoop"])
    many = count_statements(app, client, "/leden")
    assert few == many <= 15


def test_a_hidden_field_is_not_shown_as_empty(client, auth, make_member):
    """Issue 15, point 9: a visitor saw "Ik zoek: Nog niets ingevuld." on a profile whose
    *Ik zoek* was filled in but not public. A field the viewer may not see is simply absent."""
    member = make_member(
        name="Olga Open", offers=["open data"], seeks=["hulp bij de Woo"], public_fields=["offers"]
    )
    page = client.get(f"/leden/{member.id}").text
    assert "open data" in page
    assert "Ik zoek" not in page and "hulp bij de Woo" not in page
    assert "Nog niets ingevuld" not in page
    empty = make_member(name="Eva Leeg", public_fields=["offers", "seeks"])
    page = client.get(f"/leden/{empty.id}").text
    assert page.count("Nog niets ingevuld") == 2  # filled in by nobody, and public: say so
    auth.login(make_member())
    page = client.get(f"/leden/{member.id}").text
    assert "Ik zoek" in page and "hulp bij de Woo" in page
