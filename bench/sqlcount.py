"""Counting and timing the SQL statements a request sends, to find N+1 queries and slow SQL."""

import time
from collections import Counter
from dataclasses import dataclass

from httpload import percentile
from sqlalchemy import event


@dataclass
class Statement:
    """One SQL statement sent to the database, and how long ``cursor.execute`` took."""

    sql: str
    seconds: float = 0.0
    parameters: object = None  # as sent to the DB-API cursor (for EXPLAIN QUERY PLAN)


class StatementCounter:
    """Records every SQL statement the engine sends, between two calls of :meth:`take`.

    The time is that of ``cursor.execute``; SQLite does most of a query's work there (a sort or a
    count completes before the first row), the rest while the rows are fetched."""

    def __init__(self, engine):
        self.statements: list[Statement] = []
        self._began = 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, _conn, _cursor, statement, parameters, _context, _executemany):
        self.statements.append(Statement(statement, parameters=parameters))
        self._began = time.perf_counter()

    def _after(self, _conn, _cursor, _statement, _parameters, _context, _executemany):
        self.statements[-1].seconds = time.perf_counter() - self._began

    def take(self) -> list[Statement]:
        """The statements since the last call, and start counting afresh."""
        taken, self.statements = self.statements, []
        return taken

    def stop(self, engine) -> None:
        """Stop recording."""
        event.remove(engine, "before_cursor_execute", self._before)
        event.remove(engine, "after_cursor_execute", self._after)


def repeated_statements(statements: list[Statement], at_least: int = 3) -> list[dict]:
    """Statements sent ``at_least`` times in one request: the signature of an N+1 query."""
    counts = Counter(statement.sql for statement in statements)
    return [
        {"times": times, "statement": " ".join(statement.split())}
        for statement, times in counts.most_common()
        if times >= at_least
    ]


def slowest_statement(times: dict[str, list[float]], parameters: dict | None = None) -> dict | None:
    """The statement with the highest median time, over all the timed requests of a route (and
    the parameters it was last sent with, when ``parameters`` maps SQL to them)."""
    slow = slow_statements(times, 0.0, parameters, limit=1)
    return slow[0] if slow else None


def slow_statements(
    times: dict[str, list[float]],
    at_least_ms: float,
    parameters: dict | None = None,
    limit: int = 3,
) -> list[dict]:
    """Up to ``limit`` statements whose median time reaches ``at_least_ms``, slowest first."""
    medians = sorted(
        ((percentile(values, 0.5), sql) for sql, values in times.items()), reverse=True
    )
    return [
        {"p50_ms": median, "sql": " ".join(sql.split()), "parameters": (parameters or {}).get(sql)}
        for median, sql in medians[:limit]
        if median >= at_least_ms
    ]
