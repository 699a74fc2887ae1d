"""Accounts through the real HTTP routes and a real SMTP server on loopback."""

import re
import time

import pytest
from sqlalchemy import select

from alliance.core.database import wait_for_background_work
from alliance.extensions import db
from alliance.members.models import Member
from tests.conftest import TEST_PASSWORD, csrf_token_from, free_port

NEW_PASSWORD = "een nieuwe lange zin voor mij"


def register(client, email="nieuw@example.org", password=TEST_PASSWORD, name="Nieuw Lid", **extra):
    data = {
        "name": name,
        "email": email,
        "password": password,
        "password_again": password,
        "accept": "y",
        **extra,
    }
    return client.post("/registreren", data=data)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_register_confirm_and_log_in(client, auth, mailbox):
    response = register(client)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/registreren/kijk-in-je-mail")

    # Not confirmed yet: logging in does not work.
    assert auth.login("nieuw@example.org").status_code == 200

    assert len(mailbox.to("nieuw@example.org")) == 1
    link = mailbox.link("nieuw@example.org", "/registreren/bevestigen/")
    page = client.get(path_of(link))  # opening the link (a mail scanner does too) changes nothing
    assert page.status_code == 200
    assert auth.login("nieuw@example.org").status_code == 200
    assert client.post(path_of(link)).status_code == 303
    response = auth.login("nieuw@example.org")
    assert response.status_code == 303
    assert client.get("/profiel/bewerken").status_code == 200


def test_registration_answers_the_same_for_a_known_address(client, make_member, mailbox):
    known = make_member(email="bekend@example.org")
    first = register(client, email="bekend@example.org", password="een ander lang wachtwoord")
    second = register(client, email="onbekend@example.org")
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    # The known member is told by e-mail, and the account is unchanged.
    [message] = mailbox.to("bekend@example.org")
    assert "/wachtwoord-vergeten" in mailbox.text(message)
    client.post("/uitloggen")
    assert (
        client.post(
            "/inloggen", data={"email": known.email, "password": known.password}
        ).status_code
        == 303
    )


@pytest.mark.parametrize(
    "password, message",
    [
        ("kort", "12"),
        ("x" * 129, "128"),
        ("wachtwoord123", "easy to guess"),
        ("passwordpassword", "easy to guess"),
        ("Password1234!", "easy to guess"),
        ("Alliantie2026!", "easy to guess"),
        ("abcdabcdabcd", "easy to guess"),
    ],
)
def test_weak_passwords_are_refused_next_to_the_field(client, mailbox, password, message):
    client.post("/taal", data={"lang": "en"})
    response = register(client, password=password)
    assert response.status_code == 200
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    # What the user typed (except passwords) is kept.
    assert 'value="nieuw@example.org"' in response.text
    assert mailbox.messages == []


def test_error_messages_are_in_dutch_by_default(client):
    response = register(client, password="kort")
    assert "Gebruik minstens 12 tekens." in response.text


