"""Shared documents of a working group: upload with a title and a note, new versions that keep
the old ones, delete (kept :data:`KEEP_DELETED_DAYS` days, then removed by ``flask groups
purge``), and a quota per group.

Files live in the app's file store (``core.storage``) under keys made of ids and a random token,
never of the name a member typed; the type is read from the content (``core.uploads``). The name
typed is kept only to download the file with (its folders taken off)."""

import secrets
import unicodedata
from datetime import timedelta
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event, func, select
from sqlalchemy.orm import joinedload

from alliance.core import signals, uploads
from alliance.core.errors import RuleError
from alliance.core.storage import TooLarge, storage
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.groups.models import WorkingGroup
from alliance.groups.services import _require_active
from alliance.groups.workmodels import DocumentVersion, GroupDocument
from alliance.members.models import Member

#: What a group may share: documents, spreadsheets, presentations, images, data and text.
ACCEPTED = (
    uploads.PDF,
    uploads.ODT,
    uploads.ODS,
    uploads.ODP,
    uploads.DOCX,
    uploads.XLSX,
    uploads.PPTX,
    uploads.JPEG,
    uploads.PNG,
    uploads.WEBP,
    uploads.GIF,
    uploads.CSV,
    uploads.TEXT,
)
KEEP_DELETED_DAYS = 30
#: Documents shown in the space at first (the rest on the documents page).
SHOWN = 10


def max_bytes() -> int:
    """The largest file a member may upload (``GROUP_DOCUMENT_MAX_MB``, default 25 MB)."""
    return int(current_app.config["GROUP_DOCUMENT_MAX_MB"]) * 1024 * 1024


def quota_bytes() -> int:
    """What one group may keep in all, every version counted (``GROUP_STORAGE_QUOTA_MB``,
    default 500 MB: 20 documents of 25 MB, or many more ordinary ones)."""
    return int(current_app.config["GROUP_STORAGE_QUOTA_MB"]) * 1024 * 1024


def used_bytes(group_id: int) -> int:
    """What the group keeps now (deleted documents count until they are removed)."""
    return (
        db.session.scalar(
            select(func.coalesce(func.sum(DocumentVersion.size), 0)).where(
                DocumentVersion.group_id == group_id
            )
        )
        or 0
    )


def clean_filename(name: str, kind: uploads.FileType) -> str:
    """The name to download the file with: the last part of what was typed (no folders, no
    control characters, any script), ending in the extension of what the file really is."""
    name = (name or "").replace("\\", "/").split("/")[-1]
    name = "".join(c for c in unicodedata.normalize("NFC", name) if c.isprintable())
    name = name.strip().strip(".").strip()
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    if extension.lower() != kind.extension:
        stem = name
    stem = stem[:200].strip() or _("document")
    return f"{stem}.{kind.extension}"


