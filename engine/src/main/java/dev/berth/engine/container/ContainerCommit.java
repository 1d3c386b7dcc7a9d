package dev.berth.engine.container;

import dev.berth.engine.EngineException;
import dev.berth.engine.image.ConfigChanges;
import dev.berth.engine.image.Images;
import dev.berth.engine.image.LayerCommit;
import dev.berth.engine.model.ContainerConfig;
import dev.berth.image.Image;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageReference;
import dev.berth.storage.LayerStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code docker commit} (POST /commit): the container's read-write layer (its changes over its
 * {@link InitLayer}, so without the engine's mount points) becomes a new layer on its image; the
 * new image's config is the container's (the image's config with what the container was created
 * with laid over it, as dockerd merges them at create), then the request's config, then the
 * Dockerfile-style changes. Everything that can be refused (the name, the changes) is checked
 * before the layer is written.
 *
 * <p>A running container is paused (its cgroup frozen) while its layer is read, as dockerd does
 * with pause=true, the default, so that the layer is one moment of its filesystem; it runs on
 * afterwards whatever happened.
 */
public final class ContainerCommit {
    private final Containers containers;
    private final Images images;

    public ContainerCommit(Containers containers, Images images) {
        this.containers = containers;
        this.images = images;
    }

    /** What POST /commit asks. {@code repo} may be null (an untagged image), {@code config} too. */
    public record Request(String container, String repo, String tag, String comment, String author, List<String> changes,
                          ContainerConfig config, boolean pause) {}

    /** Returns the new image's ID. */
    public Digest commit(Request req) throws IOException {
        ContainerRecord c = containers.get(req.container());
        ImageReference name = name(req.repo(), req.tag());
        Image parent = images.store().get(Digest.parse(c.imageId())).orElseThrow(() ->
                new EngineException(404, "No such image: " + c.imageId()));
        ImageConfig.Config config = overlay(parent.config().config(), c.config());
        if (req.config() != null) {
            config = overlay(config, req.config());
        }
        config = ConfigChanges.apply(config, req.changes() == null ? List.of() : req.changes());
        var diff = images.layers().snapshotter().diffSource(LayerStore.readWriteKey(c.id()));
        String createdBy = String.join(" ", c.args() == null ? List.of() : c.args());
        boolean paused = req.pause() && c.status().equals("running") && pause(c.id());
        Image image;
        try {
            image = LayerCommit.commit(images, parent, diff, config, new LayerCommit.Info(req.author(), req.comment(), createdBy));
        } finally {
            if (paused) {
                containers.unpause(c.id());
            }
        }
        if (name != null) {
            images.store().tag(name, image.id());
        }
        return image.id();
    }

    /** Freezes the container; false if it stopped in the meantime (then there is nothing to pause). */
    private boolean pause(String id) throws IOException {
        try {
            containers.pause(id);
            return true;
        } catch (EngineException notRunning) {
            return false;
        }
    }

    /** The name to tag, or null; docker's 400 for a bad one (before any work is done). */
    private static ImageReference name(String repo, String tag) {
        if (repo == null || repo.isEmpty()) {
            if (tag != null && !tag.isEmpty()) {
                throw new EngineException(400, "tag is specified without a repository");
            }
            return null;
        }
        ImageReference ref;
        try {
            ref = ImageReference.parseNormalizedNamed(repo);
        } catch (IllegalArgumentException e) {
            throw new EngineException(400, e.getMessage(), e);
        }
        if (ref.digest().isPresent()) {
            throw new EngineException(400, "refusing to create a tag with a digest reference");
        }
        if (tag != null && !tag.isEmpty()) {
            if (!ImageReference.isValidTag(tag)) {
                throw new EngineException(400, "invalid tag format");
            }
            ref = ref.nameOnly().withTag(tag);
        }
        return ref.withDefaultTag();
    }

    /**
     * The fields a container config sets, over an image config: Env by variable (the
     * container's win), Labels and ExposedPorts and Volumes merged, the rest replaced when set.
     */
    static ImageConfig.Config overlay(ImageConfig.Config image, ContainerConfig c) {
        ImageConfig.Config base = image != null ? image
                : new ImageConfig.Config(null, null, null, null, null, null, null, null, null, null, null, null, null);
        if (c == null) {
            return base;
        }
        List<String> env = new ArrayList<>(base.env() == null ? List.of() : base.env());
        if (c.env() != null) {
            for (String e : c.env()) {
                String key = e.contains("=") ? e.substring(0, e.indexOf('=')) : e;
                env.removeIf(x -> x.equals(key) || x.startsWith(key + "="));
                env.add(e);
            }
        }
        List<String> entrypoint = c.entrypoint() != null ? c.entrypoint() : base.entrypoint();
        // A container that set its own entrypoint but no command does not inherit the image's command.
        List<String> cmd = c.cmd() != null ? c.cmd() : (c.entrypoint() != null ? null : base.cmd());
        return new ImageConfig.Config(
                c.user() != null && !c.user().isEmpty() ? c.user() : base.user(),
                merge(base.exposedPorts(), c.exposedPorts()),
                env.isEmpty() ? null : env,
                entrypoint == null || entrypoint.isEmpty() ? null : entrypoint,
                cmd,
                merge(base.volumes(), c.volumes()),
                c.workingDir() != null && !c.workingDir().isEmpty() ? c.workingDir() : base.workingDir(),
                merge(base.labels(), c.labels()),
                c.stopSignal() != null && !c.stopSignal().isEmpty() ? c.stopSignal() : base.stopSignal(),
                base.argsEscaped(), base.healthcheck(), base.onBuild(), base.shell());
    }

    private static <V> Map<String, V> merge(Map<String, V> base, Map<String, V> over) {
        if ((base == null || base.isEmpty()) && (over == null || over.isEmpty())) {
            return null;
        }
        Map<String, V> out = new LinkedHashMap<>(base == null ? Map.of() : base);
        if (over != null) {
            out.putAll(over);
        }
        return out;
    }
}
