"""``flask backup`` and ``flask restore``: a round trip into an empty instance gives back every
row of every table and every uploaded file, and search finds the restored content; a database
with members is refused. On SQLite (the backup API) and on PostgreSQL (pg_dump of the test's
own schema), whichever the suite runs on."""

import hashlib
import io
import json
import os
import re
import sqlite3
import tarfile
import threading
import time
import uuid

import pytest
from flask_login import AnonymousUserMixin
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, select, text

from alliance import create_app
from alliance.core.storage import storage
from alliance.extensions import db, limiter


def _rows(application) -> dict[str, list[tuple]]:
    """Every row of every table (and the migration head), in primary-key order. Not the search
    documents of the PostgreSQL backend: the restore rebuilds them (the test searches instead)."""
    with application.app_context():
        tables = {}
        for table in db.metadata.sorted_tables:
            if table.name in ("search_document", "search_word"):
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            tables[table.name] = [
                tuple(row) for row in db.session.execute(select(table).order_by(*order))
            ]
        tables["alembic_version"] = [
            tuple(row)
            for row in db.session.execute(text("SELECT version_num FROM alembic_version"))
        ]
        db.session.rollback()
        return tables


def _files(application) -> dict[str, str]:
    with application.app_context():
        store = storage()
        found = {}
        for key in store.keys(""):
            with store.open(key) as handle:
                found[key] = hashlib.sha256(handle.read()).hexdigest()
        return found


