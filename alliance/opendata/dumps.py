"""The daily open-data dump: the public knowledge as JSON and CSV files in the file store.

``flask opendata dump`` (run daily from cron, like ``flask notify digest``) writes every file
aside and then swaps it in (``core.storage``), so a download never gets half a file; a manifest
says when the dump was made, how many records each file holds, its size and its SHA-256. The
records are those of the API (``records.py``): one rule for what is public."""

import csv
import hashlib
import io
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from alliance.core.storage import storage
from alliance.core.timeutil import utcnow
from alliance.opendata.records import (
    TEXT_FIELDS,
    Filters,
    all_themes,
    event_page,
    event_record,
    every_item,
    iso,
    item_record,
    lesson_record,
    licence,
    reply_record,
    theme_record,
)

PREFIX = "opendata"
MANIFEST = f"{PREFIX}/manifest.json"
MAX_BYTES = 4 * 1024**3


@dataclass(frozen=True)
class DumpFile:
    """One file of the dump: its name and what it holds (for the documentation page)."""

    name: str
    media_type: str


FILES = (
    DumpFile("items.json", "application/json"),
    DumpFile("items.csv", "text/csv"),
    DumpFile("replies.csv", "text/csv"),
    DumpFile("lessons.json", "application/json"),
    DumpFile("lessons.csv", "text/csv"),
    DumpFile("themes.json", "application/json"),
    DumpFile("themes.csv", "text/csv"),
    DumpFile("events.json", "application/json"),
    DumpFile("events.csv", "text/csv"),
)
MEDIA_TYPES = {file.name: file.media_type for file in FILES}

#: CSV columns: lists are joined with "|", the text fields get a column each.
ITEM_COLUMNS = (
    "id", "url", "kind", "title", "status", "themes", "tags", "author", "organisation_type",
    *TEXT_FIELDS, "perspectives_answered", "created_at", "updated_at", "last_activity_at",
    "decided_at", "evaluated_at", "licence",
)  # fmt: skip
REPLY_COLUMNS = (
    "id", "item_id", "parent_id", "perspective", "author", "body", "helped_author",
    "created_at", "licence",
)  # fmt: skip
LESSON_COLUMNS = (
    "item_id", "url", "kind", "title", "themes", "decision", "outcome", "lesson",
    "evaluated_at", "updated_at", "licence",
)  # fmt: skip
THEME_COLUMNS = ("slug", "name_nl", "name_en", "description_nl", "description_en", "retired")
EVENT_COLUMNS = (
    "id", "url", "kind", "title", "description", "starts_at", "ends_at", "online", "location",
    "themes", "report", "report_at", "updated_at", "licence",
)  # fmt: skip


#: The documentation page: each kind of record with its fields and what they mean.
FIELD_DOCS = (
    (
        "items",
        _l("Items: dilemmas and experiences (items.json with their replies, items.csv)"),
        (
            ("id", _l("Number of the item; also in its address.")),
            ("url", _l("The page of the item.")),
            ("kind", _l("dilemma or ervaring (experience).")),
            ("title", _l("The title.")),
            ("status", _l("open, besloten (decided) or geevalueerd (evaluated).")),
            ("themes", _l("Theme slugs (see themes); in CSV separated by |.")),
            ("tags", _l("Free tags; in CSV separated by |.")),
            (
                "author",
                _l(
                    "Name of the author, only when their profile is public and the "
                    "item is not anonymous; otherwise empty."
                ),
            ),
            ("organisation_type", _l("Kind of organisation the item comes from.")),
            (
                "situation, tension, options, constraints",
                _l("A dilemma: the situation, the dilemma, the options, the limits."),
            ),
            (
                "decision, outcome, lesson",
                _l("Closing the loop: what was decided, what happened, the lesson."),
            ),
            (
                "what_we_did, what_worked, what_failed, links",
                _l("An experience: what was done and what worked."),
            ),
            ("perspectives_answered", _l("Perspectives that have replied.")),
            (
                "created_at, updated_at, last_activity_at, decided_at, evaluated_at",
                _l("Times in UTC (ISO 8601)."),
            ),
            ("licence", _l("The licence of this record (SPDX id).")),
        ),
    ),
    (
        "replies",
        _l("Replies (in items.json, and replies.csv)"),
        (
            ("id, item_id, parent_id", _l("The reply, its item, and the reply it answers.")),
            ("perspective", _l("beleid, uitvoering, maatschappij, inwoner or onderzoek.")),
            ("author", _l("Name only when the member's profile is public.")),
            ("body", _l("The text (Markdown).")),
            ("helped_author", _l("The asker marked this reply as helpful.")),
        ),
    ),
    (
        "lessons",
        _l("Lessons (lessons.json, lessons.csv)"),
        (
            ("item_id, url, kind, title, themes", _l("The item the lesson comes from.")),
            ("decision, outcome, lesson", _l("What was decided, what happened, the lesson.")),
        ),
    ),
    (
        "themes",
        _l("Themes (themes.json, themes.csv)"),
        (
            ("slug", _l("Short name used in the other files and the API.")),
            ("name_nl, name_en, description_nl, description_en", _l("Name and description.")),
            ("retired", _l("No longer offered for new content.")),
        ),
    ),
    (
        "events",
        _l("Public events (events.json, events.csv)"),
        (
            ("id, url, kind, title, description", _l("The event.")),
            ("starts_at, ends_at", _l("Times in UTC (ISO 8601).")),
            ("online, location", _l("Online or where.")),
            ("report, report_at", _l("The report afterwards, when written.")),
        ),
    ),
)


