"""Writers at once against gunicorn on PostgreSQL, then: does every counter equal its rows?

    python bench/consistency.py                    # 8 writers, 60 s, gunicorn -w 4
    python bench/consistency.py --seconds 20 --writers 4 --workers 2

It makes a schema of its own in the PostgreSQL database (``--database``, default the local
``test`` database; dropped again at the end), migrates it, adds members, a few "hot" items,
replies, an open working group with a small cap and an event with few places, and starts
gunicorn (``bench/consistency_wsgi.py``) on a free loopback port. Then ``--writers`` threads,
each logged in as its own member over HTTP, fire a random mix of writes for ``--seconds``:
reply (with a perspective), "ik herken dit", "nuttig", follow, post a dilemma, join or leave the
group, sign up for or cancel the event. Every response is counted; a 303 is an acknowledged
write.

Afterwards, with the server stopped, it checks the database: every acknowledged reply and post
is there, and every derived counter equals the rows it counts (reply count and perspectives
heard, recognitions, "nuttig", group members and its cap, event participants and its places).
Exit status 1 when anything is off."""

import argparse
import http.client
import os
import random
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from httpload import HOST, free_port, percentile

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PERSPECTIVES = ("beleid", "uitvoering", "maatschappij", "inwoner", "onderzoek")
PASSWORD = "consistentie bij gelijktijdig schrijven"


def _engine_url(database: str, schema: str) -> str:
    url = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+psycopg://", database)
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


def _config(database: str, schema: str) -> dict:
    return {
        "DATABASE_URL": _engine_url(database, schema),
        "SECRET_KEY": "consistency-bench-only",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "MAIL_BACKEND": "console",
        "SITE_URL": "http://127.0.0.1",
        "SEARCH_INDEX_DIR": str(OUT / f"consistency-search-{schema}"),
        "UPLOAD_DIR": str(OUT / f"consistency-uploads-{schema}"),
    }


# --- the world the writers work in ------------------------------------------------------------


@dataclass
class World:
    members: list[tuple[int, str]]  # (id, e-mail) of the writers
    items: list[int]
    replies: list[int]
    group_id: int
    group_cap: int
    event_id: int
    event_places: int


def build_world(app, writers: int) -> World:
    """Members, hot items with some replies, an open group with a small cap, a small event."""
    from flask_migrate import upgrade

    from alliance.agenda.services import EventChange, propose_event, utc_to_local
    from alliance.core.passwords import hash_password
    from alliance.core.timeutil import utcnow
    from alliance.extensions import db
    from alliance.groups.services import GroupChange, start_group
    from alliance.knowledge.models import Item
    from alliance.knowledge.services import ItemChange, add_reply, post_item
    from alliance.members.models import Member
    from alliance.search.index import create_empty

    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        create_empty()
    with app.test_request_context(method="POST"):
        password_hash = hash_password(PASSWORD)
        people = []
        for number in range(writers + 2):
            member = Member(
                email=f"schrijver{number}@bench.example",
                name=f"Schrijver {number}",
                password_hash=password_hash,
                public_fields=[],
                perspective=PERSPECTIVES[number % len(PERSPECTIVES)],
                email_confirmed_at=utcnow(),
            )
            db.session.add(member)
            people.append(member)
        db.session.flush()
        lead, author = people[-2], people[-1]
        items = [
            post_item(
                author,
                ItemChange(
                    kind="dilemma",
                    title=f"Heet dilemma {n}",
                    fields={"tension": "Wat doen we als iedereen tegelijk schrijft?"},
                ),
            ).id
            for n in range(4)
        ]
        replies = [
            add_reply(db.session.get(Item, item_id), author, "Een eerste reactie.", "beleid").id
            for item_id in items
        ]
        group = start_group(
            lead,
            GroupChange(
                name="Drukke werkgroep",
                opgave="Kijken of de deur dicht blijft bij de limiet.",
                deliverable="Een telling",
                ends_on=utcnow().date() + timedelta(days=60),
                join_policy="open",
                size_cap=4,
            ),
        )
        start = utc_to_local(utcnow() + timedelta(days=7))
        event = propose_event(
            lead,
            EventChange(
                title="Volle meedenksessie",
                kind="meedenksessie",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                location="Utrecht",
                capacity=3,
                visibility="members",
            ),
        )
        event.state = "approved"
        db.session.commit()
        return World(
            members=[(m.id, m.email) for m in people[:writers]],
            items=items,
            replies=replies,
            group_id=group.id,
            group_cap=4,
            event_id=event.id,
            event_places=3,
        )


