"""The printed tables of the page benchmark, with the bars next to the figures."""

import re

#: A long list of selected columns says little; the tables print it as "…".
_COLUMNS = re.compile(r"SELECT (?:[\w.\"]+(?: AS \w+)?, ){5,}[\w.\"]+(?: AS \w+)? FROM")


def short_sql(sql: str) -> str:
    """``SELECT item.id, item.kind, … FROM item WHERE …`` → ``SELECT … FROM item WHERE …``."""
    return _COLUMNS.sub("SELECT … FROM", sql)


def _mark(ok: bool) -> str:
    return "ok" if ok else "OVER"


def report_server_time(
    server: dict,
    reference_route,
    list_checks: list[dict],
    requests: int,
    other_cores: float,
    bars: dict,
    slow_ms: float,
    out=print,
) -> None:
    """The server-time table, the list-length check, slow statements and repeated ones.

    ``server`` maps each route to its figures; ``reference_route`` is the hello-world one."""
    reference = server[reference_route]["p95_ms"]
    out(
        f"\nServer time in-process (Flask test client, {requests} requests per route, shuffled "
        f"rounds), SQL statements per request; other processes kept {other_cores:.1f} cores busy"
    )
    out(
        f"bars: p95 ≤ {bars['server_p95_ms']:g} ms, ≤ {bars['sql_statements']} SQL statements "
        f"(BEGIN included)"
    )
    header = (
        f"{'page':<27} {'path':<52} {'p50':>6} {'p95':>6} {'max':>6} {'p95÷ref':>8} "
        f"{'CPU p50':>7} {'SQL p50':>7} {'SQL':>5} {'KB':>5}  bar"
    )
    out(header)
    out("-" * len(header))
    for route, figures in server.items():
        sql = figures["sql_statements"]
        if figures["sql_statements_min"] != sql:
            sql = f"{figures['sql_statements_min']}-{sql}"
        if route is reference_route:
            bar = "(reference)"
        else:
            bar = (
                f"p95 {_mark(figures['p95_ms'] <= bars['server_p95_ms'])}, "
                f"SQL {_mark(figures['sql_statements'] <= bars['sql_statements'])}"
            )
        out(
            f"{route.label:<27} {figures['path']:<52} {figures['p50_ms']:6.2f} "
            f"{figures['p95_ms']:6.2f} {figures['max_ms']:6.1f} "
            f"{figures['p95_ms'] / reference:7.1f}× {figures['cpu_p50_ms']:7.2f} "
            f"{figures['sql_p50_ms']:7.2f} {sql!s:>5} "
            f"{figures['response_bytes'] / 1024:5.1f}  {bar}"
        )
    out(
        "(times in ms, wall clock around client.get(); CPU p50: CPU time of the request, which "
        "a busy machine inflates less; SQL p50: time in cursor.execute; SQL: statements per "
        "request; KB: uncompressed response body)"
    )

    out(
        "\nSQL statements for 5 and for 500 rows in the list (must be the same; the size of the "
        "page shows that the list really grew):"
    )
    for check in list_checks:
        counts = ", ".join(
            f"{length} rows → {n} ({check['response_bytes'][length] / 1024:.0f} KB)"
            for length, n in check["statements"].items()
        )
        out(
            f"  {check['path']:<52} {counts}: "
            f"{'same, ok' if check['same'] else 'GROWS WITH THE LIST'}"
        )

    slow = [
        figures
        for route, figures in server.items()
        if route is not reference_route
        and figures["slowest_statement"]
        and figures["slowest_statement"]["p50_ms"] >= slow_ms
    ]
    if slow:
        out(f"\nStatements with a median of {slow_ms:g} ms or more:")
        for figures in slow:
            statement = figures["slowest_statement"]
            out(
                f"  {figures['path']}: {statement['p50_ms']:.1f} ms  "
                f"{short_sql(statement['sql'])[:400]}"
            )

    suspects = [
        (route, figures) for route, figures in server.items() if figures["repeated_statements"]
    ]
    if suspects:
        out("\nThe same statement several times in one request (N+1?):")
        for _route, figures in suspects:
            for repeat in figures["repeated_statements"]:
                out(
                    f"  {figures['path']}: {repeat['times']}× "
                    f"{short_sql(repeat['statement'])[:400]}"
                )


def report_explained(explained: list[dict], bars: dict, out=print) -> None:
    """The slow statements of every page over the p95 bar, with their query plans."""
    if not explained:
        return
    out(
        f"\nPages over the p95 bar of {bars['server_p95_ms']:g} ms: their slowest statements, "
        f"with EXPLAIN QUERY PLAN for the parameters last sent"
    )
    for page in explained:
        out(f"  {page['label']} ({page['path']}), p95 {page['p95_ms']:.1f} ms:")
        if not page["statements"]:
            out("    no single statement stands out; the time is spent outside the database")
        for statement in page["statements"]:
            out(f"    {statement['p50_ms']:.1f} ms  {short_sql(statement['sql'])[:900]}")
            out(f"      parameters: {statement['parameters']!r}"[:300])
            for line in statement["plan"]:
                out(f"      | {line}")


def report_throughput(
    throughput: dict, reference_route, seconds: float, threads: int, bars: dict, out=print
) -> None:
    """The throughput table: requests/s against the reference, served by the same gunicorn.

    ``throughput["routes"]`` maps each route driven to its figures (a ``LoadResult`` as dict)."""
    routes = throughput["routes"]
    reference = routes[reference_route]["requests_per_second"]
    reference_cpu = routes[reference_route]["server_cpu_ms_per_request"]
    share = bars["throughput_share_of_reference"]
    out(
        f"\nThroughput under gunicorn (sync workers, loopback, {threads} client threads, "
        f"{seconds:g} s per route, a new connection per request)"
    )
    out(
        f"bar: ≥ {share:.0%} of the reference's requests/s (the item page with 50 replies; "
        f"other pages for information)"
    )
    header = (
        f"{'path':<40} {'req/s':>7} {'÷ref':>6} {'errors':>6} {'lat p50':>8} "
        f"{'lat p95':>8} {'srv CPU/req':>11} {'÷ref':>5} {'client':>7} {'other':>6}  bar"
    )
    out(header)
    out("-" * len(header))
    for route, figures in routes.items():
        ratio = figures["requests_per_second"] / reference
        cpu_ratio = reference_cpu / max(figures["server_cpu_ms_per_request"], 1e-9)
        bar = (
            "(reference)"
            if route is reference_route
            else (_mark(ratio >= share) if route.throughput_bar else "(info)")
        )
        out(
            f"{figures['path']:<40} {figures['requests_per_second']:7.1f} {ratio:6.0%} "
            f"{figures['errors']:>6} {figures['latency_p50_ms']:6.1f}ms "
            f"{figures['latency_p95_ms']:6.1f}ms {figures['server_cpu_ms_per_request']:9.2f}ms "
            f"{cpu_ratio:5.0%} "
            f"{figures['client_cpu_share']:6.1f}c {figures['other_cpu_share']:5.1f}c  {bar}"
        )
    out(
        "(lat: client-side latency; srv CPU/req: user+system CPU of the workers per request, and "
        "the reference's CPU/req divided by it: the share of the reference's requests/s the page "
        "would reach if only CPU counted; client, other: cores kept busy by this process and by "
        f"everything else; largest worker RSS after the run: {throughput['worker_rss_mib']:.0f} "
        "MiB)"
    )
