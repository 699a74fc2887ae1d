#!/usr/bin/env bash
# Extract the strings, update the catalogs and compile them.
#   scripts/translations.sh           update nl from the code, then compile
#   scripts/translations.sh compile   compile only (setup does this)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "compile" ]; then
  pybabel -q extract -F babel.cfg -k _l -k N_ -k lazy_gettext --no-location --sort-output -w 100 \
    -o alliance/translations/messages.pot .
  pybabel -q update -i alliance/translations/messages.pot -d alliance/translations -l nl \
    --no-fuzzy-matching --ignore-obsolete -w 100
fi
pybabel compile -d alliance/translations --statistics
