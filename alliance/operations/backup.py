"""``flask backup`` and ``flask restore``: the database and the uploaded files in one archive.

The archive is a ``.tar.gz`` with

- ``database.sqlite`` (SQLite, copied by its online backup API: a consistent snapshot while
  the site runs and writes) or ``database.pgdump`` (PostgreSQL, ``pg_dump --format=custom`` of
  the app's schema, one consistent snapshot);
- ``uploads/<key>`` for every file in the file store (photos, documents, open-data dumps);
- ``manifest.json`` (the last member): the app's version, the migration head, the database
  kind (and PostgreSQL schema), when it was made, and the size and SHA-256 of every file.

The database is copied first and the files after it, so every file a row of the snapshot
names is in the archive (files are written before their row is committed, under keys that are
never reused); a file added meanwhile is merely extra. The search index is not in it: it is
rebuilt from the database after a restore.

A restore goes only into an empty instance: a database without members (tables made by
``flask db upgrade`` are fine: they are replaced) and an empty file store. It checks every
checksum before it changes anything, brings the schema to this code's migration head when the
archive is older, and rebuilds the search index."""

import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import func, inspect, select, text

from alliance.core.storage import storage
from alliance.extensions import db
from alliance.members.models import Member
from alliance.operations.databases import (
    BackupError,
    Progress,
    database_kind,
    dump_postgresql,
    dump_sqlite,
    migration_head,
    restore_postgresql,
    restore_sqlite,
)
from alliance.search.backend import rebuild_index

ROOT = Path(__file__).resolve().parent.parent.parent
MIGRATIONS = ROOT / "migrations"
MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024


def app_version() -> str:
    """The version in ``publiccode.yml`` (the one place it is written)."""
    try:
        found = re.search(
            r'^softwareVersion:\s*"?([^"\s]+)"?', (ROOT / "publiccode.yml").read_text(), re.M
        )
    except OSError:
        found = None
    return found.group(1) if found else "unknown"


def code_heads() -> set[str]:
    """The migration head(s) of this code."""
    return set(_scripts().get_heads())


