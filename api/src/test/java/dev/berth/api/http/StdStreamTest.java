package dev.berth.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StdStreamTest {
    @Test
    void headerIsTypeThreeZerosAndBigEndianLength() {
        assertThat(StdStream.header(StdStream.Kind.STDERR, 0x01020304))
                .containsExactly(2, 0, 0, 0, 1, 2, 3, 4);
        assertThat(StdStream.header(StdStream.Kind.STDOUT, 5)).containsExactly(1, 0, 0, 0, 0, 0, 0, 5);
    }

    @Test
    void framesRoundTrip() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        OutputStream out = StdStream.framing(wire, StdStream.Kind.STDOUT);
        OutputStream err = StdStream.framing(wire, StdStream.Kind.STDERR);
        out.write("hello\n".getBytes(StandardCharsets.UTF_8));
        err.write("oops\n".getBytes(StandardCharsets.UTF_8));
        out.write(new byte[0]); // no empty frame

        byte[] bytes = wire.toByteArray();
        assertThat(bytes).hasSize(8 + 6 + 8 + 5);
        var in = new ByteArrayInputStream(bytes);
        var first = StdStream.readFrame(in);
        var second = StdStream.readFrame(in);
        assertThat(first.kind()).isEqualTo(StdStream.Kind.STDOUT);
        assertThat(first.text()).isEqualTo("hello\n");
        assertThat(second.kind()).isEqualTo(StdStream.Kind.STDERR);
        assertThat(second.text()).isEqualTo("oops\n");
        assertThat(StdStream.readFrame(in)).isNull();
    }

    @Test
    void demultiplexSplitsStdoutAndStderr() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        byte[] big = new byte[100_000];
        java.util.Arrays.fill(big, (byte) 'b');
        StdStream.writeFrame(wire, StdStream.Kind.STDOUT, "a".getBytes(StandardCharsets.UTF_8));
        StdStream.writeFrame(wire, StdStream.Kind.STDERR, "e".getBytes(StandardCharsets.UTF_8));
        StdStream.writeFrame(wire, StdStream.Kind.STDOUT, big);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        long n = StdStream.demultiplex(new ByteArrayInputStream(wire.toByteArray()), out, err);

        assertThat(n).isEqualTo(100_002);
        assertThat(out.size()).isEqualTo(100_001);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("e");
    }

    @Test
    void truncatedFramesAndUnknownTypesAreErrors() {
        byte[] truncated = {1, 0, 0, 0, 0, 0, 0, 9, 'x'};
        byte[] shortHeader = {1, 0, 0};
        byte[] unknown = {7, 0, 0, 0, 0, 0, 0, 1, 'x'};
        byte[] systemErr = {3, 0, 0, 0, 0, 0, 0, 4, 'b', 'o', 'o', 'm'};

        assertThatThrownBy(() -> StdStream.readFrame(new ByteArrayInputStream(truncated))).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> StdStream.readFrame(new ByteArrayInputStream(shortHeader))).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> StdStream.readFrame(new ByteArrayInputStream(unknown))).hasMessageContaining("unknown stream type 7");
        assertThatThrownBy(() -> StdStream.demultiplex(new ByteArrayInputStream(systemErr), OutputStream.nullOutputStream(),
                OutputStream.nullOutputStream())).hasMessageContaining("boom");
    }
}
