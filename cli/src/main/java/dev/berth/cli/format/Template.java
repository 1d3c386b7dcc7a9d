package dev.berth.cli.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The part of Go's text/template that docker's --format users write, over decoded JSON (maps,
 * lists, strings, numbers, booleans):
 *
 * <ul>
 *   <li>actions {@code {{.}}}, {@code {{.Field.Path}}}, with {@code {{-}} / {@code -}}} trimming;
 *   <li>pipelines {@code {{.Config | json}}} and calls {@code {{json .Config}}},
 *       {@code {{join .Args ","}}}, {@code {{index .Labels "k"}}}, nested {@code (...)};
 *   <li>docker's functions json, join, split, lower, upper, title, truncate, pad, println, and
 *       Go's len, index, print, printf (%s %d %v %q), eq, ne, not, and, or;
 *   <li>{@code if / else / end}, {@code range / else / end}, {@code with / else / end}.
 * </ul>
 *
 * A missing map key gives Go's {@code <no value>}; anything beyond this subset (variables,
 * templates, block) is a parse error naming what is not supported.
 */
public final class Template {
    /** The value of a key that is not in the map: Go prints it as {@code <no value>}. */
    public static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "<no value>";
        }
    };

    private final List<Node> nodes;

    private Template(List<Node> nodes) {
        this.nodes = nodes;
    }

    public static Template parse(String text) throws TemplateException {
        TemplateParser p = new TemplateParser(text);
        List<Node> nodes = p.parseList(false);
        return new Template(nodes);
    }

    public String execute(Object data) throws TemplateException {
        StringBuilder out = new StringBuilder();
        run(nodes, data, out);
        return out.toString();
    }

    // ---- the tree -----------------------------------------------------------------------

    sealed interface Node permits Text, Action, Branch {}

    record Text(String text) implements Node {}

    record Action(Pipeline pipeline) implements Node {}

    /** if, range or with: a pipeline, the body, and the else part (maybe empty). */
    record Branch(String keyword, Pipeline pipeline, List<Node> body, List<Node> otherwise) implements Node {}

    record Pipeline(List<Cmd> cmds) {}

    record Cmd(List<Arg> args) {}

    sealed interface Arg permits Field, Literal, Ident, Sub, Chain {}

    /** {@code .} (empty path) or {@code .A.B}. */
    record Field(List<String> path) implements Arg {}

    record Literal(Object value) implements Arg {}

    record Ident(String name) implements Arg {}

    record Sub(Pipeline pipeline) implements Arg {}

    /** A field of a parenthesized pipeline's value: {@code (index .IPAM.Config 0).Subnet}. */
    record Chain(Sub base, List<String> path) implements Arg {}

    // ---- evaluation ---------------------------------------------------------------------

    private static void run(List<Node> nodes, Object dot, StringBuilder out) throws TemplateException {
        for (Node n : nodes) {
            if (n instanceof Text t) {
                out.append(t.text());
            } else if (n instanceof Action a) {
                out.append(GoValue.format(eval(a.pipeline(), dot)));
            } else if (n instanceof Branch b) {
                Object v = eval(b.pipeline(), dot);
                switch (b.keyword()) {
                    case "if" -> run(GoValue.truth(v) ? b.body() : b.otherwise(), dot, out);
                    case "with" -> {
                        if (GoValue.truth(v)) {
                            run(b.body(), v, out);
                        } else {
                            run(b.otherwise(), dot, out);
                        }
                    }
                    default -> range(b, v, dot, out);
                }
            }
        }
    }

    private static void range(Branch b, Object v, Object dot, StringBuilder out) throws TemplateException {
        if (v instanceof List<?> l && !l.isEmpty()) {
            for (Object item : l) {
                run(b.body(), item, out);
            }
        } else if (v instanceof Map<?, ?> m && !m.isEmpty()) {
            // Go ranges over a map in key order
            for (Object item : new java.util.TreeMap<>(m).values()) {
                run(b.body(), item, out);
            }
        } else if (v == null || v == NO_VALUE || v instanceof List<?> || v instanceof Map<?, ?>) {
            run(b.otherwise(), dot, out);
        } else {
            throw new TemplateException("range can't iterate over " + GoValue.format(v));
        }
    }

    private static Object eval(Pipeline p, Object dot) throws TemplateException {
        Object result = null;
        boolean first = true;
        for (Cmd c : p.cmds()) {
            result = evalCmd(c, dot, first ? null : new Object[] {result});
            first = false;
        }
        return result;
    }

    private static Object evalCmd(Cmd c, Object dot, Object[] piped) throws TemplateException {
        Arg head = c.args().getFirst();
        if (head instanceof Ident id) {
            List<Object> args = new ArrayList<>();
            for (Arg a : c.args().subList(1, c.args().size())) {
                args.add(value(a, dot));
            }
            if (piped != null) {
                args.add(piped[0]);
            }
            return Functions.call(id.name(), args);
        }
        if (c.args().size() > 1 || piped != null) {
            throw new TemplateException("can't give argument to non-function " + describe(head));
        }
        return value(head, dot);
    }

    // instanceof rather than a pattern switch: the switch's bootstrap spins a class at run time,
    // ~10 ms of a command's start that the AOT cache cannot hold.
    private static Object value(Arg a, Object dot) throws TemplateException {
        if (a instanceof Field f) {
            return field(dot, f.path());
        }
        if (a instanceof Literal l) {
            return l.value();
        }
        if (a instanceof Sub s) {
            return eval(s.pipeline(), dot);
        }
        if (a instanceof Chain ch) {
            return field(eval(ch.base().pipeline(), dot), ch.path());
        }
        return Functions.call(((Ident) a).name(), List.of());
    }

    /**
     * A value computed only when a template uses it (a listing's CreatedAt needs the time-zone
     * names, which cost a command ~20 ms of start-up it would otherwise not pay).
     */
    public interface Lazy {
        Object get();
    }

    static Object field(Object dot, List<String> path) throws TemplateException {
        Object v = dot;
        for (String name : path) {
            if (v instanceof Map<?, ?> m) {
                v = m.containsKey(name) ? m.get(name) : NO_VALUE;
                if (v instanceof Lazy lazy) {
                    v = lazy.get();
                }
            } else if (v == null || v == NO_VALUE) {
                throw new TemplateException("nil pointer evaluating interface {}." + name);
            } else {
                throw new TemplateException("can't evaluate field " + name + " in type " + typeName(v));
            }
        }
        return v;
    }

    static String typeName(Object v) {
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Number) {
            return v instanceof Double ? "float64" : "int";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof List<?>) {
            return "[]interface {}";
        }
        return "interface {}";
    }

    private static String describe(Arg a) {
        return a instanceof Field f ? (f.path().isEmpty() ? "." : "." + String.join(".", f.path())) : a.toString();
    }
}
