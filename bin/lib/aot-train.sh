#!/usr/bin/env bash
# Builds the JDK 25 AOT cache for berth-runtime (JEP 483/514): one training run of the commands
# whose start-up matters, recorded into runtime/target/berth-runtime.aot. Skipped, with a note,
# if the JVM cannot do it; the launcher then simply runs without the cache.
set -uo pipefail
source "$(dirname "$(readlink -f "$0")")/java.sh"
lib="$BERTH_HOME/runtime/target"
jar=$(ls "$lib"/berth-runtime-*.jar | head -1)
rm -f "$lib/berth-runtime.aot"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! "$JAVA" -XX:AOTCacheOutput="$lib/berth-runtime.aot" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData \
    --enable-native-access=ALL-UNNAMED -Dberth.shim="$BERTH_HOME/native/target/berth-shim" \
    -cp "$jar:$lib/lib/*" dev.berth.runtime.cli.Main --root "$work/state" spec --bundle "$work" >"$work/log" 2>&1; then
    echo "note: no AOT cache for berth-runtime: $(tail -1 "$work/log")" >&2
    rm -f "$lib/berth-runtime.aot"
fi
