"""Where login attempts are counted: a Redis that is down never turns a login into a 500 (the
limits go on in memory), and several workers that each count for themselves are warned about
at start-up."""

import logging
import sys

import pytest

from alliance import create_app
from alliance.extensions import limiter

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def app_beside(app, **settings):
    """Another app (another process, as it were) on the test app's database."""
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": app.config["SECRET_KEY"],
            "WTF_CSRF_ENABLED": False,
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "SQLALCHEMY_ENGINE_OPTIONS": app.config["SQLALCHEMY_ENGINE_OPTIONS"],
            "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"],
            "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": app.config["MAIL_SERVER"],
            "MAIL_PORT": app.config["MAIL_PORT"],
            **{k: v for k, v in app.config.items() if k.startswith("ARGON2_")},
            **settings,
        }
    )


@pytest.fixture
def rebind_limiter(app):
    """The limiter is one object per process; give it back to the test app afterwards."""
    yield
    limiter.init_app(app)
    # A storage found dead stays marked dead until the limiter checks it again (seconds
    # later); the test app's memory storage is alive.
    limiter._storage_dead = False


def test_logging_in_works_while_redis_is_down_and_the_limits_go_on_in_memory(
    app, make_member, rebind_limiter, caplog
):
    member = make_member()
    server = app_beside(app, RATELIMIT_STORAGE_URI=DEAD_REDIS)
    try:
        with caplog.at_level(logging.WARNING):
            wrong = server.test_client().post(
                "/inloggen", data={"email": member.email, "password": "niet het wachtwoord"}
            )
        assert wrong.status_code == 200
        assert "Het e-mailadres of wachtwoord klopt niet" in wrong.text
        assert any(
            record.levelno == logging.WARNING and "in-memory" in record.getMessage()
            for record in caplog.records
        ), [record.getMessage() for record in caplog.records]

        right = server.test_client().post(
            "/inloggen", data={"email": member.email, "password": member.password}
        )
        assert right.status_code == 303
        browser = server.test_client()
        browser.post("/inloggen", data={"email": member.email, "password": member.password})
        assert browser.get("/account").status_code == 200

        # The limits still hold, counted in this process: four more wrong passwords make
        # five, and the sixth attempt is refused.
        answers = [
            server.test_client()
            .post("/inloggen", data={"email": member.email, "password": f"fout {n}"})
            .status_code
            for n in range(5)
        ]
        assert answers == [200, 200, 200, 200, 429]
    finally:
        with server.app_context():
            from alliance.extensions import db

            db.engine.dispose()


# --- several workers, each counting for itself -------------------------------------------------


def _start(app, monkeypatch, caplog, argv, environ=(), **settings):
    """Start the app as gunicorn would (``argv``, environment) in production mode; the
    warnings logged."""
    monkeypatch.setattr(sys, "argv", argv)
    for name in ("GUNICORN_CMD_ARGS", "WEB_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ:
        monkeypatch.setenv(name, value)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        server = app_beside(app, TESTING=False, DEBUG=False, **settings)
    with server.app_context():
        from alliance.extensions import db

        db.engine.dispose()
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


GUNICORN = "/srv/alliantie/.venv/bin/gunicorn"


@pytest.mark.parametrize(
    "argv, environ",
    [
        ([GUNICORN, "--workers", "4", "--bind", "127.0.0.1:8000", "app:app"], ()),
        ([GUNICORN, "-w4", "app:app"], ()),
        ([GUNICORN, "--workers=2", "app:app"], ()),
        ([GUNICORN, "app:app"], [("GUNICORN_CMD_ARGS", "--bind 127.0.0.1:8000 -w 3")]),
        ([GUNICORN, "app:app"], [("WEB_CONCURRENCY", "4")]),
        # python -m gunicorn: argv[0] is the path of gunicorn/__main__.py
        (
            [
                "/srv/alliantie/.venv/lib/python3.11/site-packages/gunicorn/__main__.py",
                "-w",
                "2",
                "app:app",
            ],
            (),
        ),
    ],
)
def test_several_workers_counting_in_memory_are_warned_about_at_start(
    app, monkeypatch, caplog, rebind_limiter, argv, environ
):
    warnings = _start(app, monkeypatch, caplog, argv, environ, RATELIMIT_STORAGE_URI="memory://")
    assert any("RATELIMIT_STORAGE_URI" in w and "worker" in w for w in warnings), warnings


@pytest.mark.parametrize(
    "argv, environ, settings",
    [
        # Shared storage: all workers count together.
        ([GUNICORN, "-w", "4", "app:app"], (), {"RATELIMIT_STORAGE_URI": DEAD_REDIS}),
        # One worker counts alone anyway.
        ([GUNICORN, "-w", "1", "app:app"], (), {}),
        ([GUNICORN, "app:app"], (), {}),
        # Not gunicorn (a flask command, a cron job): WEB_CONCURRENCY says nothing about it.
        (["/srv/alliantie/.venv/bin/flask", "mail", "send"], [("WEB_CONCURRENCY", "4")], {}),
        # The command line wins over the environment, as in gunicorn.
        ([GUNICORN, "-w", "1", "app:app"], [("GUNICORN_CMD_ARGS", "-w 4")], {}),
    ],
)
def test_no_warning_when_the_counts_are_shared_or_there_is_one_worker(
    app, monkeypatch, caplog, rebind_limiter, argv, environ, settings
):
    warnings = _start(app, monkeypatch, caplog, argv, environ, **settings)
    assert not any("RATELIMIT_STORAGE_URI" in w for w in warnings), warnings


def test_workers_from_gunicorns_config_file_are_seen(app, monkeypatch, caplog, rebind_limiter):
    """gunicorn keeps the configuration file it loaded (``-c``, or ./gunicorn.conf.py) as the
    module ``__config__``, in the master and so in every worker it forks."""
    import types

    config_file = types.ModuleType("__config__")
    config_file.workers = 3
    monkeypatch.setitem(sys.modules, "__config__", config_file)
    warnings = _start(app, monkeypatch, caplog, [GUNICORN, "app:app"], ())
    assert any("RATELIMIT_STORAGE_URI" in w and "3 workers" in w for w in warnings), warnings


def test_no_warning_in_development_or_tests(app, monkeypatch, caplog, rebind_limiter):
    monkeypatch.setattr(sys, "argv", [GUNICORN, "-w", "4", "app:app"])
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        server = app_beside(app, TESTING=True)
    with server.app_context():
        from alliance.extensions import db

        db.engine.dispose()
    assert not any("RATELIMIT_STORAGE_URI" in r.getMessage() for r in caplog.records)
