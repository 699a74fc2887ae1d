"""Posting a dilemma with matching: server time at 10,000 members.

    . .venv/bin/activate
    python bench/matching.py                     # 10,000 members, 100,000 items, 60 dilemmas
    python bench/matching.py --members 10000 --items 100000 --rounds 60

It reuses (or builds) the database of ``bench/pages.py`` (``benchdata.ensure_database``) and,
in-process with the Flask test client logged in as the demo member ``lid@alliantie.example``,
times per round, in this order:

* ``POST /kennisbank/nieuw``: a new dilemma (title, tension, tags and themes copied from a random
  demo dilemma, so that the words are realistic), answered with its 303;
* ``GET /kennisbank/<id>`` as its asker: the page with "Wie kan meedenken?", i.e. the matching
  of the dilemma against every member's *Ik bied* and themes;
* ``suggest_helpers(item)`` alone, in an app context (the matching without the page);
* the references, in the same round: the same item page as a member who is not the asker (no
  matching), and ``/healthz``.

It prints p50/p95 per step, the ratios against the references, and how many suggestions the
matching found (it should find some). The posted dilemmas are removed again at the end.
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchdata import BENCH_EMAIL, BENCH_PASSWORD, bench_config, ensure_database  # noqa: E402
from httpload import percentile  # noqa: E402

#: The bar of QUALITY.md for a page's server time.
BAR_P95_MS = 30.0


def log_in(app, email: str):
    client = app.test_client()
    response = client.post("/inloggen", data={"email": email, "password": BENCH_PASSWORD})
    if response.status_code != 303:
        raise RuntimeError(f"could not log in as {email}: HTTP {response.status_code}")
    return client


def sample_dilemmas(app, count: int, seed: int) -> list[dict]:
    """Form data for ``count`` new dilemmas, copied from random demo dilemmas."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from alliance.extensions import db
    from alliance.knowledge.models import Item

    rng = random.Random(seed)
    with app.app_context():
        ids = db.session.scalars(
            select(Item.id).where(Item.kind == "dilemma", Item.visibility != "group").limit(5000)
        ).all()
        chosen = db.session.scalars(
            select(Item)
            .where(Item.id.in_(rng.sample(ids, min(count, len(ids)))))
            .options(selectinload(Item.tags), selectinload(Item.themes))
        ).all()
        forms = [
            {
                "kind": "dilemma",
                "title": f"{item.title} (bench)",
                "situation": item.situation[:2000],
                "tension": item.tension[:2000] or "Wat doen we?",
                "tags": ", ".join(t.label for t in item.tags),
                "themes": [str(t.id) for t in item.themes],
                "visibility": "members",
            }
            for item in chosen
        ]
        db.session.remove()
    return (forms * (count // max(1, len(forms)) + 1))[:count]


def other_member_email(app) -> str:
    from sqlalchemy import select

    from alliance.extensions import db
    from alliance.members.models import Member

    with app.app_context():
        email = db.session.scalar(
            select(Member.email)
            .where(Member.email.like("%@alliantie.example"), Member.email != BENCH_EMAIL)
            .limit(1)
        )
        db.session.remove()
    return email


def timed(call):
    began = time.perf_counter()
    result = call()
    return (time.perf_counter() - began) * 1000, result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10000)
    parser.add_argument("--items", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args(argv)

    database = ensure_database(args.members, args.items, args.seed)
    from sqlalchemy import func, select

    from alliance import create_app
    from alliance.extensions import db, limiter
    from alliance.members.models import Member

    app = create_app(bench_config(database))
    limiter.enabled = False
    remove_posted(app, [])
    with app.app_context():
        members = db.session.scalar(select(func.count(Member.id)))
        db.session.remove()
    print(f"Members in the database: {members}")
    asker = log_in(app, BENCH_EMAIL)
    reader = log_in(app, other_member_email(app))
    forms = sample_dilemmas(app, args.rounds + args.warmup, args.seed)
    steps = ("post", "page_asker", "matching", "page_reader", "healthz")
    samples: dict[str, list[float]] = {step: [] for step in steps}
    found: list[int] = []
    posted: list[int] = []
    print(f"{args.warmup} warm-up and {args.rounds} timed rounds…")
    try:
        measure(app, asker, reader, forms, args.warmup, steps, samples, found, posted)
    finally:
        remove_posted(app, posted)
    report(args, members, steps, samples, found)
    return 0


def measure(app, asker, reader, forms, warmup, steps, samples, found, posted) -> None:
    """The timed rounds (see the module docstring)."""
    from alliance.core.database import wait_for_background_work
    from alliance.extensions import db
    from alliance.knowledge.models import Item
    from alliance.notify.matching import suggest_helpers

    for number, form in enumerate(forms):
        ms_post, response = timed(lambda form=form: asker.post("/kennisbank/nieuw", data=form))
        if response.status_code != 303:
            raise RuntimeError(f"posting answered {response.status_code}")
        path = response.headers["Location"]
        item_id = int(path.rstrip("/").split("/")[-1])
        posted.append(item_id)
        wait_for_background_work()  # the search indexing of the post: not part of the request
        ms_asker, page = timed(lambda path=path: asker.get(path))
        assert page.status_code == 200 and "helpers-heading" in page.text
        with app.test_request_context():
            item = db.session.get(Item, item_id)
            ms_match, suggestions = timed(lambda item=item: suggest_helpers(item))
            db.session.remove()
        ms_reader, _page = timed(lambda path=path: reader.get(path))
        ms_health, _page = timed(lambda: reader.get("/healthz"))
        if number >= warmup:
            for step, value in zip(
                steps, (ms_post, ms_asker, ms_match, ms_reader, ms_health), strict=True
            ):
                samples[step].append(value)
            found.append(len(suggestions))
        if (number + 1) % 20 == 0:
            print(f"  {number + 1}/{len(forms)} rounds")


def remove_posted(app, posted: list[int]) -> None:
    """Leave the database as it was (also the posts of an earlier run that broke off)."""
    from sqlalchemy import select

    from alliance.extensions import db
    from alliance.knowledge.models import Item

    with app.app_context():
        leftovers = db.session.scalars(select(Item.id).where(Item.title.like("%(bench)"))).all()
        for item_id in {*posted, *leftovers}:
            item = db.session.get(Item, item_id)
            if item is not None:
                db.session.delete(item)
        db.session.commit()
        db.session.remove()


def report(args, members, steps, samples, found) -> None:
    """Print the figures and the ratios against the references of the same run."""
    figures = {s: (percentile(v, 0.5), percentile(v, 0.95)) for s, v in samples.items()}
    labels = {
        "post": "POST /kennisbank/nieuw (303)",
        "page_asker": "item page as asker, with matching",
        "matching": "suggest_helpers() alone",
        "page_reader": "item page as another member (ref.)",
        "healthz": "/healthz (ref.)",
    }
    print(f"\nServer time, {args.rounds} dilemmas, {members} members (ms):")
    print(f"{'step':40} {'p50':>8} {'p95':>8}")
    for step in steps:
        p50, p95 = figures[step]
        print(f"{labels[step]:40} {p50:8.1f} {p95:8.1f}")
    post_and_page = [a + b for a, b in zip(samples["post"], samples["page_asker"], strict=True)]
    total50, total95 = percentile(post_and_page, 0.5), percentile(post_and_page, 0.95)
    ref50, ref95 = figures["page_reader"]
    print(f"{'post + page with matching':40} {total50:8.1f} {total95:8.1f}")
    print(
        f"\nRatios (p95): page with matching ÷ page without = {figures['page_asker'][1] / ref95:.2f}; "
        f"matching alone ÷ page without = {figures['matching'][1] / ref95:.2f}; "
        f"page with matching ÷ /healthz = {figures['page_asker'][1] / figures['healthz'][1]:.1f}"
    )
    bar = "within" if figures["page_asker"][1] <= BAR_P95_MS else "OVER"
    print(
        f"Page with matching p95 {figures['page_asker'][1]:.1f} ms: {bar} the {BAR_P95_MS:.0f} ms bar"
    )
    print(
        f"Suggestions found per dilemma: median {percentile(found, 0.5):.0f}, "
        f"none for {sum(1 for n in found if n == 0)} of {len(found)}"
    )


if __name__ == "__main__":
    sys.exit(main())
