from tests.browser.conftest import screenshot


def test_home(page):
    page.goto("/")
    page.get_by_role("link", name="Thema's").first.click()
    page.wait_for_load_state()
    screenshot(page, "trial-themes")
    page.goto("/")
    screenshot(page, "trial-home")
