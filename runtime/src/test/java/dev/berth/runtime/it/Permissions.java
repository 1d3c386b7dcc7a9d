package dev.berth.runtime.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

final class Permissions {
    private Permissions() {}

    /** @TempDir makes 0700 directories; a user-namespaced root (a plain uid outside) must traverse them. */
    static void openToAll(Path... dirs) throws IOException {
        for (Path d : dirs) {
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
