"""The home page as the loop in Chromium (issue 16): a new member confirms, lands on the welcome,
does the three steps, and finds their own dilemma under "Jouw beurt" once a reply arrives; a
visitor sees public lessons and what members see; the small-screen menu, with the keyboard and
without JavaScript; screenshots of the home as visitor, new member and active member."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import (
    add_activity,
    flash,
    heading,
    log_in,
    mail_link,
    settle,
    tab_to,
    visit,
)

NAME, EMAIL, PASSWORD = "Roos Verbeek", "roos.verbeek@example.org", "herfst in het bos van ede"
PHONE = {"width": 390, "height": 844}


def _register_and_confirm(page, mailbox) -> None:
    visit(page, "/registreren", "Word lid van de alliantie")
    page.get_by_label("Je naam").fill(NAME)
    page.get_by_label("E-mailadres").fill(EMAIL)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord nog een keer").fill(PASSWORD)
    page.get_by_label("Ik ga akkoord met de huisregels en de privacyverklaring.").check()
    page.get_by_role("button", name="Account aanmaken").click()
    expect(page).to_have_url(re.compile(r"/registreren/kijk-in-je-mail$"))
    settle(page)
    page.goto(mail_link(mailbox, EMAIL, "/registreren/bevestigen/"))
    settle(page)
    page.get_by_role("button", name="Bevestig mijn e-mailadres").click()


def test_new_member_confirms_does_the_three_steps_and_gets_their_turn(
    app, page, mailbox, make_member, make_item
):
    make_item(title="Hoe maken we besluiten begrijpelijk?", themes=["open-communicatie"])
    _register_and_confirm(page, mailbox)

    # Confirming logs in and leads to the welcome.
    expect(page).to_have_url(re.compile(r"/welkom$"))
    expect(heading(page)).to_have_text(f"Welkom bij de alliantie, {NAME}")
    expect(flash(page)).to_contain_text("Je e-mailadres is bevestigd. Welkom!")
    expect(page.get_by_text("0 van 3 stappen gedaan")).to_be_visible()
    settle(page, "(welcome)")
    screenshot(page, "home-welcome-1280")
    page.set_viewport_size(PHONE)
    screenshot(page, "home-welcome-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Step 1: the profile, and back to the welcome.
    page.get_by_role("link", name="Maak je profiel af").click()
    expect(heading(page)).to_have_text("Je profiel bewerken")
    settle(page)
    page.get_by_role("textbox", name="Organisatie").fill("Provincie Gelderland")
    page.get_by_role("combobox", name="Perspectief").select_option(label="Beleid")
    page.get_by_role("textbox", name="Ik bied").fill("Begrijpelijke brieven")
    page.get_by_role("button", name="Profiel opslaan").click()
    expect(page).to_have_url(re.compile(r"/welkom$"))
    expect(page.get_by_text("1 van 3 stappen gedaan")).to_be_visible()
    settle(page, "(welcome after the profile)")

    # Step 2: themes, with the keyboard alone.
    themes = page.get_by_role("group", name="Thema’s om te volgen")
    checkbox = themes.get_by_label("Open Communicatie")
    tab_to(page, checkbox)
    page.keyboard.press("Space")
    expect(checkbox).to_be_checked()
    button = page.get_by_role("button", name="Deze thema’s volgen")
    tab_to(page, button)
    page.keyboard.press("Enter")
    expect(page.get_by_text("2 van 3 stappen gedaan")).to_be_visible()
    expect(flash(page)).to_contain_text("Je volgt deze thema’s nu.")
    settle(page, "(welcome after the themes)")
    # A question picked for them: an open dilemma in their theme without their perspective.
    expect(page.get_by_role("link", name="Hoe maken we besluiten begrijpelijk?")).to_be_visible()

    # Step 3: a first dilemma.
    page.get_by_role("link", name="Deel een dilemma").first.click()
    expect(heading(page)).to_have_text("Deel een dilemma")
    settle(page)
    page.get_by_label("Titel", exact=True).fill("Mogen we de conceptbrieven delen?")
    page.get_by_label("Het dilemma", exact=True).fill("Openheid tegen ruimte om te denken.")
    page.get_by_role("button", name="Publiceren").click()
    expect(heading(page)).to_have_text("Mogen we de conceptbrieven delen?")
    item_id = int(re.search(r"/kennisbank/(\d+)", page.url).group(1))
    settle(page)
    visit(page, "/welkom")
    expect(page.get_by_text("3 van 3 stappen gedaan")).to_be_visible()

    # The home page: the steps are done; nothing of theirs waits yet.
    visit(page, "/", "Wat kun je nu doen?")
    expect(page.get_by_role("region", name="Je eerste stappen")).to_have_count(0)
    expect(page.get_by_role("region", name="Jouw beurt")).to_have_count(0)

    # A reply arrives: their dilemma is their turn.
    add_activity(app, make_member(name="Bram Kuipers"), replied=[item_id])
    visit(page, "/", "Wat kun je nu doen?")
    turn = page.get_by_role("region", name="Jouw beurt")
    expect(turn.get_by_role("link", name="Mogen we de conceptbrieven delen?")).to_be_visible()
    expect(turn).to_contain_text("Wacht op jouw besluit: 1 reactie")
    screenshot(page, "home-new-member-1280")
    page.set_viewport_size(PHONE)
    settle(page)
    screenshot(page, "home-new-member-390")


def test_visitor_sees_public_lessons_and_what_members_see(app, page, make_member, make_item):
    from alliance.pages.home import forget_visitor_counts

    author = make_member()
    public = make_item(author=author, visibility="public", title="Openbare les: het Woo-register")
    members = make_item(author=author, title="Les voor leden: het zaaksysteem")
    add_activity(app, author, evaluated=[public, members])
    forget_visitor_counts()
    visit(page, "/", "Leer van elkaar over open overheid")
    closed = page.get_by_role("region", name="Recent besloten en geleerd")
    expect(closed.get_by_role("link", name="Openbare les: het Woo-register")).to_be_visible()
    expect(page.get_by_text("Les voor leden")).to_have_count(0)
    expect(page.get_by_role("region", name="Wat leden zien")).to_contain_text(
        "en 1 meer alleen voor leden."
    )
    screenshot(page, "home-visitor-1280")
    page.get_by_role("link", name="Alle openbare lessen").click()
    expect(heading(page)).to_have_text("Lessen")
    settle(page, "(lessons)")
    screenshot(page, "lessons-1280")

    # On a phone the header is one row and the menu folds away behind a disclosure button.
    page.set_viewport_size(PHONE)
    visit(page, "/")
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] < 120, header.bounding_box()
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_hidden()
    screenshot(page, "home-visitor-390")
    tab_to(page, menu)
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    expect(nav.get_by_role("link", name="Kennisbank")).to_be_visible()
    page.check_a11y("(menu open on a phone)")
    screenshot(page, "home-visitor-390-menu")


def test_without_javascript_the_menu_link_opens_the_menu(page_without_js, make_member, make_item):
    page = page_without_js
    page.set_viewport_size(PHONE)
    page.goto("/")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    expect(nav).to_be_hidden()
    expect(page.get_by_role("button", name="Menu")).to_have_count(0)
    page.get_by_role("link", name="Menu").click()
    expect(nav.get_by_role("link", name="Kennisbank")).to_be_visible()
    expect(page.get_by_role("region", name="Wat leden zien")).to_contain_text("alleen voor leden")
    # The welcome works without JavaScript too.
    member = make_member(welcomed=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(member.email)
    page.get_by_label("Wachtwoord", exact=True).fill(member.password)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page).to_have_url(re.compile(r"/welkom$"))
    page.get_by_role("group", name="Thema’s om te volgen").get_by_label("Open Inkoop").check()
    page.get_by_role("button", name="Deze thema’s volgen").click()
    expect(page.get_by_text("1 van 3 stappen gedaan")).to_be_visible()
    page.get_by_role("button", name="Ik heb deze stappen niet nodig").click()
    expect(page.get_by_role("heading", name="Wat kun je nu doen?")).to_be_visible()
    expect(page.get_by_role("region", name="Je eerste stappen")).to_have_count(0)


def test_active_member_home_screenshots(app, page, make_member, make_item):
    """An active member with everything filled: their turn, knowledge asked, closed loops,
    working groups and agenda."""
    from datetime import timedelta

    from alliance.core.timeutil import utcnow
    from alliance.extensions import db
    from alliance.groups import services as groups
    from alliance.groups import space
    from alliance.knowledge.models import Item
    from alliance.members.models import Member
    from alliance.notify.matching import ask_to_help

    me = make_member(
        name="Sanne de Jong",
        perspective="uitvoering",
        organisation="Gemeente Utrecht",
        themes=["open-informatie"],
        offers=["Woo-verzoeken"],
    )
    others = [
        make_member(name=n, perspective=p)
        for n, p in (
            ("Bram Kuipers", "beleid"),
            ("Kim Blom", "onderzoek"),
            ("Ali Yilmaz", "maatschappij"),
        )
    ]
    mine = make_item(
        author=me, title="Publiceren we de agenda's van de wethouders?", themes=["open-informatie"]
    )
    decided = make_item(
        author=me, title="Een Woo-contactpersoon per team?", themes=["open-informatie"]
    )
    asked = make_item(
        author=others[0],
        title="Hoe lakken we persoonsgegevens in bijlagen?",
        themes=["open-informatie"],
    )
    make_item(
        author=others[1],
        title="Actieve openbaarmaking: waar beginnen we?",
        themes=["open-informatie"],
    )
    lessons = [
        make_item(author=others[2], visibility="public", title=title, themes=["open-informatie"])
        for title in ("Het algoritmeregister bijhouden", "Brieven op B1-niveau")
    ]
    add_activity(app, others[1], replied=[mine, decided])
    add_activity(app, me, decided=[decided])
    add_activity(app, others[2], evaluated=lessons)
    with app.test_request_context(method="POST"):
        member = db.session.get(Member, me.id)
        ask_to_help(db.session.get(Item, asked), db.session.get(Member, others[0].id), me.id)
        group = groups.start_group(
            member,
            groups.GroupChange(
                name="Werkgroep Woo-register",
                opgave="Eén register",
                deliverable="Een datamodel",
                ends_on=utcnow().date() + timedelta(days=120),
                join_policy="open",
            ),
        )
        space.add_task(
            group,
            member,
            "Velden afstemmen met de provincie",
            me.id,
            utcnow().date() + timedelta(days=3),
        )
        db.session.commit()
        db.session.remove()
    log_in(page, me)
    visit(page, "/", "Wat kun je nu doen?")
    for region in (
        "Jouw beurt",
        "Hier wordt jouw kennis gevraagd",
        "Recent besloten en geleerd",
        "Mijn werkgroepen",
    ):
        expect(page.get_by_role("region", name=region)).to_be_visible()
    screenshot(page, "home-active-member-1280")
    page.set_viewport_size(PHONE)
    settle(page)
    screenshot(page, "home-active-member-390")
