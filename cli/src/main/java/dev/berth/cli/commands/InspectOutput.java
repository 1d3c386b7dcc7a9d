package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.format.GoJson;
import dev.berth.cli.format.Template;
import java.util.ArrayList;
import java.util.List;

/**
 * What every inspect prints, as docker's: the objects found as one indented JSON array, or the
 * template once per object; then the lookups that failed, one line each, exit status 1.
 */
final class InspectOutput {
    /** Looks one name up; a CliException is reported after the others are printed. */
    interface Lookup {
        Object find(String name) throws Exception;
    }

    private InspectOutput() {}

    static int print(Cli cli, Template template, List<String> names, Lookup lookup) throws Exception {
        List<Object> found = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String name : names) {
            try {
                found.add(lookup.find(name));
            } catch (CliException e) {
                errors.add(e.getMessage());
            }
        }
        if (template == null) {
            cli.out().println(GoJson.indented(found, "    "));
        } else {
            for (Object o : found) {
                cli.out().println(template.execute(o));
            }
        }
        if (!errors.isEmpty()) {
            cli.out().flush();
            throw new CliException(String.join("\n", errors), 1);
        }
        return 0;
    }
}
