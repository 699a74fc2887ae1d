"""Search in Chromium: the header box shows results while typing and is used with the keyboard
alone; the search page narrows with facets and loads more; the same search works without
JavaScript. axe checks every page and every swap."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import check_now, heading, log_in, settle, tab_to, visit


def make_corpus(make_member, make_item, drain):
    author = make_member(name="Anna Auteur", offers=["Woo-verzoeken afhandelen"])
    make_item(
        kind="ervaring",
        visibility="public",
        author=author,
        title="Onze ervaring met actieve openbaarmaking",
        themes=["open-informatie"],
    )
    make_item(
        visibility="public",
        author=author,
        title="Wob-verzoek over bouwvergunningen",
        fields={"tension": "Hoe lakken we persoonsgegevens van omwonenden?"},
        themes=["open-informatie"],
    )
    for n in range(12):
        make_item(visibility="public", author=author, title=f"Openbaarmaking van besluit {n}")
    drain()
    return author


def test_header_search_as_you_type_with_the_keyboard_only(page, make_member, make_item, drain):
    make_corpus(make_member, make_item, drain)
    visit(page, "/")
    box = page.get_by_role("searchbox", name="Zoek in het hele netwerk")
    tab_to(page, box)
    page.keyboard.type("bouwverg", delay=30)
    results = page.locator("#site-search-results")
    expect(
        results.get_by_role("link", name=re.compile("Wob-verzoek over bouwvergunningen"))
    ).to_be_visible()
    expect(page.locator("#site-search-status")).to_have_text("1 resultaat")
    check_now(page, "(header quick results)")
    # Tab into the results and open one with Enter.
    link = results.get_by_role("link", name=re.compile("Wob-verzoek over bouwvergunningen"))
    tab_to(page, link)
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Wob-verzoek over bouwvergunningen")
    settle(page, "(the item found)")


def test_search_page_facets_synonyms_and_load_more(page, make_member, make_item, drain):
    make_corpus(make_member, make_item, drain)
    visit(page, "/zoeken", "Zoeken")
    page.evaluate("() => { window.stillTheSamePage = true; }")
    page.get_by_label("Zoek in het hele netwerk").press_sequentially("Woo", delay=30)
    hits = page.locator("#search-hits .search-hit__title")
    expect(hits.first).to_contain_text("Wob-verzoek over bouwvergunningen")  # synonym
    expect(page.locator("#result-count")).to_have_text("1 resultaat")
    check_now(page, "(results while typing)")

    box = page.get_by_label("Zoek in het hele netwerk")
    box.fill("openbaarmaking")
    expect(page.locator("#result-count")).to_have_text("13 resultaten")
    expect(hits).to_have_count(10)
    page.get_by_role("link", name="Meer laden").click()
    expect(hits).to_have_count(13)
    check_now(page, "(after Meer laden)")

    page.locator(".search-facets").get_by_role("link", name=re.compile("^Ervaring")).click()
    expect(page.locator("#result-count")).to_have_text("1 resultaat")
    expect(hits).to_have_text(["Onze ervaring met actieve openbaarmaking"])
    expect(page).to_have_url(re.compile(r"soort=ervaring"))
    assert page.evaluate("() => window.stillTheSamePage === true"), "the page was reloaded"
    check_now(page, "(after choosing a facet)")


def test_members_find_profiles_visitors_do_not(page, make_member, make_item, drain):
    author = make_corpus(make_member, make_item, drain)
    visit(page, "/zoeken?q=woo-verzoeken", "Zoeken")
    expect(page.locator("#search-results")).not_to_contain_text(author.name)
    log_in(page, make_member(name="Zoeker Zus"))
    visit(page, "/zoeken?q=woo-verzoeken", "Zoeken")
    expect(page.locator("#search-hits")).to_contain_text(author.name)


def test_the_same_search_without_javascript(page_without_js, make_member, make_item, drain):
    make_corpus(make_member, make_item, drain)
    page = page_without_js
    page.goto("/")
    page.get_by_role("searchbox", name="Zoek in het hele netwerk").fill("bouwvergunningen")
    page.get_by_role("button", name="Zoeken").first.click()
    expect(page).to_have_url(re.compile(r"/zoeken\?q=bouwvergunningen"))
    expect(heading(page)).to_have_text("Zoeken")
    expect(page.locator("#result-count")).to_have_text("1 resultaat")
    expect(page.locator("mark").first).to_have_text("bouwvergunningen")

    page.get_by_label("Zoek in het hele netwerk").fill("openbaarmakng")  # a typo
    page.locator("form.search-form").get_by_role("button", name="Zoeken").click()
    expect(page.get_by_text("Niets gevonden voor “openbaarmakng”")).to_be_visible()
    expect(page.locator("#result-count")).to_have_text("13 resultaten")
    page.get_by_role("link", name="Meer laden").click()
    expect(page).to_have_url(re.compile(r"pagina=2"))
    expect(page.locator("#search-hits .search-hit")).to_have_count(13)  # pages 1 and 2
