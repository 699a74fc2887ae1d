"""Working groups in Chromium: A starts a group from a dilemma, invites B (suggested by Ik bied),
C asks to join and is let in, tasks are made and finished inline, a private post, A wraps up and
publishes; D (not a member) sees the description only. With htmx (keyboard only for C) and
again without JavaScript."""

import re
import time
from datetime import timedelta

from playwright.sync_api import expect

from alliance.core.timeutil import utcnow
from tests.browser.helpers import flash, heading, log_in, settle, switch_user, tab_to

GROUP_NAME = "Chatberichten samen bewaren"
SECRET_POST = "Welke chatapps gebruiken jullie wethouders?"
SECRET_WORD = "chatapps"  # only in the group's private discussion (and its tasks)
RESULT_TITLE = f"Opbrengst: {GROUP_NAME}"
#: The index is updated after each request, in a background thread.
INDEX_WAIT_S = 3.0


def search_until_found(page, query: str, title: str, check) -> None:
    """Open /zoeken?q=query until a hit titled ``title`` is listed (the index catches up
    after the request that made the change)."""
    deadline = time.monotonic() + INDEX_WAIT_S
    hit = page.locator(".search-hit__title", has_text=title)
    while True:
        page.goto(f"/zoeken?q={query}")
        if hit.count():
            break
        if time.monotonic() > deadline:
            raise AssertionError(f"/zoeken?q={query}: no hit {title!r} after {INDEX_WAIT_S} s")
        page.wait_for_timeout(150)
    check(page, f"(search for {query})")


def quick_search(page, query: str):
    """Type in the header's search box; the quick results under it, once they are in."""
    page.get_by_role("searchbox", name="Zoek in het hele netwerk").fill(query)
    expect(page.locator("#site-search-status")).to_have_text(re.compile(r"^\d+ resulta"))
    return page.locator("#site-search-results")


