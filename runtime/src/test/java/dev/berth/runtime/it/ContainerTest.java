package dev.berth.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frame of a berth-runtime test on the real kernel: a state root and a busybox bundle of the
 * test's own, a unique container id, and afterwards every container force-deleted and a check
 * that no cgroup dir or mount of the test remains.
 */
@Tag("root")
abstract class ContainerTest {
    @TempDir
    Path tmp;
    RuntimeCli cli;
    BusyboxBundle bundle;
    String id;

    @BeforeEach
    void makeBundle() throws Exception {
        cli = new RuntimeCli(tmp.resolve("state"));
        bundle = BusyboxBundle.create(Files.createDirectories(tmp.resolve("bundle")));
        id = getClass().getSimpleName().toLowerCase() + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    @AfterEach
    void nothingLeftBehind() throws Exception {
        cli.cleanUp();
        assertThat(Leaks.cgroupDirs(id)).isEmpty();
        assertThat(Leaks.mountsUnder(tmp)).isEmpty();
    }
}
