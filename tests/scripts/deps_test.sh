#!/usr/bin/env bash
# Tests scripts/lib/deps.sh, the dependency check behind scripts/demo.sh and
# scripts/test.sh: a package is present only when dpkg says "installed"; a
# package dpkg has never heard of, or knows but has not installed, is
# missing; a failing check stops the script instead of reading as "nothing
# is missing".
#   bash tests/scripts/deps_test.sh [path/to/deps.sh]
set -euo pipefail
deps_sh=$(realpath "${1:-$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/deps.sh}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# Stub dpkg-query / apt-get / sudo on PATH. The stub database is
# $work/db: lines "package status"; a package absent from it is unknown
# (dpkg-query's exit status 1). DPKG_STUB_EXIT forces another exit status.
# The stub apt-get "installs" the packages listed in $work/installable.
mkdir -p "$work/bin"
cat >"$work/bin/dpkg-query" <<'EOF'
#!/usr/bin/env bash
# dpkg-query -W -f=FORMAT [--] PKG...: prints FORMAT per known package with
# ${Package} and ${db:Status-Status} filled in; exit 1 if any is unknown.
if [[ -n "${DPKG_STUB_EXIT:-}" ]]; then
  echo "dpkg-query: error: database is locked" >&2
  exit "$DPKG_STUB_EXIT"
fi
format='${Package}\n' rc=0
for arg in "$@"; do
  case $arg in
    -W | --) ;;
    -f=*) format=${arg#-f=} ;;
    *)
      line=$(grep -E "^$arg " "$STUB_DB" || true)
      if [[ -z "$line" ]]; then
        echo "dpkg-query: no packages found matching $arg" >&2
        rc=1
        continue
      fi
      entry=${format//'${Package}'/$arg}
      entry=${entry//'${db:Status-Status}'/${line#* }}
      printf '%b' "$entry"
      ;;
  esac
done
exit $rc
EOF
cat >"$work/bin/apt-get" <<'EOF'
#!/usr/bin/env bash
echo "apt-get $*" >>"$STUB_LOG"
[[ "$1" == install ]] || exit 0
for pkg in "$@"; do
  if grep -qxF -- "$pkg" "$STUB_INSTALLABLE" 2>/dev/null; then
    sed -i "/^$pkg /d" "$STUB_DB"
    echo "$pkg installed" >>"$STUB_DB"
  fi
done
EOF
cat >"$work/bin/sudo" <<'EOF'
#!/usr/bin/env bash
exec "$@"
EOF
chmod +x "$work/bin/"*
export STUB_DB="$work/db" STUB_LOG="$work/apt.log" STUB_INSTALLABLE="$work/installable"

# Runs detio_ensure_deps on PACKAGES (stubbed dpkg unless REAL_DPKG=1) in
# a child shell as scripts/test.sh would; output in $out, status in $rc.
run_ensure() {
  local path="$work/bin:$PATH"
  [[ "${REAL_DPKG:-0}" == 1 ]] && path="$work/bin-real:$PATH"
  rc=0
  out=$(PATH="$path" bash -c 'set -euo pipefail; source "$1"; shift; DETIO_APT_PACKAGES=("$@"); detio_ensure_deps' \
    _ "$deps_sh" "$@" 2>&1) || rc=$?
}

expect_in_output() {
  grep -qF -- "$1" <<<"$out" || fail "$2: output lacks '$1':"$'\n'"$out"
}

# 1. Installed, removed-with-config, half-installed and unknown packages.
#    Nothing is installable: apt-get "succeeds" but installs nothing, so the
#    re-check must fail loudly, naming exactly the three missing ones.
printf '%s\n' 'present-pkg installed' 'removed-pkg config-files' 'half-pkg half-installed' >"$STUB_DB"
: >"$STUB_INSTALLABLE"
: >"$STUB_LOG"
run_ensure present-pkg removed-pkg half-pkg never-heard-of-pkg
((rc != 0)) || fail "case 1: exit status 0 although three packages stay missing"
expect_in_output "installing: removed-pkg half-pkg never-heard-of-pkg" "case 1"
expect_in_output "still missing after apt-get install: removed-pkg half-pkg never-heard-of-pkg" "case 1"
if grep -q 'packages present' <<<"$out"; then fail "case 1: reported all present"; fi
grep -qF "install -y -q --no-install-recommends removed-pkg half-pkg never-heard-of-pkg" "$STUB_LOG" ||
  fail "case 1: apt-get was not asked for the missing packages: $(cat "$STUB_LOG")"

# 2. The same packages, now installable: ensure succeeds and says what it installed.
printf '%s\n' removed-pkg half-pkg never-heard-of-pkg >"$STUB_INSTALLABLE"
run_ensure present-pkg removed-pkg half-pkg never-heard-of-pkg
((rc == 0)) || fail "case 2: exit status $rc after a successful install:"$'\n'"$out"
expect_in_output "deps: installed removed-pkg half-pkg never-heard-of-pkg" "case 2"

# 3. Everything installed: one line, no apt-get.
printf '%s\n' 'present-pkg installed' 'other-pkg installed' >"$STUB_DB"
: >"$STUB_LOG"
run_ensure present-pkg other-pkg
((rc == 0)) || fail "case 3: exit status $rc"
expect_in_output "deps: all 2 packages present" "case 3"
[[ ! -s "$STUB_LOG" ]] || fail "case 3: apt-get ran although nothing was missing"

# 4. dpkg-query itself fails: the script stops, never "all present".
DPKG_STUB_EXIT=2 run_ensure present-pkg
((rc != 0)) || fail "case 4: exit status 0 although dpkg-query failed"
expect_in_output "cannot tell which packages are installed" "case 4"
expect_in_output "database is locked" "case 4"

# 5. The real dpkg-query (apt-get still stubbed): a package dpkg has never
#    heard of, and one it knows but has not installed if this machine has
#    one, are both missing; an installed one (dpkg itself) is present.
if command -v dpkg-query >/dev/null 2>&1; then
  mkdir -p "$work/bin-real"
  cp "$work/bin/apt-get" "$work/bin/sudo" "$work/bin-real/"
  known_absent=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' 2>/dev/null |
    awk '$2 != "installed" { print $1; exit }')
  : >"$STUB_INSTALLABLE"
  pkgs=(dpkg detio-no-such-package-xyz ${known_absent:+"$known_absent"})
  REAL_DPKG=1 run_ensure "${pkgs[@]}"
  ((rc != 0)) || fail "case 5: exit status 0 with missing packages"
  expect_in_output "installing: ${pkgs[*]:1}" "case 5"
  [[ -n "$known_absent" ]] || echo "note: no known-but-not-installed package on this machine; case 1 covers it"
fi

if ((failures)); then
  echo "deps_test: $failures failure(s)" >&2
  exit 1
fi
echo "deps_test: all cases passed"
