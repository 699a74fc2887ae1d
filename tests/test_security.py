"""Headers, the content security policy, security.txt and friendly error pages."""

import re

import pytest


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "script-src 'self'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain http here


def test_hsts_over_https(client):
    response = client.get("/", base_url="https://alliantie.example")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_no_inline_script_and_no_third_parties(client):
    html = client.get("/").text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert not re.search(r"\son\w+=", html), "inline event handler"
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith("/") or url.startswith("#"), url


def test_static_files_are_ours(client):
    html = client.get("/").text
    for url in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        response = client.get(url)
        response.close()
        assert response.status_code == 200, url


def test_security_txt(client):
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert re.search(r"^Contact: ", response.text, re.M)
    assert re.search(r"^Expires: \d{4}-\d\d-\d\dT", response.text, re.M)


def test_session_cookie_flags(client, make_member):
    member = make_member()
    response = client.post(
        "/inloggen", data={"email": member.email, "password": member.password, "remember": "y"}
    )
    cookies = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("alliantie_session="))
    remember = next(c for c in cookies if c.startswith("alliantie_remember="))
    for cookie in (session, remember):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_cookies_are_secure_outside_debug_over_https():
    from alliance import create_app

    app = create_app({"SITE_URL": "https://alliantie.example", "DATABASE_URL": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


@pytest.mark.parametrize("lang, text", [("nl", "Pagina niet gevonden"), ("en", "Page not found")])
def test_friendly_404_in_both_languages(client, lang, text):
    client.post("/taal", data={"lang": lang})
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert text in response.text and "<nav" in response.text


def test_friendly_500():
    from alliance import create_app

    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})

    @app.get("/kapot-voor-test")
    def broken():
        raise RuntimeError("boom")

    response = app.test_client().get("/kapot-voor-test")
    assert response.status_code == 500
    assert "boom" not in response.text
    assert "Er ging iets mis" in response.text or "Something went wrong" in response.text


def test_healthz_needs_no_database_or_template(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.text == "ok\n"


def test_nul_characters_are_dropped_from_input(client, auth, make_member):
    auth.login(make_member(role="coordinator"))
    response = client.post("/themas/beheer", data={"name_nl": "Open\x00 Data", "name_en": "x\x00"})
    assert response.status_code == 303
    assert "Open Data" in client.get("/themas/").text
    assert client.get("/leden?q=wo\x00o&bied=\x00").status_code == 200
