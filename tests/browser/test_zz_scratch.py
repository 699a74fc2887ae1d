def test_violation(page):
    page.goto("data:text/html,<html><body><img src='x.png'><p>hi</p></body></html>")
    print("after goto")
    page.wait_for_timeout(100)
    print("after wait")
