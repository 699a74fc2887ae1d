"""The search page in Chromium (issue 19): "Ook gezocht op …" for a synonym and a corrected
typo, snippets from the start of a sentence, at 1280 and 390 px, in Dutch and English; axe on
every page (the page fixture)."""

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import log_in, switch_language


def test_search_says_what_else_it_searched_for(page, make_member, make_item, drain):
    author = make_member(name="Anouk Jansen", perspective="uitvoering")
    make_item(
        visibility="public",
        author=author,
        title="Wob-verzoek over bouwvergunningen",
        fields={
            "tension": "Het verzoek kwam in maart. Hoe lakken we de persoonsgegevens van "
            "omwonenden zonder dat de stukken onleesbaar worden?"
        },
        themes=["open-informatie"],
    )
    make_item(
        kind="ervaring",
        visibility="public",
        author=author,
        title="Wat we leerden van honderd informatieverzoeken",
        fields={"what_we_did": "Elk verzoek kreeg een vaste contactpersoon."},
    )
    drain()
    log_in(page, make_member(name="Lezer"))
    page.goto("/zoeken?q=woo")
    expect(page.locator(".search-note")).to_contain_text("Ook gezocht op: wob")
    page.goto("/zoeken?q=bouwvergunigen lakken")
    expect(page.locator(".search-note")).to_contain_text("Ook gezocht op: bouwvergunningen")
    snippet = page.locator(".search-hit__snippet").first
    expect(snippet).to_contain_text("Hoe lakken we de persoonsgegevens")
    screenshot(page, "search-also-nl-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator(".search-note")).to_contain_text("Ook gezocht op")
    screenshot(page, "search-also-nl-390")
    switch_language(page, "en")
    expect(page.locator(".search-note")).to_contain_text("Also searched for: bouwvergunningen")
    screenshot(page, "search-also-en-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/zoeken?q=verzoek")
    expect(page.locator(".search-hit__title")).to_have_count(2)
    screenshot(page, "search-compound-en-1280")
