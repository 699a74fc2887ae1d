"""The agenda in Chromium: a member proposes a meedenksessie, a coordinator approves it (with
the keyboard), two members take the last place at the same moment and one lands on the
waiting list, the one with the place cancels and the other moves up (and is told), the
organiser writes the report linking a dilemma, and the .ics file imports. With htmx and axe on
every page and after every swap, and the same flow again without JavaScript."""

import re
from datetime import timedelta

from icalendar import Calendar
from playwright.sync_api import expect

from alliance.agenda.services import utc_to_local
from alliance.core.timeutil import utcnow
from tests.browser.conftest import screenshot
from tests.browser.helpers import heading, log_in, second_step, settle, switch_user, tab_to

TITLE = "Meedenksessie Open Inkoop: samen open source kopen"
DILEMMA = "Open source kopen: wie beheert de code daarna?"
PLACE_TAKEN = re.compile(r"Je bent aangemeld\.|Je staat op de wachtlijst, nummer 1\.")


def notice(page):
    """The flashed messages (the sign-up part has a status region of its own)."""
    return page.locator(".flashes")


def _local(days: int, hour: int) -> str:
    day = utc_to_local(utcnow()).date() + timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00"


def _login_plain(page, member) -> None:
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(member.email)
    page.get_by_label("Wachtwoord", exact=True).fill(member.password)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.wait_for_load_state()
    if page.url.endswith("/inloggen/code"):  # coordinators log in in two steps
        second_step(page, axe=False)
    expect(heading(page)).to_have_text(member.name)


def _switch(page, member, with_js: bool) -> None:
    if with_js:
        switch_user(page, member)
    else:
        page.get_by_role("button", name="Uitloggen").click()
        _login_plain(page, member)


def _propose(page, check) -> str:
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Agenda").click()
    expect(heading(page)).to_have_text("Agenda")
    check(page, "(agenda)")
    page.get_by_role("link", name="Meld een bijeenkomst aan").first.click()
    expect(heading(page)).to_have_text("Meld een bijeenkomst aan")
    check(page, "(propose form)")
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Begin", exact=True).fill(_local(9, 14))
    page.get_by_label("Einde", exact=True).fill(_local(9, 12))  # before the start: refused
    page.get_by_label("Plaats", exact=True).fill("Den Haag, Turfmarkt 147")
    page.get_by_label("Aantal plaatsen").fill("1")
    page.get_by_role("button", name="Voorstel versturen").click()
    expect(page.locator("#ends_at-error")).to_have_text("Het einde moet na het begin liggen.")
    expect(page.get_by_label("Titel")).to_have_value(TITLE)  # nothing typed is lost
    check(page, "(form with an error)")
    page.get_by_label("Einde", exact=True).fill(_local(9, 16))
    page.get_by_role("button", name="Voorstel versturen").click()
    expect(notice(page)).to_contain_text("Een coördinator bekijkt je voorstel snel.")
    expect(heading(page)).to_have_text(TITLE)
    check(page, "(proposed event)")
    return re.search(r"/agenda/\d+", page.url).group(0)


def _write_report(page, app, path: str, dilemma_id: int, check) -> None:
    from alliance.agenda.models import Event
    from alliance.extensions import db

    with app.app_context():  # the session took place
        event = db.session.get(Event, int(path.rsplit("/", 1)[1]))
        event.starts_at = utcnow() - timedelta(hours=3)
        event.ends_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    page.goto(path)
    check(page, "(event after it started)")
    page.get_by_role("link", name="Verslag schrijven").click()
    check(page, "(report form)")
    page.get_by_label("Verslag", exact=True).fill("We spraken over **beheer** van open source.")
    page.get_by_label("Wat het opleverde").fill(f"/kennisbank/{dilemma_id}")
    page.get_by_role("button", name="Verslag publiceren").click()
    expect(notice(page)).to_contain_text("Het verslag staat op de pagina van de bijeenkomst.")
    report = page.locator("#verslag")
    expect(report.get_by_role("link", name=DILEMMA)).to_be_visible()
    expect(report.locator("strong")).to_have_text("beheer")
    check(page, "(event with report)")


