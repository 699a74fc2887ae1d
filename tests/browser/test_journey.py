"""A new member's whole journey in Chromium, and the core flow with the keyboard alone."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import (
    PROFILE_URL,
    flash,
    heading,
    mail_link,
    settle,
    switch_language,
    tab_to,
    visit,
)

NEW_PASSWORD = "rode peren in de lente"


def test_new_member_journey(page, mailbox):
    """Register, confirm by e-mail, log in, fill in the profile, log out and in, reset the
    password through the e-mailed link, and switch to English and back."""
    name, email, password = "Noor de Vries", "noor.devries@example.org", "zomer aan de waddenzee"

    # Register from the home page.
    visit(page, "/")
    page.get_by_role("link", name="Account aanmaken").click()
    expect(heading(page)).to_have_text("Word lid van de alliantie")
    settle(page)
    page.get_by_label("Je naam").fill(name)
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_label("Wachtwoord nog een keer").fill(password)
    page.get_by_label("Ik ga akkoord met de huisregels en de privacyverklaring.").check()
    page.get_by_role("button", name="Account aanmaken").click()
    expect(page).to_have_url(re.compile(r"/registreren/kijk-in-je-mail$"))
    expect(heading(page)).to_have_text("Kijk in je e-mail")
    settle(page)

    # Confirm with the link from the e-mail (the link points at this live server).
    link = mail_link(mailbox, email, "/registreren/bevestigen/")
    assert link.startswith(page.url.split("/registreren")[0])
    page.goto(link)
    settle(page)
    page.get_by_role("button", name="Bevestig mijn e-mailadres").click()
    # The button proves the inbox: the member is logged in and starts with the welcome.
    expect(page).to_have_url(re.compile(r"/welkom$"))
    expect(flash(page)).to_contain_text("Je e-mailadres is bevestigd. Welkom!")
    expect(heading(page)).to_have_text(f"Welkom bij de alliantie, {name}")
    settle(page)

    # Their own, still empty, profile.
    visit(page, "/profiel")
    expect(page).to_have_url(PROFILE_URL)
    expect(heading(page)).to_have_text(name)
    expect(page.get_by_text("Nog niets ingevuld.").first).to_be_visible()
    settle(page)

    # Fill in the profile.
    page.get_by_role("link", name="Je profiel bewerken").click()
    expect(heading(page)).to_have_text("Je profiel bewerken")
    settle(page)
    page.get_by_role("textbox", name="Organisatie").fill("Gemeente Zwolle")
    page.get_by_role("combobox", name="Soort organisatie").select_option(label="Gemeente")
    page.get_by_role("combobox", name="Perspectief").select_option(label="Uitvoering")
    themes = page.get_by_role("group", name="Thema's")
    themes.get_by_label("Open Informatie").check()
    page.get_by_role("textbox", name="Ik bied").fill(
        "Woo-verzoeken afhandelen, actieve openbaarmaking"
    )
    page.get_by_role("textbox", name="Ik zoek").fill("open source inkoop, begrijpelijke brieven")
    page.get_by_role("textbox", name="Over mij").fill(
        "Ik werk aan **openbaarmaking** bij de gemeente."
    )
    page.get_by_role("button", name="Profiel opslaan").click()

    # The profile page shows it all.
    expect(page).to_have_url(PROFILE_URL)
    expect(flash(page)).to_contain_text("Je profiel is opgeslagen.")
    expect(heading(page)).to_have_text(name)
    expect(page.get_by_text("Gemeente Zwolle")).to_be_visible()
    offers = page.get_by_role("region", name="Ik bied")
    expect(offers.get_by_role("link")).to_have_text(
        ["Woo-verzoeken afhandelen", "actieve openbaarmaking"]
    )
    seeks = page.get_by_role("region", name="Ik zoek")
    expect(seeks.get_by_role("listitem")).to_have_text(
        ["open source inkoop", "begrijpelijke brieven"]
    )
    facts = page.locator("dl")
    expect(facts).to_contain_text("Gemeente")
    expect(facts).to_contain_text("Uitvoering")
    expect(facts.get_by_role("link", name="Open Informatie")).to_be_visible()
    about = page.get_by_role("region", name="Over mij")
    expect(about).to_contain_text("Ik werk aan openbaarmaking bij de gemeente.")
    expect(about.locator("strong")).to_have_text("openbaarmaking")
    settle(page)

    # Log out with the header button, and in again.
    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(flash(page)).to_contain_text("Je bent uitgelogd.")
    expect(page.get_by_role("button", name="Uitloggen")).to_have_count(0)
    settle(page)
    page.get_by_role("link", name="Inloggen").first.click()
    expect(heading(page)).to_have_text("Inloggen")
    settle(page)
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page).to_have_url(PROFILE_URL)
    expect(page.get_by_role("region", name="Ik bied")).to_contain_text("actieve openbaarmaking")
    settle(page)

    # Forgot the password: log out, ask for a link, and use it.
    page.get_by_role("button", name="Uitloggen").click()
    expect(flash(page)).to_contain_text("Je bent uitgelogd.")
    settle(page)
    page.get_by_role("link", name="Inloggen").first.click()
    expect(heading(page)).to_have_text("Inloggen")
    settle(page)
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    expect(heading(page)).to_have_text("Wachtwoord vergeten?")
    settle(page)
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_role("button", name="Link versturen").click()
    expect(heading(page)).to_have_text("Kijk in je e-mail")
    expect(page.get_by_text(email)).to_be_visible()
    settle(page)

    page.goto(mail_link(mailbox, email, "/wachtwoord-herstellen/"))
    expect(heading(page)).to_have_text("Kies een nieuw wachtwoord")
    settle(page)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nieuw wachtwoord nog een keer").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Nieuw wachtwoord opslaan").click()
    # The reset proved the inbox: the login form carries a login link (a locked-out account
    # gets in with the right password).
    expect(page).to_have_url(re.compile(r"/inloggen/link/[^/]+$"))
    expect(flash(page)).to_contain_text(
        "Je wachtwoord is gewijzigd. Log in met je nieuwe wachtwoord."
    )
    settle(page)

    # The old password no longer works; the new one does.
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Er is 1 fout in het formulier.")
    expect(
        page.locator(".field-error", has_text="Het e-mailadres of wachtwoord klopt niet")
    ).to_be_visible()
    settle(page, "(login error)")
    page.get_by_label("Wachtwoord", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page).to_have_url(PROFILE_URL)
    expect(heading(page)).to_have_text(name)
    settle(page)

    # English and back to Dutch, on the same page.
    profile_url = page.url
    switch_language(page, "en")
    assert page.url == profile_url
    expect(page.get_by_role("link", name="Skip to content")).to_be_attached()
    expect(page.get_by_role("link", name="Members")).to_be_visible()
    expect(page.get_by_role("heading", name="I offer")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    switch_language(page, "nl")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_attached()
    expect(page.get_by_role("link", name="Leden", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Ik bied")).to_be_visible()


def test_core_flow_with_keyboard_only(page, make_member, drain):
    """Skip link, log in, directory, search on an Ik bied tag, open the profile, log out:
    only Tab, Shift+Tab, Enter, Space and typing."""
    me = make_member(name="Kees Toetsenbord", offers=["Toegankelijkheid toetsen"])
    expert = make_member(
        name="Anouk Jansen",
        organisation="Provincie Utrecht",
        offers=["Woo-verzoeken afhandelen", "archiefwet"],
    )
    make_member(name="Bram Bakker", offers=["open source inkoop"])
    drain()  # the directory's text search reads the search index
    keyboard = page.keyboard

    visit(page, "/")
    # The first Tab reaches the skip link, and it shows; Enter moves focus to the content.
    keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # From the content to the log in button of the home page.
    login = page.get_by_role("main").get_by_role("link", name="Inloggen")
    tab_to(page, login)
    keyboard.press("Enter")
    expect(heading(page)).to_have_text("Inloggen")
    settle(page)

    # The login form: Tab to the e-mail field, type, Tab, type, Enter sends the form.
    tab_to(page, page.get_by_label("E-mailadres"))
    keyboard.type(me.email)
    keyboard.press("Tab")
    expect(page.get_by_label("Wachtwoord", exact=True)).to_be_focused()
    keyboard.type(me.password)
    keyboard.press("Enter")
    expect(page).to_have_url(PROFILE_URL)
    expect(heading(page)).to_have_text(me.name)
    settle(page)

    # The main menu's link to the directory.
    tab_to(page, page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Leden"))
    keyboard.press("Enter")
    expect(heading(page)).to_have_text("Zoek een lid")
    expect(page.get_by_role("status").filter(has_text="gevonden")).to_have_text("3 leden gevonden")
    settle(page)

    # Search for an Ik bied tag: the list updates while typing.
    tab_to(page, page.get_by_label("Zoeken", exact=True))
    keyboard.type("woo-verzoek")
    expect(page.locator("#result-count")).to_have_text("1 lid gevonden")
    expect(page).to_have_url(re.compile(r"/leden\?q=woo-verzoek"))
    found = page.get_by_role("link", name=expert.name)
    expect(found).to_be_visible()
    expect(page.get_by_role("link", name="Bram Bakker")).to_have_count(0)

    # Tab on to the member found and open the profile.
    tab_to(page, found)
    keyboard.press("Enter")
    expect(heading(page)).to_have_text(expert.name)
    expect(page.get_by_text("Provincie Utrecht")).to_be_visible()
    expect(page.get_by_role("region", name="Ik bied")).to_contain_text("Woo-verzoeken afhandelen")
    settle(page)

    # Back up to the header's log out button (Shift+Tab), and press it with Space.
    logout = page.get_by_role("button", name="Uitloggen")
    tab_to(page, page.get_by_role("region", name="Ik bied").get_by_role("link").first)
    tab_to(page, logout, key="Shift+Tab")
    keyboard.press("Space")
    expect(flash(page)).to_contain_text("Je bent uitgelogd.")
    expect(page.get_by_role("banner").get_by_role("link", name="Inloggen")).to_be_visible()
    settle(page)
