#!/usr/bin/env bash
# The README's two commands. On a fresh Debian bookworm / Ubuntu 24.04 machine:
#   packaging/quickstart.sh run    install what is missing, fetch the demo model, build, open Hearth on it
#   packaging/quickstart.sh test   install what is missing, fetch the test models, build, run every test
# Debian packages are installed with apt-get (through sudo when not root); models and pip downloads are
# cached in ${HEARTH_CACHE_DIR:-~/.cache/hearth} and compiler output in ccache's cache, both outside the clone.
set -euo pipefail

mode=${1:-}
case "$mode" in
    run|test) ;;
    *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

packages=(cmake ninja-build ccache g++ pkg-config git
          qt6-base-dev libqt6svg6 qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libqt6sql6-sqlite
          libspdlog-dev nlohmann-json3-dev libpcre2-dev
          python3 python3-venv python3-pip)

install_missing_packages() {
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "quickstart: installing ${missing[*]}" >&2
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "quickstart: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
        sudo=(sudo)
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

install_missing_packages
export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ccache}
jobs=$(nproc)

if [ "$mode" = run ]; then
    model=$(tests/fetch_models.sh smollm2)
    cmake --preset release -DHEARTH_BUILD_TESTS=OFF >/dev/null
    cmake --build --preset release --target hearth -j "$jobs"
    echo "quickstart: opening Hearth on $model" >&2
    exec build/release/app/hearth "$model"
fi

tests/fetch_models.sh all >/dev/null
cmake --preset ci
cmake --build --preset ci -j "$jobs"
export QT_QPA_PLATFORM=offscreen
ctest --preset ci -j "$jobs"
