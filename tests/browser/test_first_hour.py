"""What a new member runs into in their first hour, in Chromium (issue 15): inviting to a
working group by name, and more."""

import re

import pytest
from playwright.sync_api import expect

from alliance.extensions import db
from alliance.groups import space
from alliance.groups.models import WorkingGroup
from alliance.members.models import Member
from tests.browser.conftest import SCREENSHOTS, screenshot
from tests.browser.helpers import (
    add_activity,
    flash,
    heading,
    log_in,
    settle,
    switch_language,
    visit,
)
from tests.test_agenda import make_event  # noqa: F401  (a fixture)

WORDS = {
    "nl": {
        "title": "Leden uitnodigen",
        "name": "Naam van het lid",
        "invite": "Uitnodigen",
        "invited": "Eva Visser is uitgenodigd.",
    },
    "en": {
        "title": "Invite members",
        "name": "Name of the member",
        "invite": "Invite",
        "invited": "Eva Visser has been invited.",
    },
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_invite_to_a_working_group_by_name_with_suggestions(page, make_member, make_group, lang):  # noqa: F811, E501
    words = WORDS[lang]
    lead = make_member(name="Lea Leider")
    group_id = make_group(lead=lead, join_policy="invite")
    make_member(name="Eva Visser", organisation="Gemeente Zwolle")
    make_member(name="Eva de Boer", organisation="Provincie Utrecht")
    log_in(page, lead)
    visit(page, f"/werkgroepen/{group_id}/uitnodigen")
    if lang == "en":
        switch_language(page, "en")
    expect(heading(page)).to_have_text(words["title"])
    page.get_by_label(words["name"]).press_sequentially("eva", delay=40)
    matches = page.locator("#invite-matches")
    expect(matches.get_by_role("link", name="Eva Visser")).to_be_visible()
    expect(matches.get_by_role("link", name="Eva de Boer")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Member Id")
    page.check_a11y("(names suggested while typing)")
    screenshot(page, f"invite-by-name-{lang}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"invite-by-name-{lang}-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    matches.get_by_role("button", name=re.compile(f"{words['invite']} Eva Visser")).click()
    expect(flash(page)).to_contain_text(words["invited"])
    settle(page, "(invited)")


def test_invite_by_name_without_javascript(page_without_js, make_member, make_group):  # noqa: F811
    page = page_without_js
    lead = make_member(name="Lea Leider")
    group_id = make_group(lead=lead, join_policy="invite")
    make_member(name="Eva Visser")
    make_member(name="Eva de Boer")
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(lead.email)
    page.get_by_label("Wachtwoord", exact=True).fill(lead.password)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.goto(f"/werkgroepen/{group_id}/uitnodigen")
    page.get_by_label("Naam van het lid").fill("eva")
    page.get_by_role("button", name="Uitnodigen", exact=True).click()
    expect(page.locator("main")).to_contain_text("Meer dan één lid past bij deze naam")
    page.get_by_role("button", name="Uitnodigen Eva de Boer").click()
    expect(flash(page)).to_contain_text("Eva de Boer is uitgenodigd.")


BELL = {
    "nl": {
        "line": "Eva Visser en 3 anderen reageerden op “Wie bewaart de chats?”",
        "bell": "Meldingen",
    },
    "en": {
        "line": "Eva Visser and 3 others replied to “Wie bewaart de chats?”",
        "bell": "Notifications",
    },
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_bell_after_opening_a_grouped_notification(app, page, make_member, make_item, lang):
    words = BELL[lang]
    author = make_member(name="Anna Auteur")
    item_id = make_item(author=author, title="Wie bewaart de chats?")
    for member in (make_member(), make_member(), make_member(), make_member(name="Eva Visser")):
        add_activity(app, member, replied=[item_id])
    log_in(page, author)
    if lang == "en":
        switch_language(page, "en")
    bell = page.locator("#bell")
    expect(bell.locator(".bell__count")).to_contain_text("4")
    bell.click()
    line = page.get_by_role("link", name=words["line"])
    expect(line).to_have_count(1)
    settle(page, "(notifications)")
    line.click()
    expect(page).to_have_url(re.compile(rf"/kennisbank/{item_id}"))
    settle(page, "(the post)")
    expect(page.locator("#bell .bell__count")).to_have_count(0)
    page.locator("#bell").click()
    expect(page.locator(".notification--unread")).to_have_count(0)
    settle(page, "(notifications after reading)")
    screenshot(page, f"bell-after-reading-{lang}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"bell-after-reading-{lang}-390")


def _overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_a_checkbox_label_does_not_cover_its_description(page, make_member, width):
    """The box, then its label; the description under the label, nothing drawn on top of
    anything (the Utrecht checkbox grid, with its parts in the places it expects)."""
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, make_member())
    visit(page, "/kennisbank/nieuw?soort=dilemma")
    box = page.get_by_label("Verberg mijn naam voor andere leden")
    field = page.locator(".utrecht-form-field--checkbox").filter(has=box)
    label = field.locator("label").bounding_box()
    description = field.locator(".utrecht-form-field-description").bounding_box()
    checkbox = box.bounding_box()
    assert not _overlap(label, description), (label, description)
    assert not _overlap(checkbox, label), (checkbox, label)
    assert label["y"] + label["height"] <= description["y"] + 1
    assert checkbox["x"] + checkbox["width"] <= label["x"]
    assert abs(description["x"] - label["x"]) < 2  # the description lines up with the label
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    field.screenshot(path=str(SCREENSHOTS / f"checkbox-{width}.png"))


def test_the_sort_order_of_the_knowledge_base_offers_no_all(page):
    visit(page, "/kennisbank/", "Kennisbank")
    options = page.get_by_label("Sorteren op").locator("option").all_inner_texts()
    assert "Alle" not in options and len(options) == 3, options
    filters = page.get_by_label("Status van het dilemma").locator("option").all_inner_texts()
    assert filters[0] == "Alle"  # a filter still has it


def test_signing_up_for_an_online_event_shows_the_link_at_once(page, make_member, make_event):  # noqa: F811
    event_id = make_event(title="Online meedenksessie Woo", online=True)
    log_in(page, make_member())
    visit(page, f"/agenda/{event_id}", "Online meedenksessie Woo")
    where = page.locator("#event-where")
    expect(where).to_contain_text("je ziet de link als je bent aangemeld")
    page.evaluate("() => { window.stillTheSamePage = true; }")
    page.get_by_role("button", name="Meld me aan").click()
    expect(page.locator("#signup")).to_contain_text("Je bent aangemeld")
    expect(where.get_by_role("link", name="link naar de online bijeenkomst")).to_have_attribute(
        "href", "https://meet.example.org/sessie"
    )
    expect(where).not_to_contain_text("als je bent aangemeld")
    assert page.evaluate("() => window.stillTheSamePage === true"), "the page was reloaded"
    page.check_a11y("(signed up with htmx)")


DILEMMA_FORM = {
    "nl": {
        "title": "Deel een dilemma",
        "who": "Wie mag dit lezen?",
        "group": "Welke werkgroep?",
        "members": "Leden van de alliantie",
        "one": "Eén werkgroep",
    },
    "en": {
        "title": "Share a dilemma",
        "who": "Who can read this?",
        "group": "Which working group?",
        "members": "Members of the alliance",
        "one": "One working group",
    },
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_group_choice_shows_only_for_a_group_post(page, make_member, make_group, lang):  # noqa: F811
    words = DILEMMA_FORM[lang]
    member = make_member(name="Gijs Groepslid")
    make_group(lead=member, name="Chats bewaren")
    log_in(page, member)
    visit(page, "/kennisbank/nieuw?soort=dilemma")
    if lang == "en":
        switch_language(page, "en")
    expect(heading(page)).to_have_text(words["title"])
    who = page.get_by_label(words["who"])
    expect(who).to_have_value("members")
    expect(page.get_by_label(words["group"])).to_be_hidden()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"new-dilemma-{lang}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})
    who.select_option(label=words["one"])
    expect(page.get_by_label(words["group"])).to_be_visible()
    page.check_a11y("(group chosen)")
    who.select_option(label=words["members"])
    expect(page.get_by_label(words["group"])).to_be_hidden()


def test_without_javascript_the_group_choice_says_when_it_counts(
    page_without_js,
    make_member,
    make_group,  # noqa: F811
):
    page = page_without_js
    member = make_member(name="Gijs Groepslid")
    make_group(lead=member, name="Chats bewaren")
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(member.email)
    page.get_by_label("Wachtwoord", exact=True).fill(member.password)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.goto("/kennisbank/nieuw?soort=dilemma")
    expect(page.get_by_label("Welke werkgroep?")).to_be_visible()
    expect(page.locator(".group-choice")).to_contain_text("Anders telt deze keuze niet.")


def test_since_your_last_visit_leaves_out_what_you_did_yourself(
    app,
    page,
    make_member,
    make_item,
    make_group,  # noqa: F811
):
    member = make_member(name="Gijs Groepslid")
    other = make_member(name="Olga Ander")
    group_id = make_group(lead=member, members=[other], name="Chats bewaren")
    log_in(page, member)
    visit(page, f"/werkgroepen/{group_id}")  # the first visit
    make_item(author=member, visibility="group", group_id=group_id, title="Mijn eigen vraag")
    visit(page, f"/werkgroepen/{group_id}")
    activity = page.get_by_role("region", name="Sinds je vorige bezoek")
    expect(activity).to_contain_text("Niets nieuw sinds")
    make_item(author=other, visibility="group", group_id=group_id, title="Olga's vraag")
    visit(page, f"/werkgroepen/{group_id}")
    expect(activity).to_contain_text("1 nieuwe bijdrage")


def test_the_first_private_calendar_address_mentions_no_old_one(page, make_member):
    log_in(page, make_member())
    visit(page, "/agenda/mijn")
    page.get_by_role("button", name="Maak mijn geheime agenda-adres").click()
    expect(flash(page)).to_have_text("Je geheime agenda-adres is klaar.")
    settle(page, "(address made)")
    page.get_by_role("button", name="Maak een nieuw adres").click()
    expect(flash(page)).to_contain_text("Het oude adres werkt niet meer.")


def test_a_coordinator_is_not_told_they_organised_an_event(page, make_member, make_event):  # noqa: F811
    organiser = make_member(name="Olga Organisator")
    event_id = make_event(organiser=organiser, title="Meedenksessie Woo")
    log_in(page, make_member(role="coordinator"))
    visit(page, f"/agenda/{event_id}", "Meedenksessie Woo")
    participants = page.locator("#deelnemers")
    expect(participants).to_contain_text(
        "Alleen de organisator en de coördinatoren zien deze lijst."
    )
    expect(participants).not_to_contain_text("Alleen jij")


def test_member_text_is_marked_with_the_language_it_was_written_in(page, make_member, make_item):
    """Dutch member text in the English interface says lang="nl" (a screen reader switches
    voice), and what is written in the English interface is marked English."""
    dutch = make_item(title="Mogen we chats van wethouders bewaren?")  # written in Dutch
    member = make_member(name="Erin English")
    log_in(page, member)
    switch_language(page, "en")
    visit(page, f"/kennisbank/{dutch}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(heading(page)).to_have_attribute("lang", "nl")
    for block in page.locator(".item__fields .user-text").all():
        expect(block).to_have_attribute("lang", "nl")
    page.get_by_label("Your reply", exact=True).fill("We keep them for ten years.")
    page.get_by_role("button", name="Send reply").click()
    reply = page.locator("#replies li.reply").filter(has_text="We keep them for ten years.")
    expect(reply.locator(".user-text")).to_have_attribute("lang", "en")


def test_a_published_result_has_working_links_and_linked_coauthors(
    app,
    page,
    make_member,
    make_group,  # noqa: F811
):
    lead = make_member(name="Lea Leider")
    coauthor = make_member(name="Cor Auteur")
    group_id = make_group(lead=lead, members=[coauthor], name="Chats bewaren")
    with app.test_request_context(method="POST"):
        group = db.session.get(WorkingGroup, group_id)
        space.start_wrap_up(group)
        space.save_result(
            group,
            {
                "title": "Opbrengst: chats bewaren",
                "made": "Een stappenplan.",
                "learned": "Begin klein.",
                "links": "Het stappenplan: https://example.org/stappenplan.pdf\n\n"
                "- https://www.open-overheid.nl/woo",
                "visibility": "members",
            },
        )
        item = space.publish_result(group, db.session.get(Member, lead.id))
        db.session.commit()
        item_id = item.id
    log_in(page, make_member())
    visit(page, f"/kennisbank/{item_id}", "Opbrengst: chats bewaren")
    links = page.locator(".item__field").filter(has=page.get_by_role("heading", name="Links"))
    expect(links.get_by_role("link", name="https://example.org/stappenplan.pdf")).to_have_attribute(
        "href", "https://example.org/stappenplan.pdf"
    )
    expect(links.get_by_role("link", name="https://www.open-overheid.nl/woo")).to_be_visible()
    origin = page.locator(".group-origin")
    expect(origin.get_by_role("link", name="Cor Auteur")).to_have_attribute(
        "href", f"/leden/{coauthor.id}"
    )


@pytest.mark.parametrize(
    ("lang", "log_in_word", "create"),
    [("nl", "Inloggen", "Account aanmaken"), ("en", "Log in", "Create account")],
)
def test_the_header_says_create_account_not_aanmelden(page, lang, log_in_word, create):
    """In Dutch "aanmelden" reads as both signing in and signing up: the header says
    "Inloggen" and "Account aanmaken", and the registration form's button says the same."""
    visit(page, "/")
    if lang == "en":
        switch_language(page, "en")
    header = page.locator(".site-tools")
    expect(header.get_by_role("link", name=log_in_word, exact=True)).to_be_visible()
    expect(header).not_to_contain_text("Aanmelden")
    header.get_by_role("link", name=create, exact=True).click()
    expect(page).to_have_url(re.compile(r"/registreren$"))
    settle(page, "(registration form)")
    expect(page.get_by_role("button", name=create, exact=True)).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("aanmeld")