def test_agenda_flow_with_htmx_and_keyboard(
    page, browser, live_server, app, make_member, make_item, mailbox
):
    olga = make_member(name="Olga Organisator")
    coby = make_member(name="Coby Coördinator", role="coordinator")
    bram, carla = make_member(name="Bram Bezoeker"), make_member(name="Carla Collega")
    dilemma = make_item(title=DILEMMA, author=olga, visibility="members")

    log_in(page, olga)
    path = _propose(page, settle)

    # The coordinator approves, with the keyboard alone.
    switch_user(page, coby)
    page.goto("/agenda/beoordelen")
    settle(page, "(review list)")
    page.get_by_role("link", name=TITLE).click()
    expect(heading(page)).to_have_text(TITLE)
    settle(page, "(event to review)")
    tab_to(page, page.get_by_role("button", name="Goedkeuren: zet in de agenda"))
    page.keyboard.press("Enter")
    expect(notice(page)).to_contain_text("De bijeenkomst staat in de agenda.")
    settle(page, "(approved)")
    assert "in de agenda" in mailbox.to(olga.email)[0]["Subject"]

    # Bram and Carla take the last (only) place at the same moment, in two browsers.
    switch_user(page, bram)
    page.goto(path)
    settle(page, "(event, before signing up)")
    other = browser.new_context(base_url=live_server, locale="nl-NL")
    try:
        carla_page = other.new_page()
        _login_plain(carla_page, carla)
        carla_page.goto(path)
        press = "() => document.querySelector('#signup button[type=submit]').click()"
        page.evaluate(press)
        carla_page.evaluate(press)
        for each in (page, carla_page):
            expect(each.locator("#signup")).to_contain_text(PLACE_TAKEN)
        page.check_a11y("(after signing up, htmx swap)")
        screenshot(page, "agenda-event-signed-up")
        bram_has_it = "Je bent aangemeld." in page.locator("#signup").inner_text()
        carla_has_it = "Je bent aangemeld." in carla_page.locator("#signup").inner_text()
        assert bram_has_it != carla_has_it, "exactly one of them has the place"

        # The one with the place cancels; the other moves up and is told.
        mailbox.clear()
        if bram_has_it:
            tab_to(page, page.get_by_role("button", name="Afmelden"))
            page.keyboard.press("Enter")
            expect(page.locator("#signup")).to_contain_text("Je bent afgemeld.")
            page.check_a11y("(after cancelling, htmx swap)")
            carla_page.reload()
            expect(carla_page.locator("#signup")).to_contain_text("Je bent aangemeld.")
            moved = carla
        else:
            carla_page.get_by_role("button", name="Afmelden").click()
            expect(carla_page.locator("#signup")).to_contain_text("Je bent afgemeld.")
            page.reload()
            expect(page.locator("#signup")).to_contain_text("Je bent aangemeld.")
            settle(page, "(moved up)")
            moved = bram
        (told,) = mailbox.to(moved.email)
        assert "Er is een plek voor je" in told["Subject"]
    finally:
        other.close()

    # The iCalendar file imports.
    response = page.request.get(f"{path}.ics")
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    (entry,) = Calendar.from_ical(response.body()).walk("VEVENT")
    assert str(entry["SUMMARY"]) == TITLE
    assert str(entry["LOCATION"]) == "Den Haag, Turfmarkt 147"

    # The month view shows it in a table.
    page.get_by_role("link", name="Agenda", exact=True).first.click()
    settle(page, "(agenda with the event)")
    page.get_by_role("navigation", name="Weergaven van de agenda").get_by_role(
        "link", name="Maand"
    ).click()
    settle(page, "(month view)")

    switch_user(page, olga)
    _write_report(page, app, path, dilemma, settle)
    screenshot(page, "agenda-event-report")


