"""Network health in Chromium: a coordinator (with the second login step) opens the dashboard,
picks a period in the form and finds every chart with a title, a summary and a table; a member
is refused; the public jaarbeeld shows small numbers as "< 5". axe runs on every page.
Screenshots at 1280 and 390 px go to /tmp/alliantie-screenshots."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import heading, log_in, log_out, settle, switch_language
from tests.test_agenda import make_event  # noqa: F401  (a fixture)
from tests.test_insight import network  # noqa: F401  (a fixture)
from tests.test_opendata_api import world  # noqa: F401  (a fixture)

CHARTS = 8


def check_every_chart(page) -> None:
    """Each chart: a heading, a summary in words, an SVG named by the title and described by
    the summary, and a table with a caption."""
    sections = page.locator("section.health-figure:has(svg.chart)")
    expect(sections).to_have_count(CHARTS)
    for index in range(CHARTS):
        section = sections.nth(index)
        title = section.get_by_role("heading", level=2).inner_text()
        summary = section.locator(".health-figure__summary").inner_text()
        assert title and len(summary) > 30, (title, summary)
        chart = section.get_by_role("img")
        expect(chart).to_have_accessible_name(title)
        expect(chart).to_have_accessible_description(summary)
        expect(section.locator("table caption").first).not_to_be_empty()
        assert section.locator("table tbody tr").count() >= 2, title


@pytest.mark.parametrize("width", [1280, 390])
def test_dashboard_for_coordinators_only(app, page, make_member, network, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    member = make_member(name="Gewoon Lid")
    coordinator = make_member(name="Cora Coördinator", role="coordinator")

    log_in(page, member)
    response = page.goto("/coordinatie/gezondheid")
    assert response.status == 403
    settle(page, "(refused)")
    log_out(page)

    log_in(page, coordinator)  # with the second login step
    page.goto("/coordinatie/gezondheid")
    expect(heading(page)).to_have_text("Gezondheid van het netwerk")
    settle(page, "(dashboard)")
    page.goto("/coordinatie/gezondheid?periode=2025-03")
    expect(page.locator("#beantwoord .health-figure__summary")).to_contain_text(
        "In maart 2025 kreeg 50 % van de dilemma's binnen drie dagen een reactie."
    )
    settle(page, "(dashboard, March 2025)")
    check_every_chart(page)
    expect(page.get_by_role("link", name="Dilemma drie zonder antwoord")).to_be_visible()
    screenshot(page, f"gezondheid-{width}")
    if width == 1280:
        switch_language(page, "en")
        expect(heading(page)).to_have_text("Network health")
        check_every_chart(page)
        screenshot(page, "gezondheid-1280-en")


@pytest.mark.parametrize("width", [1280, 390])
def test_jaarbeeld_for_everyone(page, network, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/jaarbeeld?jaar=2025")
    expect(heading(page)).to_have_text("Jaarbeeld 2025")
    settle(page, "(jaarbeeld)")
    check_every_chart(page)
    expect(page.locator("#tweerichtingsverkeer table")).to_contain_text("< 5")
    expect(page.get_by_text("Publiceer vroeg.")).to_be_visible()
    screenshot(page, f"jaarbeeld-{width}")


@pytest.mark.parametrize("width", [1280, 390])
def test_open_data_page_lists_the_dump(app, page, runner, world, width):  # noqa: F811
    assert runner.invoke(args=["opendata", "dump"]).exit_code == 0
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/open-data")
    expect(heading(page)).to_have_text("Open data")
    settle(page, "(open data)")
    expect(page.get_by_role("link", name="items.csv")).to_be_visible()
    expect(page.get_by_role("link", name="/api/v1/openapi.json")).to_be_visible()
    screenshot(page, f"open-data-{width}")
