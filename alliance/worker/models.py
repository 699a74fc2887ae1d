"""When each scheduled job last ran, so that several workers make a day's digest once."""

from datetime import date

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from alliance.extensions import db


class ScheduledRun(db.Model):
    """A job on a schedule (``reminders``, ``digest-daily``, ``digest-weekly``, ``mail-purge``)
    and the period it last ran for: the day, or the Monday of the week. A worker takes a period
    with a conditional UPDATE; whoever changed the row runs the job (the first worker to run
    a job adds its row)."""

    __tablename__ = "scheduled_run"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_period: Mapped[date | None]
