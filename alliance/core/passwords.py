"""Password hashing (Argon2id) and the password policy."""

import gzip
import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt.gz"
#: Words that make a password easy to guess on this site, whatever is added to them.
SITE_WORDS = frozenset(
    {
        "alliantie",
        "openoverheid",
        "overheid",
        "wachtwoord",
        "welkom",
        "password",
        "geheim",
        "nederland",
    }
)
_REPEATED = re.compile(r"(.{1,6})\1+", re.DOTALL)
_CORE = re.compile(r"[\W\d_]*(.*?)[\W\d_]*", re.DOTALL)


def _hasher() -> PasswordHasher:
    config = current_app.config
    return _hasher_for(
        config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"], config["ARGON2_PARALLELISM"]
    )


@cache
def _hasher_for(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password``."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches. Unknown accounts are checked against a dummy hash so that
    the time taken does not tell whether an account exists."""
    try:
        return _hasher().verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker settings than the current ones."""
    return _hasher().check_needs_rehash(password_hash)


@cache
def _dummy_hash_cached(params: tuple) -> str:
    return _hasher_for(*params).hash("not a real password, only for timing")


def _dummy_hash() -> str:
    config = current_app.config
    return _dummy_hash_cached(
        (config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"], config["ARGON2_PARALLELISM"])
    )


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower case."""
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


def is_easy_to_guess(password: str) -> bool:
    """On the list; a listed or site word with digits or symbols around it ("Password1234!",
    "Alliantie2026!"); one short piece repeated ("abcdabcdabcd"); or hardly any different
    characters."""
    lowered = password.lower()
    core = _CORE.fullmatch(lowered).group(1)
    return (
        lowered in common_passwords()
        or (len(core) >= 4 and (core in common_passwords() or core in SITE_WORDS))
        or bool(_REPEATED.fullmatch(lowered))
        or len(set(lowered)) < 5
    )


def password_problem(password: str, *personal: str) -> str | None:
    """Why ``password`` is refused, or None. Length 12–128, not a common password, not the
    member's own name or e-mail address."""
    config = current_app.config
    minimum, maximum = config["PASSWORD_MIN_LENGTH"], config["PASSWORD_MAX_LENGTH"]
    if len(password) < minimum:
        return _("Use at least %(n)d characters.", n=minimum)
    if len(password) > maximum:
        return _("Use at most %(n)d characters.", n=maximum)
    lowered = password.lower()
    if is_easy_to_guess(password):
        return _("This password is used a lot and is easy to guess. Choose another one.")
    for value in personal:
        value = (value or "").strip().lower()
        if len(value) >= 4 and (lowered == value or lowered == value.split("@")[0]):
            return _("Do not use your name or e-mail address as your password.")
    return None
