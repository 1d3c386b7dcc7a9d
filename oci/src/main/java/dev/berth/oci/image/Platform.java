package dev.berth.oci.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** image-index.md#platform-variants: os/architecture[/variant]. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Platform(String architecture, String os, @JsonProperty("os.version") String osVersion,
                       @JsonProperty("os.features") List<String> osFeatures, String variant) {

    /** "linux/amd64", "linux/arm64/v8": the --platform syntax. */
    public static Platform parse(String text) {
        String[] parts = text.split("/");
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("invalid platform \"" + text + "\": want os/arch[/variant]");
        }
        return new Platform(parts[1], parts[0], null, null, parts.length == 3 ? parts[2] : null);
    }

    /** This JVM's platform in OCI names (GOARCH spelling). */
    public static Platform host() {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "arm" -> "arm";
            case "x86", "i386", "i686" -> "386";
            default -> System.getProperty("os.arch");
        };
        return new Platform(arch, "linux", null, null, null);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
