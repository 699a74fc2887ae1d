"""The open-data page (what is published, its fields, its licence) and the downloads."""

from datetime import datetime

from flask import abort, send_file

from alliance.core.storage import storage
from alliance.core.web import render
from alliance.opendata import bp
from alliance.opendata.dumps import FIELD_DOCS, FILES, MEDIA_TYPES, PREFIX, manifest
from alliance.opendata.records import licence


@bp.get("/open-data")
def index():
    """The documentation page: the files of the daily dump, their fields, the API, the licence."""
    found = manifest()
    made_at = None
    if found:
        made_at = datetime.fromisoformat(found["made_at"].removesuffix("Z"))
    return render(
        "opendata/index.html",
        manifest=found,
        made_at=made_at,
        files=FILES,
        field_docs=FIELD_DOCS,
        licence=licence(),
    )


@bp.get("/open-data/<name>")
def download(name: str):
    """One file of the last dump."""
    if name not in MEDIA_TYPES:
        abort(404)
    try:
        handle = storage().open(f"{PREFIX}/{name}")
    except FileNotFoundError:
        abort(404)
    response = send_file(
        handle,
        mimetype=MEDIA_TYPES[name],
        as_attachment=True,
        download_name=f"alliantie-{name}",
        max_age=3600,
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
