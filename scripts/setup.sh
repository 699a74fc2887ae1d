#!/usr/bin/env bash
# Set up everything this checkout needs: a virtual environment with the pinned packages,
# compiled translations. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  echo "==> Creating the virtual environment (.venv)"
  "$PYTHON" -m venv .venv
fi
echo "==> Installing Python packages (requirements.txt)"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
# Only when a catalog changed: two test runs side by side (CI) must not rewrite a .mo file
# while the other one reads it.
for po in alliance/translations/*/LC_MESSAGES/messages.po; do
  if [ ! -f "${po%.po}.mo" ] || [ "$po" -nt "${po%.po}.mo" ]; then
    echo "==> Compiling translations"
    PATH="$PWD/.venv/bin:$PATH" scripts/translations.sh compile >/dev/null
    break
  fi
done
