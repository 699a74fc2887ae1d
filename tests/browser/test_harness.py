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
