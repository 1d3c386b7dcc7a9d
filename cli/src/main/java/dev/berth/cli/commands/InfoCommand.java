package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.Version;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.format.Template;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code berth info}: system-wide information, in docker's layout; --format over the daemon's JSON. */
public final class InfoCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("info", "info [OPTIONS]", "Display system-wide information", 0, 0,
                Flag.value("format", 'f', "string", "Format output using a custom template"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        Object info = cli.api().getJson("/info", null);
        String format = a.string("format");
        if (format != null) {
            Map<String, Object> data = new LinkedHashMap<>();
            if (info instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    data.put(String.valueOf(e.getKey()), e.getValue());
                }
            }
            data.put("ClientInfo", Map.of("Debug", false, "Context", "default", "Version", Version.CLIENT));
            cli.out().println(Template.parse(format.replace("\\t", "\t").replace("\\n", "\n")).execute(data));
            return 0;
        }
        PrintStream out = cli.out();
        out.println("Client:");
        out.println(" Version:    " + Version.CLIENT);
        out.println(" Context:    default");
        out.println(" Debug Mode: false");
        out.println();
        out.println("Server:");
        out.println(" Containers: " + Api.number(info, "Containers"));
        out.println("  Running: " + Api.number(info, "ContainersRunning"));
        out.println("  Paused: " + Api.number(info, "ContainersPaused"));
        out.println("  Stopped: " + Api.number(info, "ContainersStopped"));
        out.println(" Images: " + Api.number(info, "Images"));
        out.println(" Server Version: " + Api.string(info, "ServerVersion"));
        out.println(" Storage Driver: " + Api.string(info, "Driver"));
        out.println(" Logging Driver: " + Api.string(info, "LoggingDriver"));
        out.println(" Cgroup Driver: " + Api.string(info, "CgroupDriver"));
        out.println(" Cgroup Version: " + Api.string(info, "CgroupVersion"));
        out.println(" Plugins:");
        out.println("  Volume: " + String.join(" ", strings(Api.list(info, "Plugins", "Volume"))));
        out.println("  Network: " + String.join(" ", strings(Api.list(info, "Plugins", "Network"))));
        out.println("  Log: " + String.join(" ", strings(Api.list(info, "Plugins", "Log"))));
        out.println(" Runtimes: " + String.join(" ", keys(Api.get(info, "Runtimes"))));
        out.println(" Default Runtime: " + Api.string(info, "DefaultRuntime"));
        out.println(" Init Binary: " + Api.string(info, "InitBinary"));
        out.println(" Security Options:");
        for (Object o : Api.list(info, "SecurityOptions")) {
            out.println("  " + o);
        }
        out.println(" Kernel Version: " + Api.string(info, "KernelVersion"));
        out.println(" Operating System: " + Api.string(info, "OperatingSystem"));
        out.println(" OSType: " + Api.string(info, "OSType"));
        out.println(" Architecture: " + Api.string(info, "Architecture"));
        out.println(" CPUs: " + Api.number(info, "NCPU"));
        out.println(" Total Memory: " + Units.bytesSize(Api.number(info, "MemTotal")));
        out.println(" Name: " + Api.string(info, "Name"));
        out.println(" ID: " + Api.string(info, "ID"));
        out.println(" Berth Root Dir: " + Api.string(info, "DockerRootDir"));
        out.println(" Debug Mode: " + Api.string(info, "Debug"));
        out.println(" Experimental: " + Api.string(info, "ExperimentalBuild"));
        out.println(" Insecure Registries:");
        for (Object o : Api.list(info, "RegistryConfig", "InsecureRegistryCIDRs")) {
            out.println("  " + o);
        }
        java.util.List<Object> mirrors = Api.list(info, "RegistryConfig", "Mirrors");
        if (!mirrors.isEmpty()) {
            out.println(" Registry Mirrors:");
            for (Object o : mirrors) {
                out.println("  " + o);
            }
        }
        out.println(" Live Restore Enabled: " + Api.string(info, "LiveRestoreEnabled"));
        for (Object w : Api.list(info, "Warnings")) {
            cli.err().println(w);
        }
        return 0;
    }

    private static java.util.List<String> strings(java.util.List<Object> l) {
        return l.stream().map(String::valueOf).toList();
    }

    private static java.util.List<String> keys(Object m) {
        return m instanceof Map<?, ?> map ? map.keySet().stream().map(String::valueOf).sorted().toList() : java.util.List.of();
    }
}
