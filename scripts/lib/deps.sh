# Shared by scripts/test.sh and scripts/demo.sh (source it, don't run it).
# detio_ensure_deps: install the Debian 12 packages detio needs, but only the
# missing ones, so a prepared machine pays a few dpkg queries and nothing more.
#
# A package counts as present only when dpkg positively says it is
# installed. A failure of the check itself (dpkg-query broken, database
# locked) stops the script with a message: it is never read as "nothing is
# missing" (that mistake once sent fresh machines straight into a CMake
# error about absl).

# slurm-wlm and munge: the one-node Slurm cluster of scripts/slurm-local.sh
# that the detio_sweep.slurm test starts. python3-uvloop: bench/compare's
# uvloop column.
DETIO_APT_PACKAGES=(
  cmake ninja-build g++ clang libclang-rt-14-dev
  libgtest-dev libgmock-dev libabsl-dev libfmt-dev libbenchmark-dev python3
  slurm-wlm munge python3-uvloop
)

# Prints, one per line, the packages among "$@" that are not installed.
# Returns 2 (after a message on stderr) when dpkg-query fails for a reason
# other than "no such package".
detio_missing_packages() {
  local pkg status rc err_file
  err_file=$(mktemp) || return 2
  for pkg in "$@"; do
    rc=0
    # One line per installed architecture; "installed" on any line is enough.
    status=$(dpkg-query -W -f='${db:Status-Status}\n' -- "$pkg" 2>"$err_file") || rc=$?
    case $rc in
      0) grep -qx 'installed' <<<"$status" || printf '%s\n' "$pkg" ;;
      1) printf '%s\n' "$pkg" ;; # dpkg has never heard of it
      *)
        echo "deps: dpkg-query -W $pkg failed (exit $rc): $(tr '\n' ' ' <"$err_file")" >&2
        rm -f "$err_file"
        return 2
        ;;
    esac
  done
  rm -f "$err_file"
}

# Installs what is missing of DETIO_APT_PACKAGES; exits the calling script
# with a message if the check fails or a package is still missing after
# apt-get.
detio_ensure_deps() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "deps: not a Debian system (no dpkg-query); make sure these are installed: ${DETIO_APT_PACKAGES[*]}" >&2
    return 0
  fi
  local listing
  if ! listing=$(detio_missing_packages "${DETIO_APT_PACKAGES[@]}"); then
    echo "deps: cannot tell which packages are installed (see above); stopping" >&2
    exit 1
  fi
  local missing=()
  [[ -z "$listing" ]] || mapfile -t missing <<<"$listing"
  if ((${#missing[@]} == 0)); then
    echo "deps: all ${#DETIO_APT_PACKAGES[@]} packages present"
    return 0
  fi
  local sudo=()
  if ((EUID != 0)); then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      echo "deps: missing ${missing[*]} and not root (no sudo): install them and re-run" >&2
      exit 1
    fi
  fi
  echo "deps: missing ${#missing[@]} of ${#DETIO_APT_PACKAGES[@]} packages; installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! "${sudo[@]}" apt-get update -q || ! "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"; then
    echo "deps: apt-get failed to install: ${missing[*]}" >&2
    exit 1
  fi
  if ! listing=$(detio_missing_packages "${missing[@]}"); then
    echo "deps: cannot tell which packages are installed after apt-get (see above); stopping" >&2
    exit 1
  fi
  if [[ -n "$listing" ]]; then
    echo "deps: still missing after apt-get install: $(tr '\n' ' ' <<<"$listing")" >&2
    exit 1
  fi
  echo "deps: installed ${missing[*]}"
}

# Number of parallel jobs: at most 2 (the CI machine has 2 cores), fewer if
# the machine has fewer. Override with DETIO_JOBS.
detio_jobs() {
  if [[ -n "${DETIO_JOBS:-}" ]]; then
    echo "$DETIO_JOBS"
    return
  fi
  local n
  n=$(nproc 2>/dev/null || echo 1)
  if ((n > 2)); then n=2; fi
  echo "$n"
}
