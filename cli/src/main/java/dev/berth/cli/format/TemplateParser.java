package dev.berth.cli.format;

import dev.berth.cli.format.Template.Action;
import dev.berth.cli.format.Template.Arg;
import dev.berth.cli.format.Template.Branch;
import dev.berth.cli.format.Template.Chain;
import dev.berth.cli.format.Template.Cmd;
import dev.berth.cli.format.Template.Field;
import dev.berth.cli.format.Template.Ident;
import dev.berth.cli.format.Template.Literal;
import dev.berth.cli.format.Template.Node;
import dev.berth.cli.format.Template.Pipeline;
import dev.berth.cli.format.Template.Sub;
import dev.berth.cli.format.Template.Text;
import java.util.ArrayList;
import java.util.List;

/** Text and {{actions}} into the tree {@link Template} runs; errors read like Go's "template: ..." ones. */
final class TemplateParser {
    private final String src;
    private int pos;
    /** The keyword that closed the last parseList: "end", "else", or null at the end of input. */
    private String stoppedAt;
    private boolean trimNextText;

    TemplateParser(String src) {
        this.src = src;
    }

    /** Nodes up to the end of input, or (inside a block) up to its {{else}} or {{end}}. */
    List<Node> parseList(boolean inBlock) throws TemplateException {
        List<Node> nodes = new ArrayList<>();
        while (pos < src.length()) {
            int open = src.indexOf("{{", pos);
            String text = src.substring(pos, open < 0 ? src.length() : open);
            if (trimNextText) {
                text = text.stripLeading();
                trimNextText = false;
            }
            if (open < 0) {
                add(nodes, text);
                pos = src.length();
                break;
            }
            int start = open + 2;
            if (start < src.length() && src.charAt(start) == '-' && start + 1 < src.length() && Character.isWhitespace(src.charAt(start + 1))) {
                text = text.stripTrailing();
                start++;
            }
            add(nodes, text);
            int close = findClose(start);
            int end = close;
            if (close - 1 >= start && src.charAt(close - 1) == '-' && close - 2 >= start && Character.isWhitespace(src.charAt(close - 2))) {
                end = close - 1;
                trimNextText = true;
            }
            pos = close + 2;
            String body = src.substring(start, end).trim();
            if (body.startsWith("/*")) {
                continue; // a comment
            }
            String keyword = firstWord(body);
            switch (keyword) {
                case "end", "else" -> {
                    if (!inBlock) {
                        throw new TemplateException("template: :1: unexpected {{" + keyword + "}}");
                    }
                    if (keyword.equals("else") && !body.equals("else")) {
                        throw new TemplateException("template: :1: {{else " + body.substring(4).trim() + "}} is not supported");
                    }
                    stoppedAt = keyword;
                    return nodes;
                }
                case "if", "range", "with" -> nodes.add(block(keyword, body.substring(keyword.length())));
                case "define", "template", "block", "break", "continue" ->
                        throw new TemplateException("template: :1: {{" + keyword + "}} is not supported");
                default -> nodes.add(new Action(pipeline(body)));
            }
        }
        if (inBlock) {
            throw new TemplateException("template: :1: unexpected EOF");
        }
        stoppedAt = null;
        return nodes;
    }

    private Branch block(String keyword, String rest) throws TemplateException {
        Pipeline p = pipeline(rest.trim());
        List<Node> body = parseList(true);
        List<Node> otherwise = List.of();
        if ("else".equals(stoppedAt)) {
            otherwise = parseList(true);
            if (!"end".equals(stoppedAt)) {
                throw new TemplateException("template: :1: expected end; found {{else}}");
            }
        }
        return new Branch(keyword, p, body, otherwise);
    }

    private static void add(List<Node> nodes, String text) {
        if (!text.isEmpty()) {
            nodes.add(new Text(text));
        }
    }

