#!/usr/bin/env bash
# Set up everything and run the app on the embedded default (SQLite) at http://127.0.0.1:5000
# in Flask's debug mode (auto-reload, the debugger; development only). The demo network is
# loaded into an empty database (or one that holds demo data only); a database with real
# members is served as it is, so this always starts. Extra arguments go to `flask run`
# (./scripts/dev.sh --port 5001); links in e-mail follow the host and port (SITE_URL).
set -euo pipefail
cd "$(dirname "$0")/.."
host=127.0.0.1
port=5000
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --port | -p) port="${args[i + 1]:-$port}" ;;
    --port=*) port="${args[i]#--port=}" ;;
    --host | -h) host="${args[i + 1]:-$host}" ;;
    --host=*) host="${args[i]#--host=}" ;;
  esac
done
export SITE_URL="${SITE_URL:-http://$host:$port}"
scripts/setup.sh
export FLASK_APP=app.py
export LOG_FORMAT="${LOG_FORMAT:-text}"  # readable lines in the terminal (production: JSON)
echo "==> Migrating the database"
.venv/bin/flask db upgrade
echo "==> Loading the demo network (only into an empty or demo-only database)"
.venv/bin/flask demo-data --only-into-demo
echo "==> Starting in debug mode at $SITE_URL (demo password: alliantie-demo-2026;"
echo "    mail sent: $SITE_URL/ontwikkeling/post, demo people: $SITE_URL/ontwikkeling/demo-leden)"
exec .venv/bin/flask --debug run --host "$host" --port "$port" "$@"
