"""The index on disk: where it lives, one writer at a time, the outbox drain, and the rebuild
that builds a new index aside and swaps it in atomically.

Layout under ``SEARCH_INDEX_DIR`` (default ``instance/search``)::

    current -> index-20261128-231500   (a symlink, replaced atomically by a rebuild)
    index-20261128-231500/             (Whoosh files)
    write.lock                         (one writer at a time, across processes)
"""

import fcntl
import os
import random
import shutil
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import whoosh.util
from flask import current_app
from sqlalchemy import delete, func, select
from whoosh import index as whoosh_index

from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.search import documents
from alliance.search.models import SearchOutbox
from alliance.search.schema import RebuildCodec, make_schema

# Whoosh names segments and temporary files with the global ``random`` module. Anything that
# seeds it (Hypothesis does, for every example) makes Whoosh reuse the name of a live segment
# and write over its files. Names from the operating system's randomness cannot repeat so.
whoosh.util.random = random.SystemRandom()

#: Outbox rows handled per index commit.
DRAIN_BATCH = 500


class SearchUnavailable(Exception):
    """There is no usable index (never built, being rebuilt, or broken)."""


def index_dir() -> Path:
    configured = current_app.config.get("SEARCH_INDEX_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "search"


def _current_link() -> Path:
    return index_dir() / "current"


def current_target() -> Path | None:
    """The directory of the index in use, or None when there is none."""
    link = _current_link()
    try:
        return link.parent / os.readlink(link)
    except OSError:
        return None


_open_indexes: dict[Path, whoosh_index.Index] = {}
_open_lock = threading.Lock()


def open_index() -> whoosh_index.Index:
    """The index in use (opened once per process and directory)."""
    target = current_target()
    if target is None:
        raise SearchUnavailable("no index")
    with _open_lock:
        ix = _open_indexes.get(target)
        if ix is None:
            try:
                ix = whoosh_index.open_dir(str(target))
            except Exception as error:  # missing files, a half-copied index, …
                raise SearchUnavailable(str(error)) from error
            _open_indexes.clear()
            _open_indexes[target] = ix
        return ix


@contextmanager
def write_lock(timeout: float | None):
    """One index writer at a time, across threads and processes. Yields False when the lock
    could not be had within ``timeout`` seconds (None: wait as long as it takes)."""
    directory = index_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "write.lock", "a+") as handle:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if deadline is None else fcntl.LOCK_NB))
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.02)
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _replace(ix: whoosh_index.Index, changes: dict[str, list]) -> None:
    """Replace every document of each owner with its current documents (none: removed)."""
    writer = ix.writer(limitmb=128, compound=False)
    try:
        for owner, docs in changes.items():
            writer.delete_by_term("owner", owner)
            for doc in docs:
                writer.add_document(**doc.fields())
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def _read_batch(limit: int) -> tuple[list[int], dict[str, list]]:
    """The next outbox rows and the current documents they point to, read in one snapshot."""
    rows = db.session.execute(
        select(SearchOutbox.id, SearchOutbox.kind, SearchOutbox.ref_id)
        .order_by(SearchOutbox.id)
        .limit(limit)
    ).all()
    wanted = defaultdict(set)
    for row in rows:
        wanted[row.kind].add(row.ref_id)
    changes = {}
    for kind, ids in wanted.items():
        loaded = documents.load(kind, sorted(ids))
        for ref_id in ids:
            changes[documents.owner(kind, ref_id)] = loaded.get(ref_id, [])
    return [row.id for row in rows], changes


def _drain_locked(
    ix: whoosh_index.Index, batch: int, stop: Callable[[], bool] | None = None
) -> int:
    done = 0
    while not (stop and stop()):
        row_ids, changes = _read_batch(batch)
        db.session.rollback()  # end the read snapshot: no lock is held while indexing
        if not row_ids:
            return done
        _replace(ix, changes)
        # Only now, after the index commit: a crash before this line indexes the rows again.
        db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(row_ids)))
        db.session.commit()
        done += len(row_ids)
    return done


