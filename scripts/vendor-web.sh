#!/usr/bin/env bash
# Refresh the browser libraries `docgen serve` ships inside the package (src/docgen/web/static/vendor/):
# JSON Editor (the campaign form, from the JSON Schema) and Tabulator (the roster table). The versions are
# pinned in scripts/web-vendor/package.json and their integrity in package-lock.json; `npm ci` checks it.
# To move to a new version: change package.json, `npm install --package-lock-only --ignore-scripts` in
# scripts/web-vendor, run this script, run tests/test_web_form.py, commit the lock file and the vendored files.
# The page never reaches a CDN: the wheel carries these files, so `pip install 'docgen[web]'` works offline.
set -euo pipefail
cd "$(dirname "$0")/web-vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp package.json package-lock.json "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
modules="$work/node_modules"
vendor=../../src/docgen/web/static/vendor
rm -rf "$vendor"
mkdir -p "$vendor/json-editor" "$vendor/tabulator"
cp "$modules/@json-editor/json-editor/dist/jsoneditor.js" "$vendor/json-editor/jsoneditor.min.js"
cp "$modules/@json-editor/json-editor/LICENSE" "$vendor/json-editor/LICENSE"
cp "$modules/@json-editor/json-editor/dist/jsoneditor.js.LICENSE.txt" "$vendor/json-editor/jsoneditor.min.js.LICENSE.txt"
# JSON Editor adds its style rules through a <style> element, which the page's Content-Security-Policy
# refuses (no inline styles): form.js turns them off (disable_theme_rules) and the page links the same
# rules, from the package's own CSS files, as a stylesheet
jsoneditor_src="$modules/@json-editor/json-editor/src"
{
  echo "/* JSON Editor $(node -p "require('$modules/@json-editor/json-editor/package.json').version") style rules (MIT):"
  echo "   src/style.css, src/editors/array.css, src/editors/object.css, src/themes/html.css */"
  cat "$jsoneditor_src/style.css" "$jsoneditor_src/editors/array.css" "$jsoneditor_src/editors/object.css" \
      "$jsoneditor_src/themes/html.css"
} > "$vendor/json-editor/jsoneditor.css"
cp "$modules/tabulator-tables/dist/js/tabulator.min.js" "$vendor/tabulator/tabulator.min.js"
cp "$modules/tabulator-tables/dist/css/tabulator_simple.min.css" "$vendor/tabulator/tabulator.min.css"
cp "$modules/tabulator-tables/LICENSE" "$vendor/tabulator/LICENSE"
# the source-map comments point at files not shipped: drop them (the browser would ask the server for them)
sed -i -e '/^\/\/# sourceMappingURL=/d' "$vendor"/*/*.js
sed -i -e 's#/\*\# sourceMappingURL=[^*]*\*/##' "$vendor"/tabulator/*.css
node -e '
  const lock = require(process.argv[1]);
  const line = (name) => `${name} ${lock.packages["node_modules/" + name].version} ${lock.packages["node_modules/" + name].integrity}`;
  console.log(["@json-editor/json-editor", "tabulator-tables"].map(line).join("\n"));
' "$PWD/package-lock.json" > "$vendor/VERSIONS"
echo "vendored into src/docgen/web/static/vendor:"
cat "$vendor/VERSIONS"
