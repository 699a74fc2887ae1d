"""Background work in a process of its own: ``flask worker`` drains the outboxes (search, mail)
and runs the jobs on a schedule (reminders, digests), for when the web processes should not
(``BACKGROUND = "worker"``, several app servers; see the README, "More than one machine").
It combines features, so it lives on floor 6."""

import os
import signal

import click
from flask import Flask


def init_app(app: Flask) -> None:
    """The ``flask worker`` command."""
    from alliance.worker.runner import Worker

    @app.cli.command("worker", with_appcontext=False)
    @click.option("--once", is_flag=True, help="One pass, then stop (for cron).")
    @click.option(
        "--batch", type=int, default=20, show_default=True, help="E-mails taken at a time."
    )
    def worker_command(once: bool, batch: int):
        """Index changes for search, send e-mail, make reminders and digests on their schedule,
        until SIGTERM (it finishes the job in hand). With --once: one pass."""
        worker = Worker(app, batch=batch)
        signal.signal(signal.SIGTERM, worker.stop)
        signal.signal(signal.SIGINT, worker.stop)
        if app.config["BACKGROUND"] != "worker" and not once:
            click.echo(
                "worker: BACKGROUND is not 'worker', so the web processes do this work too "
                "(in threads); that is harmless, but set BACKGROUND=worker to leave it to me.",
                err=True,
            )
        click.echo(f"worker {os.getpid()}: started", err=True)
        done = worker.run(once=once)
        click.echo(f"worker {os.getpid()}: stopped; {done}", err=True)
