"""Who may open what: a route × role matrix that every feature extends with its own rows."""

import pytest

ROLES = ("anonymous", "member", "coordinator", "admin")
LOGIN = 302  # anonymous visitors are sent to the login page

#: (method, path, expected status per role in ROLES order). ``{private}`` is the id of a member
#: whose profile has no public fields.
MATRIX = [
    ("GET", "/", (200, 200, 200, 200)),
    ("GET", "/toegankelijkheid", (200, 200, 200, 200)),
    ("GET", "/privacy", (200, 200, 200, 200)),
    ("GET", "/huisregels", (200, 200, 200, 200)),
    ("GET", "/contact", (200, 200, 200, 200)),
    ("GET", "/themas/", (200, 200, 200, 200)),
    ("GET", "/themas/open-informatie", (200, 200, 200, 200)),
    ("GET", "/leden", (LOGIN, 200, 200, 200)),
    ("GET", "/leden/{private}", (404, 200, 200, 200)),
    ("GET", "/profiel", (LOGIN, 302, 302, 302)),
    ("GET", "/profiel/bewerken", (LOGIN, 200, 200, 200)),
    ("GET", "/account", (LOGIN, 200, 200, 200)),
    ("GET", "/uitnodigen", (LOGIN, 403, 200, 200)),
    ("GET", "/beheer/rollen", (LOGIN, 403, 403, 200)),
    ("GET", "/themas/beheer", (LOGIN, 403, 200, 200)),
    ("GET", "/themas/open-inkoop/bewerken", (LOGIN, 403, 200, 200)),
    ("POST", "/themas/open-inkoop/status", (LOGIN, 403, 303, 303)),
    ("POST", "/beheer/rollen", (LOGIN, 403, 403, 303)),
    ("POST", "/uitnodigen", (LOGIN, 403, 303, 303)),
    ("GET", "/uitloggen", (405, 405, 405, 405)),  # no change of state through GET
    ("GET", "/taal", (405, 405, 405, 405)),
    # Kennisbank: {public}, {members} and {group} are items of another member.
    ("GET", "/kennisbank/", (200, 200, 200, 200)),
    ("GET", "/kennisbank/{public}", (200, 200, 200, 200)),
    ("GET", "/kennisbank/{members}", (404, 200, 200, 200)),
    ("GET", "/kennisbank/{group}", (404, 404, 200, 200)),  # no groups yet: author + coordinators
    ("GET", "/kennisbank/{members}/geschiedenis", (404, 200, 200, 200)),
    ("GET", "/kennisbank/{group}/geschiedenis", (404, 404, 200, 200)),
    ("GET", "/kennisbank/nieuw", (LOGIN, 200, 200, 200)),
    ("GET", "/kennisbank/vergelijkbaar?title=wethouder", (LOGIN, 200, 200, 200)),
    ("GET", "/kennisbank/{members}/bewerken", (LOGIN, 403, 200, 200)),
    ("POST", "/kennisbank/{members}/reacties", (LOGIN, 303, 303, 303)),
    ("POST", "/kennisbank/{group}/reacties", (LOGIN, 404, 303, 303)),
    ("POST", "/kennisbank/{members}/besluit", (LOGIN, 403, 303, 303)),
    ("POST", "/kennisbank/{members}/herken", (LOGIN, 303, 303, 303)),
    ("POST", "/kennisbank/{group}/herken", (LOGIN, 404, 303, 303)),
    ("POST", "/kennisbank/{members}/volg", (LOGIN, 303, 303, 303)),
    ("POST", "/kennisbank/reacties/{reply}/nuttig", (LOGIN, 303, 303, 303)),
    ("POST", "/kennisbank/reacties/{reply}/hielp", (LOGIN, 403, 403, 403)),  # only the asker
    ("GET", "/kennisbank/reacties/{reply}/bewerken", (LOGIN, 403, 403, 403)),  # only its author
    ("POST", "/kennisbank/reacties/{group_reply}/nuttig", (LOGIN, 404, 303, 303)),
]

POST_DATA = {
    "/themas/open-inkoop/status": {"retired": "0"},
    "/beheer/rollen": {"member_id": "{private}", "role": "member"},
    "/uitnodigen": {"email": "iemand@example.org", "language": "nl"},
    "/kennisbank/{members}/reacties": {"body": "Bij ons werkt dit zo.", "perspective": "beleid"},
    "/kennisbank/{group}/reacties": {"body": "Bij ons werkt dit zo.", "perspective": "beleid"},
    "/kennisbank/{members}/besluit": {"decision": "We maken het openbaar."},
    "/kennisbank/{members}/herken": {"aan": "1"},
    "/kennisbank/{group}/herken": {"aan": "1"},
    "/kennisbank/{members}/volg": {"aan": "1"},
    "/kennisbank/reacties/{reply}/nuttig": {"aan": "1"},
    "/kennisbank/reacties/{reply}/hielp": {"aan": "1"},
    "/kennisbank/reacties/{group_reply}/nuttig": {"aan": "1"},
}


@pytest.mark.parametrize("role_index, role", list(enumerate(ROLES)))
@pytest.mark.parametrize("method, path, expected", MATRIX, ids=[f"{m} {p}" for m, p, _ in MATRIX])
def test_access(
    app, client, auth, make_member, make_item, mailbox, method, path, expected, role_index, role
):
    private = make_member(name="Privé Persoon")
    ids = {"private": private.id}
    if "{" in path.replace("{private}", ""):
        ids.update(knowledge_objects(app, make_member, make_item))
    if role != "anonymous":
        auth.login(make_member(role=role))
    url = path.format(**ids)
    if method == "GET":
        response = client.get(url)
    else:
        data = {k: v.format(**ids) for k, v in POST_DATA.get(path, {}).items()}
        response = client.post(url, data=data)
    assert response.status_code == expected[role_index], f"{role} {method} {url}"
    if expected[role_index] == LOGIN and role == "anonymous":
        assert "/inloggen" in response.headers["Location"]


def knowledge_objects(app, make_member, make_item) -> dict:
    """Items of another member in every visibility, and a reply on two of them."""
    from alliance.extensions import db
    from alliance.knowledge.models import Item
    from alliance.knowledge.services import add_reply
    from alliance.members.models import Member

    author = make_member(name="Auteur")
    ids = {
        "public": make_item(visibility="public", author=author),
        "members": make_item(visibility="members", author=author),
        "group": make_item(visibility="group", group_id=7, author=author),
    }
    with app.test_request_context():
        replier = db.session.get(Member, make_member(name="Beantwoorder").id)
        ids["reply"] = add_reply(db.session.get(Item, ids["members"]), replier, "Zo.", "beleid").id
        ids["group_reply"] = add_reply(db.session.get(Item, ids["group"]), replier, "Zo.", None).id
        db.session.commit()
    return ids
