package dev.berth.engine.container;

import dev.berth.engine.EngineException;
import dev.berth.engine.HostFacts;
import dev.berth.engine.config.DaemonConfig;
import dev.berth.engine.image.Images;
import dev.berth.engine.model.ContainerConfig;
import dev.berth.engine.model.HostConfig;
import dev.berth.engine.network.ContainerNetworking;
import dev.berth.engine.network.EndpointConfig;
import dev.berth.engine.network.NetworkPlan;
import dev.berth.engine.spec.DefaultUlimits;
import dev.berth.engine.spec.SpecGenerator;
import dev.berth.engine.spec.SpecRequest;
import dev.berth.engine.volume.ContainerMounts;
import dev.berth.engine.volume.ImageVolumes;
import dev.berth.engine.volume.MountSpecs;
import dev.berth.image.Image;
import dev.berth.oci.runtime.Json;
import dev.berth.oci.runtime.Spec;
import dev.berth.runtime.BerthRuntime;
import dev.berth.storage.snapshot.Mounter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * docker create: refuses what docker refuses before anything is made (empty config, restart
 * policy, log options, image, network plan), then makes the container's parts in order: its
 * name, a read-write snapshot of the image (over the image's {@link InitLayer}) mounted as the
 * bundle's rootfs, its volumes, the config.json SpecGenerator derives, the network plan and /etc
 * files, and last container.json.
 * A step that fails undoes the ones before it, so a failed create leaves nothing behind
 * (DESIGN.md: failure undoes).
 */
final class ContainerCreation {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ContainerStore store;
    private final ContainerNames names;
    private final Images images;
    private final BerthRuntime runtime;
    private final DaemonConfig config;
    private final ContainerMounts mounts;
    private final ContainerNetworking networking;
    private final ContainerEvents events;

    ContainerCreation(ContainerStore store, ContainerNames names, Images images, BerthRuntime runtime, DaemonConfig config,
                      ContainerMounts mounts, ContainerNetworking networking, ContainerEvents events) {
        this.store = store;
        this.names = names;
        this.images = images;
        this.runtime = runtime;
        this.config = config;
        this.mounts = mounts;
        this.networking = networking;
        this.events = events;
    }

    /** {@code endpoints} is NetworkingConfig.EndpointsConfig (per network: --ip, --network-alias). */
    ContainerRecord create(String name, ContainerConfig cfg, HostConfig host, Map<String, EndpointConfig> endpoints)
            throws IOException {
        if (cfg == null || cfg.image() == null || cfg.image().isEmpty()) {
            throw new EngineException(400, "config cannot be empty in order to create a container");
        }
        RestartPolicy.of(host).validate(host != null && Boolean.TRUE.equals(host.autoRemove()));
        LogOptions.of(host, config);
        Image image = images.resolve(cfg.image());
        NetworkPlan plan = networking.plan(cfg, host, image.config() == null ? null : image.config().config(), endpoints);
        String id = HexFormat.of().formatHex(randomBytes());
        String reserved = names.reserve(name, id);
        Path dir = store.dir(id);
        Path rootfs = store.rootfs(id);
        boolean layerMade = false;
        try {
            Files.createDirectories(dir);
            Files.createDirectories(rootfs);
            var layer = InitLayer.create(images.layers(), id, image.topChainId().orElse(null));
            layerMade = true;
            Mounter.mount(layer, rootfs);
            var points = mounts.prepare(id, MountSpecs.of(host, ImageVolumes.of(cfg), ImageVolumes.of(image.config())), rootfs);
            Spec spec = SpecGenerator.generate(new SpecRequest(id, cfg, DefaultUlimits.apply(host, config.defaultUlimits()),
                    image.config(), rootfs, dir, DaemonCapabilities.held(), HostFacts.cgroupV2(), "/berth/" + id, points));
            ContainerNetworking.save(dir, plan);
            EtcFiles.write(dir, spec.hostname());
            networking.writeEtcFiles(dir, spec.hostname(), plan, host);
            List<String> args = spec.process().args(); // what inspect shows: the command, not the init before it
            if (host != null && Boolean.TRUE.equals(host.init())) {
                spec = SpecGenerator.withInit(spec, runtime.shim());
            }
            Files.writeString(store.configJson(id), Json.write(spec));
            ContainerRecord r = new ContainerRecord(id, reserved, Instant.now().toString(), image.id().toString(),
                    cfg.image(), cfg, host, args, "created", 0, false, null, null, 0, false, 0, null);
            store.save(r);
            events.publish("create", r);
            return r;
        } catch (IOException | RuntimeException e) {
            undo(id, reserved, layerMade);
            throw e;
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b;
    }

    private void undo(String id, String name, boolean layerMade) {
        // Each step on its own: a mount that never happened must not keep the layer or the dirs.
        try {
            mounts.release(id, true); // its anonymous volumes; named ones stay, as in docker
        } catch (IOException | RuntimeException ignored) {
            // as below
        }
        try {
            if (layerMade) {
                ContainerRemoval.unmountIfMounted(store.rootfs(id));
                images.layers().removeReadWrite(id);
            }
        } catch (IOException ignored) {
            // best effort; the original error is what the caller needs
        }
        try {
            store.deleteFiles(id);
        } catch (IOException ignored) {
            // as above
        }
        names.release(name);
        store.remove(id);
    }
}
