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


class StatementCounter:
    """Records every SQL statement the engine sends, between two calls of :meth:`take`.

    The time is that of ``cursor.execute``; SQLite does most of a query's work there (a sort or a
    count completes before the first row), the rest while the rows are fetched."""

    def __init__(self, engine):
        self.statements: list[Statement] = []
        self._began = 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, _conn, _cursor, statement, _parameters, _context, _executemany):
        self.statements.append(Statement(statement))
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
    return [{"times": times, "statement": " ".join(statement.split())}
            for statement, times in counts.most_common() if times >= at_least]


def slowest_statement(times: dict[str, list[float]]) -> dict | None:
    """The statement with the highest median time, over all the timed requests of a route."""
    if not times:
        return None
    sql, values = max(times.items(), key=lambda item: percentile(item[1], 0.5))
    return {"p50_ms": percentile(values, 0.5), "sql": " ".join(sql.split())}