# --- HTTP ----------------------------------------------------------------------------------------


class Client:
    """One member's browser: a cookie and plain HTTP/1.1 requests to the server."""

    def __init__(self, port: int):
        self.port = port
        self.cookie = ""

    def post(self, path: str, data: dict) -> int:
        body = urlencode(data)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie" and value.startswith("alliantie_session="):
                    self.cookie = value.split(";", 1)[0]
            return response.status
        finally:
            connection.close()


@dataclass
class Tally:
    requests: Counter = field(default_factory=Counter)  # (action, status) → count
    acknowledged_replies: list[str] = field(default_factory=list)
    acknowledged_items: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def writer(port: int, world: World, email: str, number: int, until: float, tally: Tally):
    client = Client(port)
    status = client.post("/inloggen", {"email": email, "password": PASSWORD})
    if status != 303:
        raise RuntimeError(f"login of {email} answered {status}")
    rng = random.Random(number)
    sequence = 0
    while time.monotonic() < until:
        sequence += 1
        action = rng.choices(
            ("reply", "recognise", "useful", "follow", "post", "group", "event"),
            weights=(30, 15, 15, 10, 5, 15, 10),
        )[0]
        token = f"w{number}-{sequence}-{uuid.uuid4().hex[:6]}"
        item = rng.choice(world.items)
        if action == "reply":
            path = f"/kennisbank/{item}/reacties"
            data = {"body": f"Reactie {token}", "perspective": rng.choice(PERSPECTIVES)}
        elif action == "recognise":
            path, data = f"/kennisbank/{item}/herken", {"aan": rng.choice("10")}
        elif action == "useful":
            path = f"/kennisbank/reacties/{rng.choice(world.replies)}/nuttig"
            data = {"aan": rng.choice("10")}
        elif action == "follow":
            path, data = f"/kennisbank/{item}/volg", {"aan": rng.choice("10")}
        elif action == "post":
            path = "/kennisbank/nieuw"
            data = {
                "kind": "dilemma",
                "title": f"Dilemma {token}",
                "tension": "Wat als twee mensen tegelijk iets plaatsen?",
                "visibility": "members",
                "action": "save",
            }
        elif action == "group":
            verb = rng.choice(("aanmelden", "verlaten"))
            path, data = f"/werkgroepen/{world.group_id}/{verb}", {}
        else:
            verb = rng.choice(("aanmelden", "afmelden"))
            path, data = f"/agenda/{world.event_id}/{verb}", {}
        started = time.perf_counter()
        status = client.post(path, data)
        elapsed = time.perf_counter() - started
        with tally.lock:
            tally.requests[(action, status)] += 1
            tally.seconds.append(elapsed)
            if status == 303 and action == "reply":
                tally.acknowledged_replies.append(f"Reactie {token}")
            if status == 303 and action == "post":
                tally.acknowledged_items.append(f"Dilemma {token}")


# --- the checks ----------------------------------------------------------------------------------


