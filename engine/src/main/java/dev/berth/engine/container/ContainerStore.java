package dev.berth.engine.container;

import dev.berth.engine.EngineException;
import dev.berth.oci.runtime.Json;
import dev.berth.sys.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The containers' records and where their files are: container.json on disk (written
 * atomically) and the same records in memory by id, with one monitor per container. Every
 * lifecycle job (create, launch, exit, stop, remove, restore) holds a container's monitor while
 * it changes that container's state, and an exit or a removal notifies it, which is what
 * waiters sleep on. Kept apart from the jobs so that they share the records without reaching
 * into one another.
 *
 * Layout: dataRoot/containers/<id>/ holds container.json, the /etc files and the log;
 * execRoot/bundles/<id>/ the OCI bundle (config.json, rootfs mount point); execRoot/runtime the
 * runtime's state; execRoot/attach/<id16>.sock the shim's attach socket.
 */
final class ContainerStore {
    private final Path dataRoot;
    private final Path execRoot;
    private final Map<String, ContainerRecord> byId = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /**
     * The last exit code of recently removed containers, for a waiter ("removed", docker run
     * --rm) that wakes only after the removal: it must still report how the container ended.
     */
    private final Map<String, Integer> removedExitCodes = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                    return size() > 1024;
                }
            });

    ContainerStore(Path dataRoot, Path execRoot) throws IOException {
        this.dataRoot = dataRoot;
        this.execRoot = execRoot;
        Files.createDirectories(dataRoot.resolve("containers"));
        Files.createDirectories(execRoot.resolve("bundles"));
        Files.createDirectories(execRoot.resolve("attach"));
    }

    /** Reads every container.json back (daemon start); returns what it read. */
    List<ContainerRecord> load() throws IOException {
        try (Stream<Path> dirs = Files.list(dataRoot.resolve("containers"))) {
            for (Path d : dirs.toList()) {
                Path file = d.resolve("container.json");
                if (Files.exists(file)) {
                    ContainerRecord r = Json.parse(Files.readString(file), ContainerRecord.class);
                    byId.put(r.id(), r);
                }
            }
        }
        return List.copyOf(byId.values());
    }

    /** The record of the container with this full id, or null. */
    ContainerRecord get(String id) {
        return byId.get(id);
    }

    /**
     * The record as it is now, for a job that has just taken the container's monitor: another
     * may have removed the container while it waited (docker's 404 then).
     */
    ContainerRecord current(String id) {
        ContainerRecord r = byId.get(id);
        if (r == null) {
            throw new EngineException(404, "No such container: " + id);
        }
        return r;
    }

    Collection<ContainerRecord> all() {
        return byId.values();
    }

    /** Writes container.json, then makes the record the one the engine sees. */
    ContainerRecord save(ContainerRecord r) {
        try {
            AtomicFile.write(dir(r.id()).resolve("container.json"), Json.write(r).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new EngineException(500, "saving container " + r.id() + ": " + e.getMessage(), e);
        }
        byId.put(r.id(), r);
        return r;
    }

    /** Forgets a removed container, keeping its last exit code for those still waiting on it. */
    void remove(String id) {
        ContainerRecord last = byId.get(id);
        if (last != null) {
            removedExitCodes.put(id, last.exitCode());
        }
        byId.remove(id);
    }

    /** The last exit code of a container removed lately, or {@code orElse}. */
    int removedExitCode(String id, int orElse) {
        return removedExitCodes.getOrDefault(id, orElse);
    }

    Object lock(String id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }

    /** Wakes whoever waits on the container's monitor (an exit, a removal). */
    void wake(String id) {
        Object lock = lock(id);
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** After a removal: the monitor of a container that is gone is not kept. */
    void dropLock(String id) {
        locks.remove(id);
    }

    Path dir(String id) {
        return dataRoot.resolve("containers").resolve(id);
    }

    Path bundle(String id) {
        return execRoot.resolve("bundles").resolve(id);
    }

    Path configJson(String id) {
        return bundle(id).resolve("config.json");
    }

    Path rootfs(String id) {
        return bundle(id).resolve("rootfs");
    }

    Path logFile(String id) {
        return dir(id).resolve(id + "-log");
    }

    Path attachSocket(String id) {
        return execRoot.resolve("attach").resolve(id.substring(0, 16) + ".sock");
    }

    /** Deletes the container's directories and attach socket; what is not there is fine. */
    void deleteFiles(String id) throws IOException {
        deleteTree(bundle(id));
        deleteTree(dir(id));
        Files.deleteIfExists(attachSocket(id));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