def flat(record: dict) -> dict:
    """A record as one CSV row: nested text fields become columns, lists are joined by "|"."""
    row = {}
    for key, value in record.items():
        if key == "fields":
            row.update(value)
        elif isinstance(value, list):
            row[key] = "|".join(str(v) for v in value)
        elif isinstance(value, bool):
            row[key] = "true" if value else "false"
        else:
            row[key] = "" if value is None else value
    return row


class _Out:
    """A file being written aside (in memory, spilling to disk), as JSON array or CSV."""

    def __init__(self, name: str, columns: tuple[str, ...] | None = None):
        self.name = name
        self.raw = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
        self.text = io.TextIOWrapper(self.raw, encoding="utf-8", newline="")
        self.count = 0
        self.writer = None
        if columns:
            self.writer = csv.DictWriter(self.text, fieldnames=columns, extrasaction="ignore")
            self.writer.writeheader()
        else:
            self.text.write("[\n")

    def add(self, record: dict) -> None:
        if self.writer:
            self.writer.writerow(flat(record))
        else:
            self.text.write(",\n" if self.count else "")
            self.text.write(json.dumps(record, ensure_ascii=False, sort_keys=True))
        self.count += 1

    def finish(self) -> dict:
        """Store the file under its key; what the manifest says of it."""
        if not self.writer:
            self.text.write("\n]\n")
        self.text.flush()
        self.raw.seek(0)
        digest = hashlib.sha256()
        while chunk := self.raw.read(1024 * 1024):
            digest.update(chunk)
        self.raw.seek(0)
        size = storage().save(f"{PREFIX}/{self.name}", self.raw, MAX_BYTES)
        self.text.close()
        return {"records": self.count, "bytes": size, "sha256": digest.hexdigest()}


def _write(outs: list[_Out], records, to_record: Callable[[object], dict]) -> None:
    for row in records:
        record = to_record(row)
        for out in outs:
            out.add(record)


def _events():
    after = 0
    while True:
        events, more = event_page(Filters(after=after), 500)
        yield from events
        if not more:
            return
        after = events[-1].id


def make_dump() -> dict:
    """Write every file of the dump and then the manifest; returns the manifest."""
    made_at = utcnow()
    items_json, items_csv = _Out("items.json"), _Out("items.csv", ITEM_COLUMNS)
    replies_csv = _Out("replies.csv", REPLY_COLUMNS)
    lessons_json, lessons_csv = _Out("lessons.json"), _Out("lessons.csv", LESSON_COLUMNS)
    for item, replies in every_item():
        record = item_record(item)
        reply_records = [reply_record(reply, item) for reply in replies]
        items_csv.add(record)
        items_json.add({**record, "replies": reply_records})
        for reply in reply_records:
            replies_csv.add(reply)
        if item.lesson:
            lesson = lesson_record(item)
            lessons_json.add(lesson)
            lessons_csv.add(lesson)
    themes_json, themes_csv = _Out("themes.json"), _Out("themes.csv", THEME_COLUMNS)
    _write([themes_json, themes_csv], all_themes(), theme_record)
    events_json, events_csv = _Out("events.json"), _Out("events.csv", EVENT_COLUMNS)
    _write([events_json, events_csv], _events(), event_record)
    files = {}
    for out in (
        items_json, items_csv, replies_csv, lessons_json, lessons_csv,
        themes_json, themes_csv, events_json, events_csv,
    ):  # fmt: skip
        files[out.name] = out.finish()
    manifest = {"made_at": iso(made_at), "licence": licence(), "files": files}
    body = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
    storage().save(MANIFEST, io.BytesIO(body), MAX_BYTES)
    return manifest


def manifest() -> dict | None:
    """The manifest of the last dump (None before the first)."""
    try:
        with storage().open(MANIFEST) as handle:
            return json.load(handle)
    except (FileNotFoundError, ValueError):
        return None