def _scripts() -> ScriptDirectory:
    config = current_app.extensions["migrate"].migrate.get_config(str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


# --- the archive ----------------------------------------------------------------------------


class _Hashing(io.RawIOBase):
    """Reads a file while hashing what was read (so a file is read once for both)."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.handle.read(len(buffer))
        self.digest.update(data)
        buffer[: len(data)] = data
        return len(data)


@dataclass
class Summary:
    """What a backup wrote or a restore put back."""

    path: Path
    database: str
    files: int = 0
    bytes: int = 0
    manifest: dict = field(default_factory=dict)


def _add(tar: tarfile.TarFile, name: str, handle, size: int) -> str:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(datetime.now(UTC).timestamp())
    info.mode = 0o600
    reader = _Hashing(handle)
    tar.addfile(info, io.BufferedReader(reader, CHUNK))
    return reader.digest.hexdigest()


def make_backup(output: Path, progress: Progress) -> Summary:
    """Write the archive to ``output`` (through a temporary name: a half-written archive is
    never mistaken for a backup)."""
    kind = database_kind()
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    files: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as scratch:
        dump = Path(scratch) / ("database.sqlite" if kind == "sqlite" else "database.pgdump")
        details = (
            dump_sqlite(dump, progress) if kind == "sqlite" else dump_postgresql(dump, progress)
        )
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            with dump.open("rb") as handle:
                size = dump.stat().st_size
                files[dump.name] = {"bytes": size, "sha256": _add(tar, dump.name, handle, size)}
            store = storage()
            keys = list(store.keys(""))
            for number, key in enumerate(keys, 1):
                try:
                    handle = store.open(key)
                except FileNotFoundError:  # removed since it was listed (a purge)
                    continue
                with handle:
                    size = os.fstat(handle.fileno()).st_size
                    digest = _add(tar, f"uploads/{key}", handle, size)
                files[f"uploads/{key}"] = {"bytes": size, "sha256": digest}
                if number == len(keys) or number % max(1, len(keys) // 10) == 0:
                    progress(f"uploads: {number} of {len(keys)} files")
            if not keys:
                progress("uploads: no files")
            manifest = {
                "format": FORMAT,
                "app": "alliantie",
                "app_version": app_version(),
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "database": kind,
                **details,
                "files": files,
            }
            body = json.dumps(manifest, indent=2, sort_keys=True).encode()
            _add(tar, MANIFEST, io.BytesIO(body), len(body))
    os.replace(partial, output)
    total = sum(info["bytes"] for info in files.values())
    return Summary(output, kind, len(files) - 1, total, manifest)


def _extract(archive: Path, into: Path, progress: Progress) -> dict:
    """Unpack the archive into ``into`` and check it against its manifest; the manifest."""
    allowed = re.compile(r"^(database\.sqlite|database\.pgdump|manifest\.json|uploads/[\w./-]+)$")
    digests: dict[str, tuple[int, str]] = {}
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:
                name = member.name
                if not member.isfile() or not allowed.match(name) or ".." in name.split("/"):
                    raise BackupError(f"{archive} holds {name!r}: not one of our archives")
                path = into / name
                path.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                digest = hashlib.sha256()
                with path.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                digests[name] = (member.size, digest.hexdigest())
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{archive} cannot be read: {error}") from error
    try:
        manifest = json.loads((into / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{archive} has no readable manifest: {error}") from error
    if manifest.get("format") != FORMAT or manifest.get("app") != "alliantie":
        raise BackupError(f"{archive} is not an archive of this app (format {FORMAT})")
    listed = manifest.get("files", {})
    digests.pop(MANIFEST)
    if set(listed) != set(digests):
        missing = sorted(set(listed) - set(digests))[:3]
        extra = sorted(set(digests) - set(listed))[:3]
        raise BackupError(
            f"the archive does not match its manifest (missing {missing}, extra {extra})"
        )
    for name, (size, digest) in digests.items():
        if listed[name]["sha256"] != digest or listed[name]["bytes"] != size:
            raise BackupError(f"{name} in the archive is damaged (its checksum does not match)")
    progress(f"archive: {len(digests)} files, every checksum matches")
    return manifest


def _refuse_unless_empty(manifest: dict) -> None:
    kind = database_kind()
    if manifest["database"] != kind:
        raise BackupError(
            f"the archive holds a {manifest['database']} database; this instance uses {kind}"
        )
    head = manifest.get("migration_head")
    if head and _scripts().get_revision(head) is None:
        raise BackupError(
            f"the archive comes from a newer version (migration {head}); install that version"
        )
    try:
        has_members = inspect(db.engine).has_table("member")
        members = db.session.scalar(select(func.count(Member.id))) if has_members else 0
    finally:
        db.session.rollback()
    if members:
        raise BackupError(
            f"this database already holds {members} member(s). A backup is restored only into an "
            "empty instance (a new database and an empty upload folder); nothing was changed."
        )
    if next(iter(storage().keys("")), None) is not None:
        raise BackupError(
            "the upload folder (UPLOAD_DIR) is not empty. A backup is restored only into an "
            "empty instance; nothing was changed."
        )


def _drop_existing_tables() -> None:
    """Tables an upgrade made in the empty instance (no member in them): the archive's replace
    them."""
    names = set(inspect(db.engine).get_table_names())
    if not names:
        return
    with db.engine.begin() as connection:
        db.metadata.drop_all(connection, checkfirst=True)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        if connection.dialect.name == "postgresql":
            # Migration 0018's text search configuration: the archive brings its own.
            connection.execute(text("DROP TEXT SEARCH CONFIGURATION IF EXISTS alliance_dutch"))
    db.session.remove()


def restore_backup(
    archive: Path, progress: Progress, search_progress=None, procs: int = 1
) -> Summary:
    """Put the archive back into this (empty) instance, bring the schema up to this code's
    head, and rebuild the search index."""
    archive = Path(archive).resolve()
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=archive.parent) as scratch:
        scratch = Path(scratch)
        progress(f"archive: unpacking {archive.stat().st_size / 1e6:.1f} MB and checking it")
        manifest = _extract(archive, scratch, progress)
        _refuse_unless_empty(manifest)
        kind = manifest["database"]
        if kind == "sqlite":
            restore_sqlite(scratch / "database.sqlite", progress)
        else:
            _drop_existing_tables()
            db.engine.dispose()
            restore_postgresql(scratch / "database.pgdump", manifest["schema"], progress)
            db.engine.dispose()
        store = storage()
        uploads = sorted(name for name in manifest["files"] if name.startswith("uploads/"))
        for number, name in enumerate(uploads, 1):
            with (scratch / name).open("rb") as handle:
                size = manifest["files"][name]["bytes"]
                store.save(name.removeprefix("uploads/"), handle, max_bytes=size)
            if number == len(uploads) or number % max(1, len(uploads) // 10) == 0:
                progress(f"uploads: {number} of {len(uploads)} files")
    with db.engine.connect() as connection:
        head = migration_head(connection)
    if head not in code_heads():
        progress(f"database: migrating from {head} to this version's schema")
        upgrade(directory=str(MIGRATIONS))
    db.session.remove()
    progress("search: rebuilding the index from the restored database")
    rebuild_index(search_progress, procs=procs)
    db.session.remove()
    total = sum(info["bytes"] for info in manifest["files"].values())
    return Summary(archive, kind, len(manifest["files"]) - 1, total, manifest)
