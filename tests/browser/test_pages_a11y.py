"""Every page type through axe-core, in Dutch and English, logged out and logged in as member,
coordinator and administrator; and the forms with their errors shown.

One browser context per case; every page is checked when it has loaded (``settle``): a page
visited, and a form sent back with errors."""

import re

import pytest
from playwright.sync_api import expect

from alliance.core.timeutil import utcnow
from tests.browser.helpers import heading, log_in, settle, switch_language, visit

LANGUAGES = ["nl", "en"]

#: The main heading of each page, in Dutch and English.
TITLES = {
    "home": ("Leer van elkaar over open overheid", "Learn from each other about open government"),
    "home_member": ("Wat kun je nu doen?", "What can you do now?"),
    "welcome": ("Welkom bij de alliantie, {me}", "Welcome to the alliance, {me}"),
    "lessons": ("Lessen", "Lessons"),
    "coordination": ("Coördinatie", "Coordination"),
    "themes": ("Thema's", "Themes"),
    "theme": ("Open Informatie", "Open Information"),
    "toegankelijkheid": ("Toegankelijkheidsverklaring", "Accessibility statement"),
    "privacy": ("Privacyverklaring", "Privacy statement"),
    "huisregels": ("Huisregels", "House rules"),
    "contact": ("Contact", "Contact"),
    "login": ("Inloggen", "Log in"),
    "register": ("Word lid van de alliantie", "Join the alliance"),
    "check_mail": ("Kijk in je e-mail", "Check your e-mail"),
    "forgot": ("Wachtwoord vergeten?", "Forgot your password?"),
    "link_invalid": ("Deze link werkt niet (meer)", "This link does not work (any more)"),
    "directory": ("Zoek een lid", "Find a member"),
    "edit_profile": ("Je profiel bewerken", "Edit your profile"),
    "settings": ("Accountinstellingen", "Account settings"),
    "invite": ("Iemand uitnodigen", "Invite someone"),
    "manage": ("Thema's beheren", "Manage themes"),
    "edit_theme": ("Open Informatie bewerken", "Edit Open Information"),
    "roles": ("Rollen", "Roles"),
    "agenda": ("Agenda", "Agenda"),
    "agenda_reports": ("Verslagen", "Reports"),
    "agenda_new": ("Meld een bijeenkomst aan", "Propose an event"),
    "agenda_mine": ("Mijn bijeenkomsten", "My events"),
    "agenda_review": ("Voorstellen om te beoordelen", "Proposals to review"),
    "404": ("Pagina niet gevonden", "Page not found"),
    "403": ("Geen toegang", "No access"),
    "open_data": ("Open data", "Open data"),
    "jaarbeeld": (f"Jaarbeeld {utcnow().year}", f"The year {utcnow().year} at a glance"),
    "health": ("Gezondheid van het netwerk", "Network health"),
}

ONE_PROBLEM = ("Er is 1 fout in het formulier.", "There is 1 problem in the form.")
TWO_PROBLEMS = ("Er zijn 2 fouten in het formulier.", "There are 2 problems in the form.")


def field_error(page, text):
    """The error message shown next to a field."""
    return page.locator(".field-error", has_text=text)


# --- forms sent with errors: the errors show, what was typed stays ---------------------------


def register_with_errors(page, en, other):
    """A password too short and not the same (both shown at once), then only too short."""
    name = page.get_by_label("Your name" if en else "Je naam")
    email = page.get_by_label("E-mail address" if en else "E-mailadres")
    password = page.get_by_label("Password" if en else "Wachtwoord", exact=True)
    again = page.get_by_label("Password again" if en else "Wachtwoord nog een keer")
    send = page.get_by_role("button", name="Create account" if en else "Account aanmaken")
    name.fill("Joost Fout")
    email.fill("joost@example.org")
    password.fill("kort")
    again.fill("anders")
    page.get_by_role("checkbox").check()
    send.click()
    expect(page.get_by_role("alert")).to_contain_text(TWO_PROBLEMS[en])
    expect(
        field_error(
            page,
            "The passwords are not the same." if en else "De wachtwoorden zijn niet hetzelfde.",
        )
    ).to_be_visible()
    expect(
        field_error(page, "Use at least 12 characters." if en else "Gebruik minstens 12 tekens.")
    ).to_be_visible()
    expect(again).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_value("Joost Fout")
    expect(email).to_have_value("joost@example.org")
    expect(page.get_by_role("checkbox")).to_be_checked()
    settle(page, "(registration: passwords not the same)")

    password.fill("kort")
    again.fill("kort")
    send.click()
    expect(page.get_by_role("alert")).to_contain_text(ONE_PROBLEM[en])
    expect(
        field_error(page, "Use at least 12 characters." if en else "Gebruik minstens 12 tekens.")
    ).to_be_visible()
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_value("Joost Fout")
    expect(email).to_have_value("joost@example.org")
    settle(page, "(registration: password too short)")


