"""Scheduled reminders (``flask notify reminders``): every feature says what is due today
(``signals.reminders_due``), and each reminder is made once (its ``key``)."""

from datetime import date

from alliance.core import signals
from alliance.core.timeutil import utcnow
from alliance.notify.services import notify


def send_reminders(today: date | None = None) -> int:
    """Tasks due soon, groups ending soon or past their end date, dilemmas to decide or to
    evaluate: each reminder once. Returns how many members were told."""
    today = today or utcnow().date()
    told = 0
    for answer in signals.answers(signals.reminders_due, today):
        for reminder in answer:
            told += bool(
                notify(
                    reminder.recipient_id,
                    reminder.kind,
                    item_id=reminder.item_id,
                    group_id=reminder.group_id,
                    url=reminder.url,
                    params=reminder.params,
                    key=reminder.key,
                )
            )
    return told
