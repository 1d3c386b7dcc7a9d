package dev.berth.api.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon as the real docker CLI sees it: version negotiation, info, errors, clean stop. */
class DaemonSystemTest {
    @TempDir
    Path tmp;

    @Test
    void theDockerCliNegotiatesAndReadsVersionAndInfo() throws Exception {
        try (DaemonProcess d = DaemonProcess.start(tmp)) {
            DaemonProcess.Result version = d.docker("version", "--format", "{{.Server.Version}} {{.Server.APIVersion}}");
            assertThat(version.out().trim()).as(version.err()).isEqualTo("0.1.0 1.47");
            DaemonProcess.Result info = d.docker("info", "--format", "{{.Driver}} {{.OSType}} {{.DockerRootDir}}");
            assertThat(info.out().trim()).isEqualTo("overlay2 linux " + tmp.resolve("data"));
            assertThat(Files.getPosixFilePermissions(d.socket)).extracting(Object::toString)
                    .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE", "GROUP_READ", "GROUP_WRITE");
        }
    }

    @Test
    void sigtermStopsItCleanlyAndRemovesTheSocket() throws Exception {
        DaemonProcess d = DaemonProcess.start(tmp);
        assertThat(d.stop()).isIn(0, 143);
        assertThat(d.socket).doesNotExist();
    }

    @Test
    void aBadConfigFileIsAClearErrorAtStart() throws Exception {
        Files.writeString(tmp.resolve("daemon.json"), "{\"data-root\": ");
        try (DaemonProcess d = DaemonProcess.start(tmp)) {
            throw new AssertionError("started with a broken daemon.json");
        } catch (IllegalStateException e) {
            assertThat(e.getMessage()).contains("unable to configure the daemon with file " + tmp.resolve("daemon.json"));
        }
    }
}
