"""What an operator watches: ``/metrics`` (Prometheus) for allowed addresses or a token only,
counting each route by its name; JSON log lines that carry the request's id, which the error
page shows so that a member can quote it."""

import hashlib
import json
import os
import re

import pytest
from prometheus_client.parser import text_string_to_metric_families

from alliance import create_app
from alliance.core import heartbeat
from alliance.extensions import limiter

ELSEWHERE = {"REMOTE_ADDR": "203.0.113.7"}


def samples(text: str) -> dict[tuple, float]:
    """Each sample of the exposition: (name, sorted labels) → value."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def requests_of(figures: dict, endpoint: str, status: str = "200") -> float:
    key = (
        "alliance_http_requests_total",
        (("endpoint", endpoint), ("method", "GET"), ("status", status)),
    )
    return figures.get(key, 0.0)


def test_metrics_count_requests_per_route_and_read_the_outboxes(app, client, make_item, tmp_path):
    app.config["HEARTBEAT_DIR"] = str(tmp_path / "heartbeat")
    before = samples(client.get("/metrics").text)
    make_item(title="Een dilemma dat nog in de zoek-outbox wacht")  # not drained
    for _ in range(3):
        assert client.get("/kennisbank/").status_code == 200
    assert client.get("/kennisbank/99999").status_code == 404
    with app.app_context():
        heartbeat.beat("worker")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    after = samples(response.text)
    list_page = "knowledge.index"
    assert requests_of(after, list_page) - requests_of(before, list_page) == 3
    # The route's name, never the path with its id.
    assert (
        requests_of(after, "knowledge.show", "404") - requests_of(before, "knowledge.show", "404")
        == 1
    )
    assert not any("99999" in str(key) for key in after)
    count = (
        "alliance_http_request_duration_seconds_count",
        (("endpoint", list_page), ("method", "GET")),
    )
    assert after[count] - before.get(count, 0) == 3
    assert after[("alliance_outbox_waiting", (("outbox", "search"),))] >= 1
    assert after[("alliance_outbox_oldest_age_seconds", (("outbox", "search"),))] >= 0
    assert ("alliance_outbox_waiting", (("outbox", "mail"),)) in after
    assert ("alliance_mail_failing", ()) in after
    assert ("alliance_search_index_updated_timestamp_seconds", ()) in after
    assert ("alliance_worker_heartbeat_timestamp_seconds", (("worker", "worker"),)) in after


def test_metrics_are_hidden_from_other_addresses_unless_the_token_is_sent(app, client):
    assert client.get("/metrics", environ_base=ELSEWHERE).status_code == 404
    # Through a proxy on this machine without TRUST_PROXY the address is the proxy's own.
    proxied = client.get("/metrics", headers={"X-Forwarded-For": "198.51.100.4"})
    assert proxied.status_code == 404
    app.config["METRICS_TOKEN"] = "geheim-token-voor-prometheus"
    wrong = client.get(
        "/metrics", environ_base=ELSEWHERE, headers={"Authorization": "Bearer geraden"}
    )
    assert wrong.status_code == 404
    allowed = client.get(
        "/metrics",
        environ_base=ELSEWHERE,
        headers={"Authorization": "Bearer geheim-token-voor-prometheus"},
    )
    assert allowed.status_code == 200 and "alliance_http_requests_total" in allowed.text


def test_metrics_allowed_from_a_configured_network(app, client):
    app.config["METRICS_ALLOWED_IPS"] = "10.0.0.0/8, 203.0.113.0/24"
    assert client.get("/metrics").status_code == 404  # not even loopback now
    assert client.get("/metrics", environ_base=ELSEWHERE).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.20.30.40"}).status_code == 200


@pytest.fixture
def logging_app(app):
    """An app like production's (JSON logs) with a route that fails, as an unforeseen bug
    would."""
    application = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})

    @application.get("/kapot-voor-test")
    def broken():
        application.logger.info("begonnen aan het verzoek")
        raise RuntimeError("boom")

    yield application
    limiter.init_app(app)  # each new app binds the one limiter of the process
    limiter._storage_dead = False


def log_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_log_lines_carry_the_request_id_and_the_500_page_shows_it(logging_app, capsys):
    capsys.readouterr()
    client = logging_app.test_client()
    response = client.get("/kapot-voor-test", headers={"X-Request-ID": "lb-4f2a9c11-77"})
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "lb-4f2a9c11-77"
    assert "lb-4f2a9c11-77" in response.text and "boom" not in response.text
    lines = log_lines(capsys.readouterr().err)
    ours = [line for line in lines if line["request_id"] == "lb-4f2a9c11-77"]
    assert [line["message"] for line in ours] == ["begonnen aan het verzoek", "unhandled error"]
    assert ours[1]["level"] == "ERROR" and "RuntimeError: boom" in ours[1]["exception"]
    assert all(
        line["request_id"] == "lb-4f2a9c11-77" for line in lines if line["logger"] == "alliance"
    )

    # A header that could forge a log line is not taken: the app makes its own id.
    forged = client.get("/kapot-voor-test", headers={"X-Request-ID": 'x" level=INFO'})
    made = forged.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made) and made in forged.text
    assert {line["request_id"] for line in log_lines(capsys.readouterr().err)} == {made}


def test_every_response_names_its_request_id(client):
    first = client.get("/").headers["X-Request-ID"]
    second = client.get("/").headers["X-Request-ID"]
    assert first != second
    assert (
        client.get("/", headers={"X-Request-ID": "abcdef0123456789"}).headers["X-Request-ID"]
        == "abcdef0123456789"
    )


def test_the_503_page_shows_the_request_id(app, tmp_path):
    """The database cannot be reached (a volume not mounted): the short page made without the
    database still names the request."""
    server = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'not-mounted' / 'site.sqlite'}",
            "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"],
        }
    )
    try:
        response = server.test_client().get("/", headers={"X-Request-ID": "lb-503-9d8e7f"})
        assert response.status_code == 503
        assert response.headers["X-Request-ID"] == "lb-503-9d8e7f"
        assert "lb-503-9d8e7f" in response.text
    finally:
        limiter.init_app(app)
        limiter._storage_dead = False


def test_static_links_carry_the_version_of_the_file(app, client):
    """What lets the proxy keep static files for a year: a changed file gets a new address."""
    html = client.get("/").text
    links = re.findall(r'"/static/([^"?]+)\?v=([0-9a-f]{10})"', html)
    assert len(links) >= 3 and not re.search(r'"/static/[^"?]+"', html)
    for name, version in links:
        with open(os.path.join(app.static_folder, name), "rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest()[:10] == version, name
