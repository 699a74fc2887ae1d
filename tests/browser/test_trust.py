"""Trust in Chromium: a member reports a reply, a coordinator (with two-step login) hides it, the
author sees the note, the audit log shows it; the author downloads their data and deletes the
account, after which their replies say "voormalig lid" and their name is found nowhere. A
coordinator without two-step login sets it up from the QR page. axe runs on every page."""

import io
import json
import re
import zipfile
from pathlib import Path

import pyotp
from playwright.sync_api import expect

from alliance.extensions import db
from tests.browser.conftest import screenshot
from tests.browser.helpers import flash, heading, log_in, settle, switch_user

AUTHOR = "Anouk Zwartveld"


def _replies(app, item_id: int, author) -> list[int]:
    from alliance.knowledge.models import Item
    from alliance.knowledge.services import add_reply
    from alliance.members.models import Member

    with app.test_request_context(method="POST"):
        by = db.session.get(Member, author.id)
        item = db.session.get(Item, item_id)
        ids = [
            add_reply(item, by, "Jullie zijn allemaal amateurs.", "uitvoering").id,
            add_reply(item, by, "Bij ons werkte een openbaar register goed.", "uitvoering").id,
        ]
        db.session.commit()
        db.session.remove()
    return ids


def test_report_hide_note_audit_download_and_delete(app, page, make_member, make_item, drain):
    author = make_member(name=AUTHOR, perspective="uitvoering")
    reporter = make_member(name="Ruud Melder")
    coordinator = make_member(name="Cora Coördinator", role="coordinator")
    item_id = make_item(title="Hoe maken we lobbycontacten openbaar?", visibility="members")
    hidden_id, kept_id = _replies(app, item_id, author)
    drain()

    # The reporter reports the first reply.
    log_in(page, reporter)
    page.goto(f"/kennisbank/{item_id}")
    settle(page, "(item)")
    page.locator(f"#reactie-{hidden_id}").get_by_role("link", name="Melden").click()
    expect(heading(page)).to_have_text("Melden bij de coördinatoren")
    settle(page, "(report form)")
    page.get_by_role("button", name="Melding versturen").click()  # empty: an error by the field
    expect(page.locator("#reason-error")).to_be_visible()
    settle(page, "(report form with error)")
    page.get_by_label("Wat is er mis?").fill("Dit is kleinerend, tegen huisregel 1.")
    page.get_by_role("button", name="Melding versturen").click()
    expect(flash(page)).to_contain_text("Bedankt")
    settle(page, "(after reporting)")

    # The coordinator (with two-step login) hides it.
    switch_user(page, coordinator)
    page.goto("/moderatie")
    expect(heading(page)).to_have_text("Moderatiewachtrij")
    settle(page, "(queue)")
    screenshot(page, "trust-queue")
    page.get_by_role("link", name=re.compile("Deze melding afhandelen")).click()
    expect(heading(page)).to_have_text("Melding afhandelen")
    settle(page, "(handle)")
    page.get_by_label("Verbergen (de schrijver ziet een melding)").check()
    page.get_by_label("Waarom").fill("Huisregel 1: heb respect voor elkaar.")
    screenshot(page, "trust-handle")
    page.get_by_role("button", name="Opslaan").click()
    expect(flash(page)).to_contain_text("De melder hoort de uitkomst")
    settle(page, "(after hiding)")
    page.get_by_role("link", name="Logboek").first.click()
    expect(heading(page)).to_have_text("Logboek")
    expect(page.get_by_role("table")).to_contain_text("Huisregel 1: heb respect voor elkaar.")
    expect(page.get_by_role("table")).to_contain_text("Cora Coördinator")
    settle(page, "(audit log)")

    # The author sees the note on the hidden reply; the reporter no longer sees it.
    switch_user(page, author)
    page.goto(f"/kennisbank/{item_id}")
    hidden = page.locator(f"#reactie-{hidden_id}")
    expect(hidden).to_contain_text("Verborgen door de moderatie")
    settle(page, "(author sees the note)")
    screenshot(page, "trust-hidden-note")

    # My data: download the ZIP.
    page.goto("/mijn-gegevens")
    expect(heading(page)).to_have_text("Mijn gegevens")
    settle(page, "(my data)")
    screenshot(page, "trust-my-data")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Mijn gegevens downloaden").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    data = json.loads(archive.read("gegevens.json"))
    for key in ("account", "profile", "items", "replies", "marks", "groups", "tasks", "sessions"):
        assert key in data, key
    assert len(data["replies"]) == 2 and data["profile"]["name"] == AUTHOR
    assert "bijdragen/reacties.md" in archive.namelist()

    # Delete the account: the password again, and the tick.
    page.get_by_label("Je wachtwoord").fill("niet mijn wachtwoord")
    page.get_by_label("Ik begrijp dat mijn account").check()
    page.get_by_role("button", name="Mijn account definitief verwijderen").click()
    expect(page.locator("#password-error")).to_be_visible()
    settle(page, "(delete with a wrong password)")
    page.get_by_label("Je wachtwoord").fill(author.password)
    page.get_by_label("Ik begrijp dat mijn account").check()
    page.get_by_role("button", name="Mijn account definitief verwijderen").click()
    expect(flash(page)).to_contain_text("Je account is verwijderd")
    settle(page, "(after deleting)")
    drain()

    # The reply stays, under "voormalig lid"; the name is found nowhere.
    log_in(page, reporter)
    page.goto(f"/kennisbank/{item_id}")
    kept = page.locator(f"#reactie-{kept_id}")
    expect(kept).to_contain_text("een voormalig lid")
    expect(kept).to_contain_text("openbaar register")
    expect(page.locator(f"#reactie-{hidden_id}")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Zwartveld")
    settle(page, "(item after deletion)")
    page.goto("/zoeken?q=Zwartveld")
    expect(page.locator("main")).not_to_contain_text(AUTHOR)
    settle(page, "(search for the name)")
    page.goto("/leden?q=Zwartveld")
    expect(page.locator(".member-card, .card", has_text=AUTHOR)).to_have_count(0)
    settle(page, "(directory)")


def test_coordinator_sets_up_two_step_login_and_sessions(app, page, make_member):
    coordinator = make_member(name="Nieuwe Coördinator", role="coordinator", two_factor=False)
    log_in(page, coordinator)
    page.goto("/moderatie")
    expect(heading(page)).to_have_text("Inloggen in twee stappen")
    expect(flash(page)).to_contain_text("Als coördinator of beheerder")
    settle(page, "(setup page)")
    qr = page.get_by_role("img", name=re.compile("QR-code voor je authenticator-app"))
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 100  # the image really renders
    screenshot(page, "trust-two-factor-setup")
    secret = page.locator(".secret-key").inner_text().replace(" ", "")
    page.get_by_label("Code uit je app").fill("000000")
    page.get_by_role("button", name="Inloggen in twee stappen aanzetten").click()
    expect(page.locator("#code-error")).to_be_visible()
    settle(page, "(setup with a wrong code)")
    page.get_by_label("Code uit je app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Inloggen in twee stappen aanzetten").click()
    expect(heading(page)).to_have_text("Je herstelcodes")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    settle(page, "(recovery codes)")
    screenshot(page, "trust-recovery-codes")
    page.get_by_role("link", name="Ik heb ze bewaard").click()
    expect(heading(page)).to_have_text("Moderatiewachtrij")
    settle(page, "(queue after setup)")

    page.goto("/account/sessies")
    expect(heading(page)).to_have_text("Mijn sessies")
    expect(page.get_by_role("table")).to_contain_text("deze browser")
    settle(page, "(sessions)")
    screenshot(page, "trust-sessions")
    page.get_by_role("button", name="Hier uitloggen").click()
    expect(page).to_have_url(re.compile(r"/inloggen"))
    settle(page, "(logged out from the sessions page)")
    page.goto("/rollen/coordinator")
    expect(heading(page)).to_have_text("Wat een coördinator kan")
    settle(page, "(role page)")
