"""Development help: mail printed readable in the console, the mailbox page and the demo people
page in debug mode only (never in a production configuration)."""

import re

import pytest

from alliance import create_app
from alliance.core.database import wait_for_background_work
from tests.conftest import TEST_PASSWORD

LONG_LINK = re.compile(r"http://\S+/registreren/bevestigen/\S+")


def register(client, email: str = "nieuw@example.org"):
    return client.post(
        "/registreren",
        data={
            "name": "Nieuw Lid",
            "email": email,
            "password": TEST_PASSWORD,
            "password_again": TEST_PASSWORD,
            "accept": "y",
        },
    )


def dev_app(app, **extra):
    """A second app on the same database, as ``create_app`` makes it with these settings."""
    settings = {
        name: app.config[name]
        for name in ("DATABASE_URL", "SQLALCHEMY_ENGINE_OPTIONS", "SEARCH_INDEX_DIR", "UPLOAD_DIR")
        if name in app.config
    }
    return create_app(
        {"TESTING": True, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False, **settings, **extra}
    )


def test_console_mail_is_printed_decoded_with_whole_links(app, client, capfd):
    app.config["MAIL_BACKEND"] = "console"
    response = register(client)
    assert response.status_code == 303
    wait_for_background_work()
    printed = capfd.readouterr().err
    assert "Content-Transfer-Encoding" not in printed
    assert "To: nieuw@example.org" in printed
    link = LONG_LINK.search(printed)
    assert link, printed
    assert not link.group().endswith("="), printed
    # The link as printed confirms the address (it was not cut in two).
    confirm = client.get(link.group().removeprefix(app.config["SITE_URL"]))
    assert confirm.status_code == 200
    assert "te oud" not in confirm.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/ontwikkeling/post", "/ontwikkeling/demo-leden"])
def test_development_pages_are_absent_in_production_config(app, path):
    production = dev_app(app)  # not debug, DEV_PAGES not set
    assert production.test_client().get(path).status_code == 404
    assert app.test_client().get(path).status_code == 404


def test_mailbox_page_lists_the_mail_sent_since_start_with_whole_links(app, runner):
    development = dev_app(app, DEV_PAGES=True, MAIL_BACKEND="console")
    client = development.test_client()
    assert register(client).status_code == 303
    wait_for_background_work()
    page = client.get("/ontwikkeling/post").get_data(as_text=True)
    assert "nieuw@example.org" in page
    link = re.search(r'href="(http://[^"]+/registreren/bevestigen/[^"]+)"', page)
    assert link, page
    confirm = client.get(link.group(1).removeprefix(app.config["SITE_URL"]))
    assert confirm.status_code == 200 and "te oud" not in confirm.get_data(as_text=True)


def test_demo_people_page_lists_them_by_role_and_perspective(app, runner):
    assert runner.invoke(args=["demo-data", "--no-search-index"]).exit_code == 0
    development = dev_app(app, DEV_PAGES=True)
    page = development.test_client().get("/ontwikkeling/demo-leden").get_data(as_text=True)
    assert "pieter.vandermeer@demo.alliantie.example" in page
    assert "Beheerder · Beleid" in page and "Lid · Inwoner" in page
