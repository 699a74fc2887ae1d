"""Browser tests: the app served on a loopback port, driven by Debian's Chromium through
Playwright, with axe-core run on every page a test visits."""

import json
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE_SOURCE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/alliantie-screenshots"))

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def live_server(app, live_port):
    """The app on http://127.0.0.1:<port>, in a thread, for the whole session."""
    server = make_server("127.0.0.1", live_port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{live_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


class AxeViolations(AssertionError):
    """axe-core found accessibility violations."""


def check_accessibility(page, context: str = "") -> None:
    """Run axe-core on the page as it is now; fail on any WCAG A/AA violation."""
    page.add_script_tag(content=AXE_SOURCE.read_text(encoding="utf-8")) if not page.evaluate(
        "() => typeof window.axe !== 'undefined'") else None
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    violations = result["violations"]
    if violations:
        lines = [f"axe: {len(violations)} violations on {page.url} {context}"]
        for violation in violations:
            targets = [node["target"] for node in violation["nodes"][:3]]
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} "
                         f"{json.dumps(targets)}")
        raise AxeViolations("\n".join(lines))


@pytest.fixture
def page(browser, live_server, csrf_on, request):
    """A fresh browser context (no cookies) whose every loaded page is checked with axe when
    the test ends, and after each call of ``page.check_a11y()`` (e.g. after an htmx swap)."""
    context = browser.new_context(base_url=live_server, locale="nl-NL",
                                  viewport={"width": 1280, "height": 900})
    # axe-core is injected by Playwright (not by the page), so the CSP stays strict.
    context.add_init_script(path=str(AXE_SOURCE))
    page = context.new_page()
    page.set_default_timeout(10_000)
    visited: list[str] = []
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    def on_load(loaded_page):
        visited.append(loaded_page.url)
        check_accessibility(loaded_page, "(on load)")

    page.on("load", on_load)
    page.check_a11y = lambda context_text="": check_accessibility(page, context_text)
    page.console_errors = errors
    yield page
    try:
        check_accessibility(page, "(at the end)")
    finally:
        context.close()
    assert not errors, f"JavaScript errors or CSP violations: {errors}"


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
