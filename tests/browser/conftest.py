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
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


class AxeViolations(AssertionError):
    """axe-core found accessibility violations."""


#: Runs in every page before its own scripts: after each load, axe checks the page and the
#: result is kept in the page (``__axeResults``) and reported to the test (``__reportAxe``), so
#: every page a test passes through is checked, also those reached by clicking or typing.
AXE_ON_LOAD = """
(() => {
  if (window.top !== window) return;
  window.__axeResults = [];
  window.__axeRunNow = async (tags) => {
    while (window.__axeBusy) await window.__axeBusy;
    window.__axeBusy = axe.run(document, {runOnly: {type: 'tag', values: tags}});
    try {
      const result = await window.__axeBusy;
      return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.slice(0, 3).map((n) => n.target)}));
    } finally {
      window.__axeBusy = null;
    }
  };
  window.addEventListener('load', () => {
    window.__axeOnLoad = window.__axeRunNow(__TAGS__).then((violations) => {
      window.__axeResults.push(violations);
      if (violations.length) window.__reportAxe(location.href, violations);
      return violations;
    });
  });
})();
""".replace("__TAGS__", json.dumps(AXE_TAGS))

#: Runs in every page before its own scripts: every Content Security Policy violation (an inline
#: style or script, a resource from elsewhere) is reported to the test, which fails on it. A
#: console message alone is not enough: Chromium does not always send CSP reports there.
CSP_ON_LOAD = """
document.addEventListener('securitypolicyviolation', (event) => {
  window.__reportCsp(`CSP violation: ${event.violatedDirective} blocked ` +
    `${event.blockedURI || 'inline'} at ${event.sourceFile || location.href}:` +
    `${event.lineNumber} (${(event.sample || '').slice(0, 80)})`);
});
"""


def describe(url: str, violations: list[dict], context: str = "") -> str:
    """A readable list of axe violations."""
    lines = [f"axe: {len(violations)} violations on {url} {context}"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"{json.dumps(violation['targets'])}"
        )
    return "\n".join(lines)


def check_accessibility(page, context: str = "") -> None:
    """Run axe on the page as it is now (e.g. after an htmx swap); fail on any violation."""
    violations = page.evaluate("(tags) => window.__axeRunNow(tags)", AXE_TAGS)
    if violations:
        raise AxeViolations(describe(page.url, violations, context))


@pytest.fixture
def page(browser, live_server, csrf_on, request):
    """A fresh browser context (no cookies). axe-core checks every page that loads, and
    ``page.check_a11y()`` checks the page as it is now (after an htmx swap); violations, script
    errors and failed requests for our own files fail the test."""
    context = browser.new_context(
        base_url=live_server, locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    found: list[str] = []
    context.expose_binding(
        "__reportAxe", lambda _source, url, violations: found.append(describe(url, violations))
    )
    errors: list[str] = []
    context.expose_binding("__reportCsp", lambda _source, text: errors.append(text))
    # axe-core is injected by Playwright (not by the page), so the CSP stays strict.
    context.add_init_script(path=str(AXE_SOURCE))
    context.add_init_script(script=AXE_ON_LOAD)
    context.add_init_script(script=CSP_ON_LOAD)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda msg: (
            errors.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error"
            and "Failed to load resource" not in msg.text
            or "Content Security Policy" in msg.text
            else None
        ),
    )
    # A page answered with 4xx on purpose is fine; a stylesheet, script or font that fails is not.
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            else None
        ),
    )
    page.check_a11y = lambda context_text="": check_accessibility(page, context_text)
    page.console_errors = errors
    page.axe_found = found
    yield page
    try:
        if page.evaluate("() => !!window.__axeRunNow"):
            page.evaluate("() => window.__axeOnLoad")  # let the last page's check finish
    finally:
        context.close()
    assert not found, "\n".join(found)
    assert not errors, f"JavaScript errors, CSP violations or failed requests: {errors}"


@pytest.fixture
def page_without_js(browser, live_server, csrf_on):
    """A page in a browser with JavaScript switched off. axe needs JavaScript, so tests with
    this page check what the user sees, not accessibility."""
    context = browser.new_context(
        base_url=live_server,
        java_script_enabled=False,
        locale="nl-NL",
        viewport={"width": 1280, "height": 900},
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    refused: list[str] = []
    page.on(
        "console",
        lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield page
    context.close()
    assert not refused, f"CSP violations: {refused}"


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
