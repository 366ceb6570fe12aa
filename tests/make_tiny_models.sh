#!/usr/bin/env bash
# Create the tiny random-weight test models under OUTDIR and check them.
#
# Usage: tests/make_tiny_models.sh OUTDIR [--write-checksums]
#
# OUTDIR is meant to live in the build folder (e.g. build/tiny-models); the
# Python packages go into a venv next to it, OUTDIR/../fixtures-venv, made
# with ${PYTHON:-python3} -m venv and filled from the pinned
# tests/requirements-fixtures.txt. The models are checked against
# tests/data/tiny_models.sha256; --write-checksums regenerates that list
# instead (do that after changing the generator or the pins, and commit it).
#
# Re-runs are cheap: if OUTDIR holds a stamp matching the current generator
# and requirements, and the checksums still match, nothing is regenerated.
set -euo pipefail

prog=$(basename "$0")
die() { echo "$prog: error: $*" >&2; exit 1; }

[ $# -ge 1 ] || die "usage: $prog OUTDIR [--write-checksums]"
here=$(cd "$(dirname "$0")" && pwd -P)
mkdir -p "$1"
out=$(cd "$1" && pwd -P)
shift
write_checksums=0
case "${1:-}" in
    "") ;;
    --write-checksums) write_checksums=1 ;;
    *) die "unknown option '$1'" ;;
esac

venv="$(dirname "$out")/fixtures-venv"
gen="$here/make_tiny_models.py"
req="$here/requirements-fixtures.txt"
list="$here/data/tiny_models.sha256"
stamp="$out/.tiny-models-stamp"

if command -v sha256sum >/dev/null 2>&1; then
    sha256() { sha256sum "$@"; }
else  # macOS
    sha256() { shasum -a 256 "$@"; }
fi
hash_of() { cat "$@" | sha256 | cut -d' ' -f1; }

# Every file in the list exists under OUTDIR with its listed hash.
verify() { [ -f "$list" ] && (cd "$out" && sha256 -c --quiet "$list"); }

# The models are a function of the generator and the pinned packages only.
key=$(hash_of "$gen" "$req")
if [ "$write_checksums" = 0 ] && [ "$(cat "$stamp" 2>/dev/null)" = "$key" ] && verify >/dev/null 2>&1; then
    echo "$prog: tiny models in $out are up to date" >&2
    exit 0
fi

# (Re)build the venv when it is missing or was made from other pins.
req_key=$(hash_of "$req")
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.requirements-stamp" 2>/dev/null)" != "$req_key" ]; then
    echo "$prog: creating $venv" >&2
    "${PYTHON:-python3}" -m venv --clear "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        --timeout 30 --retries 2 -r "$req" \
        || die "pip install -r $req into $venv failed"
    echo "$req_key" > "$venv/.requirements-stamp"
fi

rm -f "$stamp"
if [ "$write_checksums" = 1 ]; then
    "$venv/bin/python" "$gen" "$out" --write-checksums
else
    "$venv/bin/python" "$gen" "$out"
fi

[ -f "$list" ] || die "$list is missing; run: $prog $out --write-checksums"
if ! verify; then
    die "tiny models in $out do not match $list (generator, pins or platform changed?); if intended, run: $prog $out --write-checksums"
fi
echo "$key" > "$stamp"
echo "$prog: tiny models ready in $out" >&2
