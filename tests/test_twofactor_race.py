"""A one-time code logs in once, also when the same code arrives from several half-logged-in
browsers at the same moment (PostgreSQL does not serialise writers as SQLite does)."""

import threading

import pytest

from alliance.extensions import db, limiter
from tests.conftest import totp_code

RACERS = 6


@pytest.fixture
def no_limits():
    """The race is about the code, not the throttle: six browsers, one account, one address."""
    limiter.enabled = False
    yield
    limiter.enabled = True


def _halfway(app, member) -> list:
    """Browsers that each passed the password step of ``member`` (each its own session and, in
    its own thread, its own database connection)."""
    browsers = []
    for _n in range(RACERS):
        browser = app.test_client()
        answer = browser.post(
            "/inloggen", data={"email": member.email, "password": member.password}
        )
        assert answer.status_code == 303 and answer.location.endswith("/inloggen/code")
        browsers.append(browser)
    return browsers


def _all_at_once(browsers, code: str) -> list[int]:
    """Send ``code`` from every browser at the same moment; the status codes."""
    barrier = threading.Barrier(len(browsers))
    statuses: list[int] = []

    def send(browser):
        barrier.wait()
        statuses.append(browser.post("/inloggen/code", data={"code": code}).status_code)

    threads = [threading.Thread(target=send, args=(b,)) for b in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return statuses


def _logged_in(browsers) -> int:
    return sum(browser.get("/account").status_code == 200 for browser in browsers)


def test_one_app_code_sent_at_once_from_several_browsers_logs_in_once(app, make_member, no_limits):
    member = make_member(two_factor=True)
    browsers = _halfway(app, member)
    statuses = _all_at_once(browsers, totp_code())
    assert sorted(statuses) == [200] * (RACERS - 1) + [303]
    assert _logged_in(browsers) == 1


def test_one_recovery_code_sent_at_once_from_several_browsers_logs_in_once(
    app, make_member, no_limits
):
    from alliance.accounts.models import RecoveryCode
    from alliance.accounts.twofactor import new_recovery_codes
    from alliance.members.models import Member

    member = make_member(two_factor=True)
    with app.test_request_context():
        codes = new_recovery_codes(db.session.get(Member, member.id))
        db.session.commit()
        db.session.remove()
    browsers = _halfway(app, member)
    statuses = _all_at_once(browsers, codes[0])
    assert sorted(statuses) == [200] * (RACERS - 1) + [303]
    assert _logged_in(browsers) == 1
    with app.app_context():
        used = db.session.scalars(
            db.select(RecoveryCode).where(RecoveryCode.used_at.is_not(None))
        ).all()
        assert len(used) == 1
        db.session.remove()
