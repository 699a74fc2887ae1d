"""Search relevance on graded Dutch queries: the app's search against plain Whoosh BM25F (OR)
on the same texts, both built in this run. See README.md here.

    .venv/bin/python bench/relevance/run.py
    .venv/bin/python bench/relevance/run.py --only-app
    .venv/bin/python bench/relevance/run.py --query "hoe lak je persoonsgegevens"
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import judged
from judged import CATEGORIES, DEPTH, Query, mean, ndcg
from reference import ReferenceSearch

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "out"
SYSTEMS = ("app", "whoosh")
BAR = 0.85
BAR_MARGIN = 0.10


def log(message: str) -> None:
    print(message, flush=True)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--only-app", action="store_true", help="leave the reference out")
    only.add_argument("--only-reference", action="store_true", help="leave the app out")
    parser.add_argument(
        "--backend",
        choices=("whoosh", "postgresql"),
        default="whoosh",
        help="the app's search backend (postgresql: in a schema of its own in --database-url)",
    )
    parser.add_argument(
        "--database-url",
        default="postgresql://postgres@127.0.0.1:5432/test",
        help="the PostgreSQL database for --backend postgresql",
    )
    parser.add_argument(
        "--query",
        metavar="TEXT",
        help="ask only this query and print both top-10 lists with titles and grades",
    )
    return parser.parse_args()


def commit_of_tree() -> str:
    """The commit the app code is at, marked when ``alliance/`` has uncommitted changes."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + (
        " + uncommitted changes in alliance/" if git("status", "--short", "alliance") else ""
    )


def build(corpus: list[dict], directory: Path, args) -> dict:
    """The systems asked in this run: name → a callable(text, typing) → (ids, info)."""
    systems = {}
    if not args.only_reference:
        import appside  # imports the app: only when it is asked

        started = time.perf_counter()
        log("App: a fresh database (migrations)…")
        log(f"App: search backend {args.backend}")
        app = appside.make_app(directory / "app", args.backend, args.database_url)
        ids = appside.load_corpus(app, corpus, lambda message: log(f"App: {message}"))
        log(f"App: ready in {time.perf_counter() - started:.1f} s")
        app_search = appside.AppSearch(app, ids)
        systems["app"] = lambda text, typing=False: app_search.ask(text, typing, DEPTH)
    if not args.only_app:
        started = time.perf_counter()
        reference = ReferenceSearch(corpus, directory / "whoosh")
        log(
            f"Reference: plain Whoosh, {len(corpus)} items indexed in "
            f"{time.perf_counter() - started:.1f} s"
        )
        systems["whoosh"] = lambda text, typing=False: reference.ask(text, DEPTH)
    return systems


def ask_all(systems: dict, queries: list[Query]) -> list[dict]:
    """Every query through every system: the rows of the report and of the JSON file."""
    rows = []
    for number, query in enumerate(queries, start=1):
        row = {
            "text": query.text,
            "category": query.category,
            "heldout": query.heldout,
            "grades": query.grades,
        }
        for name, ask in systems.items():
            found, info = ask(query.text)
            row[name] = {
                "top": [[item, query.grades.get(item, 0)] for item in found],
                "ndcg": ndcg(found, query.grades),
                "info": info,
            }
        if "app" in systems and query.category == "prefix":
            found, info = systems["app"](query.text, typing=True)
            row["app_typing"] = {
                "top": [[item, query.grades.get(item, 0)] for item in found],
                "ndcg": ndcg(found, query.grades),
                "info": info,
            }
        rows.append(row)
        if number % 24 == 0 or number == len(queries):
            log(f"Asked {number}/{len(queries)} queries")
    return rows


def _cells(rows: list[dict], names: list[str], key=None) -> str:
    values = [mean([row[key or name]["ndcg"] for row in rows]) for name in names]
    text = "".join(f"{value:>9.3f}" for value in values)
    if len(values) == 2:
        text += f"{values[0] - values[1]:>+9.3f}"
    return text