def _store(
    group: WorkingGroup, stream: BinaryIO, filename: str
) -> tuple[str, int, uploads.FileType, str]:
    """Check the file and keep it: (key, size, type, download name). Nothing is kept when it
    is refused."""
    kind = uploads.sniff(stream, filename)
    if kind not in ACCEPTED:
        raise RuleError(
            "file",
            _(
                "This file cannot be shared here. Share a PDF, an OpenDocument or Office file, "
                "an image (JPEG, PNG, WebP, GIF), a CSV or a plain text file."
            ),
        )
    key = f"groups/{group.id}/{secrets.token_hex(16)}.{kind.extension}"
    try:
        size = storage().save(key, stream, max_bytes())
    except TooLarge:
        raise RuleError(
            "file", _("The file is larger than %(num)d MB.", num=max_bytes() // 1024 // 1024)
        ) from None
    if size == 0:
        storage().delete(key)
        raise RuleError("file", _("The file is empty."))
    if used_bytes(group.id) + size > quota_bytes():
        storage().delete(key)
        raise RuleError(
            "file",
            _(
                "The group's storage is full (%(num)d MB). Delete documents or versions that "
                "are no longer needed.",
                num=quota_bytes() // 1024 // 1024,
            ),
        )
    return key, size, kind, clean_filename(filename, kind)


def _add_version(document: GroupDocument, by: Member, stored) -> DocumentVersion:
    key, size, kind, name = stored
    document.version_count += 1
    version = DocumentVersion(
        document=document,
        group_id=document.group_id,
        number=document.version_count,
        storage_key=key,
        filename=name,
        mime=kind.mime,
        size=size,
        uploaded_by_id=by.id,
    )
    document.filename, document.mime, document.size = name, kind.mime, size
    document.updated_at = utcnow()
    db.session.add(version)
    return version


def _on_rollback_delete(key: str) -> None:
    """A file kept for a change that is then rolled back would stay in the store unseen:
    remove it if the transaction does not commit."""
    session = db.session()
    if "uploaded_keys" not in session.info:

        def committed(done):
            done.info["uploaded_keys"].clear()

        def rolled_back(done, _previous=None):
            for kept in done.info["uploaded_keys"]:
                storage().delete(kept)
            done.info["uploaded_keys"].clear()

        session.info["uploaded_keys"] = []
        session.info["upload_listeners"] = (committed, rolled_back)  # held: blinker-like weak
        event.listen(session, "after_commit", committed)
        event.listen(session, "after_soft_rollback", rolled_back)
    session.info["uploaded_keys"].append(key)


def upload(
    group: WorkingGroup, by: Member, stream: BinaryIO, filename: str, title: str, note: str
) -> GroupDocument:
    """A member shares a new document."""
    _require_active(group, "file")
    title = " ".join((title or "").split())[:200]
    stored = _store(group, stream, filename)
    _on_rollback_delete(stored[0])
    document = GroupDocument(
        group_id=group.id,
        title=title or stored[3].rsplit(".", 1)[0],
        note=(note or "").strip(),
        uploaded_by_id=by.id,
        version_count=0,
    )
    db.session.add(document)
    _add_version(document, by, stored)
    db.session.flush()
    signals.content_changed.send("group_document", ref_id=document.id)
    return document


def add_version(
    group: WorkingGroup,
    document: GroupDocument,
    by: Member,
    stream: BinaryIO,
    filename: str,
    note: str = "",
) -> DocumentVersion:
    """A member uploads a new version; the old ones stay (and can be downloaded)."""
    _require_active(group, "file")
    if document.deleted_at is not None:
        raise RuleError("file", _("This document has been deleted."))
    # One version number at a time: two uploads at once get 2 and 3, not 2 twice.
    db.session.execute(
        select(GroupDocument.id).where(GroupDocument.id == document.id).with_for_update()
    )
    db.session.refresh(document)
    stored = _store(group, stream, filename)
    _on_rollback_delete(stored[0])
    if note and note.strip():
        document.note = note.strip()
    version = _add_version(document, by, stored)
    db.session.flush()
    signals.content_changed.send("group_document", ref_id=document.id)
    return version


def may_delete(document: GroupDocument, member_id: int, is_lead: bool) -> bool:
    """The uploader and the leads delete a document."""
    return is_lead or document.uploaded_by_id == member_id


def delete(group: WorkingGroup, document: GroupDocument, by: Member, is_lead: bool) -> None:
    """The uploader or a lead deletes a document: gone from the group at once, its files kept
    :data:`KEEP_DELETED_DAYS` days (a mistake can be put right by an administrator) and then
    removed by ``flask groups purge``."""
    _require_active(group, "file")
    if not may_delete(document, by.id, is_lead):
        raise RuleError("file", _("Only who shared it or a lead can delete a document."))
    if document.deleted_at is None:
        document.deleted_at = utcnow()
        document.deleted_by_id = by.id
        db.session.flush()
        signals.content_changed.send("group_document", ref_id=document.id)


def purge(now=None) -> int:
    """Remove documents deleted more than :data:`KEEP_DELETED_DAYS` days ago, with their files;
    how many. (The rows go first; a file left by a crash in between is removed the next time,
    as is any file in a group's folder that no version points to.)"""
    cutoff = (now or utcnow()) - timedelta(days=KEEP_DELETED_DAYS)
    documents = (
        db.session.scalars(
            select(GroupDocument)
            .where(GroupDocument.deleted_at.is_not(None), GroupDocument.deleted_at < cutoff)
            .options(joinedload(GroupDocument.versions))
        )
        .unique()
        .all()
    )
    keys = [version.storage_key for document in documents for version in document.versions]
    for document in documents:
        db.session.delete(document)
    db.session.flush()
    for document in documents:
        signals.content_changed.send("group_document", ref_id=document.id)
    db.session.commit()
    for key in keys:
        storage().delete(key)
    known = set(db.session.scalars(select(DocumentVersion.storage_key)))
    for key in storage().keys("groups"):
        if key not in known:
            storage().delete(key)
    return len(documents)


# --- reading -----------------------------------------------------------------------------------


def documents_of(group: WorkingGroup, limit: int | None = SHOWN) -> list[GroupDocument]:
    """The group's documents, latest change first (one statement)."""
    return list(
        db.session.scalars(
            select(GroupDocument)
            .where(GroupDocument.group_id == group.id, GroupDocument.deleted_at.is_(None))
            .options(joinedload(GroupDocument.uploaded_by).load_only(Member.id, Member.name))
            .order_by(GroupDocument.updated_at.desc(), GroupDocument.id.desc())
            .limit(limit)
        )
    )


def load_document(group: WorkingGroup, document_id: int) -> GroupDocument | None:
    """A document of this group that is not deleted."""
    document = db.session.get(GroupDocument, document_id)
    if document is None or document.group_id != group.id or document.deleted_at is not None:
        return None
    return document


def version_of(document: GroupDocument, number: int | None) -> DocumentVersion | None:
    """One version (None: the newest)."""
    query = select(DocumentVersion).where(DocumentVersion.document_id == document.id)
    if number is None:
        query = query.order_by(DocumentVersion.number.desc()).limit(1)
    else:
        query = query.where(DocumentVersion.number == number)
    return db.session.scalar(query)


def human_size(size: int) -> str:
    """ "1,2 MB", "340 kB"."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} kB"
