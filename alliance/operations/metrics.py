"""``/metrics`` in the Prometheus text format (the official ``prometheus-client``).

What is measured:

- ``alliance_http_requests_total{endpoint,method,status}`` and
  ``alliance_http_request_duration_seconds{endpoint,method}``: per route by its endpoint name
  (``knowledge.item``), never the raw path (ids would make a series each);
  ``endpoint="unmatched"`` for addresses that are no route.
- ``alliance_outbox_waiting{outbox}`` and ``alliance_outbox_oldest_age_seconds{outbox}``:
  what waits in the search outbox, the mail queue and the notifications waiting for an e-mail
  (``notification_direct``, ``_daily``, ``_weekly``), read from the database when scraped, so
  every app server reports the same.
- ``alliance_mail_failing`` (waiting after a failed try) and ``alliance_mail_given_up``.
- ``alliance_last_drain_timestamp_seconds{outbox}``: the last time something was taken out
  (``mail``: the newest mail sent; ``search``: the index's last write).
- ``alliance_worker_heartbeat_timestamp_seconds{worker}``: when a background worker last said
  it is alive (``alliance.core.heartbeat.beat``); absent until one does.
- ``alliance_search_index_built_timestamp_seconds`` and
  ``alliance_search_index_updated_timestamp_seconds``: when the index in use was built (a
  rebuild's swap) and last written; alert on ``time() - updated`` while the outbox is not empty.

With several gunicorn workers set ``PROMETHEUS_MULTIPROC_DIR`` (``deploy/gunicorn.conf.py``
does): each worker writes its counters there and a scrape adds them up.

Only the addresses in ``METRICS_ALLOWED_IPS`` (default loopback) or a request with
``Authorization: Bearer <METRICS_TOKEN>`` get an answer; anyone else a 404, as if there were
nothing. Behind a proxy without ``TRUST_PROXY`` every request seems to come from the proxy's
address: a request that carries ``X-Forwarded-For`` then needs the token."""

import functools
import hmac
import ipaddress
import os
import time
from datetime import UTC, datetime

from flask import Blueprint, Flask, Response, abort, current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import case, func, select

from alliance.core import heartbeat
from alliance.extensions import db
from alliance.mail.models import OutgoingMail
from alliance.notify.models import Notification
from alliance.search import index as search_index
from alliance.search.models import SearchOutbox

bp = Blueprint("metrics", __name__)
disable_created_metrics()  # the *_created series only double what Prometheus knows

#: Methods counted by name; anything else a client makes up is counted as "other".
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

