package dev.berth.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DetachKeysTest {
    @Test
    void dockersNotation() throws Exception {
        assertThat(DetachKeys.parse(null)).containsExactly(0x10, 0x11);
        assertThat(DetachKeys.parse("ctrl-a,x")).containsExactly(0x01, 'x');
        assertThat(DetachKeys.parse("ctrl-@,ctrl-_,ctrl-\\")).containsExactly(0x00, 0x1f, 0x1c);
        assertThatThrownBy(() -> DetachKeys.parse("ctrl-zz")).hasMessage("Invalid detach keys (ctrl-zz) provided: unknown character: 'ctrl-zz'");
    }
}
