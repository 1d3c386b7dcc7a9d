package dev.berth.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A route socket to the kernel, spoken to in raw bytes (rtnetlink(7)): a link dump names lo. Needs no root. */
class NetlinkSocketTest {
    private static final int RTM_GETLINK = 18, NLM_F_REQUEST = 1, NLM_F_DUMP = 0x300, NLMSG_DONE = 3;

    @Test
    void aLinkDumpAnswersWithLoAndEndsWithDone() {
        try (NetlinkSocket s = NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE)) {
            // nlmsghdr (16) + ifinfomsg (16), all zero but length, type, flags and seq
            ByteBuffer req = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
            req.putInt(32).putShort((short) RTM_GETLINK).putShort((short) (NLM_F_REQUEST | NLM_F_DUMP)).putInt(77);
            s.send(req.array());
            boolean sawLo = false, done = false;
            while (!done) {
                byte[] datagram = s.receive(Duration.ofSeconds(5));
                ByteBuffer b = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
                for (int at = 0; at + 16 <= datagram.length; ) {
                    int len = b.getInt(at);
                    assertThat(b.getInt(at + 8)).as("seq").isEqualTo(77);
                    done |= b.getShort(at + 4) == NLMSG_DONE;
                    sawLo |= new String(datagram, at, len, StandardCharsets.ISO_8859_1).contains("lo\0");
                    at += (len + 3) & ~3;
                }
            }
            assertThat(sawLo).isTrue();
        }
    }

    @Test
    void receiveTimesOutWhenTheKernelHasNothingToSay() {
        try (NetlinkSocket s = NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE)) {
            assertThatThrownBy(() -> s.receive(Duration.ofMillis(50)))
                    .isInstanceOf(SyscallException.class)
                    .satisfies(e -> assertThat(((SyscallException) e).errno().name()).isEqualTo("ETIMEDOUT"));
        }
    }

    /** setns(2) moves only the calling thread: another thread stays where it was. */
    @Test
    @Tag("root")
    void setnsMovesOnlyTheCallingThread() throws Exception {
        Process p = new ProcessBuilder("unshare", "-n", "sleep", "30").start();
        try {
            Path target = Path.of("/proc/" + p.pid() + "/ns/net");
            Path self = Path.of("/proc/thread-self/ns/net");
            String home = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
            while (Files.readSymbolicLink(target).toString().equals(home)) {
                Thread.sleep(5);
            }
            String[] seen = new String[2];
            Thread t = Thread.ofPlatform().start(() -> {
                try (Fd ns = Namespaces.open(target)) {
                    Namespaces.setns(ns, Namespaces.CLONE_NEWNET);
                    seen[0] = Files.readSymbolicLink(self).toString();
                } catch (Exception e) {
                    seen[0] = e.toString();
                }
            });
            t.join();
            seen[1] = Files.readSymbolicLink(self).toString();
            assertThat(seen[0]).isEqualTo(Files.readSymbolicLink(target).toString()).isNotEqualTo(home);
            assertThat(seen[1]).isEqualTo(home);
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }
}
