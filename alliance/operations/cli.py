"""``flask backup`` and ``flask restore`` (see ``alliance/operations/backup.py``)."""

import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask

from alliance.operations.backup import BackupError, make_backup, restore_backup
from alliance.search import Progress as SearchProgress


def _say(message: str) -> None:
    click.echo(f"  {message}", err=True)


def register_commands(app: Flask) -> None:
    """Register ``flask backup`` and ``flask restore``."""

    @app.cli.command("backup")
    @click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="the archive to write (default: alliantie-backup-<UTC time>.tar.gz here)",
    )
    def backup_command(output: Path | None):
        """Write the database and the uploaded files into one archive, with a manifest of
        versions and checksums. Safe while the site runs."""
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        output = output or Path(f"alliantie-backup-{stamp}.tar.gz")
        started = time.perf_counter()
        click.echo(f"Backing up into {output}", err=True)
        try:
            summary = make_backup(output, _say)
        except BackupError as error:
            click.echo(f"Backup failed: {error}", err=True)
            sys.exit(1)
        click.echo(
            f"Wrote {summary.path} ({summary.database}, migration "
            f"{summary.manifest.get('migration_head')}, {summary.files} uploaded files, "
            f"{summary.path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s"
        )

    @app.cli.command("restore")
    @click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option(
        "--procs",
        type=int,
        default=None,
        help="processes for the search index (default: cores, at most 4)",
    )
    def restore_command(archive: Path, procs: int | None):
        """Put a backup back into an EMPTY instance (a new database and upload folder), then
        rebuild the search index. Stop the app servers and workers of this instance first."""
        started = time.perf_counter()
        click.echo(f"Restoring {archive}", err=True)
        try:
            procs = procs or min(4, os.cpu_count() or 1)
            summary = restore_backup(archive, _say, SearchProgress(), procs=procs)
        except BackupError as error:
            click.echo(f"Restore refused: {error}", err=True)
            sys.exit(1)
        manifest = summary.manifest
        click.echo(
            f"Restored the {summary.database} database of {manifest['created_at']} (version "
            f"{manifest['app_version']}, migration {manifest.get('migration_head')}) and "
            f"{summary.files} uploaded files in {time.perf_counter() - started:.1f} s; the "
            "search index is rebuilt."
        )
