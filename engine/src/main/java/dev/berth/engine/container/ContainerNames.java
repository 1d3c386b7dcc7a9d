package dev.berth.engine.container;

import dev.berth.engine.EngineException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Container names: docker's rule for given names, docker-style "adjective_noun" names when none
 * is given, and the name -> id reservations that make names unique.
 */
public final class ContainerNames {
    private static final Pattern VALID = Pattern.compile("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
    private static final List<String> ADJECTIVES = List.of("brave", "calm", "eager", "fancy", "gentle", "happy",
            "jolly", "keen", "lucid", "merry", "nifty", "proud", "quirky", "sharp", "tender", "upbeat", "vivid",
            "witty", "zen", "bold", "clever", "daring", "epic", "festive", "great", "hopeful");
    // Harbours and the people who built ships, for a container engine named Berth.
    private static final List<String> NOUNS = List.of("anchor", "bollard", "capstan", "dock", "ferry", "galley",
            "harbor", "jetty", "keel", "lighthouse", "marina", "mooring", "pier", "quay", "rudder", "schooner",
            "tugboat", "wharf", "yawl", "clipper", "dinghy", "frigate", "ketch", "lagoon", "sloop", "trawler");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> idByName = new ConcurrentHashMap<>();

    /** Reserves {@code name} (or a generated one) for {@code id}; a taken name is docker's 409. */
    public String reserve(String name, String id) {
        if (name == null || name.isEmpty()) {
            for (int attempt = 0; ; attempt++) {
                String generated = ADJECTIVES.get(RANDOM.nextInt(ADJECTIVES.size())) + "_" + NOUNS.get(RANDOM.nextInt(NOUNS.size()))
                        + (attempt > 5 ? String.valueOf(RANDOM.nextInt(100)) : "");
                if (idByName.putIfAbsent(generated, id) == null) {
                    return generated;
                }
            }
        }
        String clean = name.startsWith("/") ? name.substring(1) : name;
        if (!VALID.matcher(name).matches()) {
            throw new EngineException(400, "Invalid container name (" + name + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        String holder = idByName.putIfAbsent(clean, id);
        if (holder != null && !holder.equals(id)) {
            throw new EngineException(409, "Conflict. The container name \"/" + clean + "\" is already in use by container \""
                    + holder + "\". You have to remove (or rename) that container to be able to reuse that name.");
        }
        return clean;
    }

    public void release(String name) {
        idByName.remove(name);
    }

    public Optional<String> idOf(String name) {
        return Optional.ofNullable(idByName.get(name.startsWith("/") ? name.substring(1) : name));
    }
}
