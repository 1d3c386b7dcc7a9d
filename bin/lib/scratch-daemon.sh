# shellcheck shell=bash
# Sourced by scripts that start a throwaway `berth daemon` (the demo, AOT training, benchmarks):
# each gets a default bridge of its own, so that it never meets the host's berth0 or another
# daemon's, and the bridge and its nft table go when the script ends (a daemon keeps them across
# its restarts, as dockerd keeps docker0).

# scratch_daemon_config DIR: writes DIR/daemon.json naming a fresh bridge (bs + 8 hex digits).
scratch_daemon_config() {
    printf '{"bridge": "bs%s"}\n' "$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')" >"$1/daemon.json"
}

# scratch_daemon_cleanup DIR: after the daemon has stopped, deletes its bridges and nft table.
scratch_daemon_cleanup() {
    local bridge
    bridge=$(sed -n 's/.*"bridge": *"\([^"]*\)".*/\1/p' "$1/daemon.json" 2>/dev/null)
    [ -n "$bridge" ] || return 0
    for b in "$bridge" $(cat "$1"/data/network/networks/*.json 2>/dev/null | sed -n 's/.*"bridge" *: *"\([^"]*\)".*/\1/p'); do
        ip link del "$b" 2>/dev/null || true
    done
    nft delete table ip "berth_$bridge" 2>/dev/null || true
}
