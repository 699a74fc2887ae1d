"""Where uploaded files live (profile photos, documents of working groups), behind a small
interface so that another store (an object store, a shared volume) can take the place of the
local folder without the features noticing.

Keys are made by the features from ids and random tokens ("photos/12/3f9c…"), never from a
name a user typed; the local store refuses any key that would leave its folder. Files are
written to a temporary name and renamed when complete, so a reader never sees half a file.
Configuration: ``UPLOAD_DIR`` (default ``instance/uploads``)."""

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import Flask, current_app

#: What a key may look like: lower-case words, digits, dashes and dots, in folders.
KEY = re.compile(r"^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*$")
CHUNK = 64 * 1024


class TooLarge(Exception):
    """The stream holds more bytes than allowed; nothing was kept."""


class Storage(Protocol):
    """A place to keep files by key."""

    def save(self, key: str, stream: BinaryIO, max_bytes: int) -> int:
        """Store the stream under ``key`` (replacing what was there); the number of bytes.
        Raises ``TooLarge`` as soon as it holds more than ``max_bytes`` (and keeps nothing)."""

    def open(self, key: str) -> BinaryIO:
        """The file, for reading (raises FileNotFoundError)."""

    def delete(self, key: str) -> None:
        """Remove the file (nothing happens when it is not there)."""

    def exists(self, key: str) -> bool:
        """Whether a file is kept under ``key``."""

    def keys(self, prefix: str) -> Iterator[str]:
        """Every key under a folder (for backups and clean-ups); ``""``: every key."""


class LocalStorage:
    """Files in a folder on this machine (the embedded default)."""

    def __init__(self, root: Path):
        self.root = root.resolve()

    def _path(self, key: str) -> Path:
        if not KEY.match(key or ""):
            raise ValueError(f"not a storage key: {key!r}")
        path = (self.root / key).resolve()
        if self.root not in path.parents:
            raise ValueError(f"not a storage key: {key!r}")
        return path

    def save(self, key: str, stream: BinaryIO, max_bytes: int) -> int:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        written = 0
        try:
            with os.fdopen(handle, "wb") as out:
                while chunk := stream.read(CHUNK):
                    written += len(chunk)
                    if written > max_bytes:
                        raise TooLarge(key)
                    out.write(chunk)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return written

    def open(self, key: str) -> BinaryIO:
        return self._path(key).open("rb")

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def keys(self, prefix: str) -> Iterator[str]:
        base = self._path(prefix) if prefix else self.root
        if not base.is_dir():
            return
        for path in sorted(base.rglob("*")):
            if path.is_file() and not path.name.startswith(".upload-"):
                yield path.relative_to(self.root).as_posix()

    def remove_all(self) -> None:
        """Empty the store (tests)."""
        shutil.rmtree(self.root, ignore_errors=True)


def configure_storage(app: Flask) -> None:
    """The local folder under the instance folder, unless ``UPLOAD_DIR`` says otherwise."""
    configured = app.config.get("UPLOAD_DIR")
    root = Path(configured) if configured else Path(app.instance_path) / "uploads"
    app.extensions["alliance.storage"] = LocalStorage(root)


def storage() -> Storage:
    """The app's file store."""
    return current_app.extensions["alliance.storage"]
