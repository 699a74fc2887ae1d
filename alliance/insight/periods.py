"""The period a figure is about: a month ("2026-11"), a quarter ("2026-K4") or a year ("2026").
Times are naive UTC, like every timestamp in the database; a period runs from its first moment
up to (not including) the first moment of the next."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_date
from flask_babel import gettext as _

PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})|-K([1-4]))?$")


@dataclass(frozen=True)
class Period:
    """A month, quarter or year."""

    kind: str  # "month", "quarter", "year"
    year: int
    number: int = 1  # month 1-12, quarter 1-4, 1 for a year

    @property
    def key(self) -> str:
        """How the period is written in the address (``?periode=``)."""
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}-K{self.number}"
        return str(self.year)

    @property
    def first_month(self) -> int:
        return {"month": self.number, "quarter": 3 * self.number - 2, "year": 1}[self.kind]

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "year": 12}[self.kind]

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime:
        """The first moment after the period."""
        month = self.first_month + self.months
        return datetime(self.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)

    def previous(self) -> "Period":
        """The period of the same length just before."""
        if self.kind == "year":
            return Period("year", self.year - 1)
        count = 12 if self.kind == "month" else 4
        if self.number == 1:
            return Period(self.kind, self.year - 1, count)
        return Period(self.kind, self.year, self.number - 1)

    def month_starts(self) -> list[datetime]:
        """The first moment of each month in the period."""
        return [
            datetime(self.year + (m - 1) // 12, (m - 1) % 12 + 1, 1)
            for m in range(self.first_month, self.first_month + self.months)
        ]

    @property
    def label(self) -> str:
        """The period in words, in the language of the request ("november 2026")."""
        if self.kind == "month":
            return format_date(date(self.year, self.number, 1), "LLLL yyyy")
        if self.kind == "quarter":
            return _("quarter %(number)d of %(year)d", number=self.number, year=self.year)
        return str(self.year)


def parse(text: str | None) -> Period | None:
    """A period from the address, or None when it is not one."""
    match = PATTERN.match((text or "").strip())
    if not match:
        return None
    year = int(match.group(1))
    if not 2000 <= year <= 2999:
        return None
    if match.group(2):
        month = int(match.group(2))
        return Period("month", year, month) if 1 <= month <= 12 else None
    if match.group(3):
        return Period("quarter", year, int(match.group(3)))
    return Period("year", year)


def last_full_month(today: date) -> Period:
    """The month before this one: the default, a whole month to look at."""
    return Period("month", today.year, today.month).previous()


def choices(today: date) -> list[Period]:
    """The periods offered in the form: the last 13 months, 5 quarters and 3 years."""
    month = Period("month", today.year, today.month)
    quarter = Period("quarter", today.year, (today.month - 1) // 3 + 1)
    found = []
    for start, count in ((month, 13), (quarter, 5), (Period("year", today.year), 3)):
        period = start
        for _step in range(count):
            found.append(period)
            period = period.previous()
    return found
