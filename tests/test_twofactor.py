"""Two-step login (TOTP and recovery codes), coordinators' powers behind it, and the sessions
page."""

import re

import pyotp

from alliance.extensions import db
from tests.conftest import AuthActions, totp_code


def _set_up(client) -> tuple[str, list[str]]:
    """Set up two-step login through the pages; the secret and the recovery codes."""
    page = client.get("/account/tweestapsverificatie")
    assert page.status_code == 200
    assert re.search(r'<img class="qr-code" src="data:image/svg\+xml', page.text)
    assert 'alt="QR-code voor je authenticator-app' in page.text
    secret = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', page.text).group(1)
    secret = secret.replace(" ", "")
    wrong = client.post("/account/tweestapsverificatie", data={"code": "000000"})
    assert wrong.status_code == 200 and 'id="code-error"' in wrong.text
    done = client.post("/account/tweestapsverificatie", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 303
    codes_page = client.get(done.location)
    codes = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", codes_page.text)
    assert len(codes) == 10
    assert client.get(done.location).status_code == 303  # shown once
    return secret, codes


def _password_step(client, member):
    return client.post("/inloggen", data={"email": member.email, "password": member.password})


def test_member_sets_up_two_step_login_and_then_needs_the_code(app, client, auth, make_member):
    member = make_member()
    auth.login(member)
    secret, codes = _set_up(client)
    auth.logout()

    first = _password_step(client, member)
    assert first.status_code == 303 and first.location.endswith("/inloggen/code")
    assert client.get("/account").status_code == 302  # not logged in halfway
    wrong = client.post("/inloggen/code", data={"code": "123456"})
    assert wrong.status_code == 200 and "Deze code klopt niet" in wrong.text
    code = totp_code(secret, steps_ahead=1)  # this period's code was used for the setup
    ok = client.post("/inloggen/code", data={"code": code})
    assert ok.status_code == 303
    assert client.get("/account").status_code == 200
    auth.logout()

    # The same code does not work twice.
    _password_step(client, member)
    again = client.post("/inloggen/code", data={"code": code})
    assert again.status_code == 200

    # A recovery code works, once.
    assert client.post("/inloggen/code", data={"code": codes[0].upper()}).status_code == 303
    auth.logout()
    _password_step(client, member)
    assert client.post("/inloggen/code", data={"code": codes[0]}).status_code == 200
    assert client.post("/inloggen/code", data={"code": codes[1]}).status_code == 303
    assert "8 ongebruikte herstelcodes" in client.get("/account/tweestapsverificatie").text


def test_recovery_codes_are_stored_hashed(app, client, auth, make_member):
    from sqlalchemy import select

    from alliance.accounts.models import RecoveryCode

    auth.login(make_member())
    _secret, codes = _set_up(client)
    with app.app_context():
        stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
        db.session.remove()
    assert len(stored) == 10
    assert not {code.replace("-", "") for code in codes} & set(stored)


def test_code_attempts_are_throttled(app, client, make_member):
    member = make_member(two_factor=True)
    _password_step(client, member)
    answers = [client.post("/inloggen/code", data={"code": "000000"}).status_code for _ in range(6)]
    assert answers[:5] == [200] * 5 and answers[5] == 429


def test_second_step_expires(app, client, make_member):
    member = make_member(two_factor=True)
    _password_step(client, member)
    with client.session_transaction() as session:
        session["2fa"]["at"] -= 3600
        session.modified = True
    late = client.post("/inloggen/code", data={"code": totp_code()})
    assert late.status_code == 303 and late.location.endswith("/inloggen")
    assert client.get("/account").status_code == 302


def test_coordinator_without_two_step_login_is_sent_to_set_it_up(app, client, auth, make_member):
    coordinator = make_member(role="coordinator", two_factor=False)
    assert auth.login(coordinator).status_code == 303  # no second step yet
    for path in ("/moderatie", "/uitnodigen", "/themas/beheer"):
        response = client.get(path)
        assert response.status_code == 303, path
        assert "/account/tweestapsverificatie" in response.location
    page = client.get("/account/tweestapsverificatie")
    assert "Als coördinator of beheerder" in page.text
    _set_up(client)
    assert client.get("/moderatie").status_code == 200


def test_switching_off_needs_the_password(app, client, auth, make_member):
    member = make_member(two_factor=True)
    auth.login(member)
    refused = client.post("/account/tweestapsverificatie/uit", data={"password": "fout"})
    assert refused.status_code == 303
    assert "staat aan" in client.get("/account/tweestapsverificatie").text
    client.post("/account/tweestapsverificatie/uit", data={"password": member.password})
    auth.logout()
    assert _password_step(client, member).location.endswith("/profiel")  # no second step


def test_sessions_page_lists_devices_and_ends_one(app, client, auth, make_member):
    member = make_member()
    other = app.test_client()
    AuthActions(other).login(member)
    client.environ_base["HTTP_USER_AGENT"] = (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/20100101 Firefox/140.0"
    )
    auth.login(member)
    page = client.get("/account/sessies")
    assert page.status_code == 200
    assert "Firefox op Windows" in page.text and "deze browser" in page.text
    tokens = re.findall(r'name="sessie" value="([0-9a-f]{64})"', page.text)
    assert len(tokens) == 2
    current = re.search(
        r'name="sessie" value="([0-9a-f]{64})">\s*<button[^>]*>Hier uitloggen', page.text
    ).group(1)
    (theirs,) = [token for token in tokens if token != current]
    assert other.get("/account").status_code == 200
    assert client.post("/account/sessies/beeindigen", data={"sessie": theirs}).status_code == 303
    assert other.get("/account").status_code == 302
    assert client.get("/account").status_code == 200
    # Someone else's session cannot be ended from here.
    stranger = app.test_client()
    AuthActions(stranger).login(make_member())
    assert stranger.post("/account/sessies/beeindigen", data={"sessie": current}).status_code == 404
    assert client.get("/account").status_code == 200


def test_log_out_everywhere_else(app, client, auth, make_member):
    member = make_member()
    others = [app.test_client() for _ in range(2)]
    for other in others:
        AuthActions(other).login(member)
    auth.login(member)
    client.post("/account/sessies/beeindigen", data={"alle": "1"})
    assert [other.get("/account").status_code for other in others] == [302, 302]
    assert client.get("/account").status_code == 200
