package dev.berth.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.BerthRuntime;
import dev.berth.runtime.CreateRequest;
import dev.berth.runtime.stdio.Record;
import dev.berth.runtime.stdio.RecordReader;
import dev.berth.runtime.stdio.Stdio;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shim's stdio mode, as the daemon will use it through the library: output goes to a log
 * of records and to attached clients, stdin comes from them, and it all works without the
 * process that created the container (root, real kernel).
 */
class StdioModeTest extends ContainerTest {

    private BerthRuntime runtime() {
        return new BerthRuntime(cli.root, RuntimeCli.HOME.resolve("native/target/berth-shim"), w -> { });
    }

    private static List<Record> readLog(Path log) throws Exception {
        List<Record> out = new ArrayList<>();
        try (RecordReader r = new RecordReader(Files.newInputStream(log))) {
            for (Record rec; (rec = r.next()) != null; ) {
                out.add(rec);
            }
        }
        return out;
    }

    private void awaitStopped() throws Exception {
        for (int i = 0; i < 500 && !cli.run("state", id).out().contains("stopped"); i++) {
            Thread.sleep(20);
        }
    }

    @Test
    void outputAndErrorsGoToTheLogAsRecords() throws Exception {
        bundle.args("sh", "-c", "echo to-out; echo to-err >&2; exit 3").write();
        Path log = tmp.resolve("container.log");
        runtime().create(new CreateRequest(id, bundle.dir, null, null, false, 0, true, Stdio.unrotated(false, log, null)));
        runtime().start(id);
        awaitStopped();
        List<Record> records = readLog(log);
        assertThat(records).extracting(Record::stream, Record::text)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(Record.STDOUT, "to-out\n"),
                        org.assertj.core.groups.Tuple.tuple(Record.STDERR, "to-err\n"));
        assertThat(records.getFirst().time()).isBetween(java.time.Instant.now().minusSeconds(60), java.time.Instant.now());
        assertThat(Files.readString(cli.root.resolve(id).resolve("exit"))).startsWith("exit 3");
    }

    @Test
    void anAttachedClientWritesStdinAndReadsOutputLive() throws Exception {
        bundle.args("sh", "-c", "while read line; do echo got:$line; done; echo bye").write();
        Path attach = cli.root.resolve("a.sock");
        runtime().create(new CreateRequest(id, bundle.dir, null, null, false, 0, true,
                Stdio.unrotated(true, tmp.resolve("log"), attach)));
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(attach));
            runtime().start(id);
            OutputStream out = Channels.newOutputStream(ch);
            InputStream in = Channels.newInputStream(ch);
            RecordReader reader = new RecordReader(in);
            out.write(new Record(Record.STDIN, 0, "hello\n".getBytes()).encode());
            assertThat(reader.next().text()).isEqualTo("got:hello\n");
            out.write(new Record(Record.CLOSE_STDIN, 0, new byte[0]).encode());
            assertThat(reader.next().text()).isEqualTo("bye\n");
            assertThat(reader.next()).isNull(); // the shim closes attach when the container is gone
        }
        awaitStopped();
        assertThat(readLog(tmp.resolve("log"))).extracting(Record::text).containsExactly("got:hello\n", "bye\n");
    }

    @Test
    void theAttachSocketAppearsOnlyOnceItAcceptsAndReplacesADeadShimsOne() throws Exception {
        bundle.args("echo", "hi").write();
        Path attach = tmp.resolve("a.sock");
        // What a shim killed outright leaves: a socket file nobody accepts on.
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(attach));
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            assertThatThrownBy(() -> ch.connect(UnixDomainSocketAddress.of(attach))).isInstanceOf(ConnectException.class);
        }
        runtime().create(new CreateRequest(id, bundle.dir, null, null, false, 0, true,
                Stdio.unrotated(false, tmp.resolve("log"), attach)));
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(attach));
            assertThat(attach.resolveSibling("a.sock.tmp")).doesNotExist();
            runtime().start(id);
            assertThat(new RecordReader(Channels.newInputStream(ch)).next().text()).isEqualTo("hi\n");
        }
        awaitStopped();
    }

    @Test
    void theLogRotatesAtTheGivenSize() throws Exception {
        bundle.args("sh", "-c", "for i in $(seq 200); do echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; done").write();
        Path log = tmp.resolve("r.log");
        // The names are the caller's: the shim renames through exactly these, newest first.
        List<Path> rotations = List.of(tmp.resolve("r.log.1"), tmp.resolve("r.log.2"));
        runtime().create(new CreateRequest(id, bundle.dir, null, null, false, 0, true, new Stdio(false, log, 2048, rotations, null)));
        runtime().start(id);
        awaitStopped();
        assertThat(Files.size(log)).isLessThanOrEqualTo(2048);
        assertThat(tmp.resolve("r.log.1")).exists();
        assertThat(tmp.resolve("r.log.2")).exists();
        assertThat(tmp.resolve("r.log.3")).doesNotExist();
        String last = readLog(log).getLast().text();
        assertThat(last).contains("line-200-");
    }

    @Test
    void aTerminalContainerWritesThroughItsPty() throws Exception {
        bundle.args("sh", "-c", "tty; stty size");
        bundle.process().put("terminal", true);
        bundle.process().putObject("consoleSize").put("height", 24).put("width", 100);
        bundle.write();
        Path log = tmp.resolve("tty.log");
        runtime().create(new CreateRequest(id, bundle.dir, null, null, false, 0, true, Stdio.unrotated(false, log, null)));
        runtime().start(id);
        awaitStopped();
        String all = String.join("", readLog(log).stream().map(Record::text).toList());
        assertThat(all).contains("/dev/pts/0").contains("24 100");
        assertThat(readLog(log)).allMatch(r -> r.stream() == Record.STDOUT);
    }
}
