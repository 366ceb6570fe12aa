#!/usr/bin/env bash
# The README's screenshots: packaging/screenshots.sh [BUILD_DIR] [OUT_DIR]
#   BUILD_DIR  a configured build folder (default build/dev); hearth_screenshots is built in it
#   OUT_DIR    where the PNGs go (default resources/screenshots)
# Runs the app on the demo model (SmolLM2-135M-Instruct Q4_1, fetched by tests/fetch_models.sh smollm2),
# sends two messages and saves the main window, the model manager and the load-options dialog.
#
# NOTE: no X server and no Xvfb: the app runs on Qt's offscreen platform (QT_QPA_PLATFORM=offscreen) and
# tests/app/screenshots.cpp renders each window with QWidget::grab(), so this runs over ssh and in CI.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/dev}
out=${2:-$root/resources/screenshots}
cache=${HEARTH_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth}
model=$cache/models/SmolLM2-135M-Instruct.Q4_1.gguf

if [ ! -f "$model" ]; then
    echo "screenshots: fetching the demo model" >&2
    HEARTH_CACHE_DIR=$cache "$root/tests/fetch_models.sh" smollm2
fi
cmake --build "$build" --target hearth_screenshots
binary=$(find "$build" -name hearth_screenshots -type f -perm -u+x | head -n 1)
mkdir -p "$out"
QT_QPA_PLATFORM=offscreen "$binary" "$out" "$model"
ls -l "$out"/*.png
