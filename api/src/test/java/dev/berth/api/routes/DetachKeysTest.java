package dev.berth.api.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.EngineException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The detach keys of attach and exec: the sequence is swallowed, a false start passes through. */
class DetachKeysTest {
    private static String filter(DetachKeys keys, String typed) {
        byte[] b = typed.getBytes(StandardCharsets.ISO_8859_1);
        return new String(keys.filter(b, b.length), StandardCharsets.ISO_8859_1);
    }

    @Test
    void ctrlPCtrlQByDefault() {
        DetachKeys keys = DetachKeys.parse(null);
        assertThat(filter(keys, "ls\r\u0010")).isEqualTo("ls\r");
        assertThat(keys.detached()).isFalse();
        assertThat(filter(keys, "\u0011rest")).isEmpty();
        assertThat(keys.detached()).isTrue();
        assertThat(DetachKeys.parse("").filter(new byte[] {0x10, 0x11}, 2)).isEmpty();
    }

    @Test
    void aFalseStartGoesThroughAndItsOwnKeysApply() {
        DetachKeys keys = DetachKeys.parse("ctrl-x,x");
        assertThat(filter(keys, "a\u0018yb")).isEqualTo("a\u0018yb");
        assertThat(filter(keys, "\u0018\u0018")).isEqualTo("\u0018");
        assertThat(keys.detached()).isFalse();
        assertThat(filter(keys, "x")).isEmpty();
        assertThat(keys.detached()).isTrue();
    }

    @Test
    void keysThatDoNotParseAreRefused() {
        assertThatThrownBy(() -> DetachKeys.parse("ctrl-1")).isInstanceOf(EngineException.class)
                .hasMessage("Invalid detach keys (ctrl-1) provided");
        assertThatThrownBy(() -> DetachKeys.parse("ab")).isInstanceOf(EngineException.class);
    }
}
