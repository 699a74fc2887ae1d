"""The accessibility harness itself: it must be able to fail."""

PROBE = (
    "<!doctype html><html><head><title>probe</title></head><body><main>"
    '<img src="/static/img/favicon.svg"><h1>probe</h1></main></body></html>'
)


def test_axe_reports_a_violation_on_every_page_load(page):
    page.route("**/axe-probe", lambda route: route.fulfill(body=PROBE, content_type="text/html"))
    page.goto("/axe-probe")
    violations = page.evaluate("() => window.__axeOnLoad")
    assert {"image-alt", "html-has-lang"} <= {v["id"] for v in violations}
    for _ in range(50):  # the report reaches the test as an event, a moment later
        if page.axe_found:
            break
        page.wait_for_timeout(20)
    assert any("image-alt" in report for report in page.axe_found)
    page.axe_found.clear()  # reported as it should be; the rest of this test is a clean page
    page.goto("/")


CSP_PROBE = (
    '<!doctype html><html lang="nl"><head><title>probe</title></head><body><main>'
    "<h1>probe</h1><p>tekst</p></main></body></html>"
)


def test_a_csp_violation_is_reported_to_the_test(page):
    """An inline style the page's CSP refuses (as htmx swapping a fragment with a style
    attribute would) is caught, so the test that caused it fails."""
    page.goto("/")
    page.evaluate(
        """() => { const p = document.createElement('p');
                   p.innerHTML = '<span style="color: red">rood</span>';
                   document.querySelector('main').append(p); }"""
    )
    for _ in range(50):  # the report reaches the test as an event, a moment later
        if any(error.startswith("CSP violation") for error in page.console_errors):
            break
        page.wait_for_timeout(20)
    assert any("style-src" in error for error in page.console_errors), page.console_errors
    page.wait_for_timeout(200)  # the console's copy of the report, if any
    page.console_errors.clear()  # reported as it should be
