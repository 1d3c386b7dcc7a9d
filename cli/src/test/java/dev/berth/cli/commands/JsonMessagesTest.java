package dev.berth.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Pull progress as docker shows it: plain lines off a terminal, lines redrawn in place on one. */
class JsonMessagesTest {
    private static final String PULL = """
            {"status":"Pulling from library/busybox","id":"latest"}
            {"status":"Pulling fs layer","id":"aaa"}
            {"status":"Pulling fs layer","id":"bbb"}
            {"status":"Downloading","id":"aaa","progressDetail":{"current":500000,"total":1000000}}
            {"status":"Download complete","id":"aaa"}
            {"status":"Pull complete","id":"aaa"}
            {"status":"Pull complete","id":"bbb"}
            {"status":"Digest: sha256:abc"}
            {"status":"Status: Downloaded newer image for busybox:latest"}
            """;

    private static String display(String stream, boolean terminal) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonMessages.display(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), terminal);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void offATerminalEveryStatusIsALineAndProgressBarsAreLeftOut() throws Exception {
        assertThat(display(PULL, false)).isEqualTo("""
                latest: Pulling from library/busybox
                aaa: Pulling fs layer
                bbb: Pulling fs layer
                aaa: Download complete
                aaa: Pull complete
                bbb: Pull complete
                Digest: sha256:abc
                Status: Downloaded newer image for busybox:latest
                """);
    }

    @Test
    void onATerminalEachLayerKeepsItsLineWithABar() throws Exception {
        String shown = display(PULL, true);
        // aaa's progress is drawn two lines up (bbb came after it), then the cursor comes back down
        assertThat(shown).contains("\u001b[2A\u001b[2K\raaa: Downloading [=========================>                         ]    500kB/1MB\r\u001b[2B");
        assertThat(shown).contains("\u001b[1A\u001b[2K\rbbb: Pull complete\r\u001b[1B");
        assertThat(shown).endsWith("Digest: sha256:abc\nStatus: Downloaded newer image for busybox:latest\n");
    }

    @Test
    void anErrorMessageEndsTheStreamWithIt() {
        assertThatThrownBy(() -> display("{\"status\":\"Pulling\"}\n{\"errorDetail\":{\"message\":\"manifest unknown\"},\"error\":\"manifest unknown\"}\n", false))
                .hasMessage("manifest unknown");
    }
}
