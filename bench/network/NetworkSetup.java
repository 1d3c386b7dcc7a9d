import dev.berth.network.ConnectRequest;
import dev.berth.network.Network;
import dev.berth.network.NetworkOptions;
import dev.berth.network.NetworkSpec;
import dev.berth.network.Networks;
import dev.berth.network.Subnet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Network setup per container, side by side: Networks.connect/disconnect in this warm JVM (as the
 * daemon calls them) against the CNI bridge plugin's ADD/DEL (what podman 4 and nerdctl exec per
 * container), into `unshare -n sleep` network namespaces, one at a time. Both make a veth pair into
 * a bridge, an address from IPAM, a default route; ours also re-derives its nftables table
 * (masquerade and isolation rules), the CNI run has ipMasq off so that it leaves the host's
 * iptables alone. Prints per-container medians and p90s in ms and the ratio.
 *
 * Run by bench/network-setup.sh: java -cp CLASSES NetworkSetup.java RUNS WARMUP CNI_DIR TMP
 */
public class NetworkSetup {
    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]), warmup = Integer.parseInt(args[1]);
        Path cniDir = Path.of(args[2]), tmp = Path.of(args[3]);
        String suffix = Long.toHexString(ProcessHandle.current().pid());

        double[][] ours = ours(runs, warmup, tmp.resolve("berth-state"), suffix);
        double[][] cni = cni(runs, warmup, cniDir, tmp, suffix);
        report("setup (connect / CNI ADD)", ours[0], cni[0]);
        report("teardown (disconnect / CNI DEL)", ours[1], cni[1]);
    }

    private static double[][] ours(int runs, int warmup, Path state, String suffix) throws Exception {
        double[] up = new double[runs], down = new double[runs];
        try (Networks networks = Networks.open(new NetworkOptions(state, "berth_bench" + suffix, "bbb" + suffix, List.of()))) {
            Network net = networks.create(new NetworkSpec("bench", Subnet.parse("10.248.0.0/16"), null, null, false, Map.of()));
            try {
                for (int i = 0; i < warmup + runs; i++) {
                    List<Process> ns = namespaces(1);
                    try {
                        String id = "c" + i;
                        Path netns = Path.of("/proc/" + ns.get(0).pid() + "/ns/net");
                        long t0 = System.nanoTime();
                        networks.connect(new ConnectRequest(net.id(), id, id, netns, null, List.of(), List.of()));
                        long t1 = System.nanoTime();
                        networks.disconnect(net.id(), id);
                        long t2 = System.nanoTime();
                        if (i >= warmup) {
                            up[i - warmup] = (t1 - t0) / 1e6;
                            down[i - warmup] = (t2 - t1) / 1e6;
                        }
                    } finally {
                        kill(ns);
                    }
                }
            } finally {
                networks.remove(net.id());
            }
        }
        return new double[][] {up, down};
    }

    private static double[][] cni(int runs, int warmup, Path cniDir, Path tmp, String suffix) throws Exception {
        double[] up = new double[runs], down = new double[runs];
        String bridge = "cnb" + suffix;
        String conf = """
                {"cniVersion": "1.0.0", "name": "bench", "type": "bridge", "bridge": "%s", "isGateway": true,
                 "ipMasq": false, "ipam": {"type": "host-local", "subnet": "10.247.0.0/16", "dataDir": "%s",
                 "routes": [{"dst": "0.0.0.0/0"}]}}""".formatted(bridge, tmp.resolve("cni-ipam"));
        try {
            for (int i = 0; i < warmup + runs; i++) {
                List<Process> ns = namespaces(1);
                try {
                    String id = "c" + i;
                    Path netns = Path.of("/proc/" + ns.get(0).pid() + "/ns/net");
                    long t0 = System.nanoTime();
                    cniCall(cniDir, "ADD", id, netns, conf);
                    long t1 = System.nanoTime();
                    cniCall(cniDir, "DEL", id, netns, conf);
                    long t2 = System.nanoTime();
                    if (i >= warmup) {
                        up[i - warmup] = (t1 - t0) / 1e6;
                        down[i - warmup] = (t2 - t1) / 1e6;
                    }
                } finally {
                    kill(ns);
                }
            }
        } finally {
            new ProcessBuilder("ip", "link", "del", bridge).inheritIO().start().waitFor();
        }
        return new double[][] {up, down};
    }

    private static void cniCall(Path cniDir, String command, String id, Path netns, String conf) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cniDir.resolve("bridge").toString());
        pb.environment().putAll(Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", id, "CNI_NETNS", netns.toString(),
                "CNI_IFNAME", "eth0", "CNI_PATH", cniDir.toString()));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().write(conf.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("CNI " + command + " failed: " + out);
        }
    }

    private static List<Process> namespaces(int n) throws Exception {
        List<Process> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Process p = new ProcessBuilder("unshare", "-n", "sleep", "600").start();
            Path ns = Path.of("/proc/" + p.pid() + "/ns/net");
            while (Files.readSymbolicLink(ns).equals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")))) {
                Thread.sleep(1);
            }
            out.add(p);
        }
        return out;
    }

    private static void kill(List<Process> ps) throws InterruptedException {
        for (Process p : ps) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static void report(String what, double[] ours, double[] peer) {
        double om = median(ours), pm = median(peer);
        System.out.printf("%-34s berth median %6.2f ms p90 %6.2f | CNI bridge median %6.2f ms p90 %6.2f | ratio %.2f%n",
                what, om, p90(ours), pm, p90(peer), om / pm);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double p90(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.ceil(0.9 * s.length) - 1];
    }
}
