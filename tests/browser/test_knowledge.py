"""The knowledge base in Chromium: a dilemma from question to lesson (with htmx and without
JavaScript), anonymity, the list's filters and "Meer laden", and a form with mistakes."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import add_activity, flash, heading, log_in, settle, switch_user, visit

NEW_DILEMMA = "/kennisbank/nieuw?soort=dilemma"
TITLE = "Mogen we chatberichten van bestuurders archiveren?"
DILEMMA = {
    "Titel": TITLE,
    "De situatie": "Wethouders appen met ambtenaren over besluiten.",
    "Het dilemma": "Openheid en de **Archiefwet** tegen de privacy van bestuurders.",
    "Opties die je hebt overwogen": "Alles bewaren, of alleen de zakelijke berichten.",
    "Beperkingen": "De Archiefwet en weinig tijd.",
    "Trefwoorden": "archiefwet, chatberichten",
}
DECISION = "We bewaren zakelijke chatberichten, met een knop om ze te exporteren."
OUTCOME = "Na drie maanden exporteren alle wethouders hun berichten."
LESSON = "Begin met een eenvoudige exportknop; regels alleen werken niet."


def fill_form(page, fields: dict, theme: str | None = None) -> None:
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    if theme:
        page.get_by_role("group", name="Thema's").get_by_label(theme).check()


def post_dilemma(page, fields: dict, theme: str | None = None, anonymous=False) -> str:
    """Post a dilemma through the form; returns the path of its page."""
    page.goto(NEW_DILEMMA)
    expect(heading(page)).to_have_text("Deel een dilemma")
    fill_form(page, fields, theme)
    if anonymous:
        page.get_by_label("Verberg mijn naam voor andere leden").check()
    page.get_by_role("button", name="Publiceren").click()
    expect(heading(page)).to_have_text(fields["Titel"])
    expect(flash(page)).to_contain_text("Je bijdrage staat online.")
    return re.search(r"/kennisbank/\d+", page.url).group(0)


def replies(page):
    return page.locator("#replies li.reply")


def reply_with_htmx(page, text: str, perspective: str) -> None:
    """Send a reply; htmx swaps #replies, the page itself stays (the marker survives)."""
    expect(page.get_by_label("Vanuit welk perspectief reageer je?")).to_have_value(perspective)
    page.evaluate("() => { window.stillTheSamePage = true; }")
    before = replies(page).count()
    page.get_by_label("Je reactie", exact=True).fill(text)
    page.get_by_role("button", name="Reactie versturen").click()
    expect(replies(page)).to_have_count(before + 1)
    expect(replies(page).last).to_contain_text(text)
    count = re.compile(rf"^{before + 1} reacties?$")
    expect(page.locator("#replies").get_by_role("heading", name=count)).to_be_visible()
    expect(page.get_by_label("Je reactie", exact=True)).to_have_value("")
    assert page.evaluate("() => window.stillTheSamePage === true"), "the page was reloaded"
    page.check_a11y("(after replying with htmx)")


def close_the_loop(page) -> None:
    """The author records the decision, then the outcome and the lesson (normal form posts)."""
    loop = page.get_by_role("region", name="De cirkel rond maken")
    loop.get_by_label("Wat heb je besloten, en waarom?").fill(DECISION)
    loop.get_by_role("button", name="Besluit opslaan").click()
    expect(flash(page)).to_contain_text("Het besluit is opgeslagen.")
    expect(page.locator(".item__meta .status")).to_have_text("Besloten")
    loop.get_by_label("Wat is er gebeurd?").fill(OUTCOME)
    loop.get_by_label("Wat is de les voor anderen?").fill(LESSON)
    loop.get_by_role("button", name="Uitkomst en les opslaan").click()
    expect(flash(page)).to_contain_text("Bedankt dat je de cirkel rond hebt")
    expect(page.locator(".item__meta .status")).to_have_text("Geëvalueerd")
    summary = page.get_by_role("region", name="Waar staat dit nu?")
    for title, text in (
        ("Het besluit", DECISION),
        ("Wat er is gebeurd", OUTCOME),
        ("De les", LESSON),
    ):
        expect(summary.get_by_role("heading", name=title, exact=True)).to_be_visible()
        expect(summary).to_contain_text(text)


def mark_helped(page, replier_name: str) -> None:
    reply = replies(page).filter(has_text=replier_name)
    reply.get_by_role("button", name="Dit hielp mij").click()
    expect(reply).to_contain_text("Dit hielp de vraagsteller")
    expect(reply.get_by_role("button", name="Dit hielp mij")).to_have_attribute(
        "aria-pressed", "true"
    )


