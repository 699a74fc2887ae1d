"""Two app servers (gunicorn, real processes) on one PostgreSQL database, one Redis and one
``flask worker``: what is posted on one is found on the other, a login on one is valid on the
other (sessions live in the database), the login throttle counts both together, and a sign-up
race for the last seat split over both never overbooks."""

import os
import threading
import time
import uuid

import pytest
import redis
from sqlalchemy import func, select

from alliance.accounts.models import LoginSession
from alliance.agenda.models import Signup
from alliance.extensions import db
from tests.processes import Browser, count_in, serving, start_server, start_worker, stop
from tests.test_agenda import make_event  # noqa: F401  (a fixture)
from tests.test_search import titles

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="two app servers share a PostgreSQL database; SQLite is a file of one machine "
    "(CI runs this test in its PostgreSQL run)",
)

REDIS_URL = "redis://127.0.0.1:6379/0"
DILEMMA = {
    "kind": "dilemma",
    "title": "Windmolens bij het dorp: delen we de ruwe metingen?",
    "tension": "Openheid tegen onrust.",
    "visibility": "members",
}


@pytest.fixture(scope="module")
def limits():
    """Redis for the rate limits, under a key prefix of this module's own (removed after)."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("REQUIRE_REDIS") == "1":  # CI
            pytest.fail("no Redis on 127.0.0.1:6379, and REQUIRE_REDIS=1")
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"alliantie-two-servers-{uuid.uuid4().hex[:8]}"

    def forget() -> None:
        for key in client.scan_iter(f"*{prefix}*"):
            client.delete(key)

    client.forget = forget
    client.prefix = prefix
    yield client
    forget()
    client.close()


@pytest.fixture(scope="module")
def servers(app, limits, tmp_path_factory):
    """(A, B): the base URLs of two gunicorn servers, and one worker beside them."""
    logs = tmp_path_factory.mktemp("two-servers")
    settings = {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": limits.prefix}
    worker = start_worker(app, logs / "worker.log")
    started = [start_server(app, logs / f"{name}.log", **settings) for name in "ab"]
    try:
        for (process, base), name in zip(started, "ab", strict=True):
            serving(process, base, logs / f"{name}.log")
        yield started[0][1], started[1][1]
    finally:
        codes = [stop(process) for process, _base in started] + [stop(worker)]
    assert codes == [0, 0, 0], codes


def _log_in(browser: Browser, base: str, member) -> None:
    status, page, url = browser.submit(
        f"{base}/inloggen", {"email": member.email, "password": member.password}
    )
    assert status == 200 and "/inloggen" not in url, (status, url)


def _logged_in(browser: Browser, base: str) -> bool:
    status, _page, url = browser.request(f"{base}/account")
    return status == 200 and "/inloggen" not in url


def test_a_dilemma_posted_on_a_is_found_on_b_within_two_seconds(servers, make_member):
    a, b = servers
    browser = Browser()
    _log_in(browser, a, make_member())
    status, _page, url = browser.submit(f"{a}/kennisbank/nieuw?soort=dilemma", DILEMMA)
    assert status == 200 and "/kennisbank/" in url, (status, url)
    posted = time.monotonic()
    while DILEMMA["title"] not in titles(browser.get(f"{b}/zoeken?q=windmolens")[1]):
        assert time.monotonic() - posted < 2.0, "not found on B within 2 s"
        time.sleep(0.05)


def test_a_login_on_a_is_valid_on_b_and_a_logout_on_b_ends_it_on_a(app, servers, make_member):
    a, b = servers
    member = make_member()
    browser = Browser()
    _log_in(browser, a, member)
    assert _logged_in(browser, b)
    assert count_in(app, select(func.count(LoginSession.token))) == 1  # on the server's side
    cookies_before_logout = dict(browser.cookies)
    status, _page, _url = browser.submit(f"{b}/account", {}, action=f"{b}/uitloggen")
    assert status == 200
    assert count_in(app, select(func.count(LoginSession.token))) == 0
    # The old cookies are still well signed, yet A no longer knows the session: it lived in
    # the database, not in the cookie.
    assert not _logged_in(Browser(cookies_before_logout), a)


def test_the_login_throttle_counts_attempts_on_a_and_b_together(servers, limits, make_member):
    a, b = servers
    limits.forget()
    member = make_member()
    browser = Browser()

    def attempt(base: str) -> int:
        wrong = {"email": member.email, "password": "niet het goede wachtwoord"}
        return browser.submit(f"{base}/inloggen", wrong)[0]

    # Five failed attempts are allowed per account and address a minute: three on A, two on B.
    assert [attempt(a) for _ in range(3)] + [attempt(b) for _ in range(2)] == [200] * 5
    assert attempt(a) == 429  # neither server saw five, together they did
    assert attempt(b) == 429
    assert list(limits.scan_iter(f"*{limits.prefix}*"))


def test_a_sign_up_race_for_the_last_seat_on_a_and_b_never_overbooks(
    app,
    servers,
    limits,
    make_member,
    make_event,  # noqa: F811
):
    a, b = servers
    limits.forget()
    event_id = make_event(capacity=1)
    racers = [(Browser(), a if n % 2 else b) for n in range(6)]
    for number, (browser, base) in enumerate(racers):
        _log_in(browser, base, make_member(name=f"Deelnemer {number}"))
    barrier = threading.Barrier(len(racers))
    answers = []

    def sign_up(browser: Browser, base: str) -> None:
        page = browser.get(f"{base}/agenda/{event_id}")[1]
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        barrier.wait()
        answers.append(
            browser.request(f"{base}/agenda/{event_id}/aanmelden", {"csrf_token": token})[0]
        )

    threads = [threading.Thread(target=sign_up, args=racer) for racer in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert answers == [200] * len(racers)
    states = select(Signup.state, func.count()).where(Signup.event_id == event_id)
    with app.app_context():
        found = dict(db.session.execute(states.group_by(Signup.state)).all())
        db.session.remove()
    assert found == {"signed_up": 1, "waiting": 5}
