# A process supervisor for scripts/start.sh, as the platform restarts a worker that dies: a
# process that exits (a crash, an out-of-memory kill, the chat's lifetime drain) is started again
# after a backoff of 0.5 s doubling to 10 s, back to 0.5 s once it had run RESTART_RESET_SECONDS
# (30), with one log line, while the others keep serving. Sourced after lib.sh, never run.
# shellcheck shell=bash

# restart_delay_ms <previous delay in ms, 0 for none> <seconds the process ran>: the next delay.
restart_delay_ms() {
  local previous=$1 ran=$2
  if [ "$previous" = 0 ] || [ "$ran" -ge "${RESTART_RESET_SECONDS:-30}" ]; then
    echo 500
  else
    echo $((previous * 2 > 10000 ? 10000 : previous * 2))
  fi
}

# supervise <name> <command...>: runs the command in a background subshell, whose pid it leaves in
# supervisor_pid, and starts it again whenever it exits. SIGTERM to the subshell stops the command
# (waiting for it) and ends the subshell; nothing else does.
supervise() {
  local name=$1
  shift
  (
    child='' sleeper='' delay=0
    # INT too, for a caller with job control; without it, background jobs ignore SIGINT and
    # start.sh's stop() sends TERM.
    trap 'kill -TERM $child $sleeper 2>/dev/null || true; wait $child 2>/dev/null || true; exit 0' \
      TERM INT
    while :; do
      started=$SECONDS
      "$@" &
      child=$!
      code=0
      wait "$child" || code=$?
      child=''
      delay=$(restart_delay_ms "$delay" $((SECONDS - started)))
      seconds=$((delay / 1000))
      [ $((delay % 1000)) = 0 ] || seconds="$seconds.$((delay % 1000 / 100))"
      log "$name exited with code $code; restarting in $seconds s"
      sleep "$seconds" &
      sleeper=$!
      wait "$sleeper" || true
      sleeper=''
    done
  ) &
  supervisor_pid=$!
}