def check(app, world: World, tally: Tally) -> list[str]:
    """Everything that is off: missing acknowledged writes, counters that differ from rows."""
    from sqlalchemy import distinct, func, select

    from alliance.agenda.models import Event, Signup
    from alliance.extensions import db
    from alliance.groups.models import Membership, WorkingGroup
    from alliance.knowledge.models import Item, ItemMark, Reply, ReplyMark

    problems = []
    with app.app_context():
        bodies = set(db.session.scalars(select(Reply.body)))
        titles = set(db.session.scalars(select(Item.title)))
        missing = [b for b in tally.acknowledged_replies if b not in bodies]
        missing += [t for t in tally.acknowledged_items if t not in titles]
        if missing:
            problems.append(f"{len(missing)} acknowledged writes missing, e.g. {missing[:3]}")
        for item in db.session.scalars(select(Item)):
            shown = (Reply.item_id == item.id, Reply.hidden_at.is_(None))
            replies = db.session.scalar(select(func.count(Reply.id)).where(*shown))
            heard = set(
                db.session.scalars(
                    select(distinct(Reply.perspective)).where(
                        *shown, Reply.perspective.is_not(None)
                    )
                )
            )
            recognised = db.session.scalar(
                select(func.count(ItemMark.id)).where(
                    ItemMark.item_id == item.id, ItemMark.kind == "recognise"
                )
            )
            if item.reply_count != replies:
                problems.append(f"item {item.id}: reply_count {item.reply_count}, rows {replies}")
            if item.perspectives != heard:
                problems.append(f"item {item.id}: perspectives {item.perspectives}, rows {heard}")
            if item.recognition_count != recognised:
                problems.append(
                    f"item {item.id}: recognition_count {item.recognition_count}, rows {recognised}"
                )
        for reply in db.session.scalars(select(Reply).where(Reply.id.in_(world.replies))):
            marks = db.session.scalar(
                select(func.count(ReplyMark.id)).where(ReplyMark.reply_id == reply.id)
            )
            if reply.useful_count != marks:
                problems.append(
                    f"reply {reply.id}: useful_count {reply.useful_count}, rows {marks}"
                )
        group = db.session.get(WorkingGroup, world.group_id)
        members = db.session.scalar(
            select(func.count(Membership.id)).where(
                Membership.group_id == group.id, Membership.state == "member"
            )
        )
        if group.member_count != members or members > world.group_cap:
            problems.append(f"group: member_count {group.member_count}, rows {members}, cap 4")
        event = db.session.get(Event, world.event_id)
        places = db.session.scalar(
            select(func.count(Signup.id)).where(
                Signup.event_id == event.id, Signup.state == "signed_up"
            )
        )
        if event.participant_count != places or places > world.event_places:
            problems.append(f"event: participant_count {event.participant_count}, rows {places}")
        db.session.remove()
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from sqlalchemy import create_engine, text

    from alliance import create_app

    OUT.mkdir(parents=True, exist_ok=True)
    schema = f"bench_consistency_{uuid.uuid4().hex[:8]}"
    admin = create_engine(_engine_url(args.database, "public"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    server = None
    log_path = OUT / f"consistency-gunicorn-{schema}.log"
    try:
        config = _config(args.database, schema)
        app = create_app(config)
        print(f"==> Schema {schema}: migrating and building the world", flush=True)
        world = build_world(app, args.writers)
        port = free_port()
        env = dict(os.environ, CONSISTENCY_SCHEMA=schema, CONSISTENCY_DATABASE=args.database)
        log = open(log_path, "w")  # noqa: SIM115  (closed below)
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(args.workers),
                "--bind",
                f"{HOST}:{port}",
                "--pythonpath",
                f"{ROOT},{ROOT / 'bench'}",
                "--log-level",
                "warning",
                "consistency_wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(300):
            try:
                connection = http.client.HTTPConnection(HOST, port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        print(
            f"==> gunicorn -w {args.workers} on :{port}; {args.writers} writers for "
            f"{args.seconds:.0f} s",
            flush=True,
        )
        tally = Tally()
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=writer, args=(port, world, email, number, until, tally))
            for number, (_id, email) in enumerate(world.members)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            time.sleep(5)
            done = sum(tally.requests.values())
            print(f"    {time.monotonic() - started:5.0f} s: {done} requests", flush=True)
        for thread in threads:
            thread.join()
        server.terminate()
        server.wait(timeout=30)
        log.close()
        problems = check(app, world, tally)
    finally:
        if server is not None and server.poll() is None:
            server.kill()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    total = sum(tally.requests.values())
    errors = sum(count for (_action, status), count in tally.requests.items() if status >= 500)
    acknowledged = sum(count for (_a, status), count in tally.requests.items() if status == 303)
    print()
    print(f"requests {total}, 5xx errors {errors}, acknowledged writes (303) {acknowledged}")
    print(
        f"latency p50 {percentile(tally.seconds, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(tally.seconds, 0.95) * 1000:.0f} ms"
    )
    print("| action | status | count |\n|---|---|---|")
    for (action, status), count in sorted(tally.requests.items()):
        print(f"| {action} | {status} | {count} |")
    print()
    if problems:
        print("NOT CONSISTENT:")
        for problem in problems:
            print("  ", problem)
        return 1
    print(
        "Consistent: every acknowledged reply and post is there; reply counts, perspectives "
        "heard, recognitions, 'nuttig', group members (within the cap) and event places (within "
        "the capacity) equal their rows."
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
