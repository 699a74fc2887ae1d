"""The jobs on a schedule: reminders and the daily digest every day at WORKER_DAILY_HOUR (local
time), the weekly digest from Monday at that hour, sent mail purged once a day. Each period's
run is taken by one worker only, whatever the number of workers and machines."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError

from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.mail.upkeep import purge_old_mail
from alliance.notify.digests import send_digests
from alliance.notify.reminders import send_reminders
from alliance.worker.models import ScheduledRun


def _reminders() -> int:
    told = send_reminders()
    db.session.commit()
    return told


#: name → (weekly?, the job). Their e-mail goes into the outbox; the worker sends it.
JOBS: dict[str, tuple[bool, Callable[[], int]]] = {
    "reminders": (False, _reminders),
    "digest-daily": (False, lambda: send_digests("daily")),
    "digest-weekly": (True, lambda: send_digests("weekly")),
    "mail-purge": (False, purge_old_mail),
}


def current_period(now: datetime, weekly: bool) -> date:
    """The period a job is due for at ``now`` (naive UTC): today, or this week's Monday, once
    the local clock has passed WORKER_DAILY_HOUR on that day (before: the period before)."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    local = now.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone)
    start = local.date() - timedelta(days=local.weekday()) if weekly else local.date()
    if start == local.date() and local.hour < current_app.config["WORKER_DAILY_HOUR"]:
        start -= timedelta(days=7 if weekly else 1)
    return start


def take(name: str, period: date) -> bool:
    """Claim ``period`` of job ``name`` for this worker: True for exactly one worker (a
    conditional UPDATE; a second worker finds the row already moved on)."""
    taken = db.session.execute(
        update(ScheduledRun)
        .where(
            ScheduledRun.name == name,
            or_(ScheduledRun.last_period.is_(None), ScheduledRun.last_period < period),
        )
        .values(last_period=period)
    ).rowcount
    if not taken and db.session.get(ScheduledRun, name) is None:  # the job's first run
        db.session.add(ScheduledRun(name=name, last_period=period))
        try:
            db.session.commit()
        except IntegrityError:  # another worker made the row at the same moment: theirs
            db.session.rollback()
            return False
        return True
    db.session.commit()
    return bool(taken)


def run_due_jobs(now: datetime | None = None) -> list[str]:
    """Run every job whose period has come and that no worker ran for it yet; their names."""
    now = now or utcnow()
    ran = []
    for name, (weekly, job) in JOBS.items():
        if take(name, current_period(now, weekly)):
            current_app.logger.info("worker: %s (%s)", name, job())
            ran.append(name)
    return ran
