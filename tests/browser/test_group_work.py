"""The group's own work in Chromium, with three members and an outsider (and a member the lead
removed): a message, a reply with a mention, a PDF and a new version, a proposal with one
block and its outcome, the wrap-up published with one document. The outsider and the removed
member reach none of it. With htmx (axe on every page and after every swap; one reply typed
with the keyboard alone), and again without JavaScript. Screenshots at 1280 and 390 px."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from alliance.core.timeutil import utcnow
from tests.browser.conftest import screenshot
from tests.browser.helpers import flash, heading, log_in, settle, switch_user, tab_to
from tests.browser.test_groups import _login_plain, _switch

MESSAGE = "Wie leest het concept van de Ibisnotitie?"
REPLY = "Ik lees mee, en @Bo Derde ook."
PROPOSAL = "We sturen de Ibisnotitie in maart rond"
BLOCK = "Eerst de juristen laten kijken."
OUTCOME = "We sturen de notitie in april rond, na de juristen."
SECRETS = ("Ibisnotitie", "Reigerconcept", BLOCK)


def pdf(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n")
    return path


def people(make_member, make_group, app):
    from sqlalchemy import select

    from alliance.extensions import db
    from alliance.groups import services
    from alliance.groups.models import Membership, WorkingGroup

    lea, mo, bo = (make_member(name=n) for n in ("Lea Trekker", "Mo Lid", "Bo Derde"))
    gone, outsider = make_member(name="Gijs Weg"), make_member(name="Olga Buiten")
    group_id = make_group(lead=lea, members=[mo, bo, gone], name="Werkgroep Ibis")
    with app.test_request_context(method="POST"):
        group = db.session.get(WorkingGroup, group_id)
        row = db.session.scalar(
            select(Membership).where(
                Membership.group_id == group_id, Membership.member_id == gone.id
            )
        )
        services.remove(group, row)
        db.session.commit()
    return group_id, lea, mo, bo, gone, outsider


def test_the_group_works_together_and_no_one_outside_sees_it(
    page, make_member, make_group, app, tmp_path
):
    group_id, lea, mo, bo, gone, outsider = people(make_member, make_group, app)
    path = f"/werkgroepen/{group_id}"
    log_in(page, lea)
    page.goto(path)
    settle(page, "(the space)")
    # A message, with htmx: the result is announced and focused.
    page.get_by_label("Je bericht").fill(MESSAGE)
    page.get_by_role("button", name="Plaats bericht").click()
    status = page.locator("#gesprek").get_by_role("status")
    expect(status).to_have_text("Je bericht is geplaatst.")
    expect(status).to_be_focused()
    page.check_a11y("(message posted)")
    # Edited in place: the form comes in focused, the saved message says so.
    entry = page.locator(".stream__entry", has_text=MESSAGE)
    entry.get_by_role("link", name="Bewerken je bericht").click()
    expect(page.locator('.stream__edit p[tabindex="-1"]')).to_be_focused()
    page.check_a11y("(editing in place)")
    page.locator("#edit-message-body").fill(MESSAGE + " Graag voor vrijdag.")
    page.get_by_role("button", name="Bericht opslaan").click()
    saved = page.locator("#gesprek [role=status]", has_text="Je bericht is opgeslagen.")
    expect(saved).to_be_focused()
    expect(page.locator(".stream__entry", has_text="Graag voor vrijdag")).to_contain_text("bewerkt")
    page.check_a11y("(message edited)")
    # A PDF, then a new version of it.
    page.get_by_text("Deel een document").click()
    page.locator("#file").set_input_files(str(pdf(tmp_path, "Reigerconcept.pdf", "versie 1")))
    page.locator("#document-title").fill("Reigerconcept")
    page.get_by_role("button", name="Deel het document").click()
    expect(flash(page)).to_contain_text("Het document “Reigerconcept” is gedeeld.")
    settle(page, "(document shared)")
    page.locator("#documenten").get_by_role("link", name="Reigerconcept", exact=True).click()
    expect(heading(page)).to_have_text("Reigerconcept")
    settle(page, "(document page)")
    page.locator("#file").set_input_files(str(pdf(tmp_path, "Reigerconcept v2.pdf", "versie 2")))
    page.get_by_role("button", name="Upload de nieuwe versie").click()
    expect(flash(page)).to_contain_text("Versie 2 is geüpload.")
    expect(page.get_by_role("link", name=re.compile("^Versie 1"))).to_be_visible()
    settle(page, "(new version)")
    document_path = re.search(r"/werkgroepen/\d+/documenten/\d+", page.url).group(0)
    page.goto(f"{path}/documenten")
    expect(heading(page)).to_contain_text("Documenten")
    settle(page, "(all documents)")

    # Mo replies, with the keyboard alone, and mentions Bo.
    switch_user(page, mo)
    page.goto(path)
    settle(page, "(the space, as Mo)")
    toggle = page.locator("#gesprek summary", has_text="Reageren").first
    tab_to(page, toggle, limit=120)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type(REPLY)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    status = page.locator("#gesprek").get_by_role("status")
    expect(status).to_have_text("Je reactie is geplaatst.")
    expect(status).to_be_focused()
    page.check_a11y("(reply posted with the keyboard)")
    # Mo proposes.
    page.get_by_text("Doe een voorstel").click()
    page.get_by_label("Voorstel", exact=True).fill(PROPOSAL)
    closes = (utcnow().date() + timedelta(days=7)).isoformat()
    page.get_by_label("Sluit op").fill(closes)
    page.get_by_role("button", name="Leg het voorstel aan de groep voor").click()
    expect(flash(page)).to_contain_text("Je voorstel staat open.")
    settle(page, "(proposal made)")

    # Bo was mentioned, and blocks with a reason (first without one: refused, next to it).
    switch_user(page, bo)
    page.goto("/meldingen")
    mention = page.get_by_role("link", name="Mo Lid noemde je in het gesprek van “Werkgroep Ibis”")
    expect(mention).to_be_visible()
    settle(page, "(notifications)")
    page.goto(path)
    proposal = page.locator(".proposal", has_text=PROPOSAL)
    proposal.get_by_label("Blokkeren").check()
    proposal.get_by_role("button", name="Bewaar mijn reactie").click()
    expect(page.locator(".proposal").get_by_text("Zeg waarom je blokkeert").first).to_be_visible()
    settle(page, "(block refused without a reason)")
    proposal = page.locator(".proposal", has_text=PROPOSAL)
    expect(proposal.get_by_label("Blokkeren")).to_be_checked()
    proposal.get_by_label("Reden").fill(BLOCK)
    proposal.get_by_role("button", name="Bewaar mijn reactie").click()
    expect(flash(page)).to_contain_text("Je reactie is bewaard.")
    settle(page, "(blocked)")

    # Lea agrees; Mo closes it and records the outcome.
    switch_user(page, lea)
    page.goto(path)
    proposal = page.locator(".proposal", has_text=PROPOSAL)
    expect(proposal).to_contain_text(f"Bo Derde: Blokkeren — {BLOCK}")
    proposal.get_by_label("Eens", exact=True).check()
    proposal.get_by_role("button", name="Bewaar mijn reactie").click()
    expect(flash(page)).to_contain_text("Je reactie is bewaard.")
    for width, name in ((1280, "group-space-1280"), (390, "group-space-390")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(path)
        settle(page, f"(the space at {width} px)")
        screenshot(page, name)
    page.set_viewport_size({"width": 1280, "height": 900})
    switch_user(page, mo)
    page.goto(path)
    page.locator(".proposal", has_text=PROPOSAL).get_by_role(
        "button", name=re.compile("Sluit het voorstel nu")
    ).click()
    expect(flash(page)).to_contain_text("Het voorstel is gesloten.")
    page.get_by_label("Uitkomst").fill(OUTCOME)
    page.get_by_role("button", name="Leg de uitkomst vast").click()
    expect(flash(page)).to_contain_text("De uitkomst is vastgelegd.")
    settle(page, "(outcome recorded)")

    # The outsider and the removed member reach none of it.
    for stranger in (outsider, gone):
        switch_user(page, stranger)
        page.goto(path)
        settle(page, f"(the group as {stranger.name})")
        text = page.content()
        assert not [s for s in SECRETS if s in text], stranger.name
        for url in (f"{document_path}/download", f"{document_path}/download?versie=1"):
            response = page.request.get(url)
            assert response.status == 404, url
        assert page.request.get(document_path).status == 403
        assert page.request.get(f"{path}/gesprek").status == 403
        page.goto("/zoeken?q=ibisnotitie")
        settle(page, "(search)")
        assert page.locator(".search-hit").count() == 0
        page.goto("/meldingen")
        assert not [s for s in SECRETS if s in page.content()]

    # Lea wraps up and publishes with the document and the decision.
    switch_user(page, lea)
    page.goto(path)
    page.get_by_role("button", name="Afronden", exact=True).click()
    expect(heading(page)).to_contain_text("Werkgroep Ibis")
    settle(page, "(result form)")
    page.get_by_label("Wat heeft de groep gemaakt?").fill("Een notitie.")
    page.get_by_label("Wat heeft de groep geleerd?").fill("Juristen vroeg betrekken.")
    page.get_by_label("Reigerconcept (Reigerconcept v2.pdf)").check()
    page.get_by_label(re.compile(f"^{PROPOSAL}")).check()
    page.get_by_role("button", name="Publiceren in de kennisbank").click()
    expect(page.get_by_text(OUTCOME)).to_be_visible()
    settle(page, "(published result)")
    result_path = re.search(r"/kennisbank/\d+", page.url).group(0)
    switch_user(page, outsider)
    page.goto(result_path)
    settle(page, "(the result, as the outsider)")
    link = page.get_by_role("link", name="Reigerconcept")
    expect(link).to_be_visible()
    assert page.request.get(link.get_attribute("href")).status == 200
    assert page.request.get(f"{document_path}/download?versie=1").status == 404
    assert BLOCK not in page.content()


def test_the_same_without_javascript(page_without_js, make_member, make_group, app, tmp_path):
    page = page_without_js
    group_id, lea, mo, bo, gone, outsider = people(make_member, make_group, app)
    path = f"/werkgroepen/{group_id}"
    _login_plain(page, lea)
    page.goto(path)
    page.get_by_label("Je bericht").fill(MESSAGE)
    page.get_by_role("button", name="Plaats bericht").click()
    expect(page.locator(".stream__entry", has_text=MESSAGE)).to_be_visible()
    page.get_by_text("Deel een document").click()
    page.locator("#file").set_input_files(str(pdf(tmp_path, "Reigerconcept.pdf", "v1")))
    page.get_by_role("button", name="Deel het document").click()
    expect(flash(page)).to_contain_text("is gedeeld")
    _switch(page, mo, False)
    page.goto(path)
    entry = page.locator(".stream__entry", has_text=MESSAGE)
    entry.get_by_text("Reageren").click()
    entry.get_by_label("Je reactie").fill(REPLY)
    entry.get_by_role("button", name="Plaats reactie").click()
    expect(page.locator(".stream__reply", has_text="Ik lees mee")).to_be_visible()
    page.get_by_text("Doe een voorstel").click()
    page.get_by_label("Voorstel", exact=True).fill(PROPOSAL)
    page.get_by_label("Sluit op").fill((utcnow().date() + timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Leg het voorstel aan de groep voor").click()
    expect(flash(page)).to_contain_text("Je voorstel staat open.")
    _switch(page, bo, False)
    page.goto(path)
    proposal = page.locator(".proposal", has_text=PROPOSAL)
    proposal.get_by_label("Blokkeren").check()
    proposal.get_by_label("Reden").fill(BLOCK)
    proposal.get_by_role("button", name="Bewaar mijn reactie").click()
    expect(flash(page)).to_contain_text("Je reactie is bewaard.")
    expect(page.locator(".proposal", has_text=PROPOSAL)).to_contain_text(BLOCK)
