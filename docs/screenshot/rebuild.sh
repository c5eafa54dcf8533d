#!/bin/sh
# Rebuilds docs/screenshot.png, the README's picture of the view, from the articles in
# docs/screenshot/articles/: eight short articles invented for this picture (no news was copied;
# the agreements they tell are made up), published on seven days of 2025, so that the date
# slider has a history to show. The picture has the slider at 2025-06-10, between the first and
# the last report, and an agreement's sources, both sides and history open in the side panel.
#
#     sh docs/screenshot/rebuild.sh     (needs the .venv and Chromium, as the browser tests do)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$root/.venv/bin/kg" build "$root/docs/screenshot/articles" --store "$tmp/store" --quiet
"$root/.venv/bin/kg" render --store "$tmp/store" --output "$tmp/graph.html" \
    --title "Invented articles (docs/screenshot): agreements through 2025"
"$root/.venv/bin/python" "$root/benchmarks/bench_render.py" \
    --screenshot "$tmp/graph.html" "$root/docs/screenshot.png" --at 2025-06-10