REQUESTS = Counter(
    "alliance_http_requests",
    "HTTP requests answered, by route (endpoint name), method and status code.",
    ["endpoint", "method", "status"],
)
DURATION = Histogram(
    "alliance_http_request_duration_seconds",
    "Time from the start of a request to its response, by route and method.",
    ["endpoint", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def _utc_timestamp(moment: datetime | None) -> float | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # stored as naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


class DatabaseCollector:
    """The figures read from the database and the index when scraped."""

    def collect(self):
        now = time.time()
        waiting = GaugeMetricFamily(
            "alliance_outbox_waiting", "Rows waiting to be handled, per outbox.", labels=["outbox"]
        )
        oldest = GaugeMetricFamily(
            "alliance_outbox_oldest_age_seconds",
            "Age of the oldest row still waiting, per outbox (0 when none waits).",
            labels=["outbox"],
        )
        for name, count, first in self._outboxes():
            waiting.add_metric([name], count)
            created = _utc_timestamp(first)
            oldest.add_metric([name], max(0.0, now - created) if created else 0.0)
        yield waiting
        yield oldest

        failing, given_up, last_sent = db.session.execute(
            select(
                func.count(
                    case(
                        (
                            OutgoingMail.sent_at.is_(None)
                            & OutgoingMail.given_up_at.is_(None)
                            & (OutgoingMail.attempts > 0),
                            1,
                        )
                    )
                ),
                func.count(OutgoingMail.given_up_at),
                func.max(OutgoingMail.sent_at),
            )
        ).one()
        db.session.rollback()
        yield GaugeMetricFamily(
            "alliance_mail_failing", "Mail waiting after a failed try.", value=failing
        )
        yield GaugeMetricFamily(
            "alliance_mail_given_up",
            "Mail given up (not sent within MAIL_GIVE_UP_AFTER_DAYS), kept MAIL_KEEP_SENT_DAYS.",
            value=given_up,
        )

        built, updated = _index_times()
        drained = GaugeMetricFamily(
            "alliance_last_drain_timestamp_seconds",
            "When something was last taken out of an outbox (mail: the newest sent; search: "
            "the index's last write).",
            labels=["outbox"],
        )
        if last_sent is not None:
            drained.add_metric(["mail"], _utc_timestamp(last_sent))
        if updated is not None:
            drained.add_metric(["search"], updated)
        yield drained
        if built is not None:
            yield GaugeMetricFamily(
                "alliance_search_index_built_timestamp_seconds",
                "When the search index in use was built (swapped in by a rebuild).",
                value=built,
            )
            yield GaugeMetricFamily(
                "alliance_search_index_updated_timestamp_seconds",
                "When the search index in use was last written (a drain or the rebuild).",
                value=updated,
            )
        beats = GaugeMetricFamily(
            "alliance_worker_heartbeat_timestamp_seconds",
            "When a background worker last said it is alive (absent: none ever did).",
            labels=["worker"],
        )
        for name, moment in heartbeat.last_beats().items():
            beats.add_metric([name], moment)
        yield beats

    @staticmethod
    def _outboxes():
        rows = []
        count, first = db.session.execute(
            select(func.count(SearchOutbox.id), func.min(SearchOutbox.created_at))
        ).one()
        rows.append(("search", count, first))
        count, first = db.session.execute(
            select(func.count(OutgoingMail.id), func.min(OutgoingMail.created_at)).where(
                OutgoingMail.sent_at.is_(None), OutgoingMail.given_up_at.is_(None)
            )
        ).one()
        rows.append(("mail", count, first))
        by_delivery = {
            delivery: (count, first)
            for delivery, count, first in db.session.execute(
                select(
                    Notification.delivery,
                    func.count(Notification.id),
                    func.min(Notification.created_at),
                )
                .where(Notification.emailed_at.is_(None), Notification.delivery != "none")
                .group_by(Notification.delivery)
            )
        }
        for delivery in ("direct", "daily", "weekly"):
            count, first = by_delivery.get(delivery, (0, None))
            rows.append((f"notification_{delivery}", count, first))
        db.session.rollback()
        return rows


def _index_times() -> tuple[float | None, float | None]:
    """When the index in use was swapped in, and its newest file's time (its last commit)."""
    try:
        target = search_index.current_target()
        if target is None or not target.is_dir():
            return None, None
        built = os.lstat(search_index.index_dir() / "current").st_mtime
        newest = max((entry.stat().st_mtime for entry in os.scandir(target)), default=built)
    except OSError:
        return None, None
    return built, max(built, newest)


class _Registry:
    """The counters of this process (or, in multiprocess mode, of every worker)."""

    def __init__(self, registry):
        self.registry = registry

    def collect(self):
        return self.registry.collect()


def exposition() -> bytes:
    """The text Prometheus scrapes."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Registry(REGISTRY))
    registry.register(DatabaseCollector())
    return generate_latest(registry)


@functools.lru_cache(maxsize=8)
def allowed_networks(setting: str) -> tuple:
    """``METRICS_ALLOWED_IPS`` read: addresses or networks, separated by commas."""
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False)
        for part in (setting or "").replace(";", ",").split(",")
        if part.strip()
    )


def may_see_metrics() -> bool:
    """From an allowed address, or with the bearer token."""
    token = current_app.config.get("METRICS_TOKEN") or ""
    sent = request.headers.get("Authorization", "")
    if token and sent.startswith("Bearer ") and hmac.compare_digest(sent[7:].strip(), token):
        return True
    proxied = "X-Forwarded-For" in request.headers or "Forwarded" in request.headers
    if proxied and not current_app.config.get("TRUST_PROXY"):
        return False  # the address is the proxy's, not the asker's
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    if getattr(address, "ipv4_mapped", None):
        address = address.ipv4_mapped
    networks = allowed_networks(current_app.config.get("METRICS_ALLOWED_IPS") or "")
    return any(address in network for network in networks)


@bp.get("/metrics")
def metrics():
    """The figures, for the allowed only (everyone else: 404)."""
    if not may_see_metrics():
        abort(404)
    return Response(
        exposition(), mimetype=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"}
    )


def configure_metrics(app: Flask) -> None:
    """Count and time every request (up to its teardown: the commit included); ``/metrics``."""
    allowed_networks(app.config["METRICS_ALLOWED_IPS"])  # a mistake in it stops the start

    @app.before_request
    def start_the_clock():
        request.environ["alliance.started"] = time.perf_counter()

    @app.after_request
    def note_the_status(response):
        request.environ["alliance.status"] = response.status_code
        return response

    @app.teardown_request
    def count_the_request(_error=None):
        started = request.environ.pop("alliance.started", None)
        if started is None:
            return
        endpoint = request.endpoint or "unmatched"
        method = request.method if request.method in METHODS else "other"
        status = str(request.environ.get("alliance.status", 500))
        REQUESTS.labels(endpoint, method, status).inc()
        DURATION.labels(endpoint, method).observe(time.perf_counter() - started)

    app.register_blueprint(bp)
