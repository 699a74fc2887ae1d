"""Signed, expiring tokens for links in e-mail."""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"alliantie-{purpose}")


def fingerprint(value: str | None) -> str:
    """A short digest of a value that changes when the value changes (a password hash): a link
    that carries it stops working once the value has changed, so it works only once."""
    return hashlib.sha256((value or "").encode()).hexdigest()[:20]


def make_token(purpose: str, data: dict) -> str:
    """Sign ``data`` for one purpose (``reset``, ``confirm``, ``invite``, ``email``)."""
    return _serializer(purpose).dumps(data)


def read_token(purpose: str, token: str, max_age: int) -> dict | None:
    """The data of a valid, unexpired token, or None."""
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except BadSignature:  # also SignatureExpired
        return None
    return data if isinstance(data, dict) else None