def test_dilemma_flow(page, make_member):
    asker = make_member(name="Anouk Jansen", perspective="beleid")
    doer = make_member(name="Bram Bakker", perspective="uitvoering")
    colleague = make_member(name="Carla Smit", perspective="beleid")
    expert = make_member(name="Daan de Wit", perspective="onderzoek", offers=["Archiefwet"])
    make_member(name="Eva Visser", perspective="onderzoek", offers=["open source inkoop"])

    # A posts a dilemma through the form.
    log_in(page, asker)
    path = post_dilemma(page, DILEMMA, theme="Open Informatie")
    settle(page, "(new dilemma)")
    expect(page.locator(".item__fields strong")).to_have_text("Archiefwet")  # Markdown
    expect(page.get_by_role("list", name="Trefwoorden")).to_contain_text("chatberichten")

    # Typing the title of a second post shows the first (htmx).
    visit(page, NEW_DILEMMA, "Deel een dilemma")
    page.get_by_label("Titel", exact=True).press_sequentially("Chatberichten bewaren", delay=10)
    similar = page.get_by_role("region", name="Vergelijkbare bijdragen")
    expect(similar.get_by_role("link", name=TITLE)).to_be_visible()
    expect(similar).to_contain_text("Misschien is dit al eerder gevraagd:")
    page.check_a11y("(similar posts shown)")

    # B (uitvoering) and C (beleid) reply with htmx.
    for member, perspective in ((doer, "uitvoering"), (colleague, "beleid")):
        switch_user(page, member)
        visit(page, path, TITLE)
        reply_with_htmx(page, f"Bij ons doet {member.name} dit al een jaar.", perspective)

    # Back to A: the meter shows who answered, who is missing, and who could help.
    switch_user(page, asker)
    visit(page, path, TITLE)
    meter = page.get_by_role("region", name="Perspectieven die hebben gereageerd")
    entries = meter.locator(".meter__entry")
    expect(entries.locator(".meter__label")).to_have_text(
        ["Beleid", "Uitvoering", "Maatschappij", "Inwoner", "Onderzoek"]
    )
    missing = [f"nog geen reactie vanuit {w}" for w in ("maatschappij", "inwoner", "onderzoek")]
    for n, state in enumerate(["heeft gereageerd"] * 2 + missing):
        expect(entries.nth(n)).to_contain_text(state)
    expect(entries.nth(4)).to_contain_text(f"Wie kan helpen: {expert.name}")
    expect(meter.get_by_role("link", name=expert.name)).to_have_count(1)
    expect(meter).not_to_contain_text("Eva Visser")

    # A marks B's reply, then closes the loop.
    mark_helped(page, doer.name)
    expect(replies(page).filter(has_text=colleague.name)).not_to_contain_text(
        "Dit hielp de vraagsteller"
    )
    settle(page, "(reply marked helpful)")
    close_the_loop(page)
    settle(page, "(evaluated)")
    summary_top = page.get_by_role("region", name="Waar staat dit nu?").bounding_box()["y"]
    fields_top = page.locator(".item__fields").bounding_box()["y"]
    assert summary_top < fields_top, "the summary is not at the top"

    screenshot(page, "knowledge-evaluated-1280")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "knowledge-evaluated-375")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The list and the theme page show it as evaluated.
    visit(page, "/kennisbank/", "Kennisbank")
    row = page.locator(".item-row").filter(has=page.get_by_role("link", name=TITLE))
    expect(row.locator(".status")).to_have_text("Geëvalueerd")
    expect(row).to_contain_text("2 reacties")
    visit(page, "/themas/open-informatie", "Open Informatie")
    posts = page.get_by_role("region", name="Dilemma's en ervaringen")
    expect(posts.get_by_role("link", name=TITLE)).to_be_visible()


