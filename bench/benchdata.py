"""The benchmark database: a SQLite file with the demo network, N synthetic members, M synthetic
items with replies, and the two items the item pages are measured on.

Built once per size and schema, then reused: the file name holds the number of members and
items, the seed, the migration head and :data:`DATA_VERSION`, so a new migration or a change to
what the demo data holds makes a fresh file by itself. Built under a temporary name and renamed
only when complete, so a run that was interrupted never leaves a half-filled database to be
reused."""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/…py`: make `alliance` importable
    sys.path.insert(0, str(ROOT))
MIGRATIONS = ROOT / "migrations"
OUT = ROOT / "bench" / "out"

#: Raise this when ``flask demo-data`` starts to generate something new (items, replies, groups)
#: that the benchmark relies on, so that old databases are not reused.
DATA_VERSION = 5

#: The account the benchmarks log in with (a demo account: see ``alliance/demo/network.py``).
BENCH_EMAIL = "lid@alliantie.example"
BENCH_PASSWORD = "alliantie-demo-2026"


def bench_config(database: Path) -> dict:
    """The ``create_app`` overrides of every benchmark run, in-process and under gunicorn."""
    return {
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "bench-only-not-a-secret",
        "WTF_CSRF_ENABLED": False,  # the benchmark logs in with a plain POST
        "RATELIMIT_ENABLED": False,  # hundreds of requests from one address
        "SESSION_COOKIE_SECURE": False,  # cookies over plain http on loopback
        "MAIL_BACKEND": "console",
        "SITE_URL": "http://127.0.0.1",
        "UPLOAD_DIR": str(OUT / "uploads"),  # documents uploaded by the benchmark
    }


def migration_heads() -> str:
    """The head revision(s) of the migrations, e.g. ``"0001"``."""
    from alembic.script import ScriptDirectory

    return "+".join(sorted(ScriptDirectory(str(MIGRATIONS)).get_heads()))


def database_path(members: int, items: int, seed: int, directory: Path = OUT) -> Path:
    """Where the database of this size, seed and schema lives."""
    name = f"pages-m{members}-i{items}-s{seed}-{migration_heads()}-d{DATA_VERSION}.sqlite"
    return directory / name


def _remove(path: Path) -> None:
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        candidate.unlink(missing_ok=True)


def _migrate(database: Path) -> None:
    """Bring an empty database to the migration head, in this process."""
    from flask_migrate import upgrade

    from alliance import create_app
    from alliance.extensions import db

    app = create_app(bench_config(database))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        db.session.remove()
        db.engine.dispose()


def _demo_data(database: Path, members: int, items: int, seed: int) -> None:
    """``flask demo-data --members N --items M --seed S`` in a child process, its progress on our
    terminal."""
    env = dict(os.environ, FLASK_APP="app.py", DATABASE_URL=f"sqlite:///{database}")
    command = [
        sys.executable,
        "-m",
        "flask",
        "demo-data",
        "--members",
        str(members),
        "--items",
        str(items),
        "--seed",
        str(seed),
        "--no-search-index",
    ]
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def _checkpoint(database: Path) -> None:
    """Fold the write-ahead log into the file, so that the file alone is the database."""
    connection = sqlite3.connect(database)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def ensure_database(members: int, items: int, seed: int, fresh: bool = False, log=print) -> Path:
    """The path of a complete benchmark database of this size: reused, or built now."""
    target = database_path(members, items, seed)
    if target.exists() and not fresh:
        log(
            f"Database: reusing {target.relative_to(ROOT)} "
            f"({target.stat().st_size / 2**20:.1f} MiB; --fresh builds it again)"
        )
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_suffix(".building.sqlite")
    _remove(building)
    started = time.perf_counter()
    log(
        f"Database: building {target.relative_to(ROOT)} with {members} synthetic members and "
        f"{items} synthetic items"
    )
    log("Database: running the migrations…")
    _migrate(building)
    log(f"Database: flask demo-data --members {members} --items {items} --seed {seed}…")
    began = time.perf_counter()
    _demo_data(building, members, items, seed)
    log(f"Database: demo data in {time.perf_counter() - began:.1f} s")
    log(
        f"Database: the item pages' items ({', '.join(map(str, BENCH_ITEM_REPLIES))} replies) "
        f"and the group space's working group ({BENCH_GROUP_TASKS} tasks, "
        f"{BENCH_GROUP_REPLIES} replies)…"
    )
    _add_bench_items(building)
    _checkpoint(building)
    _remove(target)
    os.replace(building, target)
    _remove(building)
    log(
        f"Database: ready in {time.perf_counter() - started:.1f} s "
        f"({target.stat().st_size / 2**20:.1f} MiB)"
    )
    return target


#: The item pages are measured on items with this many replies, made through the services.
BENCH_ITEM_REPLIES = (50, 5)
BENCH_ITEM_TITLE = "Woo-verzoek over de windmolens: hoe ver gaan we met lakken? ({n} reacties)"
BENCH_ITEM_AUTHOR = "pieter.vandermeer@demo.alliantie.example"


def bench_item(replies: int) -> int:
    """The id of the bench item with exactly ``replies`` replies; made once (with an app context
    on the bench database), the same way members make it: through the knowledge services.

    Replies come from as many different members, spread over the five perspectives, each with
    their own perspective; about one in five answers an earlier reply. Both items have the same
    shape (themes, tags, all perspectives answered), so their pages differ only in the replies."""
    from sqlalchemy import select

    from alliance.demo.item_vocabulary import REPLY_ADVICE, REPLY_OPENINGS
    from alliance.extensions import db
    from alliance.knowledge.models import Item
    from alliance.knowledge.services import (
        ItemChange,
        add_reply,
        post_item,
        set_helped,
        set_recognised,
    )
    from alliance.members.models import PERSPECTIVES, Member
    from alliance.themes.models import Theme

    title = BENCH_ITEM_TITLE.format(n=replies)
    found = db.session.scalar(select(Item.id).where(Item.title == title))
    if found:
        return found
    author = db.session.scalar(select(Member).where(Member.email == BENCH_ITEM_AUTHOR))
    themes = db.session.scalars(
        select(Theme.id).where(Theme.slug.in_(("open-informatie", "open-communicatie")))
    ).all()
    item = post_item(
        author,
        ItemChange(
            kind="dilemma",
            title=title,
            theme_ids=list(themes),
            tags="Woo-verzoeken afhandelen, lakken van documenten, actieve openbaarmaking",
            organisation_type=author.organisation_type,
            fields={
                "situation": "Een inwoner vraagt alle stukken over het nieuwe windpark op. Het gaat "
                "om ruim 2.000 documenten, met veel namen van omwonenden.",
                "tension": "We willen snel en volledig zijn. Maar omwonenden willen niet dat hun "
                "naam en adres op straat komen te liggen.",
                "options": "- Alles lakken wat naar een persoon wijst.\n"
                "- Alleen namen en adressen lakken.\n- Eerst een deel publiceren.",
                "constraints": "De termijn is vier weken, met twee weken uitstel.",
            },
        ),
    )
    per_perspective = -(-replies // len(PERSPECTIVES))
    ranked = []  # (place within its perspective, perspective, member): interleaves them
    for rank, perspective in enumerate(PERSPECTIVES):  # lowest ids: the same members every time
        members = db.session.scalars(
            select(Member)
            .where(
                Member.perspective == perspective,
                Member.id != author.id,
                Member.email_confirmed_at.is_not(None),
            )
            .order_by(Member.id)
            .limit(per_perspective)
        ).all()
        ranked += [(place, rank, member) for place, member in enumerate(members)]
    repliers = [member for _place, _rank, member in sorted(ranked, key=lambda r: r[:2])]
    tops = []
    for number, member in enumerate(repliers[:replies]):
        openings = REPLY_OPENINGS[member.perspective]
        opening = openings[number % len(openings)]
        advice = REPLY_ADVICE[number % len(REPLY_ADVICE)]
        body = f"{opening} {advice}".format(
            subject="lakken", tag="anonimiseren", organisation=member.organisation or "ons"
        )
        parent = tops[number % len(tops)] if tops and number % 5 == 4 else None
        reply = add_reply(item, member, body, member.perspective, parent)
        if parent is None:
            tops.append(reply)
    set_helped(tops[0], True)
    for member in repliers[:3]:
        set_recognised(item, member, True)
    db.session.commit()
    return item.id


def _add_bench_items(database: Path) -> None:
    """Make the bench items in the database being built."""
    from benchpeople import bench_conversation, bench_expert

    from alliance import create_app
    from alliance.extensions import db

    app = create_app(bench_config(database))
    with app.app_context():
        for replies in BENCH_ITEM_REPLIES:
            bench_item(replies)
        bench_group()
        bench_member_home()
        bench_expert()
        bench_conversation()
        db.session.remove()
        db.engine.dispose()


#: The group space is measured on a working group of the largest size with this many actiepunten
#: and discussion replies (issue 5: "500 tasks and 1,000 discussion replies").
BENCH_GROUP_NAME = "Werkgroep Woo-register (bench: {tasks} actiepunten, {replies} reacties)"
BENCH_GROUP_TASKS = 500
BENCH_GROUP_POSTS = 40
BENCH_GROUP_REPLIES = 1000
#: How the actiepunten are spread over the states: most work of a long-running group is done.
BENCH_GROUP_TASK_STATES = {"todo": 120, "doing": 40, "done": 340}


def bench_group() -> int:
    """The id of the bench working group; made once, through the group and knowledge services.

    The bench member leads it, with 14 other members (the cap of 15); it holds
    :data:`BENCH_GROUP_TASKS` actiepunten (owners, due dates and states spread over the members)
    and a private discussion of :data:`BENCH_GROUP_POSTS` posts with
    :data:`BENCH_GROUP_REPLIES` replies in all. The bench member's last visit is set before most
    of it, so the "since your last visit" counts have something to count."""
    from datetime import timedelta

    from sqlalchemy import select

    from alliance.core.timeutil import utcnow
    from alliance.demo.item_vocabulary import REPLY_ADVICE, REPLY_OPENINGS
    from alliance.extensions import db
    from alliance.groups import services, space
    from alliance.groups.models import MAX_SIZE_CAP, WorkingGroup
    from alliance.knowledge.services import ItemChange, add_reply, post_item
    from alliance.members.models import Member
    from alliance.themes.models import Theme

    name = BENCH_GROUP_NAME.format(tasks=BENCH_GROUP_TASKS, replies=BENCH_GROUP_REPLIES)
    found = db.session.scalar(select(WorkingGroup.id).where(WorkingGroup.name == name))
    if found:
        return found
    lead = db.session.scalar(select(Member).where(Member.email == BENCH_EMAIL))
    others = db.session.scalars(
        select(Member)
        .where(
            Member.id != lead.id,
            Member.email_confirmed_at.is_not(None),
            Member.perspective.is_not(None),
        )
        .order_by(Member.id)
        .limit(MAX_SIZE_CAP - 1)
    ).all()
    themes = db.session.scalars(
        select(Theme.id).where(Theme.slug.in_(("open-informatie", "open-communicatie")))
    ).all()
    today = utcnow().date()
    group = services.start_group(
        lead,
        services.GroupChange(
            name=name,
            opgave="Hoe maken we één Woo-register dat gemeenten, provincies en waterschappen samen "
            "bijhouden, zodat inwoners op één plek zien wat er openbaar is gemaakt?",
            deliverable="Een gedeeld datamodel en een handreiking voor de invoering",
            description="We werken een gezamenlijk register uit, testen het bij drie organisaties "
            "en schrijven op wat we leerden.",
            ends_on=today + timedelta(days=300),
            join_policy="request",
            size_cap=MAX_SIZE_CAP,
            theme_ids=list(themes),
        ),
    )
    for member in others:
        services.join(group, member, "Ik breng ervaring met registers en de Woo mee.")
        services.approve(group, services.membership_of(group, member))
    people = [lead, *others]
    # The bench member's last visit: a month ago, so the activity counts are real counts.
    services.membership_of(group, lead).last_visit_at = utcnow() - timedelta(days=30)
    states = [state for state, count in BENCH_GROUP_TASK_STATES.items() for _ in range(count)]
    for number, state in enumerate(states):
        author = people[number % len(people)]
        owner = people[(number * 7) % len(people)] if number % 6 else None
        task = space.add_task(
            group,
            author,
            f"Actiepunt {number + 1}: register {number % 17 + 1} nalopen en de "
            f"velden afstemmen met team {number % 9 + 1}",
            owner.id if owner else None,
            today + timedelta(days=number % 90 - 20),
        )
        if state != "todo":
            space.update_task(task, group, state=state)
    per_post = BENCH_GROUP_REPLIES // BENCH_GROUP_POSTS
    for post_number in range(BENCH_GROUP_POSTS):
        author = people[post_number % len(people)]
        item = post_item(
            author,
            ItemChange(
                kind="dilemma",
                title=f"Registerveld {post_number + 1}: wat nemen we op over de verzoeker?",
                visibility="group",
                group_id=group.id,
                theme_ids=list(themes),
                fields={
                    "situation": "Voor het gedeelde register moeten we kiezen welke velden we "
                    "vastleggen bij elk besluit.",
                    "tension": "Meer velden maken het register bruikbaarder, maar ook gevoeliger.",
                },
            ),
        )
        tops = []
        for number in range(per_post):
            member = people[(post_number + number + 1) % len(people)]
            openings = REPLY_OPENINGS[member.perspective]
            body = f"{openings[number % len(openings)]} {REPLY_ADVICE[number % len(REPLY_ADVICE)]}"
            body = body.format(
                subject="het register", tag="registers", organisation=member.organisation or "ons"
            )
            parent = tops[number % len(tops)] if tops and number % 5 == 4 else None
            reply = add_reply(item, member, body, member.perspective, parent)
            if parent is None:
                tops.append(reply)
        db.session.flush()
    db.session.commit()
    return group.id


#: The member home is measured for a member in this many groups, who follows this many items
#: and has this many notifications (issue 16).
BENCH_HOME_GROUPS = 3
BENCH_HOME_FOLLOWS = 20
BENCH_HOME_NOTIFICATIONS = 50


def bench_member_home() -> int:
    """Give the bench member what the home page is measured with: in
    :data:`BENCH_HOME_GROUPS` working groups, following :data:`BENCH_HOME_FOLLOWS` items, with
    :data:`BENCH_HOME_NOTIFICATIONS` notifications (a fifth of them unread replies). Made once;
    returns the member's id."""
    from datetime import timedelta

    from sqlalchemy import func, select

    from alliance.core.timeutil import utcnow
    from alliance.extensions import db
    from alliance.groups import services
    from alliance.groups.models import Membership, WorkingGroup
    from alliance.knowledge.models import Item, ItemMark
    from alliance.members.models import Member
    from alliance.notify.models import Notification

    member = db.session.scalar(select(Member).where(Member.email == BENCH_EMAIL))
    bench_group()
    in_groups = set(
        db.session.scalars(
            select(Membership.group_id).where(
                Membership.member_id == member.id, Membership.state == "member"
            )
        )
    )
    for group in db.session.scalars(
        select(WorkingGroup)
        .where(WorkingGroup.state == "active", WorkingGroup.id.not_in(in_groups or {0}))
        .order_by(WorkingGroup.id)
    ):
        if len(in_groups) >= BENCH_HOME_GROUPS:
            break
        if group.is_full:
            continue
        if group.join_policy == "invite" or services.membership_of(group, member) is not None:
            continue
        membership = services.join(group, member, "Ik denk graag mee.")
        if membership.state != "member":
            services.approve(group, membership)
        in_groups.add(group.id)

    def follows() -> int:
        return db.session.scalar(
            select(func.count()).where(ItemMark.member_id == member.id, ItemMark.kind == "follow")
        )

    if follows() < BENCH_HOME_FOLLOWS:
        followed = select(ItemMark.item_id).where(
            ItemMark.member_id == member.id, ItemMark.kind == "follow"
        )
        for item_id in db.session.scalars(
            select(Item.id)
            .where(Item.visibility != "group", Item.id.not_in(followed))
            .order_by(Item.last_activity_at.desc())
            .limit(BENCH_HOME_FOLLOWS - follows())
        ).all():
            db.session.add(ItemMark(item_id=item_id, member_id=member.id, kind="follow"))
    have = db.session.scalar(select(func.count()).where(Notification.recipient_id == member.id))
    items = db.session.scalars(
        select(ItemMark.item_id).where(ItemMark.member_id == member.id, ItemMark.kind == "follow")
    ).all()
    now = utcnow()
    for number in range(max(0, BENCH_HOME_NOTIFICATIONS - have)):
        item_id = items[number % len(items)]
        kind = "reply" if number % 5 == 0 else "followed_reply"
        db.session.add(
            Notification(
                recipient_id=member.id,
                kind=kind,
                item_id=item_id,
                url=f"/kennisbank/{item_id}",
                params={},
                delivery="none",
                created_at=now - timedelta(hours=number * 7),
                read_at=None if number % 5 == 0 or number < 10 else now,
                emailed_at=now,
            )
        )
    db.session.commit()
    return member.id


#: Issue 18: the group's own work in the bench group's space.
BENCH_WORK_MESSAGES = 1000  # messages and replies
BENCH_WORK_TOP = 400  # of which messages (the rest are replies to them)
BENCH_WORK_DOCUMENTS = 200
BENCH_WORK_PROPOSALS = 20  # half open (with responses), half decided


def bench_group_work() -> int:
    """The bench group (see :func:`bench_group`), with its conversation, documents and
    proposals added once (straight into the tables: only the page is measured here, so no
    files are kept and search is not fed). Returns the group's id."""
    from datetime import timedelta

    from sqlalchemy import func, select

    from alliance.core.timeutil import utcnow
    from alliance.extensions import db
    from alliance.groups.models import Membership
    from alliance.groups.workmodels import (
        DocumentVersion,
        GroupDocument,
        GroupMessage,
        Proposal,
        ProposalResponse,
    )

    group_id = bench_group()
    if db.session.scalar(
        select(func.count(GroupMessage.id)).where(GroupMessage.group_id == group_id)
    ):
        return group_id
    people = db.session.scalars(
        select(Membership.member_id).where(
            Membership.group_id == group_id, Membership.state == "member"
        )
    ).all()
    now = utcnow()
    tops = []
    for number in range(BENCH_WORK_TOP):
        at = now - timedelta(minutes=(BENCH_WORK_TOP - number) * 37)
        tops.append(
            GroupMessage(
                group_id=group_id,
                author_id=people[number % len(people)],
                body=f"Bericht {number + 1}: wie kijkt mee naar **veld {number % 17 + 1}** "
                "van het register? Ik heb een opzet gemaakt.",
                created_at=at,
                last_activity_at=at,
                reply_count=0,
            )
        )
    db.session.add_all(tops)
    db.session.flush()
    for number in range(BENCH_WORK_MESSAGES - BENCH_WORK_TOP):
        top = tops[(number * 7) % len(tops)]
        at = top.created_at + timedelta(minutes=number % 30 + 1)
        db.session.add(
            GroupMessage(
                group_id=group_id,
                parent_id=top.id,
                author_id=people[(number + 3) % len(people)],
                body=f"Reactie {number + 1}: goed punt, ik kijk ernaar voor vrijdag.",
                created_at=at,
                last_activity_at=at,
            )
        )
        top.reply_count += 1
        top.last_activity_at = max(top.last_activity_at, at)
    for number in range(BENCH_WORK_DOCUMENTS):
        versions = number % 3 + 1
        document = GroupDocument(
            group_id=group_id,
            title=f"Document {number + 1}: registeropzet deel {number % 12 + 1}",
            note="Concept voor de groep." if number % 2 else "",
            uploaded_by_id=people[number % len(people)],
            created_at=now - timedelta(hours=number * 5),
            updated_at=now - timedelta(hours=number * 5),
            version_count=versions,
            filename=f"registeropzet-{number + 1}.pdf",
            mime="application/pdf",
            size=250_000 + number * 1000,
        )
        db.session.add(document)
        db.session.flush()
        for version in range(1, versions + 1):
            db.session.add(
                DocumentVersion(
                    document_id=document.id,
                    group_id=group_id,
                    number=version,
                    storage_key=f"groups/{group_id}/bench-{document.id}-{version}.pdf",
                    filename=document.filename,
                    mime=document.mime,
                    size=document.size,
                    uploaded_by_id=document.uploaded_by_id,
                )
            )
    positions = ("agree", "agree", "abstain", "disagree", "block")
    for number in range(BENCH_WORK_PROPOSALS):
        decided = number % 2 == 1
        proposal = Proposal(
            group_id=group_id,
            author_id=people[number % len(people)],
            title=f"Voorstel {number + 1}: we nemen veld {number + 1} op in het register",
            body="Zo houden we het register bruikbaar voor inwoners.",
            closes_at=now + timedelta(days=number + 1) if not decided else now - timedelta(days=1),
            outcome="Aangenomen, met een kleine wijziging." if decided else None,
            decided_at=now - timedelta(hours=number) if decided else None,
        )
        db.session.add(proposal)
        db.session.flush()
        for index, member_id in enumerate(people):
            if index % 4 != 3:
                reason = "Eerst de juristen." if positions[index % 5] == "block" else ""
                db.session.add(
                    ProposalResponse(
                        proposal_id=proposal.id,
                        member_id=member_id,
                        position=positions[index % 5],
                        reason=reason,
                    )
                )
    db.session.commit()
    return group_id


def bench_group_post() -> int:
    """A post of the bench group's discussion (with its share of the replies)."""
    from sqlalchemy import select

    from alliance.extensions import db
    from alliance.knowledge.models import Item

    return db.session.scalar(
        select(Item.id).where(Item.group_id == bench_group()).order_by(Item.id).limit(1)
    )
