# shellcheck shell=bash
# Sourced: make_busybox_archive OUT WORKDIR writes a `docker save` archive of a one-layer busybox
# image (busybox:latest) made from the static /bin/busybox, as api's BusyboxArchive test helper
# does. Used by the CLI's AOT training (bin/lib/aot-train-cli.sh) and bench/cli.sh.
make_busybox_archive() {
    local out=$1 w=$2 a
    mkdir -p "$w/layer"/{bin,etc,tmp,proc,sys,dev,root} "$w/archive"
    chmod 1777 "$w/layer/tmp"
    cp /bin/busybox "$w/layer/bin/busybox"
    chmod 0755 "$w/layer/bin/busybox"
    for a in sh echo cat ls id hostname sleep true false env pwd grep wc head touch mkdir ps seq uname date kill; do
        ln -s busybox "$w/layer/bin/$a"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n' >"$w/layer/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$w/layer/etc/group"
    tar -C "$w/layer" --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -cf "$w/layer.tar" bin etc tmp proc sys dev root
    local diff_id config config_name
    diff_id=$(sha256sum "$w/layer.tar" | cut -d' ' -f1)
    mkdir -p "$w/archive/$diff_id"
    mv "$w/layer.tar" "$w/archive/$diff_id/layer.tar"
    config='{"architecture":"amd64","os":"linux","created":"2026-01-01T00:00:00Z","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:'$diff_id'"]}}'
    config_name=$(printf '%s' "$config" | sha256sum | cut -d' ' -f1).json
    printf '%s' "$config" >"$w/archive/$config_name"
    printf '[{"Config":"%s","RepoTags":["busybox:latest"],"Layers":["%s/layer.tar"]}]' "$config_name" "$diff_id" >"$w/archive/manifest.json"
    tar -C "$w/archive" -cf "$out" manifest.json "$config_name" "$diff_id/layer.tar"
}
