"""A background worker's sign of life: ``beat("worker")`` after each round of work writes the
time to a small file under the instance folder (``instance/heartbeat/worker``; the folder is
``HEARTBEAT_DIR`` when set), and
``/metrics`` shows it as ``alliance_worker_heartbeat_timestamp_seconds{worker="worker"}``.
A file, not a table: it is this machine's worker that the machine's metrics speak for, and a
beat every few seconds should not be a database write."""

import os
import time
from pathlib import Path

from flask import current_app

#: A worker's name: letters, digits, dashes (it is a file name).
_ALLOWED = set("abcdefghijklmnopqrstuvwxyz0123456789-_")


def _folder() -> Path:
    configured = current_app.config.get("HEARTBEAT_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "heartbeat"


def beat(name: str = "worker") -> None:
    """Say that worker ``name`` is alive now."""
    if not name or not set(name) <= _ALLOWED:
        raise ValueError(f"not a worker name: {name!r}")
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    draft = folder / f".{name}.{os.getpid()}"
    draft.write_text(f"{time.time():.3f}\n")
    os.replace(draft, folder / name)  # a reader never sees half a number


def last_beats() -> dict[str, float]:
    """Each worker's last beat (seconds since the epoch); empty when none ever beat."""
    beats = {}
    try:
        entries = list(os.scandir(_folder()))
    except OSError:
        return beats
    for entry in entries:
        if entry.name.startswith(".") or not entry.is_file():
            continue
        try:
            beats[entry.name] = float(Path(entry.path).read_text().strip())
        except (OSError, ValueError):
            continue
    return beats
