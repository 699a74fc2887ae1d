"""What "my data" is made of: collectors for the export and erasers for account deletion.

A collector returns what a feature keeps about a member: JSON-able data, and optionally
readable Markdown files (path → text) for the member's own contributions. An eraser removes or
anonymises what a feature keeps; all erasers run in one transaction, in the order registered,
before the member row itself goes. A feature adds its own with ``@collector("name")`` and
``@eraser("name")`` (notifications, agenda sign-ups: see the merge notes)."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Collected:
    """What one collector found about a member."""

    data: object
    files: dict[str, str] = field(default_factory=dict)


COLLECTORS: dict[str, Callable] = {}
ERASERS: dict[str, Callable] = {}


def collector(name: str):
    """Register ``function(member) -> Collected`` under ``name`` (a key in the export JSON)."""

    def register(function):
        COLLECTORS[name] = function
        return function

    return register


def eraser(name: str):
    """Register ``function(member) -> None``, run when the member deletes their account."""

    def register(function):
        ERASERS[name] = function
        return function

    return register