def start_from_dilemma(page, dilemma_id: int) -> str:
    page.goto(f"/kennisbank/{dilemma_id}")
    settle(page, "(dilemma)")
    page.get_by_role("link", name="Pak dit samen op").click()
    expect(heading(page)).to_have_text("Begin een werkgroep")
    settle(page, "(new group form)")
    page.get_by_label("Naam van de werkgroep").fill(GROUP_NAME)
    page.get_by_label("Wat leveren jullie op?").fill("Een handreiking voor chatberichten")
    page.get_by_label("Einddatum").fill((utcnow().date() + timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Werkgroep beginnen").click()
    expect(heading(page)).to_have_text(GROUP_NAME)
    settle(page, "(group page)")
    return re.search(r"/werkgroepen/\d+", page.url).group(0)


def group_flow(page, make_member, make_item, with_js: bool) -> None:
    check = settle if with_js else (lambda *_args: None)
    anna = make_member(name="Anna Trekker", offers=["archiefwet"])
    bram = make_member(name="Bram Bieder", offers=["Chatberichten archiveren"])
    carla = make_member(name="Carla Vraagt")
    dirk = make_member(name="Dirk Buiten")
    dilemma = make_item(
        title="Chatberichten van bestuurders bewaren?",
        author=anna,
        fields={"tension": "Chatberichten archiveren tegen privacy."},
    )

    log_in(page, anna) if with_js else _login_plain(page, anna)
    path = start_from_dilemma(page, dilemma) if with_js else _start_plain(page, dilemma)

    # A invites B from the suggestions (B's Ik bied fits the opgave).
    page.get_by_role("link", name="Leden uitnodigen").click()
    check(page, "(invite)")
    suggestion = page.locator(".group-suggestion", has_text="Bram Bieder")
    suggestion.get_by_role("button", name="Uitnodigen").click()
    expect(flash(page)).to_contain_text("Bram Bieder is uitgenodigd.")

    # B accepts; C asks with "wat breng ik in" (keyboard only, with JS).
    _switch(page, bram, with_js)
    page.goto(path)
    page.get_by_role("button", name="Uitnodiging aannemen").click()
    expect(flash(page)).to_contain_text("Welkom in de werkgroep.")
    _switch(page, carla, with_js)
    page.goto(path)
    check(page, "(group page as outsider)")
    contribution = page.get_by_label("Wat breng je in?")
    if with_js:
        tab_to(page, contribution, limit=80)
        page.keyboard.type("Ik ken de Archiefwet.")
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name="Vraag om mee te doen")).to_be_focused()
        page.keyboard.press("Enter")
    else:
        contribution.fill("Ik ken de Archiefwet.")
        page.get_by_role("button", name="Vraag om mee te doen").click()
    expect(flash(page)).to_contain_text("Je aanvraag is verstuurd.")

    # A lets C in.
    _switch(page, anna, with_js)
    page.goto(path)
    request = page.locator(".group-request", has_text="Carla Vraagt")
    expect(request).to_contain_text("Ik ken de Archiefwet.")
    request.get_by_role("button", name="Toelaten").click()
    expect(flash(page)).to_contain_text("Carla Vraagt is nu lid.")
    check(page, "(after letting C in)")

    # Tasks: created and finished inline.
    tasks = page.locator("#actiepunten")
    tasks.locator("summary", has_text="Actiepunt toevoegen").click()  # the form opens on demand
    page.get_by_label("Actiepunt", exact=True).fill("Chatapps inventariseren")
    tasks.get_by_label("Wie doet het?").select_option(label="Bram Bieder")
    page.get_by_role("button", name="Actiepunt toevoegen").click()
    row = page.locator(".task", has_text="Chatapps inventariseren")
    expect(row).to_contain_text("Bram Bieder")
    if with_js:
        page.check_a11y("(task added with htmx)")
    row.get_by_label("Status").select_option("done")
    row.get_by_role("button", name=re.compile("^Opslaan")).click()
    expect(page.locator(".task--done", has_text="Chatapps inventariseren")).to_have_count(1)
    if with_js:
        page.check_a11y("(task done with htmx)")

    # A private post in the discussion.
    page.goto(path)
    page.get_by_role("link", name="Dilemma in de groep inbrengen").click()
    page.get_by_label("Titel", exact=True).fill(SECRET_POST)
    page.get_by_label("Het dilemma", exact=True).fill("Signal, WhatsApp of Teams?")
    expect(page.get_by_label("Wie mag dit lezen?")).to_have_value("group")
    page.get_by_role("button", name="Publiceren").click()
    expect(heading(page)).to_have_text(SECRET_POST)
    check(page, "(private post)")
    post_path = re.search(r"/kennisbank/\d+", page.url).group(0)

    # A member finds the private post in search (so the checks for D below are not vacuous).
    search_until_found(page, SECRET_WORD, SECRET_POST, check)
    if with_js:
        page.goto(path)  # the header box is on every page but /zoeken
        expect(quick_search(page, SECRET_WORD)).to_contain_text(SECRET_POST)

    # D sees the description but none of the private content.
    _switch(page, dirk, with_js)
    page.goto(path)
    expect(heading(page)).to_have_text(GROUP_NAME)
    expect(page.locator("main")).not_to_contain_text(SECRET_POST)
    expect(page.locator("main")).not_to_contain_text("Chatapps inventariseren")
    check(page, "(group page as non-member)")
    page.goto("/kennisbank/")
    expect(page.locator("main")).not_to_contain_text(SECRET_POST)
    # ... nor via search: not on /zoeken, not in the header's quick results.
    page.goto(f"/zoeken?q={SECRET_WORD}")
    check(page, "(search as non-member)")
    expect(page.locator(f'main a[href="{post_path}"]')).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(SECRET_POST)
    expect(page.locator("main")).not_to_contain_text("Chatapps inventariseren")
    if with_js:
        page.goto(path)
        quick = quick_search(page, SECRET_WORD)
        expect(quick.locator(f'a[href="{post_path}"]')).to_have_count(0)
        expect(quick).not_to_contain_text(SECRET_POST)
        page.check_a11y("(quick results as non-member)")

    # A wraps up and publishes; the result is in the Kennisbank, with co-authors.
    _switch(page, anna, with_js)
    page.goto(path)
    page.get_by_role("button", name="Afronden").click()
    expect(heading(page)).to_have_text(f"De opbrengst van {GROUP_NAME}")
    check(page, "(result form)")
    page.get_by_label("Wat heeft de groep gemaakt?").fill("Een handreiking voor chatberichten.")
    page.get_by_label("Wat heeft de groep geleerd?").fill("Spreek vooraf af welke apps mogen.")
    page.get_by_role("button", name="Publiceren in de kennisbank").click()
    expect(flash(page)).to_contain_text("De opbrengst staat in de kennisbank.")
    expect(page.locator(".group-origin")).to_contain_text("Bram Bieder")
    expect(page.locator(".group-origin")).to_contain_text("Carla Vraagt")
    check(page, "(published result)")
    page.goto("/kennisbank/?soort=ervaring")
    expect(page.locator("main")).to_contain_text(RESULT_TITLE)
    # ... and in search, by a word from its title.
    search_until_found(page, "opbrengst", RESULT_TITLE, check)


def _login_plain(page, member) -> None:
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(member.email)
    page.get_by_label("Wachtwoord", exact=True).fill(member.password)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(heading(page)).to_have_text(member.name)


def _switch(page, member, with_js: bool) -> None:
    if with_js:
        switch_user(page, member)
    else:
        page.get_by_role("button", name="Uitloggen").click()
        _login_plain(page, member)


def _start_plain(page, dilemma_id: int) -> str:
    page.goto(f"/kennisbank/{dilemma_id}")
    page.get_by_role("link", name="Pak dit samen op").click()
    page.get_by_label("Naam van de werkgroep").fill(GROUP_NAME)
    page.get_by_label("Wat leveren jullie op?").fill("Een handreiking voor chatberichten")
    page.get_by_label("Einddatum").fill((utcnow().date() + timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Werkgroep beginnen").click()
    expect(heading(page)).to_have_text(GROUP_NAME)
    return re.search(r"/werkgroepen/\d+", page.url).group(0)


def test_group_flow_with_htmx_and_keyboard(page, make_member, make_item):
    group_flow(page, make_member, make_item, with_js=True)


def test_group_flow_without_javascript(page_without_js, make_member, make_item):
    group_flow(page_without_js, make_member, make_item, with_js=False)