    private int findClose(int from) throws TemplateException {
        boolean quoted = false;
        for (int i = from; i < src.length() - 1; i++) {
            char c = src.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '}' && src.charAt(i + 1) == '}') {
                return i;
            }
        }
        throw new TemplateException("template: :1: unclosed action");
    }

    private static String firstWord(String body) {
        int i = 0;
        while (i < body.length() && Character.isLetter(body.charAt(i))) {
            i++;
        }
        return body.substring(0, i);
    }

    // ---- pipelines ----------------------------------------------------------------------

    private String text;
    private int at;

    private Pipeline pipeline(String action) throws TemplateException {
        String savedText = text;
        int savedAt = at;
        text = action;
        at = 0;
        try {
            Pipeline p = pipelineUntil((char) 0);
            if (at < text.length()) {
                throw new TemplateException("template: :1: unexpected \"" + text.charAt(at) + "\" in command");
            }
            return p;
        } finally {
            text = savedText;
            at = savedAt;
        }
    }

    private Pipeline pipelineUntil(char closer) throws TemplateException {
        List<Cmd> cmds = new ArrayList<>();
        List<Arg> args = new ArrayList<>();
        while (true) {
            skipSpace();
            if (at >= text.length() || text.charAt(at) == closer) {
                break;
            }
            char c = text.charAt(at);
            if (c == '|') {
                at++;
                if (args.isEmpty()) {
                    throw new TemplateException("template: :1: missing command before |");
                }
                cmds.add(new Cmd(List.copyOf(args)));
                args.clear();
            } else if (c == '(') {
                at++;
                Pipeline inner = pipelineUntil(')');
                if (at >= text.length()) {
                    throw new TemplateException("template: :1: unclosed left paren");
                }
                at++;
                if (at + 1 < text.length() && text.charAt(at) == '.' && Character.isLetter(text.charAt(at + 1))) {
                    args.add(new Chain(new Sub(inner), field().path()));
                } else {
                    args.add(new Sub(inner));
                }
            } else if (c == '.') {
                args.add(field());
            } else if (c == '"' || c == '`') {
                args.add(new Literal(string(c)));
            } else if (c == '-' || Character.isDigit(c)) {
                args.add(new Literal(number()));
            } else if (Character.isLetter(c)) {
                String word = word();
                args.add(switch (word) {
                    case "true" -> new Literal(Boolean.TRUE);
                    case "false" -> new Literal(Boolean.FALSE);
                    case "nil" -> new Literal(null);
                    default -> {
                        if (!Functions.exists(word)) {
                            throw new TemplateException("template: :1: function \"" + word + "\" not defined");
                        }
                        yield new Ident(word);
                    }
                });
            } else if (c == '$') {
                throw new TemplateException("template: :1: variables ($) are not supported");
            } else {
                throw new TemplateException("template: :1: unexpected \"" + c + "\" in command");
            }
        }
        if (args.isEmpty()) {
            throw new TemplateException(cmds.isEmpty() ? "template: :1: missing value for command" : "template: :1: missing command after |");
        }
        cmds.add(new Cmd(List.copyOf(args)));
        return new Pipeline(List.copyOf(cmds));
    }

    private Field field() {
        List<String> path = new ArrayList<>();
        while (at < text.length() && text.charAt(at) == '.') {
            at++;
            int start = at;
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
                at++;
            }
            if (at > start) {
                path.add(text.substring(start, at));
            }
        }
        return new Field(List.copyOf(path));
    }

    private String string(char quote) throws TemplateException {
        StringBuilder s = new StringBuilder();
        at++;
        while (at < text.length() && text.charAt(at) != quote) {
            char c = text.charAt(at++);
            if (c == '\\' && quote == '"' && at < text.length()) {
                char e = text.charAt(at++);
                s.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> e;
                });
            } else {
                s.append(c);
            }
        }
        if (at >= text.length()) {
            throw new TemplateException("template: :1: unterminated quoted string");
        }
        at++;
        return s.toString();
    }

    private Object number() throws TemplateException {
        int start = at;
        at++;
        while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.')) {
            at++;
        }
        String n = text.substring(start, at);
        try {
            return n.contains(".") ? (Object) Double.valueOf(n) : (Object) Long.valueOf(n);
        } catch (NumberFormatException e) {
            throw new TemplateException("template: :1: bad number syntax: \"" + n + "\"");
        }
    }

    private String word() {
        int start = at;
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
            at++;
        }
        return text.substring(start, at);
    }

    private void skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }
}
