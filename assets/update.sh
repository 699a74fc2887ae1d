#!/bin/sh
# Re-vendor the front-end files from the exact versions pinned in package.json
# (and package-lock.json). Run from anywhere:  sh assets/update.sh
# Needs node + npm and access to the npm registry. Nothing here is executed by
# the app at runtime; the copied files are committed.
set -eu

ASSETS_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$ASSETS_DIR/.." && pwd)
NM="$ASSETS_DIR/node_modules"
VENDOR="$ROOT/alliance/static/vendor"
TEST_VENDOR="$ROOT/tests/browser/vendor"

cd "$ASSETS_DIR"
if [ -f package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund
else
  npm install --ignore-scripts --no-audit --no-fund --save-exact
fi

mkdir -p "$VENDOR/utrecht" "$VENDOR/htmx" "$VENDOR/fonts" "$TEST_VENDOR"

# @utrecht/component-library-css (EUPL-1.2)
cp "$NM/@utrecht/component-library-css/dist/index.css" "$VENDOR/utrecht/index.css"
cp "$NM/@utrecht/component-library-css/dist/html.css" "$VENDOR/utrecht/html.css"
cp "$NM/@utrecht/component-library-css/LICENSE.md" "$VENDOR/utrecht/LICENSE.md"

# htmx.org (0BSD)
cp "$NM/htmx.org/dist/htmx.min.js" "$VENDOR/htmx/htmx.min.js"
cp "$NM/htmx.org/LICENSE" "$VENDOR/htmx/LICENSE"

# @fontsource/fira-sans (OFL-1.1), latin subset, regular + bold only
cp "$NM/@fontsource/fira-sans/files/fira-sans-latin-400-normal.woff2" "$VENDOR/fonts/"
cp "$NM/@fontsource/fira-sans/files/fira-sans-latin-700-normal.woff2" "$VENDOR/fonts/"
cp "$NM/@fontsource/fira-sans/LICENSE" "$VENDOR/fonts/LICENSE"

# axe-core (MPL-2.0), only used by the browser tests
cp "$NM/axe-core/axe.min.js" "$TEST_VENDOR/axe.min.js"
cp "$NM/axe-core/LICENSE" "$TEST_VENDOR/LICENSE"

echo "Vendored files updated. Installed versions:"
for p in @utrecht/component-library-css htmx.org @fontsource/fira-sans axe-core; do
  printf '  %s %s\n' "$p" "$(node -p "require('$NM/$p/package.json').version")"
done
echo "Update the version table in alliance/static/vendor/README.md if they changed."
