package dev.berth.cli.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The template functions: docker's (cli/templates) and the Go builtins people use with them. */
final class Functions {
    private static final Set<String> NAMES = Set.of("json", "join", "split", "lower", "upper", "title", "truncate", "pad",
            "println", "print", "printf", "len", "index", "eq", "ne", "not", "and", "or");

    private Functions() {}

    static boolean exists(String name) {
        return NAMES.contains(name);
    }

    static Object call(String name, List<Object> a) throws TemplateException {
        return switch (name) {
            case "json" -> GoJson.compact(arg(name, a, 0, 1));
            case "join" -> {
                need(name, a, 2);
                List<String> parts = new ArrayList<>();
                for (Object o : list(name, a.get(0))) {
                    parts.add(GoValue.format(o));
                }
                yield String.join(str(a.get(1)), parts);
            }
            case "split" -> {
                need(name, a, 2);
                yield List.<Object>of((Object[]) str(a.get(0)).split(java.util.regex.Pattern.quote(str(a.get(1))), -1));
            }
            case "lower" -> str(arg(name, a, 0, 1)).toLowerCase(Locale.ROOT);
            case "upper" -> str(arg(name, a, 0, 1)).toUpperCase(Locale.ROOT);
            case "title" -> {
                String s = str(arg(name, a, 0, 1));
                yield s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
            }
            case "truncate" -> {
                need(name, a, 2);
                String s = str(a.get(0));
                int n = ((Number) a.get(1)).intValue();
                yield s.length() > n ? s.substring(0, n) : s;
            }
            case "pad" -> {
                need(name, a, 3);
                yield " ".repeat(((Number) a.get(1)).intValue()) + str(a.get(0)) + " ".repeat(((Number) a.get(2)).intValue());
            }
            case "print" -> concat(a, false);
            case "println" -> concat(a, true) + "\n";
            case "printf" -> printf(a);
            case "len" -> {
                Object v = arg(name, a, 0, 1);
                if (v instanceof List<?> l) {
                    yield (long) l.size();
                }
                if (v instanceof Map<?, ?> m) {
                    yield (long) m.size();
                }
                if (v instanceof String s) {
                    yield (long) s.length();
                }
                throw new TemplateException("error calling len: len of type " + Template.typeName(v));
            }
            case "index" -> {
                if (a.isEmpty()) {
                    throw new TemplateException("wrong number of args for index: want at least 1 got 0");
                }
                Object v = a.getFirst();
                for (Object key : a.subList(1, a.size())) {
                    if (v instanceof Map<?, ?> m) {
                        v = m.containsKey(str(key)) ? m.get(str(key)) : Template.NO_VALUE;
                    } else if (v instanceof List<?> l && key instanceof Number n) {
                        if (n.intValue() < 0 || n.intValue() >= l.size()) {
                            throw new TemplateException("error calling index: index out of range: " + n);
                        }
                        v = l.get(n.intValue());
                    } else {
                        throw new TemplateException("error calling index: can't index item of type " + Template.typeName(v));
                    }
                }
                yield v;
            }
            case "eq" -> {
                need(name, a, 2);
                yield equal(a.get(0), a.get(1));
            }
            case "ne" -> {
                need(name, a, 2);
                yield !equal(a.get(0), a.get(1));
            }
            case "not" -> !GoValue.truth(arg(name, a, 0, 1));
            case "and" -> {
                Object last = null;
                for (Object o : a) {
                    last = o;
                    if (!GoValue.truth(o)) {
                        break;
                    }
                }
                yield last;
            }
            case "or" -> {
                Object last = null;
                for (Object o : a) {
                    last = o;
                    if (GoValue.truth(o)) {
                        break;
                    }
                }
                yield last;
            }
            default -> throw new TemplateException("template: :1: function \"" + name + "\" not defined");
        };
    }

    private static boolean equal(Object x, Object y) {
        if (x instanceof Number a && y instanceof Number b) {
            return a.doubleValue() == b.doubleValue();
        }
        return java.util.Objects.equals(x, y);
    }

    private static String concat(List<Object> a, boolean spaces) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < a.size(); i++) {
            // Go's Sprint adds spaces only between operands when neither is a string; Sprintln always
            if (i > 0 && (spaces || !(a.get(i) instanceof String) && !(a.get(i - 1) instanceof String))) {
                s.append(' ');
            }
            s.append(GoValue.format(a.get(i)));
        }
        return s.toString();
    }

    private static String printf(List<Object> a) throws TemplateException {
        if (a.isEmpty()) {
            throw new TemplateException("wrong number of args for printf: want at least 1 got 0");
        }
        String f = str(a.getFirst());
        StringBuilder s = new StringBuilder();
        int next = 1;
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (c != '%' || i + 1 >= f.length()) {
                s.append(c);
                continue;
            }
            char verb = f.charAt(++i);
            if (verb == '%') {
                s.append('%');
                continue;
            }
            Object v = next < a.size() ? a.get(next++) : null;
            switch (verb) {
                case 'q' -> s.append(GoJson.compact(GoValue.format(v)));
                case 's', 'v', 'd' -> s.append(GoValue.format(v));
                default -> throw new TemplateException("printf: verb %" + verb + " is not supported");
            }
        }
        return s.toString();
    }

    private static Object arg(String name, List<Object> a, int i, int want) throws TemplateException {
        need(name, a, want);
        return a.get(i);
    }

    private static void need(String name, List<Object> a, int want) throws TemplateException {
        if (a.size() != want) {
            throw new TemplateException("wrong number of args for " + name + ": want " + want + " got " + a.size());
        }
    }

    private static String str(Object o) {
        return o instanceof String s ? s : GoValue.format(o);
    }

    private static List<?> list(String name, Object o) throws TemplateException {
        if (o instanceof List<?> l) {
            return l;
        }
        throw new TemplateException("error calling " + name + ": expected a list, got " + Template.typeName(o));
    }
}