def log_in_with_wrong_password(page, en, other):
    email = page.get_by_label("E-mail address" if en else "E-mailadres")
    email.fill(other.email)
    page.get_by_label("Password" if en else "Wachtwoord", exact=True).fill("niet mijn wachtwoord")
    page.get_by_role("button", name="Log in" if en else "Inloggen", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(ONE_PROBLEM[en])
    expect(
        field_error(
            page,
            "The e-mail address or password is not right"
            if en
            else "Het e-mailadres of wachtwoord klopt niet",
        )
    ).to_be_visible()
    expect(email).to_have_value(other.email)
    settle(page, "(login: wrong password)")


def save_profile_with_errors(page, en, other):
    """An Ik bied item of 61 characters."""
    too_long = "Begeleiding bij Woo-verzoeken van gemeenten en waterschappen!"
    assert len(too_long) == 61
    offers = page.get_by_role("textbox", name="I offer" if en else "Ik bied")
    seeks = page.get_by_role("textbox", name="I look for" if en else "Ik zoek")
    organisation = page.get_by_role("textbox", name="Organisation" if en else "Organisatie")
    offers.fill(f"archiefwet, {too_long}")
    seeks.fill("open source")
    organisation.fill("Waterschap Vallei en Veluwe")
    page.get_by_role("button", name="Save profile" if en else "Profiel opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text(ONE_PROBLEM[en])
    expect(
        field_error(
            page,
            "Use at most 60 characters per item"
            if en
            else "Gebruik per onderwerp niet meer dan 60 tekens",
        )
    ).to_be_visible()
    expect(offers).to_have_attribute("aria-invalid", "true")
    expect(offers).to_have_value(f"archiefwet, {too_long}")
    expect(seeks).to_have_value("open source")
    expect(organisation).to_have_value("Waterschap Vallei en Veluwe")
    settle(page, "(profile: item too long)")


#: What each kind of visitor can reach: (path, title key or a member's name, HTTP status, and
#: optionally a form to send with errors there). Pages that only differ by the header (info
#: pages logged in, say) are checked once.
PAGES = {
    "visitor": [
        ("/", "home", 200),
        ("/themas/", "themes", 200),
        ("/themas/open-informatie", "theme", 200),
        ("/toegankelijkheid", "toegankelijkheid", 200),
        ("/privacy", "privacy", 200),
        ("/huisregels", "huisregels", 200),
        ("/contact", "contact", 200),
        ("/inloggen", "login", 200, log_in_with_wrong_password),
        ("/registreren", "register", 200, register_with_errors),
        ("/registreren/kijk-in-je-mail", "check_mail", 200),
        ("/wachtwoord-vergeten", "forgot", 200),
        ("/wachtwoord-herstellen/geen-geldige-link", "link_invalid", 400),
        ("/leden/{public}", "{public_name}", 200),
        ("/agenda/", "agenda", 200),
        ("/agenda/verslagen", "agenda_reports", 200),
        ("/lessen", "lessons", 200),
        ("/open-data", "open_data", 200),
        ("/jaarbeeld", "jaarbeeld", 200),
        ("/bestaat-niet", "404", 404),
    ],
    "member": [
        ("/", "home_member", 200),
        ("/welkom", "welcome", 200),
        ("/lessen", "lessons", 200),
        ("/themas/open-informatie", "theme", 200),
        ("/leden", "directory", 200),
        ("/leden?q=blockchain", "directory", 200),
        ("/leden/{other}", "{other_name}", 200),
        ("/account", "settings", 200),
        ("/uitnodigen", "403", 403),
        ("/profiel/bewerken", "edit_profile", 200, save_profile_with_errors),
        ("/agenda/nieuw", "agenda_new", 200),
        ("/agenda/mijn", "agenda_mine", 200),
    ],
    "coordinator": [
        ("/themas/", "themes", 200),
        ("/uitnodigen", "invite", 200),
        ("/themas/beheer", "manage", 200),
        ("/themas/open-informatie/bewerken", "edit_theme", 200),
        ("/agenda/beoordelen", "agenda_review", 200),
        ("/coordinatie", "coordination", 200),
        ("/coordinatie/gezondheid", "health", 200),
    ],
    "admin": [
        ("/account", "settings", 200),
        ("/beheer/rollen", "roles", 200),
        ("/beheer/rollen?q=lid", "roles", 200),
    ],
}


def people(make_member):
    """Members with something on their profile, one of them partly public."""
    other = make_member(
        name="Anouk Jansen",
        organisation="Provincie Utrecht",
        organisation_type="provincie",
        perspective="uitvoering",
        themes=["open-informatie", "open-technologie"],
        offers=["Woo-verzoeken afhandelen", "archiefwet"],
        seeks=["open source inkoop"],
        bio="Ik werk aan **openbaarmaking**.",
    )
    public = make_member(
        name="Pieter Smit",
        organisation="Gemeente Deventer",
        offers=["actieve openbaarmaking"],
        themes=["open-informatie"],
        public_fields=["organisation", "offers", "themes"],
    )
    make_member(name="Carla Coördinator", role="coordinator")
    return other, public


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("role", list(PAGES))
def test_every_page_type(page, make_member, role, lang):
    other, public = people(make_member)
    en = lang == "en"
    if role == "visitor":
        visit(page, "/", TITLES["home"][0])
        me = None
    else:
        # Logging in is where a member starts; the own profile is the page after it.
        visit(page, "/inloggen", TITLES["login"][0])
        me = make_member(name=f"Sam {role.title()}", role=role, offers=["Toegankelijkheid toetsen"])
    if en:
        switch_language(page, "en")
    if me:
        log_in(page, me, lang=lang, open_form=False)
        expect(page.get_by_role("region", name="I offer" if en else "Ik bied")).to_contain_text(
            "Toegankelijkheid toetsen"
        )
    names = {
        "public": public.id,
        "public_name": public.name,
        "other": other.id,
        "other_name": other.name,
    }

    for path, title, status, *form_with_errors in PAGES[role]:
        if path == "/" and role == "visitor":
            continue  # seen above
        path = path.format(**names)
        text = title.format(**names) if "{" in title else TITLES[title][en]
        text = text.format(me=me.name if me else "")
        visit(page, path, text, status)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        for send_with_errors in form_with_errors:
            send_with_errors(page, en, other)

    if role == "visitor":
        # The directory is for members: a visitor is sent to the login form.
        page.goto("/leden")
        expect(page).to_have_url(re.compile(r"/inloggen\?next=%2Fleden"))
        expect(heading(page)).to_have_text(TITLES["login"][en])
        settle(page, "(login after redirect)")