def report(rows: list[dict], names: list[str], queries: list[Query], corpus_size: int) -> None:
    """The table: overall, tuning, held-out and per category; zero hits; the bars."""
    held = sum(q.heldout for q in queries)
    log("")
    log(
        f"Search relevance: {len(queries)} graded queries ({len(queries) - held} tuning, "
        f"{held} held out) over {corpus_size} items; nDCG@{DEPTH}, gains 2^grade - 1"
    )
    log(f"App code: {commit_of_tree()}. Reference: plain Whoosh BM25F, OR, Dutch stems.")
    header = f"{'nDCG@10':<28}{'n':>4}" + "".join(f"{name:>9}" for name in names)
    log("")
    log(header + ("     diff" if len(names) == 2 else ""))
    log("-" * (len(header) + (9 if len(names) == 2 else 0)))
    groups = [
        ("overall", rows),
        ("tuning part", [r for r in rows if not r["heldout"]]),
        ("held-out part", [r for r in rows if r["heldout"]]),
    ]
    groups += [(f"  {c}", [r for r in rows if r["category"] == c]) for c in CATEGORIES]
    for label, group in groups:
        if group:
            log(f"{label:<28}{len(group):>4}{_cells(group, names)}")
    typed = [r for r in rows if "app_typing" in r]
    if typed:
        log(
            f"{'  prefix, typed (app, HX)':<28}{len(typed):>4}{_cells(typed, ['app'], 'app_typing')}"
        )
    zero = {name: [r for r in rows if not r[name]["top"]] for name in names}
    log(
        f"{'zero hits (relevant exist)':<28}{len(rows):>4}"
        + "".join(f"{len(zero[name]):>9}" for name in names)
    )
    if "app" in names:
        relaxed = sum(bool(r["app"]["info"]["relaxed"]) for r in rows)
        corrected = sum(bool(r["app"]["info"]["corrected_from"]) for r in rows)
        log(f"{'app: relaxed / corrected':<28}{len(rows):>4}{relaxed:>9}{corrected:>9}")
    log("")
    if "app" in names:
        overall = mean([r["app"]["ndcg"] for r in rows])
        heldout = mean([r["app"]["ndcg"] for r in rows if r["heldout"]])
        log(
            f"Bar nDCG@10 >= {BAR}: overall {overall:.3f} "
            f"{'ok' if overall >= BAR else 'NOT MET'}, held-out {heldout:.3f} "
            f"{'ok' if heldout >= BAR else 'NOT MET'}"
        )
        if "whoosh" in names:
            margin = overall - mean([r["whoosh"]["ndcg"] for r in rows])
            log(
                f"Bar >= {BAR_MARGIN:.2f} above plain Whoosh: {margin:+.3f} "
                f"{'ok' if margin >= BAR_MARGIN else 'NOT MET'}"
            )
        log(
            f"Bar no query without a hit: {len(zero['app'])} without "
            f"{'ok' if not zero['app'] else 'NOT MET'}"
        )
    for name in names:
        for row in zero[name]:
            log(f"  {name} found nothing: {row['text']!r} ({row['category']})")
    if len(names) == 2:
        worst = sorted(rows, key=lambda r: r["app"]["ndcg"] - r["whoosh"]["ndcg"])[:10]
        log("")
        log("Largest losses against the reference (app - whoosh):")
        for row in worst:
            log(
                f"  {row['app']['ndcg'] - row['whoosh']['ndcg']:+.3f}  app {row['app']['ndcg']:.3f}"
                f"  whoosh {row['whoosh']['ndcg']:.3f}  {row['category']:<13} {row['text']!r}"
            )


def debug(text: str, systems: dict, queries: list[Query], corpus: list[dict]) -> None:
    """One query: each system's top 10 with titles and grades, and what it missed."""
    titles = {item["id"]: item["title"] for item in corpus}
    known = next((q for q in queries if q.text == text), None)
    grades = known.grades if known else {}
    log("")
    log(f"Query {text!r}: " + (f"{known.category}, {known.part}" if known else "not in the set"))
    for name, ask in systems.items():
        found, info = ask(text)
        log("")
        score = f", nDCG@10 {ndcg(found, grades):.3f}" if known else ""
        log(f"{name}{score}; {json.dumps(info, ensure_ascii=False)}")
        for rank, item in enumerate(found, start=1):
            log(f"  {rank:>2}. [{grades.get(item, 0)}] {item:<44} {titles[item][:70]}")
        missed = sorted((g, i) for i, g in grades.items() if i not in found and g >= 2)
        for grade, item in reversed(missed):
            log(f"   missed [{grade}] {item:<44} {titles[item][:70]}")


def main() -> None:
    args = arguments()
    started = time.perf_counter()
    corpus = judged.load_corpus()
    queries = judged.load_queries({item["id"] for item in corpus})
    log(f"Corpus: {len(corpus)} items; {len(queries)} graded queries")
    with tempfile.TemporaryDirectory(prefix="relevance-") as directory:
        systems = build(corpus, Path(directory), args)
        if args.query:
            debug(args.query, systems, queries, corpus)
            return
        rows = ask_all(systems, queries)
        names = [name for name in SYSTEMS if name in systems]
        report(rows, names, queries, len(corpus))
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / f"relevance-{datetime.now():%Y%m%d-%H%M%S}.json"
    target.write_text(
        json.dumps(
            {
                "app_code": commit_of_tree(),
                "systems": names,
                "depth": DEPTH,
                "corpus_items": len(corpus),
                "queries": rows,
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    log("")
    log(f"Details: {target.relative_to(ROOT)} ({time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    sys.exit(main())
