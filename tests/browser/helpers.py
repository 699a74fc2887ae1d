"""Helpers for the browser tests: waiting for the automatic axe run of a page, logging in through
the form, switching language with the header button, reading links from the loopback mailbox,
and moving focus with the keyboard alone.

Why ``settle``: axe runs in the page after every load (see ``AXE_ON_LOAD`` in conftest) and
reports violations to the fixture, which fails the test at its end. ``settle`` waits for the
run of the page now shown and fails at once, so a failure points at the step that caused it.
"""

import re
import time

from playwright.sync_api import Page, expect

from tests.browser.conftest import AxeViolations, describe

LABELS = {
    "nl": {"email": "E-mailadres", "password": "Wachtwoord", "log_in": "Inloggen"},
    "en": {"email": "E-mail address", "password": "Password", "log_in": "Log in"},
}

PROFILE_URL = re.compile(r"/leden/\d+$")


def settle(page: Page, context: str = "") -> None:
    """Wait for the automatic axe run of the page now shown; fail on its violations.

    Call it after the test has seen the new page (an ``expect`` on its URL or heading), so it
    is not the previous page that is checked."""
    page.wait_for_function(
        "() => document.readyState === 'complete' && window.__axeOnLoad", timeout=10_000
    )
    violations = page.evaluate("() => window.__axeOnLoad")
    if violations:
        raise AxeViolations(describe(page.url, violations, context))


def check_now(page: Page, context: str) -> None:
    """Run axe on the page as it is now (after an htmx swap), after any run still busy."""
    page.check_a11y(context)


def visit(page: Page, path: str, title: str | None = None, status: int = 200) -> None:
    """Open ``path``, expect the HTTP status and the main heading, and let axe check the page."""
    response = page.goto(path)
    assert response is not None and response.status == status, (
        f"{path}: HTTP {response.status if response else None}, expected {status}"
    )
    if title is not None:
        expect(heading(page)).to_have_text(title)
    settle(page, f"({path})")


def heading(page: Page):
    """The page's main heading."""
    return page.get_by_role("heading", level=1)


def flash(page: Page):
    """The flashed messages at the top of the main content (a status region). The header's
    search box has a status region of its own, so a bare ``get_by_role("status")`` is
    ambiguous."""
    return page.get_by_role("main").get_by_role("status")


def log_in(
    page: Page, member, password: str | None = None, lang: str = "nl", open_form: bool = True
) -> None:
    """Log in through the login form (opened first, unless the page shows it already); the
    member lands on their own profile."""
    words = LABELS[lang]
    if open_form:
        visit(page, "/inloggen")
    page.get_by_label(words["email"]).fill(member.email)
    page.get_by_label(words["password"], exact=True).fill(password or member.password)
    page.get_by_role("button", name=words["log_in"], exact=True).click()
    page.wait_for_load_state()
    if page.url.endswith("/inloggen/code"):
        second_step(page, lang)
    expect(page).to_have_url(PROFILE_URL)
    expect(heading(page)).to_have_text(member.name)
    settle(page, "(after logging in)")


def second_step(page: Page, lang: str = "nl", axe: bool = True) -> None:
    """Type the app's code on the second login step. A code works once: when this period's
    code was used already (two logins within 30 seconds), the next period's code is accepted.
    ``axe=False`` for a page without JavaScript (axe cannot run there)."""
    from tests.conftest import totp_code

    if axe:
        settle(page, "(second login step)")
    for steps_ahead in (0, 1):
        page.get_by_label("Code" if lang == "en" else "Code", exact=True).fill(
            totp_code(steps_ahead=steps_ahead)
        )
        page.get_by_role("button", name=LABELS[lang]["log_in"], exact=True).click()
        page.wait_for_load_state()
        if not page.url.endswith("/inloggen/code"):
            return
    raise AssertionError("the second login step refused the code")


def open_menu(page: Page) -> None:
    """On a small screen the header's links and buttons fold away behind "Menu": open it, as a
    person on a phone would (nothing to do on a wide screen)."""
    menu = page.locator(".menu-button")
    if menu.is_visible() and menu.get_attribute("aria-expanded") != "true":
        menu.click()
        expect(menu).to_have_attribute("aria-expanded", "true")


def switch_language(page: Page, to: str) -> None:
    """Press the language button in the header; the same page comes back in ``to``."""
    button = "English" if to == "en" else "Nederlands"
    open_menu(page)
    page.get_by_role("button", name=button).click()
    expect(page.locator("html")).to_have_attribute("lang", to)
    # Attached, not visible: on a small screen the menu is folded away again after the reload.
    expect(page.locator("nav#menu")).to_have_attribute(
        "aria-label", "Main menu" if to == "en" else "Hoofdmenu"
    )
    settle(page, f"(after switching to {to})")


def mail_link(mailbox, address: str, fragment: str, timeout: float = 5.0) -> str:
    """The link in the newest mail to ``address``; waits a moment for the SMTP delivery."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return mailbox.link(address, fragment)
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def is_focused(locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page: Page, locator, key: str = "Tab", limit: int = 40) -> None:
    """Press Tab (or Shift+Tab) until ``locator`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press(key)
        if is_focused(locator):
            expect(locator).to_be_focused()
            return
    raise AssertionError(f"{key} pressed {limit} times without reaching {locator}")


def log_out(page: Page) -> None:
    """Log out with the button in the header; the home page says so."""
    open_menu(page)
    page.get_by_role("button", name="Uitloggen").click()
    expect(flash(page)).to_contain_text("Je bent uitgelogd.")
    settle(page, "(after logging out)")


def switch_user(page: Page, member) -> None:
    """Log out with the header button and log ``member`` in through the form."""
    log_out(page)
    log_in(page, member)


def add_activity(app, member, replied=(), decided=(), evaluated=()) -> None:
    """Replies and closed loops on items, through the services."""
    from alliance.extensions import db
    from alliance.knowledge import services
    from alliance.knowledge.models import Item
    from alliance.members.models import Member

    with app.test_request_context(method="POST"):
        by = db.session.get(Member, member.id)
        for item_id in replied:
            services.add_reply(db.session.get(Item, item_id), by, "Herkenbaar.", "onderzoek")
        for item_id in (*decided, *evaluated):
            services.record_decision(db.session.get(Item, item_id), by, "We doen het.")
        for item_id in evaluated:
            services.record_evaluation(db.session.get(Item, item_id), by, "Ging goed.", "Doen.")
        db.session.commit()
        db.session.remove()
