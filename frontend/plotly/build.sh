#!/usr/bin/env bash
# Build static/plotly-kam.js (the partial plotly.js bundle of entry.js) and its licence notice.
# Needs Node.js and npm (the registry); the app and its tests only read the committed output.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
out=../../static
npx esbuild entry.js --bundle --minify --format=esm --define:global=globalThis --loader:.css=empty \
  --legal-comments=external --outfile="$out/plotly-kam.js" --log-level=warning
{
  echo "static/plotly-kam.js is built from plotly.js $(node -p 'require("plotly.js/package.json").version') (frontend/plotly)."
  echo
  cat node_modules/plotly.js/LICENSE
  echo
  cat "$out/plotly-kam.js.LEGAL.txt"
} > "$out/plotly-kam.LICENSE.txt"
rm -f "$out/plotly-kam.js.LEGAL.txt" "$out/plotly-kam.css"
