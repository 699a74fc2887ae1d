"""Copying the database out and back in, per kind: SQLite through its online backup API (one
consistent snapshot while the site runs and writes), PostgreSQL through ``pg_dump
--format=custom`` of the app's schema and ``pg_restore`` (``alliance/operations/backup.py``
puts the copy in the archive)."""

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from flask import current_app
from sqlalchemy import text

from alliance.extensions import db

#: progress(message): what the commands print.
Progress = Callable[[str], None]


class BackupError(Exception):
    """The backup or restore cannot be done; the message says why and what to do."""


def database_kind() -> str:
    """``sqlite`` or ``postgresql``."""
    name = db.engine.dialect.name
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"backups of {name} databases are not supported")
    return name


def migration_head(connection) -> str | None:
    """The revision the database was migrated to (None: never migrated)."""
    query = "SELECT version_num FROM alembic_version"
    try:
        if isinstance(connection, sqlite3.Connection):
            row = connection.execute(query).fetchone()
            return row[0] if row else None
        return connection.execute(text(query)).scalar()
    except Exception:  # no alembic_version table: never migrated
        return None


# --- PostgreSQL -----------------------------------------------------------------------------


def _libpq() -> tuple[str, dict[str, str]]:
    """The connection string for pg_dump/pg_restore, and the environment with the password
    (never on a command line, where ``ps`` shows it)."""
    url = db.engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    conninfo = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return conninfo, env


def _current_schema() -> str | None:
    schema = db.session.scalar(text("SELECT current_schema()"))
    db.session.rollback()
    return schema


#: The line pg_dump/pg_restore --verbose writes as it starts on a table's rows.
TABLE_LINE = re.compile(r'(?:dumping contents of|processing data for) table "(?:[^"]+\.)?([^"]+)"')


def _run_tool(command: list[str], env: dict, progress: Progress) -> None:
    """Run pg_dump/pg_restore with --verbose and turn its lines into progress."""
    tool = command[0]
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
    total = len(db.metadata.tables) + 1  # and alembic_version
    done = 0
    lines = []
    with subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True) as process:
        for line in process.stderr:
            lines.append(line.rstrip())
            if found := TABLE_LINE.search(line):
                done += 1
                progress(f"database: table {done} of {total} ({found.group(1)})")
    if process.returncode != 0:
        errors = [line for line in lines if "error" in line.lower()] or lines[-5:]
        raise BackupError(f"{tool} failed: " + " / ".join(errors[-5:]))


def dump_postgresql(target: Path, progress: Progress) -> dict:
    """``pg_dump`` of the app's schema (one snapshot) into ``target``; the schema and the
    migration head, for the manifest."""
    schema = _current_schema()
    head = migration_head(db.session)
    db.session.rollback()
    conninfo, env = _libpq()
    command = [
        "pg_dump",
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        f"--schema={schema}",
        f"--file={target}",
        "--verbose",
        f"--dbname={conninfo}",
    ]
    _run_tool(command, env, progress)
    return {"schema": schema, "migration_head": head}


def restore_postgresql(archive_file: Path, schema: str, progress: Progress) -> None:
    """``pg_restore`` into this database, in one transaction. The dump's schema must be this
    instance's (``public`` normally); when it exists already it is used as it is."""
    here = _current_schema()
    if here is not None and here != schema:
        raise BackupError(
            f"the archive holds the schema {schema!r}; this instance works in {here!r}. Set the "
            f"database's search_path to {schema!r} (or restore into a database without {here!r})."
        )
    conninfo, env = _libpq()
    listing = subprocess.run(
        ["pg_restore", "--list", str(archive_file)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if listing.returncode != 0:
        raise BackupError(f"pg_restore cannot read the dump: {listing.stderr.strip()[:300]}")
    if here is not None:  # the schema is there already (public, or made by the operator)
        keep = [
            line
            for line in listing.stdout.splitlines()
            if not re.search(rf"\b(SCHEMA - {re.escape(schema)}|COMMENT - SCHEMA)\b", line)
        ]
    else:
        keep = listing.stdout.splitlines()
    with tempfile.NamedTemporaryFile("w", suffix=".list", delete=False) as handle:
        handle.write("\n".join(keep) + "\n")
    try:
        command = [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--verbose",
            f"--use-list={handle.name}",
            f"--dbname={conninfo}",
            str(archive_file),
        ]
        _run_tool(command, env, progress)
    finally:
        os.unlink(handle.name)


# --- SQLite ---------------------------------------------------------------------------------


def _sqlite_path() -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(database)


def dump_sqlite(target: Path, progress: Progress) -> dict:
    """A copy of the live database file into ``target`` by SQLite's backup API; the
    migration head of that copy."""
    source_path = _sqlite_path()
    progress(f"database: copying {source_path} with SQLite's backup API")
    timeout = current_app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000
    source = sqlite3.connect(source_path, timeout=timeout)
    copy = sqlite3.connect(target)
    try:
        # All pages in one step: one consistent snapshot (in WAL mode writers go on meanwhile;
        # a copy in several steps would start again after every write).
        source.backup(copy)
        head = migration_head(copy)
    finally:
        copy.close()
        source.close()
    progress(f"database: copied ({target.stat().st_size / 1e6:.1f} MB)")
    return {"migration_head": head}


def restore_sqlite(archive_file: Path, progress: Progress) -> None:
    """Write the archive's database over this instance's file (by the backup API, so its
    WAL is handled by SQLite itself); pooled connections are dropped first."""
    target_path = _sqlite_path()
    target_path.parent.mkdir(parents=True, exist_ok=True)
    db.session.remove()
    db.engine.dispose()  # no pooled connection keeps the old pages
    progress(f"database: writing {archive_file.stat().st_size / 1e6:.1f} MB into {target_path}")
    source = sqlite3.connect(archive_file)
    target = sqlite3.connect(target_path, timeout=30)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    progress("database: written")
