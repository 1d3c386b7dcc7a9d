#!/usr/bin/env bash
# Builds the JDK 25 AOT cache for berth-runtime (JEP 483/514/515): one training run recorded into
# runtime/target/berth-runtime.aot. As root with the static busybox present, the training run is
# a real `run` of a tiny container, so the classes of create/start/delete are cached; otherwise
# it is `spec`. If the JVM cannot make the cache, the launcher just runs without it.
set -uo pipefail
source "$(dirname "$(readlink -f "$0")")/java.sh"
lib="$BERTH_HOME/runtime/target"
jar=$(ls "$lib"/berth-runtime-*.jar | head -1)
rm -f "$lib/berth-runtime.aot"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
train=(--root "$work/state" spec --bundle "$work")
if [ "$(id -u)" = 0 ] && [ -x /bin/busybox ]; then
    mkdir -p "$work/bundle/rootfs/bin" "$work/bundle/rootfs/proc" "$work/bundle/rootfs/dev" "$work/bundle/rootfs/sys"
    cp /bin/busybox "$work/bundle/rootfs/bin/busybox"
    ln -s busybox "$work/bundle/rootfs/bin/true"
    "$BERTH_HOME/bin/berth-runtime" --root "$work/state" spec --bundle "$work/bundle" \
        && sed -i 's/"terminal" : true/"terminal" : false/; s/"args" : \[ "sh" \]/"args" : [ "true" ]/' "$work/bundle/config.json" \
        && train=(--root "$work/state" run --bundle "$work/bundle" "aot-train-$$")
fi
if ! "$JAVA" -XX:AOTCacheOutput="$lib/berth-runtime.aot" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Djdk.reflect.useNativeAccessorOnly=true \
    --enable-native-access=ALL-UNNAMED -Dberth.shim="$BERTH_HOME/native/target/berth-shim" \
    -cp "$jar:$lib/lib/*" dev.berth.runtime.cli.Main "${train[@]}" >"$work/log" 2>&1; then
    echo "note: no AOT cache for berth-runtime: $(tail -1 "$work/log")" >&2
    rm -f "$lib/berth-runtime.aot"
fi