def test_anonymous_dilemma(page, make_member):
    asker = make_member(name="Anouk Verborgen", perspective="beleid")
    reader = make_member(name="Bram Lezer", perspective="uitvoering")
    coordinator = make_member(name="Carla Coördinator", role="coordinator")

    log_in(page, asker)
    path = post_dilemma(page, {"Titel": TITLE, "Het dilemma": "Privacy."}, anonymous=True)
    expect(page.locator(".item__header")).to_contain_text(f"Door {asker.name} (anoniem geplaatst)")
    settle(page, "(anonymous dilemma)")
    # An edit, so that there is a history.
    page.get_by_role("link", name="Bewerken").click()
    expect(heading(page)).to_have_text(f"Bewerken: {TITLE}")
    page.get_by_label("De situatie", exact=True).fill("Een gemeente met veel appverkeer.")
    page.get_by_role("button", name="Opslaan").click()
    expect(flash(page)).to_contain_text("Je wijzigingen zijn opgeslagen.")
    settle(page, "(anonymous dilemma edited)")

    switch_user(page, reader)
    for where, title in (
        (path, TITLE),
        ("/kennisbank/", "Kennisbank"),
        (f"{path}/geschiedenis", f"Geschiedenis van {TITLE}"),
    ):
        visit(page, where, title)
        if where == path:
            expect(page.locator(".item__header")).to_contain_text("Door een lid (anoniem)")
        main = page.get_by_role("main")
        expect(main, f"{where} shows the name").not_to_contain_text(asker.name)
        expect(page.locator(f'a[href="/leden/{asker.id}"]')).to_have_count(0)

    switch_user(page, coordinator)
    visit(page, path, TITLE)
    expect(page.locator(".item__header")).to_contain_text(f"Door {asker.name} (anoniem geplaatst)")


def switch_without_js(page, member) -> None:
    """Log out (when logged in) and log ``member`` in, with JavaScript off."""
    if page.get_by_role("button", name="Uitloggen").count():
        page.get_by_role("button", name="Uitloggen").click()
        expect(flash(page)).to_contain_text("Je bent uitgelogd.")
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(member.email)
    page.get_by_label("Wachtwoord", exact=True).fill(member.password)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(heading(page)).to_have_text(member.name)


def test_the_same_flow_without_javascript(page_without_js, make_member):
    """Post, reply, mark, decide and evaluate with plain form posts (axe needs JavaScript, so
    this test checks the results only)."""
    asker = make_member(name="Anouk Jansen", perspective="beleid")
    doer = make_member(name="Bram Bakker", perspective="uitvoering")
    page = page_without_js
    switch_without_js(page, asker)
    path = post_dilemma(page, DILEMMA, theme="Open Informatie")

    # Without JavaScript the button looks for similar posts; what was typed stays.
    page.goto(NEW_DILEMMA)
    page.get_by_label("Titel", exact=True).fill("Chatberichten bewaren")
    page.get_by_label("Het dilemma", exact=True).fill("Wat bewaren we?")
    page.get_by_role("button", name="Zoek eerst naar vergelijkbare bijdragen").click()
    similar = page.get_by_role("region", name="Vergelijkbare bijdragen")
    expect(similar.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.get_by_label("Titel", exact=True)).to_have_value("Chatberichten bewaren")
    expect(page.get_by_label("Het dilemma", exact=True)).to_have_value("Wat bewaren we?")
    expect(page.get_by_role("alert")).to_have_count(0)

    switch_without_js(page, doer)
    page.goto(path)
    page.get_by_label("Je reactie", exact=True).fill("Wij exporteren elke week.")
    page.get_by_role("button", name="Reactie versturen").click()
    expect(flash(page)).to_contain_text("Bedankt voor je reactie.")
    expect(page).to_have_url(re.compile(r"/kennisbank/\d+#reactie-\d+$"))
    expect(replies(page)).to_have_count(1)
    expect(replies(page).first).to_contain_text("Uitvoering")

    switch_without_js(page, asker)
    page.goto(path)
    mark_helped(page, doer.name)
    close_the_loop(page)
    page.goto("/kennisbank/")
    row = page.locator(".item-row").filter(has=page.get_by_role("link", name=TITLE))
    expect(row.locator(".status")).to_have_text("Geëvalueerd")


