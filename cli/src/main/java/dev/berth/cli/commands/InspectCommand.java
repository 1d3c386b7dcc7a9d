package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.DaemonException;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.FlagException;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.format.Template;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code berth inspect} (any object: container, then image, then volume) and the typed forms
 * {@code container inspect}, {@code image inspect}: the daemon's JSON as an indented array, or
 * each object through a --format template.
 */
public final class InspectCommand implements Command {
    private final String type;

    /** @param type "container" or "image" for the management forms, null for the generic command */
    public InspectCommand(String type) {
        this.type = type;
    }

    @Override
    public Spec spec() {
        List<Flag> flags = new ArrayList<>();
        flags.add(Flag.value("format", 'f', "string", "Format output using a custom template"));
        if (!"image".equals(type)) {
            flags.add(Flag.bool("size", 's', "Display total file sizes if the type is container"));
        }
        if (type == null) {
            flags.add(Flag.value("type", "string", "Only inspect objects of the given type"));
        }
        String what = type == null ? "NAME|ID" : type.equals("image") ? "IMAGE" : "CONTAINER";
        String description = type == null ? "Return low-level information on Docker objects"
                : "Display detailed information on one or more " + type + "s";
        return new Spec("inspect", "inspect [OPTIONS] " + what + " [" + what + "...]", description, List.copyOf(flags), true, 1, -1);
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        String wanted = type != null ? type : a.string("type");
        if (wanted != null && !List.of("container", "image", "volume").contains(wanted)) {
            throw new FlagException("\"" + wanted + "\" is not a valid value for --type");
        }
        Template template = a.string("format") == null ? null
                : Template.parse(a.string("format").replace("\\t", "\t").replace("\\n", "\n"));
        return InspectOutput.print(cli, template, a.args(), name -> lookup(cli, name, wanted, a.bool("size")));
    }

    private static Object lookup(Cli cli, String name, String type, boolean size) throws CliException {
        String segment = Api.segment(name);
        if (type != null) {
            return switch (type) {
                case "container" -> cli.api().getJson("/containers/" + segment + "/json", Api.query().put("size", size ? Boolean.TRUE : null));
                case "image" -> cli.api().getJson("/images/" + segment + "/json", null);
                default -> cli.api().getJson("/volumes/" + segment, null);
            };
        }
        for (String path : new String[] {"/containers/" + segment + "/json", "/images/" + segment + "/json", "/volumes/" + segment}) {
            try {
                return cli.api().getJson(path, path.startsWith("/containers") && size ? Api.query().put("size", true) : null);
            } catch (DaemonException e) {
                if (e.status() != 404 && e.status() != 400) {
                    throw e;
                }
            }
        }
        throw new CliException("Error: No such object: " + name, 1);
    }
}
