"""The member directory finds the expert by what they offer: with JavaScript (htmx, search as
you type), without JavaScript (the form's button), and through a tag link on a profile."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import check_now, flash, heading, log_in, settle, visit


def make_network(make_member, drain):
    """A searcher and three others, two of whom offer the same thing."""
    searcher = make_member(name="Sanne Zoekers")
    woo = make_member(
        name="Anouk Jansen",
        organisation="Provincie Utrecht",
        organisation_type="provincie",
        perspective="uitvoering",
        offers=["Woo-verzoeken afhandelen", "archiefwet"],
    )
    same_tag = make_member(
        name="Pieter Smit",
        organisation="Gemeente Deventer",
        offers=["Woo-verzoeken afhandelen", "actieve openbaarmaking"],
    )
    other = make_member(name="Bram Bakker", offers=["open source inkoop"])
    drain()  # the directory's text search reads the search index
    return searcher, woo, same_tag, other


def cards(page):
    """The names on the member cards now shown."""
    return page.locator("#results").get_by_role("heading", level=3)


def test_search_as_you_type_with_javascript(page, make_member, drain):
    searcher, woo, same_tag, other = make_network(make_member, drain)
    log_in(page, searcher)
    visit(page, "/leden")
    expect(heading(page)).to_have_text("Zoek een lid")
    expect(page.locator("#result-count")).to_have_text("4 leden gevonden")
    page.evaluate("() => { window.stillTheSamePage = true; }")

    # Type, do not submit: htmx swaps the list and fills the live region.
    page.get_by_label("Zoeken", exact=True).press_sequentially("archiefw", delay=20)
    expect(page.locator("#result-count")).to_have_text("1 lid gevonden")
    expect(cards(page)).to_have_text([woo.name])
    expect(page.locator("#results")).to_contain_text("Provincie Utrecht")
    expect(page).to_have_url(re.compile(r"/leden\?q=archiefw"))
    assert page.evaluate("() => window.stillTheSamePage === true"), "the page was reloaded"
    live = page.get_by_role("status").filter(has_text="gevonden")
    expect(live).to_have_attribute("aria-live", "polite")
    check_now(page, "(after htmx swap)")

    # A word that matches nobody: the empty state, also announced.
    page.get_by_label("Zoeken", exact=True).fill("blockchain")
    expect(page.locator("#result-count")).to_have_text("0 leden gevonden")
    expect(page.get_by_text("Er zijn geen leden gevonden met deze zoekopdracht.")).to_be_visible()
    check_now(page, "(after htmx swap, no results)")

    # A filter narrows too, without a reload.
    page.get_by_label("Zoeken", exact=True).fill("woo-verzoeken")
    expect(page.locator("#result-count")).to_have_text("2 leden gevonden")
    expect(cards(page)).to_have_text([woo.name, same_tag.name])
    page.get_by_label("Perspectief").select_option(label="Uitvoering")
    expect(page.locator("#result-count")).to_have_text("1 lid gevonden")
    expect(cards(page)).to_have_text([woo.name])
    assert page.evaluate("() => window.stillTheSamePage === true"), "the page was reloaded"
    check_now(page, "(after htmx swap, filter)")


def test_search_without_javascript(page_without_js, make_member, drain):
    """The same search in a browser with JavaScript off: the button sends the form.

    axe cannot run where JavaScript is off, so this test checks the results only."""
    searcher, woo, same_tag, other = make_network(make_member, drain)
    page = page_without_js
    page.goto("/leden")
    expect(page).to_have_url(re.compile(r"/inloggen\?next="))
    page.get_by_label("E-mailadres").fill(searcher.email)
    page.get_by_label("Wachtwoord", exact=True).fill(searcher.password)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page).to_have_url(re.compile(r"/leden$"))
    expect(heading(page)).to_have_text("Zoek een lid")
    expect(page.get_by_role("status").filter(has_text="gevonden")).to_have_text("4 leden gevonden")

    page.get_by_label("Zoeken", exact=True).fill("archiefwet")
    page.get_by_role("button", name="Leden tonen").click()
    expect(page).to_have_url(re.compile(r"/leden\?q=archiefwet"))
    expect(page.get_by_role("status").filter(has_text="gevonden")).to_have_text("1 lid gevonden")
    expect(cards(page)).to_have_text([woo.name])
    expect(page.get_by_role("link", name="Alle filters wissen")).to_be_visible()
    expect(page.get_by_label("Zoeken", exact=True)).to_have_value("archiefwet")

    # The member found, their profile, and a tag link back into the directory.
    page.get_by_role("link", name=woo.name).click()
    expect(heading(page)).to_have_text(woo.name)
    page.get_by_role("region", name="Ik bied").get_by_role(
        "link", name="Woo-verzoeken afhandelen"
    ).click()
    expect(cards(page)).to_have_text([woo.name, same_tag.name])

    # Logging out works without JavaScript too.
    page.get_by_role("button", name="Uitloggen").click()
    expect(flash(page)).to_contain_text("Je bent uitgelogd.")


def test_tag_link_on_a_profile_shows_who_offers_it(page, make_member, drain):
    searcher, woo, same_tag, other = make_network(make_member, drain)
    log_in(page, searcher)
    visit(page, f"/leden/{woo.id}")
    expect(heading(page)).to_have_text(woo.name)

    page.get_by_role("region", name="Ik bied").get_by_role(
        "link", name="Woo-verzoeken afhandelen"
    ).click()
    expect(page).to_have_url(re.compile(r"/leden\?bied=Woo-verzoeken"))
    expect(heading(page)).to_have_text("Zoek een lid")
    expect(page.locator("#result-count")).to_have_text("2 leden gevonden")
    expect(cards(page)).to_have_text([woo.name, same_tag.name])
    expect(page.get_by_label("Biedt precies")).to_have_value("Woo-verzoeken afhandelen")
    settle(page, "(directory by tag)")

    # And from a card in the list: the other tag of the second member.
    page.locator("#results").get_by_role("link", name="actieve openbaarmaking").click()
    expect(page.locator("#result-count")).to_have_text("1 lid gevonden")
    expect(cards(page)).to_have_text([same_tag.name])
    settle(page, "(directory by tag from a card)")
