package dev.berth.runtime;

import dev.berth.sys.AtomicFile;
import dev.berth.oci.runtime.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The --root directory: one directory per container holding state.json and the files the shim
 * and `start` meet at (exec fifo, exit record, sync socket, plan).
 */
public final class StateStore {
    /** runc's rule for ids (libcontainer/factory_linux.go). */
    private static final Pattern ID = Pattern.compile("^[\\w+\\-.]+$");

    private final Path root;

    public StateStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path dir(String id) {
        checkId(id);
        return root.resolve(id);
    }

    /** Makes the container's directory; a second container with the same id is refused. */
    public Path createDir(String id) throws IOException {
        Path dir = dir(id);
        Files.createDirectories(root);
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw new ContainerException("container with id exists: " + id);
        }
        return dir;
    }

    public void save(ContainerRecord record) throws IOException {
        AtomicFile.write(dir(record.id()).resolve("state.json"), Json.write(record).getBytes(StandardCharsets.UTF_8));
    }

    public ContainerRecord load(String id) throws IOException {
        try {
            return Json.parse(Files.readString(dir(id).resolve("state.json")), ContainerRecord.class);
        } catch (NoSuchFileException e) {
            throw new ContainerException("container does not exist: " + id, 404);
        }
    }

    public boolean exists(String id) {
        return Files.exists(dir(id).resolve("state.json"));
    }

    /** Ids of the containers with a complete record, sorted. */
    public List<String> ids() throws IOException {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return ids;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path d : dirs) {
                if (Files.exists(d.resolve("state.json"))) {
                    ids.add(d.getFileName().toString());
                }
            }
        }
        ids.sort(Comparator.naturalOrder());
        return ids;
    }

    public void remove(String id) throws IOException {
        Path dir = dir(id);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void checkId(String id) {
        if (id == null || id.isEmpty() || !ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw new ContainerException("invalid container id \"" + id + "\": use letters, digits, _ + - .");
        }
    }
}