def test_login_with_wrong_password_shows_one_message(client, make_member):
    member = make_member()
    response = client.post("/inloggen", data={"email": member.email, "password": "niet goed"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text
    unknown = client.post(
        "/inloggen", data={"email": "niemand@example.org", "password": "niet goed"}
    )

    # The same message whether or not the address is known.
    def message(html):
        return re.search(r'field-error" id="password-error">\s*(.*?)\s*</p>', html, re.S).group(1)

    assert message(response.text) == message(unknown.text)


def test_logout_ends_the_session_and_the_remember_cookie(app, client, make_member):
    member = make_member()
    client.post(
        "/inloggen", data={"email": member.email, "password": member.password, "remember": "y"}
    )
    remember = client.get_cookie("alliantie_remember")
    session_cookie = client.get_cookie("alliantie_session")
    assert remember is not None
    assert client.get("/account").status_code == 200

    client.post("/uitloggen")
    assert client.get("/account").status_code == 302

    # Someone who kept a copy of either cookie is not logged in any more.
    thief = app.test_client()
    thief.set_cookie("alliantie_remember", remember.value)
    assert thief.get("/account").status_code == 302
    thief = app.test_client()
    thief.set_cookie("alliantie_session", session_cookie.value)
    assert thief.get("/account").status_code == 302


def test_remember_me_logs_in_a_new_browser_session(app, client, make_member):
    member = make_member()
    client.post(
        "/inloggen", data={"email": member.email, "password": member.password, "remember": "y"}
    )
    later = app.test_client()  # the browser was closed: only the remember cookie is left
    later.set_cookie("alliantie_remember", client.get_cookie("alliantie_remember").value)
    assert later.get("/account").status_code == 200


def test_login_starts_a_new_session(client, make_member):
    member = make_member()
    client.post("/taal", data={"lang": "en"})
    before = client.get_cookie("alliantie_session").value
    client.post("/inloggen", data={"email": member.email, "password": member.password})
    assert client.get_cookie("alliantie_session").value != before
    with client.session_transaction() as session:
        assert session.get("lang") == "en"  # the language choice carries over; nothing else


def test_password_change_ends_all_other_sessions(app, make_member, mailbox):
    member = make_member()
    laptop, phone = app.test_client(), app.test_client()
    for browser in (laptop, phone):
        browser.post(
            "/inloggen", data={"email": member.email, "password": member.password, "remember": "y"}
        )
    response = laptop.post(
        "/account",
        data={
            "action": "password",
            "pw-current_password": member.password,
            "pw-password": NEW_PASSWORD,
            "pw-password_again": NEW_PASSWORD,
        },
    )
    assert response.status_code == 303
    assert laptop.get("/account").status_code == 200  # this browser stays logged in
    assert phone.get("/account").status_code == 302  # the other one is logged out
    assert mailbox.to(member.email), "the member is told their password changed"
    other = app.test_client()
    assert (
        other.post("/inloggen", data={"email": member.email, "password": NEW_PASSWORD}).status_code
        == 303
    )


def test_password_change_needs_the_current_password(client, auth, make_member):
    member = make_member()
    auth.login(member)
    response = client.post(
        "/account",
        data={
            "action": "password",
            "pw-current_password": "fout fout fout",
            "pw-password": NEW_PASSWORD,
            "pw-password_again": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert 'id="pw-current_password-error"' in response.text


def test_password_reset_works_once(app, client, make_member, mailbox):
    member = make_member()
    response = client.post("/wachtwoord-vergeten", data={"email": member.email})
    assert response.status_code == 200
    link = path_of(mailbox.link(member.email, "/wachtwoord-herstellen/"))
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 303
    assert (
        client.post("/inloggen", data={"email": member.email, "password": NEW_PASSWORD}).status_code
        == 303
    )
    # The same link a second time does not work.
    again = app.test_client().post(
        link,
        data={
            "password": "nog weer een ander wachtwoord",
            "password_again": "nog weer een ander wachtwoord",
        },
    )
    assert again.status_code == 400


def test_password_reset_link_expires(app, client, make_member, mailbox):
    member = make_member()
    client.post("/wachtwoord-vergeten", data={"email": member.email})
    link = path_of(mailbox.link(member.email, "/wachtwoord-herstellen/"))
    app.config["RESET_TOKEN_MAX_AGE"] = 1
    time.sleep(2.1)
    assert client.get(link).status_code == 400


def test_password_reset_answers_the_same_for_unknown_addresses(client, make_member, mailbox):
    member = make_member()
    known = client.post("/wachtwoord-vergeten", data={"email": member.email})
    unknown = client.post("/wachtwoord-vergeten", data={"email": "niemand@example.org"})
    strip = lambda html, email: html.replace(email, "")  # noqa: E731
    assert strip(known.text, member.email) == strip(unknown.text, "niemand@example.org")
    assert len(mailbox.to(member.email)) == 1
    assert mailbox.to("niemand@example.org", wait=0.5) == []


def test_change_email_needs_password_and_confirmation(app, client, auth, make_member, mailbox):
    member = make_member()
    auth.login(member)
    wrong = client.post(
        "/account",
        data={
            "action": "email",
            "em-email": "nieuw@example.org",
            "em-password": "niet mijn wachtwoord",
        },
    )
    assert wrong.status_code == 200 and 'id="em-password-error"' in wrong.text
    response = client.post(
        "/account",
        data={"action": "email", "em-email": "nieuw@example.org", "em-password": member.password},
    )
    assert response.status_code == 303
    link = path_of(mailbox.link("nieuw@example.org", "/account/e-mail/"))
    assert client.get(link).status_code == 200
    with app.app_context():
        assert db.session.get(Member, member.id).email == member.email  # not yet
    assert client.post(link).status_code == 303
    with app.app_context():
        assert db.session.get(Member, member.id).email == "nieuw@example.org"
    assert mailbox.to(member.email), "the old address is told about the change"


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/leden", "/leden"),
        ("/leden?q=woo", "/leden?q=woo"),
        ("https://evil.example/", "/profiel"),
        ("//evil.example/", "/profiel"),
        ("/\\evil.example", "/profiel"),
        ("javascript:alert(1)", "/profiel"),
    ],
)
def test_next_after_login_stays_on_this_site(client, make_member, target, expected):
    member = make_member()
    response = client.post(
        "/inloggen", data={"email": member.email, "password": member.password, "next": target}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == expected


def test_login_is_throttled_per_account(app, make_member):
    member = make_member()
    for attempt in range(5):
        browser = app.test_client()  # a different session each time; same account
        assert (
            browser.post(
                "/inloggen", data={"email": member.email, "password": f"fout {attempt}"}
            ).status_code
            == 200
        )
    blocked = app.test_client().post(
        "/inloggen", data={"email": member.email, "password": member.password}
    )
    assert blocked.status_code == 429
    # Another account is not affected.
    other = make_member()
    assert (
        app.test_client()
        .post("/inloggen", data={"email": other.email, "password": other.password})
        .status_code
        == 303
    )


def test_login_is_throttled_per_address(app, client):
    app.config["LOGIN_LIMITS_PER_ADDRESS"] = "3 per minute"
    for n in range(3):
        client.post("/inloggen", data={"email": f"a{n}@example.org", "password": "x"})
    assert (
        client.post("/inloggen", data={"email": "b@example.org", "password": "x"}).status_code
        == 429
    )


def test_csrf_is_required_for_changes(app, client, make_member, csrf_on):
    member = make_member()
    response = client.post("/inloggen", data={"email": member.email, "password": member.password})
    assert response.status_code == 400
    page = client.get("/inloggen")
    token = csrf_token_from(page.text)
    response = client.post(
        "/inloggen", data={"email": member.email, "password": member.password, "csrf_token": token}
    )
    assert response.status_code == 303


def test_a_coordinator_invites_and_the_invitation_confirms(client, auth, make_member, mailbox):
    coordinator = make_member(role="coordinator", name="Cora Coördinator")
    auth.login(coordinator)
    response = client.post(
        "/uitnodigen",
        data={"email": "gast@example.org", "language": "nl", "message": "Doe je mee?"},
    )
    assert response.status_code == 303
    [mail] = mailbox.to("gast@example.org")
    assert "Cora Coördinator" in mail["Subject"]
    link = path_of(mailbox.link("gast@example.org", "/registreren?uitnodiging="))
    auth.logout()
    form = client.get(link)
    assert 'value="gast@example.org"' in form.text
    token = re.search(r"uitnodiging=([^&\s]+)", link).group(1)
    response = register(client, email="gast@example.org", invitation=token)
    assert response.status_code == 303 and response.headers["Location"] == "/inloggen"
    assert auth.login("gast@example.org").status_code == 303


def test_members_cannot_invite_or_manage_roles(client, auth, make_member):
    auth.login(make_member())
    assert client.get("/uitnodigen").status_code == 403
    assert client.get("/beheer/rollen").status_code == 403


def test_an_admin_changes_a_role_but_not_the_last_admin(app, client, auth, make_member):
    admin = make_member(role="admin")
    member = make_member()
    auth.login(admin)
    client.post("/beheer/rollen", data={"member_id": member.id, "role": "coordinator"})
    client.post("/beheer/rollen", data={"member_id": admin.id, "role": "member"})
    with app.app_context():
        roles = dict(db.session.execute(select(Member.id, Member.role)).all())
    assert roles == {admin.id: "admin", member.id: "coordinator"}


def test_create_admin_command(app, runner, client):
    result = runner.invoke(
        args=[
            "create-admin",
            "--email",
            "Baas@Example.org",
            "--password",
            TEST_PASSWORD,
            "--name",
            "Baas",
        ]
    )
    assert result.exit_code == 0, result.output
    assert (
        client.post(
            "/inloggen", data={"email": "baas@example.org", "password": TEST_PASSWORD}
        ).status_code
        == 303
    )
    # A new administrator first sets up two-step login: the powers wait for it.
    response = client.get("/beheer/rollen")
    assert response.status_code == 303
    assert "/account/tweestapsverificatie" in response.location
    weak = runner.invoke(args=["create-admin", "--email", "x@example.org", "--password", "kort"])
    assert weak.exit_code != 0


def test_passwords_are_stored_as_argon2id(app, make_member):
    member = make_member()
    with app.app_context():
        assert db.session.get(Member, member.id).password_hash.startswith("$argon2id$")


def test_mail_waits_in_the_outbox_when_the_server_is_down(
    app, client, runner, mailbox, smtp_server
):
    from alliance.mail.models import OutgoingMail

    app.config["MAIL_PORT"] = free_port()  # nothing listens here
    assert register(client).status_code == 303  # the member does not notice

    def first_try_failed():
        with app.app_context():
            [row] = db.session.scalars(select(OutgoingMail)).all()
            return row.sent_at is None and row.last_error and not row.claimed_at

    deadline = time.monotonic() + 5
    while not first_try_failed() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert first_try_failed()
    assert mailbox.messages == []

    app.config["MAIL_PORT"] = smtp_server.port  # the server is back; cron runs the command
    result = runner.invoke(args=["mail", "send"])
    assert "1 sent" in result.output
    assert len(mailbox.to("nieuw@example.org")) == 1
    assert "0 sent" in runner.invoke(args=["mail", "send"]).output


def test_a_new_member_is_found_by_name_right_after_registering(client, auth, make_member, mailbox):
    register(client, name="Zeynep Yılmaz", email="zeynep@example.org")
    client.post(path_of(mailbox.link("zeynep@example.org", "/registreren/bevestigen/")))
    auth.login(make_member())
    # The text search reads the search index, which the confirmation updates just after its
    # commit (a thread beside the response): wait for it, as the next click of a person would.
    wait_for_background_work()
    assert "Zeynep Yılmaz" in client.get("/leden?q=yilmaz").text


def test_logout_deletes_the_remember_cookie_in_the_browser(client, make_member):
    member = make_member()
    client.post(
        "/inloggen", data={"email": member.email, "password": member.password, "remember": "y"}
    )
    response = client.post("/uitloggen")
    cleared = [
        c for c in response.headers.getlist("Set-Cookie") if c.startswith("alliantie_remember=")
    ]
    assert cleared and ("Max-Age=0" in cleared[0] or "1970" in cleared[0])
    assert client.get_cookie("alliantie_remember") is None


def test_a_copy_of_the_session_table_logs_nobody_in(app, client, make_member):
    from alliance.accounts.models import LoginSession

    member = make_member()
    client.post("/inloggen", data={"email": member.email, "password": member.password})
    with app.app_context():
        stored = db.session.scalar(select(LoginSession.token))
    thief = app.test_client()
    with thief.session_transaction() as session:
        session["_user_id"] = stored
        session["_fresh"] = True
    assert thief.get("/account").status_code == 302


def test_old_sessions_expire(app, client, make_member):
    from alliance.accounts.models import LoginSession

    member = make_member()
    client.post("/inloggen", data={"email": member.email, "password": member.password})
    assert client.get("/account").status_code == 200
    with app.app_context():
        for row in db.session.scalars(select(LoginSession)):
            row.created_at = row.created_at.replace(year=row.created_at.year - 1)
        db.session.commit()
    assert client.get("/account").status_code == 302


def test_an_email_change_link_dies_when_the_password_changes(client, auth, make_member, mailbox):
    member = make_member()
    auth.login(member)
    client.post(
        "/account",
        data={
            "action": "email",
            "em-email": "indringer@example.org",
            "em-password": member.password,
        },
    )
    link = path_of(mailbox.link("indringer@example.org", "/account/e-mail/"))
    client.post(
        "/account",
        data={
            "action": "password",
            "pw-current_password": member.password,
            "pw-password": NEW_PASSWORD,
            "pw-password_again": NEW_PASSWORD,
        },
    )
    assert client.post(link).status_code == 400


def test_successful_logins_do_not_use_up_the_attempts(app, make_member):
    member = make_member()
    for _attempt in range(7):
        browser = app.test_client()
        assert (
            browser.post(
                "/inloggen", data={"email": member.email, "password": member.password}
            ).status_code
            == 303
        )


def test_a_name_with_a_line_break_does_not_break_mail(client, auth, make_member, mailbox):
    coordinator = make_member(role="coordinator", name="Cora\r\nBcc: spam@example.org")
    auth.login(coordinator)
    assert (
        client.post("/uitnodigen", data={"email": "gast@example.org", "language": "nl"}).status_code
        == 303
    )
    [mail] = mailbox.to("gast@example.org")
    assert "\n" not in mail["Subject"] and mail["Bcc"] is None