def test_list_filters_and_load_more(page, app, make_member, make_item):
    author = make_member(name="Anouk Jansen", perspective="beleid")
    reader = make_member(name="Bram Bakker", perspective="onderzoek")
    ids = [
        make_item(
            kind="dilemma" if n < 15 else "ervaring",
            title=f"Bijdrage {n + 1:02d} over openbaarheid",
            author=author,
        )
        for n in range(25)
    ]
    # Dilemmas 1-6 and experiences 16-18 have a reply; dilemmas 1-2 are decided, 3 evaluated.
    add_activity(app, reader, replied=ids[:6] + ids[15:18], decided=ids[:2], evaluated=ids[2:3])

    log_in(page, reader)
    visit(page, "/kennisbank/", "Kennisbank")
    count = page.locator("#result-count")
    rows = page.locator("#item-list > li.item-row")
    expect(count).to_have_text("25 bijdragen")
    expect(rows).to_have_count(20)
    page.evaluate("() => { window.stillTheSamePage = true; }")

    page.get_by_label("Soort", exact=True).select_option(label="Ervaring")
    expect(count).to_have_text("10 bijdragen")
    expect(rows).to_have_count(10)
    expect(rows.locator(".badge")).to_have_text(["Ervaring"] * 10)
    expect(page).to_have_url(re.compile(r"/kennisbank/\?.*soort=ervaring"))
    expect(count).to_have_attribute("role", "status")
    page.check_a11y("(filtered by kind)")

    page.get_by_label("Soort", exact=True).select_option(label="Alle")
    expect(count).to_have_text("25 bijdragen")
    page.get_by_label("Status van het dilemma").select_option(label="Besloten")
    expect(count).to_have_text("2 bijdragen")
    expect(rows.locator(".status")).to_have_text(["Besloten", "Besloten"])
    page.check_a11y("(filtered by status)")

    page.get_by_label("Status van het dilemma").select_option(label="Open")
    expect(count).to_have_text("12 bijdragen")
    page.get_by_label("Alleen zonder reacties").check()
    expect(count).to_have_text("9 bijdragen")
    expect(rows.locator(".unanswered")).to_have_count(9)
    page.get_by_label("Status van het dilemma").select_option(label="Alle")
    expect(count).to_have_text("16 bijdragen")
    page.check_a11y("(only without replies)")

    # Without filters, "Meer laden" appends the last 5 to the first 20.
    page.get_by_label("Alleen zonder reacties").uncheck()
    expect(count).to_have_text("25 bijdragen")
    expect(rows).to_have_count(20)
    page.get_by_role("link", name="Meer laden").click()
    expect(rows).to_have_count(25)
    titles = rows.get_by_role("heading", level=3).all_inner_texts()
    assert sorted(titles) == sorted(f"Bijdrage {n:02d} over openbaarheid" for n in range(1, 26))
    expect(page.get_by_role("link", name="Meer laden")).to_have_count(0)
    assert page.evaluate("() => window.stillTheSamePage === true"), "the page was reloaded"
    page.check_a11y("(after Meer laden)")


def test_bad_input_keeps_what_was_typed(page, make_member):
    log_in(page, make_member(name="Fleur Haast"))
    visit(page, NEW_DILEMMA, "Deel een dilemma")
    typed = {k: v for k, v in DILEMMA.items() if k not in ("Titel", "Het dilemma")}
    fill_form(page, typed, theme="Open Informatie")
    page.get_by_label("Soort organisatie").select_option(label="Gemeente")
    page.get_by_label("Verberg mijn naam voor andere leden").check()
    page.get_by_role("button", name="Publiceren").click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    settle(page, "(form with errors)")
    for label, message in (("Titel", None), ("Het dilemma", "Dit is de kern van je bijdrage.")):
        field = page.get_by_label(label, exact=True)
        field_id = field.get_attribute("id")
        error = page.locator(f"#{field_id}-error")
        expect(error, f"no error next to {label!r}").to_be_visible()
        if message:
            expect(error).to_contain_text(message)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_attribute("aria-describedby", re.compile(f"{field_id}-error"))
        link = summary.get_by_role("link", name=re.compile(f"^{label}:"))
        expect(link).to_have_attribute("href", f"#{field_id}")
        link.click()
        expect(field).to_be_focused()
    expect(summary).to_contain_text("Er zijn 2 fouten in het formulier.")

    for label, value in typed.items():
        expect(page.get_by_label(label, exact=True)).to_have_value(value)
    expect(
        page.get_by_role("group", name="Thema's").get_by_label("Open Informatie")
    ).to_be_checked()
    expect(page.get_by_label("Soort organisatie")).to_have_value("gemeente")
    expect(page.get_by_label("Verberg mijn naam voor andere leden")).to_be_checked()


def test_replying_after_resizing_the_reply_box_breaks_no_csp_rule(page, make_member, make_item):
    """Dragging the reply box's corner gives it a style; htmx must not copy that style attribute
    while it settles the swapped replies (the CSP refuses inline styles, which the fixture
    reports as a failure)."""
    member = make_member(name="Rosa Groen", perspective="uitvoering")
    item_id = make_item(title="Hoe houden we het zaakdossier compleet?")
    log_in(page, member)
    visit(page, f"/kennisbank/{item_id}", "Hoe houden we het zaakdossier compleet?")
    page.evaluate("() => { document.getElementById('body').style.height = '300px'; }")
    reply_with_htmx(page, "Bij ons helpt een vaste checklist.", "uitvoering")
