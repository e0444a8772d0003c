#!/usr/bin/env bash
# check_layers.sh passes on a clean tree and fails on each kind of breach.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/loop/include/detio" "$tree/loop/src/core" "$tree/netsim/src"
echo '#include "detio/sim/run.h"' > "$tree/loop/include/detio/detio.h"
echo '#include "detio/net/options.h"' >> "$tree/loop/include/detio/detio.h"
echo '#include "detio/internal/loop_core.h"' > "$tree/loop/src/core/a.cc"
echo '#include "detio/net/options.h"' > "$tree/netsim/src/b.cc"

expect() {  # expect <0|1> <what>
  local rc=0
  bash "$here/check_layers.sh" "$tree" 2>/dev/null || rc=$?
  if [[ $rc != "$1" ]]; then echo "FAIL: $2: exit $rc, expected $1" >&2; exit 1; fi
}

expect 0 "clean tree"
echo '#include <detio/sim/node.h>' > "$tree/loop/src/core/bad.cc"
expect 1 "loop/ including a sim/ header"
rm "$tree/loop/src/core/bad.cc"
echo '  #  include "detio/net/internal/sim_network.h"' > "$tree/loop/src/core/bad.h"
expect 1 "loop/ including a net/ header"
rm "$tree/loop/src/core/bad.h"
echo '#include "detio/sim/random.h"' > "$tree/netsim/src/bad.cc"
expect 1 "netsim/ including a sim/ header"
rm "$tree/netsim/src/bad.cc"
expect 0 "clean again"
echo "check_layers.sh: all cases behave"
