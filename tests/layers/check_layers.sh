#!/usr/bin/env bash
# The include rule between detio's layers (see cmake/DetioLayers.cmake):
#  - nothing under loop/ except the umbrella header detio/detio.h includes a
#    simulator (detio/sim/) or simulated-network (detio/net/) header;
#  - nothing under netsim/ includes a simulator header.
# Usage: check_layers.sh <source root>. Prints each offending line, exits 1.
set -euo pipefail
root=${1:?usage: check_layers.sh <source root>}
status=0

offenders() {  # offenders <folder> <header pattern> [excluded file]
  local folder=$1 pattern=$2 excluded=${3:-}
  grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[\"<]detio/($pattern)/" "$root/$folder" \
    --include='*.h' --include='*.cc' | { if [[ -n $excluded ]]; then grep -v "^$root/$excluded:" || true; else cat; fi; }
}

check() {  # check <rule> <offending lines>
  if [[ -n $2 ]]; then
    echo "layer rule broken: $1" >&2
    echo "$2" >&2
    status=1
  fi
}

check "loop/ must not include sim/ or net/ headers (only loop/include/detio/detio.h may)" \
  "$(offenders loop 'sim|net' loop/include/detio/detio.h)"
check "netsim/ must not include sim/ headers" "$(offenders netsim sim)"
exit $status
