"""People (issue 17) in the browser: the profile photo, what a member did, messages."""

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import flash, heading, log_in, settle, visit
from tests.test_photos import png_with_gps


def test_upload_a_photo_refused_then_accepted(page, make_member, tmp_path):
    member = make_member(name="Sanne de Vries", offers=["Woo-verzoeken"])
    log_in(page, member)
    expect(page.locator(".avatar--large")).to_have_text("SV")  # initials before a photo
    visit(page, "/profiel/bewerken", "Je profiel bewerken")
    fake = tmp_path / "vakantie.jpg"
    fake.write_bytes(b"<!doctype html><html><body>geen foto</body></html>")
    page.get_by_label("Nieuwe foto").set_input_files(str(fake))
    page.get_by_role("button", name="Foto opslaan").click()
    expect(page.locator("#photo-error")).to_contain_text("Dit bestand is geen foto")
    settle(page, "(photo refused)")
    screenshot(page, "people-photo-refused-1280")
    real = tmp_path / "foto.png"
    real.write_bytes(png_with_gps())
    page.get_by_label("Nieuwe foto").set_input_files(str(real))
    page.get_by_role("button", name="Foto opslaan").click()
    expect(flash(page)).to_contain_text("Je foto is opgeslagen.")
    settle(page, "(photo saved)")
    visit(page, f"/leden/{member.id}")
    expect(heading(page)).to_have_text("Sanne de Vries")
    photo = page.get_by_role("img", name="Foto van Sanne de Vries")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.naturalWidth") == 320
    screenshot(page, "people-profile-photo-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "people-profile-photo-390")
    visit(page, "/profiel/bewerken", "Je profiel bewerken")
    screenshot(page, "people-edit-photo-390")
