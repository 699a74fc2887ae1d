"""The open-data API /api/v1/: every answer validates against its own OpenAPI 3.1 description
(openapi-core, from PyPI); visitors — and members, whose cookies the API ignores — get public
content only; ETags answer 304; cursors walk every record once; filters; CORS; rate limits."""

import json

import pytest
from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_spec_validator import validate as validate_spec
from sqlalchemy import update

from alliance.core.timeutil import utcnow
from alliance.extensions import db
from tests.conftest import AuthActions
from tests.test_access import make_working_group
from tests.test_agenda import make_event  # noqa: F401  (a fixture)

SECRET_WORDS = ("Ledengeheim", "Groepsgeheim", "Verborgen", "Ledensessie", "Groepssessie")


@pytest.fixture
def world(app, make_member, make_item, make_event):  # noqa: F811
    """Public, member-only, group and hidden items and events; named and unnamed repliers."""
    from alliance.knowledge import services
    from alliance.knowledge.models import Item
    from alliance.members.models import Member

    open_author = make_member(name="Open Auteur", public_fields=["organisation"])
    shy = make_member(name="Verlegen Lid", perspective="beleid")
    named = make_member(name="Zichtbaar Lid", perspective="uitvoering", public_fields=["bio"])
    lead = make_member(name="Trekker")
    group_id = make_working_group(app, lead)
    public = make_item(
        title="Openbaar dilemma over de Woo", visibility="public", author=open_author,
        themes=["open-informatie"],
    )  # fmt: skip
    anonymous = make_item(
        title="Anoniem openbaar dilemma", visibility="public", author=named, anonymous=True
    )
    experience = make_item(
        kind="ervaring", title="Openbare ervaring", visibility="public", author=shy,
        fields={"what_we_did": "Alles gepubliceerd.", "lesson": "Begin klein."},
    )  # fmt: skip
    make_item(title="Ledengeheim dilemma", visibility="members", author=shy)
    make_item(title="Groepsgeheim dilemma", visibility="group", group_id=group_id, author=lead)
    hidden = make_item(title="Verborgen dilemma", visibility="public", author=shy)
    with app.test_request_context(method="POST"):
        item = db.session.get(Item, public)
        services.add_reply(item, db.session.get(Member, shy.id), "Eerst de termijn.", "beleid")
        services.add_reply(item, db.session.get(Member, named.id), "Doe het samen.", "uitvoering")
        anon_item = db.session.get(Item, anonymous)
        services.add_reply(anon_item, db.session.get(Member, named.id), "Mijn eigen aanvulling.",
                           "uitvoering")  # fmt: skip
        db.session.execute(update(Item).where(Item.id == hidden).values(hidden_at=utcnow()))
        db.session.commit()
    public_event = make_event(
        title="Openbare sessie", visibility="public", themes=["open-informatie"]
    )
    make_event(title="Ledensessie", visibility="members")
    make_event(title="Groepssessie", visibility="group", group_id=group_id, organiser=lead)
    return {
        "public": public, "anonymous": anonymous, "experience": experience, "hidden": hidden,
        "event": public_event, "shy": shy, "named": named,
    }  # fmt: skip


@pytest.fixture
def openapi(client):
    """The API's own description, checked to be valid OpenAPI 3.1 first."""
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    validate_spec(document)
    problems = {"application/problem+json": json.loads}  # RFC 9457 errors are JSON too
    return OpenAPI.from_dict(document, config=Config(extra_media_type_deserializers=problems))


def valid(openapi, response):
    """Validate a real answer against the description; return its JSON."""
    openapi.validate_response(
        WerkzeugOpenAPIRequest(response.request), WerkzeugOpenAPIResponse(response)
    )
    return response.get_json()


