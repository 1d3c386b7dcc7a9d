package dev.berth.storage.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.storage.UnsafeEntryException;
import org.junit.jupiter.api.Test;

class EntryPathTest {
    @Test
    void namesAreMadeRelativeAndClean() throws UnsafeEntryException {
        assertThat(EntryPath.of("./usr/bin/", "e").path()).isEqualTo("usr/bin");
        assertThat(EntryPath.of("/etc//passwd", "e").path()).isEqualTo("etc/passwd");
        assertThat(EntryPath.of("a/./b/../c", "e").path()).isEqualTo("a/c");
        assertThat(EntryPath.of("./", "e").isRoot()).isTrue();
        assertThat(EntryPath.of("a/b/c", "e").parent()).isEqualTo("a/b");
        assertThat(EntryPath.of("a", "e").parent()).isEmpty();
        assertThat(EntryPath.of("a/b/c", "e").name()).isEqualTo("c");
    }

    @Test
    void climbingOutIsRefused() {
        assertThatThrownBy(() -> EntryPath.of("../../etc/x", "../../etc/x"))
                .isInstanceOf(UnsafeEntryException.class).hasMessageContaining("../../etc/x");
        assertThatThrownBy(() -> EntryPath.of("a/../../x", "a/../../x")).isInstanceOf(UnsafeEntryException.class);
        assertThatThrownBy(() -> EntryPath.of("/..", "/..")).isInstanceOf(UnsafeEntryException.class);
    }
}
