"""The benchmark database: a SQLite file with the demo network and N synthetic members.

Built once per size and schema, then reused: the file name holds the number of members, the seed,
the migration head and :data:`DATA_VERSION`, so a new migration or a change to what the demo data
holds makes a fresh file by itself. Built under a temporary name and renamed only when complete,
so a run that was interrupted never leaves a half-filled database to be reused."""

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
DATA_VERSION = 2

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
    }


def migration_heads() -> str:
    """The head revision(s) of the migrations, e.g. ``"0001"``."""
    from alembic.script import ScriptDirectory

    return "+".join(sorted(ScriptDirectory(str(MIGRATIONS)).get_heads()))


def database_path(members: int, seed: int, directory: Path = OUT) -> Path:
    """Where the database of this size, seed and schema lives."""
    name = f"pages-m{members}-s{seed}-{migration_heads()}-d{DATA_VERSION}.sqlite"
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


def _demo_data(database: Path, members: int, seed: int) -> None:
    """``flask demo-data --members N --seed S`` in a child process, its progress on our terminal."""
    env = dict(os.environ, FLASK_APP="app.py", DATABASE_URL=f"sqlite:///{database}")
    command = [sys.executable, "-m", "flask", "demo-data", "--members", str(members),
               "--seed", str(seed)]
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def _checkpoint(database: Path) -> None:
    """Fold the write-ahead log into the file, so that the file alone is the database."""
    connection = sqlite3.connect(database)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def ensure_database(members: int, seed: int, fresh: bool = False, log=print) -> Path:
    """The path of a complete benchmark database of this size: reused, or built now."""
    target = database_path(members, seed)
    if target.exists() and not fresh:
        log(f"Database: reusing {target.relative_to(ROOT)} "
            f"({target.stat().st_size / 2**20:.1f} MiB; --fresh builds it again)")
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_suffix(".building.sqlite")
    _remove(building)
    started = time.perf_counter()
    log(f"Database: building {target.relative_to(ROOT)} with {members} synthetic members")
    log("Database: running the migrations…")
    _migrate(building)
    log(f"Database: flask demo-data --members {members} --seed {seed}…")
    _demo_data(building, members, seed)
    _checkpoint(building)
    _remove(target)
    os.replace(building, target)
    _remove(building)
    log(f"Database: ready in {time.perf_counter() - started:.1f} s "
        f"({target.stat().st_size / 2**20:.1f} MiB)")
    return target
