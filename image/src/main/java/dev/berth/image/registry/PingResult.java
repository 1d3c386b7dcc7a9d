package dev.berth.image.registry;

import java.util.List;

/**
 * The answer to {@code GET /v2/} (spec.md, "determining support"): 200 when no authentication
 * is needed, 401 with the challenges to answer otherwise.
 */
public record PingResult(int status, String apiVersion, List<AuthChallenge> challenges) {
    public boolean requiresAuth() {
        return status == 401;
    }
}
