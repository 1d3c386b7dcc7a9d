package dev.berth.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md's layering: arrows point down. Every import of dev.berth.<module> in a module's main
 * sources must be of a module it may depend on, and nobody imports another module's
 * dev.berth.<module>.internal package.
 */
class LayeringTest {
    private static final Path HOME = Path.of(System.getProperty("berth.home", "..")).toAbsolutePath().normalize();

    /** module -> the modules it may use (besides itself). */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("oci", Set.of()),
            Map.entry("sys", Set.of("oci")),
            Map.entry("cgroups", Set.of("oci", "sys")),
            Map.entry("runtime", Set.of("oci", "sys", "cgroups")),
            Map.entry("image", Set.of("oci", "sys")),
            Map.entry("storage", Set.of("oci", "sys")),
            Map.entry("network", Set.of("sys")),
            Map.entry("engine", Set.of("oci", "sys", "cgroups", "runtime", "image", "storage", "network")),
            Map.entry("api", Set.of("engine", "oci")),
            Map.entry("cli", Set.of("oci")),
            // test fixtures, in test scope only: no main source may import them
            Map.entry("testkit", Set.of()));

    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.berth\\.(\\w+)(\\.internal)?[.;]", Pattern.MULTILINE);

    @Test
    void importsPointOnlyDown() throws IOException {
        List<String> violations = new ArrayList<>();
        for (var entry : ALLOWED.entrySet()) {
            Path src = HOME.resolve(entry.getKey()).resolve("src/main/java");
            if (!Files.isDirectory(src)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(src)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = IMPORT.matcher(Files.readString(f));
                    while (m.find()) {
                        String used = m.group(1);
                        boolean own = used.equals(entry.getKey());
                        if (!own && (!entry.getValue().contains(used) || m.group(2) != null)) {
                            violations.add(HOME.relativize(f) + " imports dev.berth." + used + (m.group(2) == null ? "" : ".internal"));
                        }
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void everyModuleOfTheBuildIsCovered() throws IOException {
        String pom = Files.readString(HOME.resolve("pom.xml"));
        Matcher m = Pattern.compile("<module>(\\w+)</module>").matcher(pom);
        while (m.find()) {
            if (!m.group(1).equals("native")) {
                assertThat(ALLOWED).containsKey(m.group(1));
            }
        }
    }
}
