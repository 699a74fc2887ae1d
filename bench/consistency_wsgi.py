"""The app as gunicorn serves it for ``bench/consistency.py``: PostgreSQL, a schema of the
benchmark's own (``CONSISTENCY_SCHEMA``), no CSRF or rate limits."""

import os

from consistency import _config

from alliance import create_app, freeze_long_lived_objects
from alliance.extensions import limiter

app = create_app(_config(os.environ["CONSISTENCY_DATABASE"], os.environ["CONSISTENCY_SCHEMA"]))
limiter.enabled = False
freeze_long_lived_objects(app)
