package dev.berth.engine.image;

/**
 * One line of docker's pull progress (the JSON stream of POST /images/create): a status, the
 * layer it is about (short id) and, while downloading, bytes done of total.
 */
public record PullProgress(String status, String id, long current, long total) {
    static PullProgress of(String status) {
        return new PullProgress(status, null, 0, 0);
    }
}
