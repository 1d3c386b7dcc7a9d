package dev.berth.runtime;

import dev.berth.oci.runtime.Json;
import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** An OCI bundle directory: config.json and the rootfs it names. */
public record Bundle(Path dir, Spec spec) {

    public static Bundle load(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        Path config = abs.resolve("config.json");
        String text;
        try {
            text = Files.readString(config);
        } catch (NoSuchFileException e) {
            throw new SpecException("config.json: not found in bundle " + abs);
        } catch (IOException e) {
            throw new SpecException("config.json: " + e.getMessage());
        }
        Spec spec;
        try {
            spec = Json.parse(text, Spec.class);
        } catch (SpecException e) {
            throw new SpecException("config.json: " + e.getMessage());
        }
        if (spec == null) {
            throw new SpecException("config.json: empty");
        }
        if (spec.ociVersion() == null || spec.ociVersion().isEmpty()) {
            throw new SpecException("config.json: ociVersion: missing");
        }
        return new Bundle(abs, spec);
    }
}
