package dev.berth.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A pty opened here, its slave opened as a plain file (pty(7)). Needs no root. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PtyTest {
    @Test
    void whatTheSlaveWritesTheMasterReadsUntilTheSlaveCloses() throws Exception {
        try (Pty pty = Pty.open()) {
            assertThat(pty.slaveName()).matches("/dev/pts/\\d+");
            assertThat(UnixSocketServerTest.closeOnExec(pty.master().number())).isTrue();
            try (FileOutputStream slave = new FileOutputStream(pty.slaveName())) {
                slave.write("ping\n".getBytes(StandardCharsets.US_ASCII));
            }
            InputStream out = pty.inputStream();
            // ONLCR (termios(3)) turns the slave's \n into \r\n; EIO after the last slave close is EOF.
            assertThat(new String(out.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("ping\r\n");
        }
    }

    @Test
    void resizeIsWhatSizeReports() {
        try (Pty pty = Pty.open()) {
            pty.resize(new WindowSize(33, 77));
            assertThat(pty.size()).isEqualTo(new WindowSize(33, 77));
            pty.resize(new WindowSize(1, 65535));
            assertThat(pty.size()).isEqualTo(new WindowSize(1, 65535));
        }
    }

    @Test
    void closeIsIdempotentAndNumberThenFails() {
        Pty pty = Pty.open();
        Fd master = pty.master();
        pty.close();
        pty.close();
        assertThat(master.isOpen()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(master::number).isInstanceOf(SyscallException.class);
    }
}
