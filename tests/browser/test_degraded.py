"""Pages seen when something is wrong, in Chromium with axe on every page: a member locked out
by someone else's wrong passwords asks for a login link, opens it and logs in with the password
(the locked-out login page, "check your e-mail", the login form the link opens); and the page
shown while the database is down."""

from playwright.sync_api import expect

from tests.browser.helpers import PROFILE_URL, heading, mail_link, settle
from tests.conftest import csrf_token_from


def test_a_locked_out_member_gets_in_with_a_login_link(app, page, make_member, mailbox):
    app.config["LOGIN_LIMITS_PER_ACCOUNT"] = "3 per hour"
    member = make_member(name="Lotte Buitengesloten")
    for n in range(3):  # someone guessing from three other addresses
        guesser = app.test_client()
        guesser.environ_base["REMOTE_ADDR"] = f"192.0.2.{n + 1}"
        token = csrf_token_from(guesser.get("/inloggen").text)
        data = {"email": member.email, "password": f"gok {n}", "csrf_token": token}
        assert guesser.post("/inloggen", data=data).status_code == 200

    page.goto("/inloggen")
    settle(page, "(login)")
    page.get_by_label("E-mailadres").fill(member.email)
    page.get_by_label("Wachtwoord", exact=True).fill(member.password)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("te vaak een verkeerd wachtwoord")
    expect(page.get_by_label("E-mailadres")).to_have_value(member.email)
    settle(page, "(locked out)")

    page.get_by_role("button", name="Stuur mij een inloglink").click()
    expect(heading(page)).to_have_text("Kijk in je e-mail")
    settle(page, "(login link sent)")

    page.goto(mail_link(mailbox, member.email, "/inloggen/link/"))
    expect(page.get_by_label("E-mailadres")).to_have_value(member.email)
    settle(page, "(login form from the link)")
    page.get_by_label("Wachtwoord", exact=True).fill(member.password)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page).to_have_url(PROFILE_URL)
    expect(heading(page)).to_have_text(member.name)
    settle(page, "(logged in)")


def test_the_page_for_a_database_that_is_down_passes_axe(app, page):
    """The 503 page is standalone (no base layout); it must still be accessible."""
    import threading

    from werkzeug.serving import make_server

    from alliance.extensions import limiter
    from tests.conftest import free_port
    from tests.test_database_down import app_on, close

    down = app_on(app, f"postgresql://postgres@127.0.0.1:{free_port()}/test")
    server = make_server("127.0.0.1", free_port(), down, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        response = page.goto(f"http://127.0.0.1:{server.server_port}/")
        assert response is not None and response.status == 503
        expect(heading(page)).to_have_text("Even niet beschikbaar")
        settle(page, "(database down)")
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()
        close(down)
        limiter.init_app(app)
        limiter._storage_dead = False
