#!/usr/bin/env bash
# Builds the berth CLI's own Java runtime, cli/target/jre, with jlink: only the modules the CLI
# uses (java.base, and jdk.unsupported for sun.misc.Signal). A JVM over two modules boots a
# smaller module graph and class image than one over the JDK's ~70: `berth version` took 7 ms less
# (docs/PERFORMANCE.md, the berth CLI). No CDS archive of its own: the CLI's AOT cache
# (aot-train-cli.sh, made with this runtime) holds the classes. Without jlink (a JRE rather than
# a JDK) there is no runtime here and the CLI runs on the JDK the launcher finds.
set -uo pipefail
source "$(dirname "$(readlink -f "$0")")/java.sh"
jre="$BERTH_HOME/cli/target/jre"
rm -rf "$jre"
jlink="$(dirname "$(readlink -f "$JAVA")")/jlink"
[ -x "$jlink" ] || exit 0
if ! "$jlink" --add-modules java.base,jdk.unsupported --strip-debug --no-header-files --no-man-pages \
    --output "$jre" >"$BERTH_HOME/cli/target/jlink.log" 2>&1; then
    echo "note: no runtime of its own for the berth CLI: $(tail -1 "$BERTH_HOME/cli/target/jlink.log")" >&2
    rm -rf "$jre"
fi