@pytest.fixture
def empty_instance(app, tmp_path):
    """A second app on a database and folders of its own, with the schema made but no member
    in it (as ``flask db upgrade`` on a new server leaves it). On PostgreSQL: a new database,
    whose search_path names the test's schema as the backup's."""
    settings = {
        "TESTING": True,
        "SECRET_KEY": app.config["SECRET_KEY"],
        "SEARCH_INDEX_DIR": str(tmp_path / "restored-search"),
        "UPLOAD_DIR": str(tmp_path / "restored-uploads"),
    }
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    cleanup = None
    if url.startswith("postgresql"):
        name = f"restore_{uuid.uuid4().hex[:10]}"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["options"]
        schema = re.search(r"search_path=(\w+)", options).group(1)
        settings["DATABASE_URL"] = url.rsplit("/", 1)[0] + f"/{name}"
        settings["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": options}}
        target = create_engine(settings["DATABASE_URL"], isolation_level="AUTOCOMMIT")
        with target.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        target.dispose()

        def cleanup():
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            admin.dispose()

    else:
        settings["DATABASE_URL"] = f"sqlite:///{tmp_path / 'restored.sqlite'}"
    restored = create_app(settings)
    with restored.app_context():
        # The migrations, as on a new server: they also make the extensions search needs
        # on PostgreSQL (pg_trgm, unaccent), which a bare create_all does not.
        upgrade(directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
    try:
        yield restored
    finally:
        with restored.app_context():
            db.session.remove()
            db.engine.dispose()
        limiter.init_app(app)  # each new app binds the one limiter of the process
        limiter._storage_dead = False
        if cleanup:
            cleanup()


def test_backup_and_restore_give_back_every_row_and_file_and_search_finds_them(
    app, runner, make_member, make_item, drain, empty_instance, tmp_path
):
    author = make_member(name="Marit Hogeveen", offers=["archiefwet"])
    make_item(kind="ervaring", title="Kroongetuigen in het waterschapsarchief", author=author)
    make_item(title="Mogen notulen van de driehoek openbaar?", visibility="public", author=author)
    with app.app_context():
        store = storage()
        store.save("photos/1/a1b2c3-groot.jpg", io.BytesIO(b"\xff\xd8" + os.urandom(3000)), 10**6)
        store.save("groups/7/doc-9f8e/1.pdf", io.BytesIO(b"%PDF-1.7 " * 500), 10**6)
    drain()  # the outbox empty, as the restore's rebuild leaves it
    rows_before, files_before = _rows(app), _files(app)
    assert rows_before["member"] and rows_before["item"] and len(files_before) == 2

    archive = tmp_path / "backup.tar.gz"
    made = runner.invoke(args=["backup", "--output", str(archive)])
    assert made.exit_code == 0, made.output
    assert "database:" in made.output and "uploads: 2 of 2 files" in made.output
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    kind = "sqlite" if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") else "postgresql"
    assert manifest["database"] == kind
    assert manifest["migration_head"] == rows_before["alembic_version"][0][0]
    assert manifest["app_version"] not in ("", "unknown")
    for key, digest in files_before.items():
        assert manifest["files"][f"uploads/{key}"]["sha256"] == digest
    assert all(re.fullmatch(r"[0-9a-f]{64}", f["sha256"]) for f in manifest["files"].values())

    # Not into an instance with members: the test app's own database is refused, untouched.
    refused = runner.invoke(args=["restore", str(archive)])
    assert refused.exit_code == 1
    assert "already holds" in refused.output and "member" in refused.output
    assert _rows(app) == rows_before

    restored = empty_instance
    result = restored.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert "every checksum matches" in result.output and "search index is rebuilt" in result.output
    assert "100 %" in result.output  # the rebuild's progress

    assert _rows(restored) == rows_before
    assert _files(restored) == files_before
    with restored.test_request_context():
        from alliance.members.models import Member
        from alliance.search.services import SearchQuery, search

        viewer = db.session.get(Member, author.id)
        assert search(SearchQuery(text="waterschapsarchief"), viewer, 10).total == 1
        assert search(SearchQuery(text="driehoek notulen"), AnonymousUserMixin(), 10).total == 1
        db.session.remove()
    page = restored.test_client().get("/zoeken?q=driehoek")
    assert page.status_code == 200
    assert "notulen van de driehoek" in re.sub(r"<[^>]+>", "", page.text)  # without highlights


def test_a_damaged_archive_is_refused_before_anything_changes(app, runner, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    assert runner.invoke(args=["backup", "--output", str(archive)]).exit_code == 0
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source:
            data = source.extractfile(member).read()
            if member.name.startswith("database."):
                # Flipped, not zeroed: the end of a SQLite file is often zeros already.
                data = data[:-20] + bytes(byte ^ 0xFF for byte in data[-20:])
            target.addfile(member, io.BytesIO(data))
    result = runner.invoke(args=["restore", str(damaged)])
    assert result.exit_code == 1
    assert "damaged" in result.output
    with app.app_context():
        assert inspect(db.engine).has_table("member")


def test_a_backup_made_while_members_post_is_one_consistent_moment(
    app, make_member, make_item, tmp_path
):
    """Items are posted (each with its search-outbox row, in one transaction) while backups
    are made: every archive holds whole transactions only, never an item without its row."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("pg_dump's snapshot is PostgreSQL's own; the SQLite copy is ours")
    from alliance.operations.backup import make_backup

    author = make_member()
    posting = threading.Event()
    posted = []

    def post_items():
        while posting.is_set() or not posted:
            posted.append(make_item(title=f"Gelijktijdig bericht {len(posted)}", author=author))

    posting.set()
    writer = threading.Thread(target=post_items)
    writer.start()
    archives = []
    try:
        while len(posted) < 3:
            time.sleep(0.01)
        with app.app_context():
            first, deadline = len(posted), time.monotonic() + 20
            while len(archives) < 3 or (len(posted) < first + 3 and time.monotonic() < deadline):
                output = tmp_path / f"b{len(archives)}.tar.gz"
                archives.append(make_backup(output, lambda _: None).path)
                time.sleep(0.05)
    finally:
        posting.clear()
        writer.join(30)
    counts = []
    for archive in archives:
        with tarfile.open(archive) as tar:
            tar.extract("database.sqlite", tmp_path / archive.stem, filter="data")
        copy = sqlite3.connect(tmp_path / archive.stem / "database.sqlite")
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        items = copy.execute("SELECT count(*) FROM item").fetchone()[0]
        waiting = copy.execute(
            "SELECT count(DISTINCT ref_id) FROM search_outbox WHERE kind = 'item'"
        ).fetchone()[0]
        copy.close()
        assert items == waiting
        counts.append(items)
    assert counts == sorted(counts) and counts[-1] > counts[0]  # made while posts came in
