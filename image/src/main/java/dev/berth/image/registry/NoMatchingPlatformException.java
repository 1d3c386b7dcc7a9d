package dev.berth.image.registry;

import dev.berth.oci.image.Platform;
import java.util.List;

/** An index has no manifest for the wanted platform; the message lists the ones it has. */
public final class NoMatchingPlatformException extends RegistryException {
    private final Platform wanted;
    private final List<Platform> available;

    public NoMatchingPlatformException(String reference, Platform wanted, List<Platform> available) {
        super("no matching manifest for " + wanted + " in the manifest list entries of " + reference
                + " (available: " + (available.isEmpty() ? "none"
                        : String.join(", ", available.stream().map(Platform::toString).toList())) + ")");
        this.wanted = wanted;
        this.available = List.copyOf(available);
    }

    public Platform wanted() {
        return wanted;
    }

    public List<Platform> available() {
        return available;
    }
}
