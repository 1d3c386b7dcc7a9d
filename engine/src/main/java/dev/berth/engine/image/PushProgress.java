package dev.berth.engine.image;

import java.util.Map;

/**
 * One line of docker's push progress (the JSON stream of POST /images/{name}/push): a status,
 * the layer it is about (short DiffID, as dockerd prints them), bytes done of total while
 * pushing, and at the end an "aux" object {Tag, Digest, Size} that clients read the digest from.
 */
public record PushProgress(String status, String id, long current, long total, Map<String, Object> aux) {
    static PushProgress of(String status) {
        return new PushProgress(status, null, 0, 0, null);
    }

    static PushProgress layer(String status, String id) {
        return new PushProgress(status, id, 0, 0, null);
    }
}