def test_agenda_flow_without_javascript(page_without_js, app, make_member, make_item, mailbox):
    page = page_without_js
    olga = make_member(name="Olga Organisator")
    coby = make_member(name="Coby Coördinator", role="coordinator")
    bram, carla = make_member(name="Bram Bezoeker"), make_member(name="Carla Collega")
    dilemma = make_item(title=DILEMMA, author=olga, visibility="members")
    skip = lambda *_args: None  # noqa: E731  (axe needs JavaScript)

    _login_plain(page, olga)
    path = _propose(page, skip)
    _switch(page, coby, with_js=False)
    page.goto(path)
    page.get_by_role("button", name="Goedkeuren: zet in de agenda").click()
    expect(notice(page)).to_contain_text("De bijeenkomst staat in de agenda.")

    _switch(page, bram, with_js=False)
    page.goto(path)
    page.get_by_role("button", name="Meld me aan").click()
    expect(notice(page)).to_contain_text("Je bent aangemeld.")
    _switch(page, carla, with_js=False)
    page.goto(path)
    page.get_by_role("button", name="Zet me op de wachtlijst").click()
    expect(notice(page)).to_contain_text("je staat op de wachtlijst")
    expect(page.locator("#signup")).to_contain_text("Je staat op de wachtlijst, nummer 1.")

    _switch(page, bram, with_js=False)
    page.goto(path)
    page.get_by_role("button", name="Afmelden").click()
    expect(notice(page)).to_contain_text("Je bent afgemeld.")
    _switch(page, carla, with_js=False)
    page.goto(path)
    expect(page.locator("#signup")).to_contain_text("Je bent aangemeld.")

    _switch(page, olga, with_js=False)
    _write_report(page, app, path, dilemma, skip)


def test_agenda_pages_look_right_on_desktop_and_mobile(page, app, make_member, mailbox):
    """Screenshots of the list, the month view and the form (checked by axe as well)."""
    from alliance.agenda import services
    from alliance.extensions import db
    from alliance.members.models import Member
    from alliance.themes.models import Theme

    olga = make_member(name="Olga Organisator")
    with app.test_request_context(method="POST"):
        theme = db.session.scalar(db.select(Theme).where(Theme.slug == "open-inkoop"))
        for days, title, capacity in (
            (2, "Meedenksessie Open Inkoop", 2),
            (4, "Webinar: open source in het zaaksysteem", None),
            (4, "Bijeenkomst: brieven op B1-niveau schrijven", 20),
        ):
            start = utc_to_local(utcnow()).replace(hour=14, minute=0, second=0, microsecond=0)
            event = services.propose_event(
                db.session.get(Member, olga.id),
                services.EventChange(
                    title=title,
                    kind="meedenksessie",
                    starts_at=start + timedelta(days=days),
                    ends_at=start + timedelta(days=days, hours=2),
                    location="Utrecht, Stadskantoor",
                    capacity=capacity,
                    visibility="public",
                    theme_ids=[theme.id],
                ),
            )
            event.state = "approved"
        db.session.commit()
    log_in(page, olga)
    for path, name in (("/agenda/", "agenda-list"), ("/agenda/maand", "agenda-month")):
        for size, viewport in {
            "desktop": {"width": 1280, "height": 900},
            "mobile": {"width": 375, "height": 812},
        }.items():
            page.set_viewport_size(viewport)
            page.goto(path)
            settle(page, f"({path} {size})")
            screenshot(page, f"{name}-{size}")
            wide = []
            overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
            if overflow > 0:
                wide = page.evaluate(
                    "() => [...document.querySelectorAll('body *')].map(e => [e.tagName + '.' + "
                    "e.className, Math.round(e.getBoundingClientRect().right), e.scrollWidth, "
                    "getComputedStyle(e).overflowX]).filter(x => x[1] > 380 || x[2] > 380)"
                    ".slice(0, 12)"
                )
            assert overflow <= 0, f"{path} ({size}) scrolls {overflow}px sideways: {wide}"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/agenda/nieuw")
    page.get_by_role("button", name="Voorstel versturen").click()
    expect(page.locator("#title-error")).to_be_visible()
    settle(page, "(form with errors)")
    screenshot(page, "agenda-form-errors")
