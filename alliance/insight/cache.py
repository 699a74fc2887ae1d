"""A short in-process cache for the figures (``INSIGHT_CACHE_SECONDS``, at most ten minutes):
the aggregates over the whole network are the cost of these pages, and figures that are a few
minutes old tell the same story. Per process, per language, per period and theme."""

import threading
import time
from collections.abc import Callable

from flask import current_app
from flask_babel import get_locale

MAX_SECONDS = 600
_store: dict[tuple, tuple[float, object]] = {}
_lock = threading.Lock()


def cached(key: tuple, make: Callable[[], object]):
    """``make()``, or what it made less than ``INSIGHT_CACHE_SECONDS`` ago."""
    seconds = min(current_app.config.get("INSIGHT_CACHE_SECONDS", 0), MAX_SECONDS)
    if seconds <= 0:
        return make()
    key = (str(get_locale()), *key)
    now = time.monotonic()
    with _lock:
        found = _store.get(key)
    if found and now - found[0] < seconds:
        return found[1]
    value = make()
    with _lock:
        for old in [k for k, (made, _v) in _store.items() if now - made >= seconds]:
            del _store[old]
        _store[key] = (now, value)
    return value
