package dev.berth.network;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.berth.sys.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The persisted networks: one JSON file per network, {@code <stateDir>/networks/<id>.json},
 * holding its definition and its endpoints (which are the IPAM leases). Each write replaces the
 * whole file atomically, so a crash leaves the network as it was before or after one operation.
 */
final class NetworkStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;

    NetworkStore(Path stateDir) {
        this.dir = stateDir.resolve("networks");
    }

    /** Every network on disk, by id; leftover temp files of an interrupted write are removed. */
    Map<String, Network> load() {
        Map<String, Network> out = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(AtomicFile.TEMP_SUFFIX)) {
                    Files.deleteIfExists(f);
                } else if (name.endsWith(".json")) {
                    Network n = JSON.readValue(f.toFile(), Network.class);
                    out.put(n.id(), n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading network state in " + dir, e);
        }
        return out;
    }

    void save(Network network) {
        try {
            AtomicFile.write(dir.resolve(network.id() + ".json"), JSON.writeValueAsBytes(network));
        } catch (IOException e) {
            throw new UncheckedIOException("saving network " + network.name(), e);
        }
    }

    void delete(String id) {
        try {
            AtomicFile.delete(dir.resolve(id + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException("deleting network state " + id, e);
        }
    }
}
