package dev.berth.engine.image;

import dev.berth.oci.image.Digest;
import java.util.List;

/** Which containers use an image: what decides docker's conflicts on image removal and what prune keeps. */
@FunctionalInterface
public interface ImageUsers {
    List<User> of(Digest imageId);

    /** A container built on the image; {@code running} includes paused, as dockerd counts it. */
    record User(String containerId, boolean running) {
        String shortId() {
            return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
        }
    }
}
