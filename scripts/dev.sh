#!/usr/bin/env bash
# Set up everything and run the app with demo data on the embedded default (SQLite) at
# http://127.0.0.1:5000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export FLASK_APP=app.py
echo "==> Migrating the database (instance/alliantie.sqlite)"
.venv/bin/flask db upgrade
echo "==> Loading the demo network"
.venv/bin/flask demo-data
echo "==> Starting at http://127.0.0.1:5000 (demo password: alliantie-demo-2026)"
exec .venv/bin/flask run --host 127.0.0.1 --port 5000 "$@"
