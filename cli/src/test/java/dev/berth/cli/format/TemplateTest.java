package dev.berth.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TemplateTest {
    private static final Object CONTAINER = JsonParser.parse("""
            {"Id":"abc","Name":"/web","State":{"Status":"running","Running":true,"ExitCode":0},
             "Config":{"Cmd":["sh","-c","echo <hi> & bye"],"Env":["A=1","B=2"],"Labels":{"k":"v","a":"b"},"Tty":false},
             "Mounts":[{"Source":"/a","Destination":"/x"},{"Source":"/b","Destination":"/y"}],"Memory":1073741824,"Empty":[]}
            """);

    private static String run(String template) throws TemplateException {
        return Template.parse(template).execute(CONTAINER);
    }

    @Test
    void fieldPaths() throws Exception {
        assertThat(run("{{.State.Status}} {{.Name}} {{.State.Running}} {{.State.ExitCode}}")).isEqualTo("running /web true 0");
        assertThat(run("{{.Memory}}")).isEqualTo("1073741824");
    }

    @Test
    void aFieldOfAParenthesizedPipeline() throws Exception {
        assertThat(run("{{(index .Config.Cmd 0)}}")).isEqualTo("sh");
        assertThat(run("{{(.State).Status}}")).isEqualTo("running");
        assertThat(run("{{(index .Config.Labels \"k\") | len}}")).isEqualTo("1");
    }

    @Test
    void valuesPrintAsGoPrintsThem() throws Exception {
        assertThat(run("{{.Config.Cmd}}")).isEqualTo("[sh -c echo <hi> & bye]");
        assertThat(run("{{.Config.Labels}}")).isEqualTo("map[a:b k:v]");
        assertThat(run("{{.NoSuchField}}")).isEqualTo("<no value>");
    }

    @Test
    void jsonWithoutHtmlEscapingAndInTheDaemonsOrder() throws Exception {
        assertThat(run("{{json .Config.Cmd}}")).isEqualTo("[\"sh\",\"-c\",\"echo <hi> & bye\"]");
        assertThat(run("{{json .Config.Labels}}")).isEqualTo("{\"k\":\"v\",\"a\":\"b\"}");
        assertThat(run("{{.State | json}}")).isEqualTo("{\"Status\":\"running\",\"Running\":true,\"ExitCode\":0}");
        assertThat(run("{{json .Empty}}")).isEqualTo("[]");
    }

    @Test
    void functions() throws Exception {
        assertThat(run("{{join .Config.Env \",\"}}")).isEqualTo("A=1,B=2");
        assertThat(run("{{index .Config.Labels \"k\"}} {{index .Config.Env 1}}")).isEqualTo("v B=2");
        assertThat(run("{{upper .State.Status}} {{len .Mounts}}")).isEqualTo("RUNNING 2");
        assertThat(run("{{printf \"%s:%d\" .Name .State.ExitCode}}")).isEqualTo("/web:0");
        assertThat(run("{{split \"a:b\" \":\"}}")).isEqualTo("[a b]");
    }

    @Test
    void rangeIfWithAndTrimming() throws Exception {
        assertThat(run("{{range .Mounts}}{{.Source}}->{{.Destination}} {{end}}")).isEqualTo("/a->/x /b->/y ");
        assertThat(run("{{if .State.Running}}up{{else}}down{{end}}")).isEqualTo("up");
        assertThat(run("{{if .Config.Tty}}tty{{else}}no tty{{end}}")).isEqualTo("no tty");
        assertThat(run("{{range .Empty}}x{{else}}none{{end}}")).isEqualTo("none");
        assertThat(run("{{with .State}}{{.Status}}{{end}}")).isEqualTo("running");
        assertThat(run("a  {{- .Name -}}  b")).isEqualTo("a/webb");
        assertThat(run("{{if eq .State.Status \"running\"}}yes{{end}}")).isEqualTo("yes");
    }

    @Test
    void errorsReadLikeGos() {
        assertThatThrownBy(() -> Template.parse("{{.Name")).hasMessage("template: :1: unclosed action");
        assertThatThrownBy(() -> Template.parse("{{nosuch .Name}}")).hasMessage("template: :1: function \"nosuch\" not defined");
        assertThatThrownBy(() -> run("{{.Name.Deeper}}")).hasMessage("can't evaluate field Deeper in type string");
        assertThatThrownBy(() -> Template.parse("{{range .Mounts}}")).hasMessage("template: :1: unexpected EOF");
    }
}