ENDPOINTS = (
    "/api/v1/",
    "/api/v1/items",
    "/api/v1/items?kind=dilemma&status=open&theme=open-informatie&updated_since=2020-01-01",
    "/api/v1/items?updated_since=2020-01-01T00:00:00Z&limit=1",
    "/api/v1/items/{public}",
    "/api/v1/items/{anonymous}",
    "/api/v1/lessons",
    "/api/v1/lessons?kind=ervaring",
    "/api/v1/themes",
    "/api/v1/events",
    "/api/v1/events?theme=open-informatie",
)


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("as_member", [False, True])
def test_every_answer_validates_and_holds_public_content_only(
    app, client, world, openapi, path, as_member
):
    """Visitors see public content only; a member's cookie changes nothing."""
    if as_member:
        AuthActions(client).login(world["shy"])
    response = client.get(path.format(**world))
    assert response.status_code == 200, response.text
    valid(openapi, response)
    for word in SECRET_WORDS:
        assert word not in response.text
    assert "set-cookie" not in {key.lower() for key in response.headers.keys()} or as_member


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/items?kind=verhaal",
        "/api/v1/items?status=klaar",
        "/api/v1/items?limit=0",
        "/api/v1/items?limit=101",
        "/api/v1/items?updated_since=gisteren",
        "/api/v1/items?cursor=bm9wZQ",
        "/api/v1/events?cursor=%F0%9F%98%80",
    ],
)
def test_bad_parameters_are_400_problems(client, openapi, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["parameter"]


@pytest.mark.parametrize("which", ["hidden", "members", "group", "missing"])
def test_no_item_page_outside_the_public(app, client, world, openapi, which):
    from sqlalchemy import select

    from alliance.knowledge.models import Item

    with app.app_context():
        ids = {
            "members": db.session.scalar(select(Item.id).where(Item.visibility == "members")),
            "group": db.session.scalar(select(Item.id).where(Item.visibility == "group")),
            "hidden": world["hidden"],
            "missing": 999999,
        }
    response = client.get(f"/api/v1/items/{ids[which]}")
    assert response.status_code == 404
    valid(openapi, response)


def test_lists_hold_exactly_the_public_records(client, world, openapi):
    items = valid(openapi, client.get("/api/v1/items"))["data"]
    assert sorted(i["id"] for i in items) == sorted(
        [world["public"], world["anonymous"], world["experience"]]
    )
    events = valid(openapi, client.get("/api/v1/events"))["data"]
    assert [e["title"] for e in events] == ["Openbare sessie"]
    lessons = valid(openapi, client.get("/api/v1/lessons"))["data"]
    assert [(x["item_id"], x["lesson"]) for x in lessons] == [(world["experience"], "Begin klein.")]
    assert all(record["licence"] == "CC-BY-4.0" for record in items + events + lessons)


def test_names_only_of_public_profiles_and_never_of_an_anonymous_author(client, world, openapi):
    item = valid(openapi, client.get(f"/api/v1/items/{world['public']}"))
    assert item["author"] == "Open Auteur"
    assert [(r["perspective"], r["author"]) for r in item["replies"]] == [
        ("beleid", None),  # Verlegen Lid has no public profile
        ("uitvoering", "Zichtbaar Lid"),
    ]
    anonymous = valid(openapi, client.get(f"/api/v1/items/{world['anonymous']}"))
    assert anonymous["author"] is None
    assert [(r["author"], r["body"]) for r in anonymous["replies"]] == [
        (None, "Mijn eigen aanvulling.")
    ]
    assert "Zichtbaar Lid" not in client.get(f"/api/v1/items/{world['anonymous']}").text


def test_the_cursor_walks_every_public_item_once(client, world, openapi):
    seen, url = [], "/api/v1/items?limit=1"
    while url:
        page = valid(openapi, client.get(url))
        seen += [item["id"] for item in page["data"]]
        url = page["links"]["next"]
        if url:
            assert page["next_cursor"] in url
    assert seen == sorted([world["public"], world["anonymous"], world["experience"]])


def test_filters(client, world, openapi):
    def ids(query):
        return [i["id"] for i in valid(openapi, client.get(f"/api/v1/items?{query}"))["data"]]

    assert ids("theme=open-informatie") == [world["public"]]
    assert ids("kind=ervaring") == [world["experience"]]
    assert ids("status=besloten") == []
    assert ids("updated_since=2999-01-01") == []
    assert len(ids("updated_since=2000-01-01T10:00:00%2B02:00")) == 3


def test_etag_answers_304_until_something_changes(app, client, world, openapi, make_member):
    from alliance.knowledge import services
    from alliance.knowledge.models import Item
    from alliance.members.models import Member

    url = f"/api/v1/items/{world['public']}"
    first = client.get(url)
    etag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    valid(openapi, again)
    listing = client.get("/api/v1/items")
    assert (
        client.get("/api/v1/items", headers={"If-None-Match": listing.headers["ETag"]}).status_code
        == 304
    )
    replier = make_member(perspective="onderzoek")
    with app.test_request_context(method="POST"):
        item = db.session.get(Item, world["public"])
        services.add_reply(item, db.session.get(Member, replier.id), "Nieuw.", "onderzoek")
        db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_cors_for_get_and_preflight(client, world):
    response = client.get("/api/v1/items", headers={"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/items",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert preflight.status_code == 200
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    assert client.post("/api/v1/items").status_code == 405


def test_rate_limit_per_address(app, client, openapi):
    app.config["API_RATE_LIMITS"] = "3 per minute"
    for _ in range(3):
        assert client.get("/api/v1/themes").status_code == 200
    limited = client.get("/api/v1/themes")
    assert limited.status_code == 429
    assert limited.mimetype == "application/problem+json"
    assert "Retry-After" in limited.headers
    valid(openapi, limited)
    other = app.test_client()
    assert other.get("/api/v1/themes", environ_base={"REMOTE_ADDR": "10.0.0.7"}).status_code == 200


def test_themes_are_all_there(client, openapi):
    themes = valid(openapi, client.get("/api/v1/themes"))["data"]
    assert "open-informatie" in {theme["slug"] for theme in themes}
    assert json.loads(client.get("/api/v1/").text)["licence"]["id"] == "CC-BY-4.0"
