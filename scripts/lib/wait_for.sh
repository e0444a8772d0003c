# wait_for SECONDS COMMAND...: runs COMMAND every half second until it
# succeeds (status 0) or SECONDS have passed (status 1). Source it.
wait_for() {
  local limit=$1 start=$SECONDS
  shift
  until "$@"; do
    ((SECONDS - start < limit)) || return 1
    sleep 0.5
  done
}
