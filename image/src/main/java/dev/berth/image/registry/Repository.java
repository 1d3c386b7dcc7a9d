package dev.berth.image.registry;

import dev.berth.oci.image.ImageReference;
import java.util.regex.Pattern;

/**
 * A repository on a registry: {@code registry} is the host as the user wrote it
 * ("localhost:5000", "docker.io"), {@code name} the repository path ("library/busybox").
 * Names follow the distribution spec's grammar (spec.md, "pulling manifests":
 * {@code [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*}).
 */
public record Repository(String registry, String name) {
    private static final Pattern NAME = Pattern.compile(
            "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");

    public Repository {
        if (registry == null || registry.isBlank()) {
            throw new IllegalArgumentException("registry host is missing");
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid repository name \"" + name + "\"");
        }
    }

    /** The repository an image reference names. */
    public static Repository of(ImageReference reference) {
        return new Repository(reference.registry(), reference.repository());
    }

    /** The name docker shows: "busybox" for docker.io/library/busybox, "localhost:5000/a/b" otherwise. */
    public String familiarName() {
        if (TransportPolicy.isDockerHub(registry)) {
            boolean official = name.startsWith("library/") && name.indexOf('/', "library/".length()) < 0;
            return official ? name.substring("library/".length()) : name;
        }
        return registry + "/" + name;
    }

    @Override
    public String toString() {
        return registry + "/" + name;
    }
}
