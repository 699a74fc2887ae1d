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
]

POST_DATA = {
    "/themas/open-inkoop/status": {"retired": "0"},
    "/beheer/rollen": {"member_id": "{private}", "role": "member"},
    "/uitnodigen": {"email": "iemand@example.org", "language": "nl"},
}


@pytest.mark.parametrize("role_index, role", list(enumerate(ROLES)))
@pytest.mark.parametrize("method, path, expected", MATRIX, ids=[f"{m} {p}" for m, p, _ in MATRIX])
def test_access(client, auth, make_member, mailbox, method, path, expected, role_index, role):
    private = make_member(name="Privé Persoon")
    if role != "anonymous":
        auth.login(make_member(role=role))
    url = path.format(private=private.id)
    if method == "GET":
        response = client.get(url)
    else:
        data = {k: v.format(private=private.id) for k, v in POST_DATA.get(path, {}).items()}
        response = client.post(url, data=data)
    assert response.status_code == expected[role_index], f"{role} {method} {url}"
    if expected[role_index] == LOGIN and role == "anonymous":
        assert "/inloggen" in response.headers["Location"]
