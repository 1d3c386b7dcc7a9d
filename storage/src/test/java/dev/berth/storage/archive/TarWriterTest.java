package dev.berth.storage.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

class TarWriterTest {
    /** security.capability granting CAP_SETUID (bit 7): its second word starts with byte 0x80, not UTF-8. */
    static final byte[] CAP_SETUID = {1, 0, 0, 2, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    @Test
    void commonsCompressReadsWhatItWrites() throws IOException {
        String longName = "d/" + "x".repeat(150) + "/" + "y".repeat(120);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(out)) {
            w.add(new TarHeader("d/", TarHeader.DIRECTORY, 0755, 0, 0, 0, 1_600_000_000L, "", 0, 0, Map.of()), null);
            byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
            w.add(new TarHeader("d/f", TarHeader.FILE, 04755, 1000, 3_000_000_000L, data.length, 1_600_000_001L, "", 0, 0,
                    Map.of("security.capability", CAP_SETUID)), new ByteArrayInputStream(data));
            w.add(new TarHeader(longName, TarHeader.SYMLINK, 0777, 0, 0, 0, 0, "t".repeat(200), 0, 0, Map.of()), null);
            w.add(new TarHeader("d/ü", TarHeader.CHAR_DEVICE, 0666, 0, 0, 0, 0, "", 1, 3, Map.of()), null);
        }
        byte[] tar = out.toByteArray();
        assertThat(tar.length % 512).isZero();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry d = in.getNextEntry();
            assertThat(d.getName()).isEqualTo("d/");
            assertThat(d.isDirectory()).isTrue();
            TarArchiveEntry f = in.getNextEntry();
            assertThat(f.getName()).isEqualTo("d/f");
            assertThat(f.getMode() & 07777).isEqualTo(04755);
            assertThat(f.getLongGroupId()).isEqualTo(3_000_000_000L);
            assertThat(f.getLastModifiedTime().toInstant().getEpochSecond()).isEqualTo(1_600_000_001L);
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
            TarArchiveEntry s = in.getNextEntry();
            assertThat(s.getName()).isEqualTo(longName);
            assertThat(s.getLinkName()).isEqualTo("t".repeat(200));
            TarArchiveEntry c = in.getNextEntry();
            assertThat(c.getName()).isEqualTo("d/ü");
            assertThat(c.getDevMajor()).isEqualTo(1);
            assertThat(c.getDevMinor()).isEqualTo(3);
            assertThat(in.getNextEntry()).isNull();
        }
    }

    @Test
    void binaryXattrsSurviveTheRawPaxParse() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(out)) {
            w.add(new TarHeader("f", TarHeader.FILE, 0755, 0, 0, 0, 0, "", 0, 0,
                    Map.of("security.capability", CAP_SETUID, "user.a", "b".getBytes(StandardCharsets.UTF_8))), null);
        }
        Map<String, byte[]> x = PaxXattrs.parse(out.toByteArray(), 0);
        assertThat(x.get("security.capability")).isEqualTo(CAP_SETUID);
        assertThat(x.get("user.a")).isEqualTo("b".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void gnuTarAgrees() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(out)) {
            w.add(new TarHeader("a/" + "n".repeat(120), TarHeader.FILE, 0644, 0, 0, 2, 0, "", 0, 0, Map.of()),
                    new ByteArrayInputStream("hi".getBytes(StandardCharsets.UTF_8)));
        }
        Process p = new ProcessBuilder("tar", "-tf", "-").redirectErrorStream(true).start();
        p.getOutputStream().write(out.toByteArray());
        p.getOutputStream().close();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(listing).isZero();
        assertThat(listing.strip()).isEqualTo("a/" + "n".repeat(120));
    }
}