def drain_outbox(
    batch: int = DRAIN_BATCH, wait: float = 5.0, stop: Callable[[], bool] | None = None
) -> int:
    """Index every document waiting in the outbox; returns how many rows were handled.
    Without an index, or while another process holds the writer for longer than ``wait``
    (a rebuild, another worker), the rows stay and are handled by the next drain. ``stop``
    (a worker told to stop) is asked between batches."""
    if current_target() is None:
        return 0
    with write_lock(wait) as locked:
        if not locked:
            return 0
        try:
            ix = open_index()
        except SearchUnavailable:
            return 0
        return _drain_locked(ix, batch, stop)


def backlog() -> tuple[int, float | None]:
    """Rows waiting in the outbox, and the age in seconds of the oldest."""
    count, oldest = db.session.execute(
        select(func.count(SearchOutbox.id), func.min(SearchOutbox.created_at))
    ).one()
    if not count:
        return 0, None
    return count, max(0.0, (utcnow() - oldest).total_seconds())


def _new_directory() -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    directory = index_dir() / f"index-{stamp}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    directory.mkdir(parents=True)
    return directory


def _swap(target: Path) -> None:
    link = _current_link()
    temporary = link.with_name(f"current.{os.getpid()}.tmp")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(target.name, temporary)
    os.replace(temporary, link)  # atomic: readers see the old index or the new one


def _remove_old(keep: Path) -> None:
    for path in index_dir().glob("index-*"):
        if path != keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def rebuild(progress: Callable[[str, int, int], None] | None = None, procs: int = 1) -> int:
    """Build a complete new index from the database beside the current one, swap it in, then
    index what changed meanwhile. Holds the writer lock throughout, so changes made during the
    rebuild wait in the outbox (nothing is lost) and land right after the swap."""
    progress = progress or (lambda kind, done, total: None)
    with write_lock(None):
        target = _new_directory()
        ix = whoosh_index.create_in(str(target), make_schema())
        # Plain files, not one compound file per segment: Whoosh opens a compound file by
        # copying each part into memory (about 100 ms for every new searcher at 100,000 items).
        limit = current_app.config.get("SEARCH_REBUILD_MEMORY_MB", 2048)
        options = {"limitmb": limit, "codec": RebuildCodec(), "compound": False}
        if procs > 1:  # one segment per process, not merged: searching reads them all anyway
            options.update(procs=procs, multisegment=True)
        writer = ix.writer(**options)
        added = 0
        try:
            for kind in documents.kinds():
                total, done = documents.count(kind), 0
                progress(kind, 0, total)
                for ids in documents.all_ids(kind):
                    for docs in documents.load(kind, ids).values():
                        for doc in docs:
                            writer.add_document(**doc.fields())
                    db.session.rollback()
                    done += len(ids)
                    added += len(ids)
                    progress(kind, done, total)
        except BaseException:
            writer.cancel()
            shutil.rmtree(target, ignore_errors=True)
            raise
        writer.commit()
        _swap(target)
        _drain_locked(whoosh_index.open_dir(str(target)), DRAIN_BATCH)
        _remove_old(keep=target)
    return added


def create_empty() -> None:
    """An empty index in use (tests; a new site before any content)."""
    with write_lock(None):
        target = _new_directory()
        whoosh_index.create_in(str(target), make_schema())
        _swap(target)
        _remove_old(keep=target)


def status() -> dict:
    """Documents indexed, outbox backlog, where the index is."""
    waiting, oldest = backlog()
    db.session.rollback()
    target = current_target()
    figures = {
        "directory": str(target) if target else None,
        "waiting": waiting,
        "oldest_waiting_s": oldest,
        "documents": None,
        "segments": None,
    }
    try:
        ix = open_index()
        with ix.searcher() as searcher:
            figures["documents"] = searcher.doc_count()
            figures["segments"] = len(ix._segments())
    except SearchUnavailable as error:
        figures["error"] = str(error)
    return figures
