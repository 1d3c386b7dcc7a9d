package dev.berth.cli.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpFramingTest {
    @Test
    void chunkedBodiesAreDecodedWithExtensionsAndTrailers() throws Exception {
        String wire = "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: y\r\n\r\nNEXT";
        ByteArrayInputStream in = new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(new String(new ChunkedInputStream(in).readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello, world");
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("NEXT");
    }

    @Test
    void aTruncatedChunkIsAnError() {
        ByteArrayInputStream in = new ByteArrayInputStream("a\r\nshort".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> new ChunkedInputStream(in).readAllBytes()).isInstanceOf(IOException.class);
    }

    @Test
    void multiplexedFramesGoToTheirStreams() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        frame(wire, 1, "out1\n");
        frame(wire, 2, "err\n");
        frame(wire, 1, "out2\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StdStreamReader.copy(new ByteArrayInputStream(wire.toByteArray()), out, err);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("out1\nout2\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("err\n");
    }

    @Test
    void aSystemErrorFrameEndsTheCopyWithItsMessage() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        frame(wire, 3, "boom");
        assertThatThrownBy(() -> StdStreamReader.copy(new ByteArrayInputStream(wire.toByteArray()),
                new ByteArrayOutputStream(), new ByteArrayOutputStream())).hasMessageContaining("boom");
    }

    private static void frame(ByteArrayOutputStream wire, int stream, String payload) {
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        wire.write(stream);
        wire.writeBytes(new byte[] {0, 0, 0, 0, 0, (byte) (p.length >> 8), (byte) p.length});
        wire.writeBytes(p);
    }
}
