"""Date arithmetic in SQL that SQLite and PostgreSQL write differently: the figures are
computed by the database, on both."""

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Date, Float, String


class days_between(FunctionElement):
    """``later - earlier`` in days (with fractions)."""

    type = Float()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"(julianday({later}) - julianday({earlier}))"


@compiles(days_between, "postgresql")
def _days_postgresql(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0)"


class month_of(FunctionElement):
    """The month of a time as "2026-11"."""

    type = String()
    inherit_cache = True
    name = "month_of"


@compiles(month_of)
def _month_sqlite(element, compiler, **kw):
    (moment,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"strftime('%Y-%m', {moment})"


@compiles(month_of, "postgresql")
def _month_postgresql(element, compiler, **kw):
    (moment,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"to_char({moment}, 'YYYY-MM')"


class day_of(FunctionElement):
    """The date of a time (to compare with a date column)."""

    type = Date()
    inherit_cache = True
    name = "day_of"


@compiles(day_of)
def _day_sqlite(element, compiler, **kw):
    (moment,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"date({moment})"


@compiles(day_of, "postgresql")
def _day_postgresql(element, compiler, **kw):
    (moment,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST({moment} AS DATE)"
