#!/usr/bin/env bash
# Set up everything and run the app on the embedded default (SQLite) at http://127.0.0.1:5000
# in Flask's debug mode (auto-reload, the debugger; development only). The demo network is
# loaded into an empty database (or one that holds demo data only); a database with real
# members is served as it is, so this always starts. Extra arguments go to `flask run`
# (./scripts/dev.sh --port 5001).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export FLASK_APP=app.py
echo "==> Migrating the database"
.venv/bin/flask db upgrade
echo "==> Loading the demo network (only into an empty or demo-only database)"
.venv/bin/flask demo-data --only-into-demo
echo "==> Starting in debug mode (demo password: alliantie-demo-2026)"
exec .venv/bin/flask --debug run --host 127.0.0.1 --port 5000 "$@"
