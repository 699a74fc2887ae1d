"""Notifications and matching in Chromium: the asker sees who can think along and asks with one
click; the bell updates after another member replies (htmx, no reload); the notifications page,
mark all read after an htmx swap; mention suggestions while typing; settings; "Waar jouw kennis
gevraagd wordt"; and the same pages without JavaScript. axe-core checks every page."""

import re

from playwright.sync_api import expect

from alliance.core.database import wait_for_background_work
from tests.browser.conftest import screenshot
from tests.browser.helpers import flash, heading, log_in, settle, switch_user, visit

TITLE = "Hoe handelen we Woo-verzoeken binnen de termijn af?"


def reply_by(app, member, item_id: int, body: str) -> None:
    """Another member replies (a request of their own, committed)."""
    from tests.conftest import csrf_token_from

    client = app.test_client()
    token = csrf_token_from(client.get("/inloggen").text)
    data = {"email": member.email, "password": member.password, "csrf_token": token}
    assert client.post("/inloggen", data=data).status_code in (302, 303)
    response = client.post(
        f"/kennisbank/{item_id}/reacties",
        data={"body": body, "perspective": "uitvoering", "csrf_token": _token(client, item_id)},
    )
    assert response.status_code == 303, response.status_code
    wait_for_background_work()


def _token(client, item_id: int) -> str:
    from tests.conftest import csrf_token_from

    return csrf_token_from(client.get(f"/kennisbank/{item_id}").text)


def test_matching_bell_and_notifications(page, app, make_member, make_item, mailbox, drain):
    asker = make_member(name="Anna Asker", perspective="beleid")
    expert = make_member(
        name="Eva Expert", perspective="uitvoering", offers=["Woo-verzoeken afhandelen"]
    )
    replier = make_member(name="Bram Beantwoorder")
    item_id = make_item(
        author=asker, title=TITLE, tags="Woo", fields={"tension": "Binnen zes weken lukt niet."}
    )
    drain()
    log_in(page, asker)

    # Matching: the suggestion says why; one click asks.
    visit(page, f"/kennisbank/{item_id}", TITLE)
    helpers = page.locator("section.helpers")
    expect(helpers).to_contain_text("Eva Expert")
    expect(helpers).to_contain_text("biedt: Woo-verzoeken afhandelen")
    screenshot(page, "notify-item-helpers")
    helpers.get_by_role("button", name=re.compile("Vraag om mee te denken.*Eva Expert")).click()
    expect(heading(page)).to_have_text("Wie kan meedenken?")
    expect(flash(page)).to_contain_text("We hebben Eva Expert gevraagd mee te denken.")
    settle(page, "(asked)")
    expect(page.get_by_role("heading", name="Al gevraagd")).to_be_visible()
    screenshot(page, "notify-matches")

    # The bell: no count yet; another member replies; the bell shows it without a reload.
    bell = page.locator("#bell")
    expect(bell).to_have_text(re.compile(r"^\s*Meldingen\s*$"))
    reply_by(app, replier, item_id, "Bij ons lukt het met een vast team. Vraag @Eva Expert.")
    page.evaluate("() => window.dispatchEvent(new Event('focus'))")  # as when coming back
    expect(page.locator("#bell .bell__count")).to_have_text(re.compile(r"^1"))
    page.check_a11y("(bell after htmx swap)")

    # The list, and mark all read (htmx): the bell follows out of band.
    bell.click()
    expect(heading(page)).to_have_text("Meldingen")
    settle(page, "(notifications)")
    expect(page.locator(".notification")).to_contain_text(
        f"Bram Beantwoorder heeft gereageerd op “{TITLE}”"
    )
    screenshot(page, "notify-list")
    page.get_by_role("button", name="Alles gelezen").click()
    expect(page.locator(".notification--unread")).to_have_count(0)
    expect(page.locator("#bell .bell__count")).to_have_count(0)
    page.check_a11y("(after mark all read)")

    # Mention suggestions while typing a reply.
    visit(page, f"/kennisbank/{item_id}", TITLE)
    body = page.get_by_label("Je reactie")
    body.fill("Dank! Ook een vraag aan @Eva")
    body.press("End")
    body.type(" ")
    body.press("Backspace")
    choice = page.get_by_role("button", name="@Eva Expert")
    expect(choice).to_be_visible()
    page.check_a11y("(mention suggestions)")
    choice.click()
    expect(body).to_have_value("Dank! Ook een vraag aan @Eva Expert ")

    # Settings.
    visit(page, "/meldingen/instellingen", "Instellingen voor meldingen")
    page.get_by_label("Hoeveel verzoeken per maand mag je hoogstens krijgen?").fill("99")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#monthly_cap-error")).to_contain_text("van 0 tot en met 20")
    settle(page, "(settings with an error)")
    screenshot(page, "notify-settings-error")
    page.get_by_label("Hoeveel verzoeken per maand mag je hoogstens krijgen?").fill("3")
    page.get_by_role("button", name="Opslaan").click()
    expect(flash(page)).to_contain_text("Je keuzes zijn bewaard.")
    settle(page, "(settings saved)")

    # The expert: asked, and mentioned.
    switch_user(page, expert)
    expect(page.locator("#bell .bell__count")).to_have_text(re.compile(r"^2"))
    visit(page, "/gevraagd", "Waar jouw kennis gevraagd wordt")
    expect(page.locator(".asked-list")).to_contain_text(TITLE)
    expect(page.locator(".asked-list")).to_contain_text("Jou is het gevraagd")
    screenshot(page, "notify-asked")


def test_notifications_without_javascript(page_without_js, app, make_member, make_item, mailbox):
    page = page_without_js
    author = make_member(name="Anna Asker")
    item_id = make_item(author=author, title=TITLE)
    reply_by(app, make_member(name="Bram"), item_id, "Een reactie.")
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(author.email)
    page.get_by_label("Wachtwoord", exact=True).fill(author.password)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.locator("#bell .bell__count")).to_have_text(re.compile(r"^1"))
    page.locator("#bell").click()  # a plain link
    expect(heading(page)).to_have_text("Meldingen")
    page.get_by_role("button", name=re.compile("^Gelezen")).click()
    expect(page.locator(".notification--unread")).to_have_count(0)
    expect(page.locator("#bell .bell__count")).to_have_count(0)
