#!/usr/bin/env bash
# Set up everything and run the whole test suite. Extra arguments go to pytest.
#   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test scripts/test.sh   (on PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "==> Installing Chromium for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
echo "==> Checking the floors (import-linter) and the lint rules (ruff)"
.venv/bin/lint-imports --no-cache >/dev/null || { .venv/bin/lint-imports --no-cache; exit 1; }
.venv/bin/ruff check --quiet alliance tests bench
echo "==> Running the tests on ${DATABASE_URL:-SQLite}"
exec .venv/bin/python -m pytest "$@"
