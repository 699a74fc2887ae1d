"""One rule for every address: every page is found with and without a slash at the end (the
other form redirects to it), as /kennisbank and /agenda always were."""

import pytest

from alliance import create_app

SKIP = ("/static", "/ontwikkeling")


def _pages() -> list[str]:
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith(SKIP)
    )


PAGES = _pages()


def test_the_url_map_has_pages_of_both_forms():
    assert "/leden" in PAGES and "/kennisbank/" in PAGES and len(PAGES) > 30


@pytest.mark.parametrize("path", PAGES)
def test_the_other_form_of_every_address_redirects_to_it(client, path):
    if path == "/":
        return
    other = path.rstrip("/") if path.endswith("/") else path + "/"
    response = client.get(other + "?a=1")
    assert response.status_code in (301, 308), (other, response.status_code)
    assert response.headers["Location"].endswith(f"{path}?a=1")


@pytest.mark.parametrize("path", ["/leden/", "/zoeken/", "/meldingen/"])
def test_the_addresses_people_typed(client, path):
    response = client.get(path)
    assert response.status_code == 308 and response.headers["Location"] == path.rstrip("/")


def test_an_unknown_address_is_still_not_found(client):
    assert client.get("/bestaat-niet/").status_code == 404
    assert client.get("/bestaat-niet").status_code == 404
