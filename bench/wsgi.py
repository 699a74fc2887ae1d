"""The app as gunicorn serves it for the page benchmark: the bench settings, the bench database.

    BENCH_DATABASE=bench/out/pages-….sqlite gunicorn -w 2 --pythonpath .,bench wsgi:app

``bench/pages.py`` starts it this way by itself; run it by hand only to poke at the server."""

import os
from pathlib import Path

from benchdata import bench_config

from alliance import create_app, freeze_long_lived_objects
from alliance.extensions import limiter

app = create_app(bench_config(Path(os.environ["BENCH_DATABASE"]).resolve()))
limiter.enabled = False  # RATELIMIT_ENABLED=False says the same; this makes sure of it
freeze_long_lived_objects(app)  # as app.py does for a real server
