#!/usr/bin/env bash
# Create one virtual environment per peer under benchmarks/.venvs/<peer> and install the peer
# from PyPI. Their dependencies conflict (linuxforhealth-x12 needs pydantic<2, x12sdk pydantic 2),
# hence one environment each. Idempotent: an environment whose peer already imports is kept.
# A peer that fails to install is reported and skipped; the script never fails because of one.
#
# Usage: benchmarks/peers/setup_peers.sh [PEER ...]     (default: every peer below)
# Env:   PYTHON=python3.11 (interpreter for the environments), FORCE=1 (recreate them)
# Writes benchmarks/.venvs/versions.tsv: peer, status, installed distribution versions.
set -u

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENVS="$(dirname "$HERE")/.venvs"
PYTHON="${PYTHON:-python3}"
mkdir -p "$VENVS"

# peer | pip requirements | module to import | distributions whose versions are recorded
#      | fallback requirements tried when the first ones fail (optional)
PEERS=(
  "pyx12|pyx12==4.0.0|pyx12|pyx12"
  "linuxforhealth-x12|linuxforhealth-x12 pydantic<2|linuxforhealth.x12|linuxforhealth-x12 pydantic"
  "x12sdk|x12sdk|x12sdk|x12sdk pydantic"
  "openx12|openx12|openx12|openx12"
  "oxedi|oxedi[polars] --only-binary=:all:|oxedi|oxedi polars|oxedi --only-binary=:all:"
  "edi-835-parser|edi-835-parser|edi_835_parser|edi-835-parser pandas"
)

wanted=("$@")
want() {
  [ ${#wanted[@]} -eq 0 ] && return 0
  local w
  for w in "${wanted[@]}"; do [ "$w" = "$1" ] && return 0; done
  return 1
}

versions_of() { # venv python, distributions...
  local py="$1"; shift
  "$py" - "$@" <<'EOF'
import sys
from importlib.metadata import PackageNotFoundError, version
out = []
for name in sys.argv[1:]:
    try:
        out.append(f"{name}=={version(name)}")
    except PackageNotFoundError:
        pass
print(" ".join(out))
EOF
}

STATUS="$VENVS/versions.tsv"
TMP_STATUS="$(mktemp)"
[ -f "$STATUS" ] && cp "$STATUS" "$TMP_STATUS"
record() { # peer status versions
  grep -v -P "^\Q$1\E\t" "$TMP_STATUS" > "$TMP_STATUS.new" 2>/dev/null || true
  printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$TMP_STATUS.new"
  mv "$TMP_STATUS.new" "$TMP_STATUS"
}

summary=()
for entry in "${PEERS[@]}"; do
  IFS='|' read -r peer reqs module dists fallback <<< "$entry"
  want "$peer" || continue
  venv="$VENVS/$peer"
  py="$venv/bin/python"
  if [ "${FORCE:-0}" = 1 ]; then rm -rf "$venv"; fi
  if [ -x "$py" ] && "$py" -c "import $module" >/dev/null 2>&1; then
    v="$(versions_of "$py" $dists)"
    echo "== $peer: already installed ($v)"
    record "$peer" ok "$v"; summary+=("$peer: ok $v (kept)")
    continue
  fi
  echo "== $peer: creating $venv"
  rm -rf "$venv"
  if ! "$PYTHON" -m venv "$venv"; then
    echo "!! $peer: could not create the virtual environment; skipped"
    record "$peer" failed "venv"; summary+=("$peer: FAILED (venv)")
    continue
  fi
  log="$VENVS/$peer.install.log"
  # shellcheck disable=SC2086  # reqs is a word list on purpose
  ok=0
  if timeout 900 "$py" -m pip install --quiet $reqs > "$log" 2>&1 \
      && "$py" -c "import $module" >> "$log" 2>&1; then
    ok=1
  elif [ -n "${fallback:-}" ]; then
    echo "   $reqs failed; trying $fallback"
    timeout 900 "$py" -m pip install --quiet $fallback >> "$log" 2>&1 \
      && "$py" -c "import $module" >> "$log" 2>&1 && ok=1
  fi
  if [ "$ok" = 1 ]; then
    v="$(versions_of "$py" $dists)"
    echo "   installed: $v"
    record "$peer" ok "$v"; summary+=("$peer: ok $v")
  else
    reason="$(grep -m1 -E 'ERROR|No matching distribution|Error' "$log" || tail -n1 "$log")"
    echo "!! $peer: install failed, skipped: $reason (log: $log)"
    rm -rf "$venv"  # so that run_all.py lists it as not installed
    record "$peer" failed "$reason"; summary+=("$peer: FAILED ($reason)")
  fi
done

sort "$TMP_STATUS" > "$STATUS"; rm -f "$TMP_STATUS"
echo
echo "Summary (also in $STATUS):"
for s in "${summary[@]}"; do echo "  $s"; done
exit 0
