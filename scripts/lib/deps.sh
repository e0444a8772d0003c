# Shared by scripts/test.sh and scripts/demo.sh (source it, don't run it).
# detio_ensure_deps: install the Debian 12 packages detio needs, but only the
# missing ones, so a prepared machine pays one dpkg query and nothing more.

DETIO_APT_PACKAGES=(
  cmake ninja-build g++ clang libclang-rt-14-dev
  libgtest-dev libgmock-dev libabsl-dev libfmt-dev libbenchmark-dev python3
)

detio_missing_packages() {
  # One dpkg-query for all; unknown packages are simply absent from its output.
  local installed pkg
  installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${DETIO_APT_PACKAGES[@]}" 2>/dev/null |
    awk '$2 == "installed" { print $1 }')
  for pkg in "${DETIO_APT_PACKAGES[@]}"; do
    if ! grep -qxF -- "$pkg" <<<"$installed"; then
      printf '%s\n' "$pkg"
    fi
  done
}

detio_ensure_deps() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "deps: not a Debian system (no dpkg-query); make sure these are installed: ${DETIO_APT_PACKAGES[*]}" >&2
    return 0
  fi
  local missing
  mapfile -t missing < <(detio_missing_packages)
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
      return 1
    fi
  fi
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
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
