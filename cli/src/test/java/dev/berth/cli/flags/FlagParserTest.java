package dev.berth.cli.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FlagParserTest {
    private static final List<Flag> FLAGS = List.of(
            Flag.bool("detach", 'd', ""), Flag.bool("interactive", 'i', ""), Flag.bool("tty", 't', ""),
            Flag.bool("rm", ""), Flag.value("name", "string", ""), Flag.list("env", 'e', "list", ""),
            Flag.value("tail", 'n', "string", "").withDefault("all"));

    @Test
    void longShortBundledAndAttachedForms() throws Exception {
        ParsedArgs a = FlagParser.parse(FLAGS, List.of("-it", "--rm", "--name=web", "-eA=1", "-e", "B=2", "--env", "C=3", "-e=D=4", "busybox"), false);
        assertThat(a.bool("interactive")).isTrue();
        assertThat(a.bool("tty")).isTrue();
        assertThat(a.bool("rm")).isTrue();
        assertThat(a.bool("detach")).isFalse();
        assertThat(a.string("name")).isEqualTo("web");
        assertThat(a.list("env")).containsExactly("A=1", "B=2", "C=3", "D=4");
        assertThat(a.args()).containsExactly("busybox");
        assertThat(a.string("tail")).isEqualTo("all");
    }

    @Test
    void theFirstPositionalEndsTheFlagsOfRun() throws Exception {
        ParsedArgs a = FlagParser.parse(FLAGS, List.of("-d", "busybox", "ls", "-l", "--rm"), false);
        assertThat(a.args()).containsExactly("busybox", "ls", "-l", "--rm");
        assertThat(a.bool("rm")).isFalse();
    }

    @Test
    void flagsMayFollowPositionalsElsewhere() throws Exception {
        ParsedArgs a = FlagParser.parse(FLAGS, List.of("c1", "--rm", "c2", "--", "-d"), true);
        assertThat(a.args()).containsExactly("c1", "c2", "-d");
        assertThat(a.bool("rm")).isTrue();
        assertThat(a.bool("detach")).isFalse();
    }

    @Test
    void booleansTakeExplicitValues() throws Exception {
        assertThat(FlagParser.parse(FLAGS, List.of("--rm=false"), true).bool("rm")).isFalse();
        assertThatThrownBy(() -> FlagParser.parse(FLAGS, List.of("--rm=maybe"), true))
                .hasMessage("invalid argument \"maybe\" for \"--rm\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax");
    }

    @Test
    void errorsAreDockers() {
        assertThatThrownBy(() -> FlagParser.parse(FLAGS, List.of("--bogus"), true)).hasMessage("unknown flag: --bogus");
        assertThatThrownBy(() -> FlagParser.parse(FLAGS, List.of("-dz"), true)).hasMessage("unknown shorthand flag: 'z' in -dz");
        assertThatThrownBy(() -> FlagParser.parse(FLAGS, List.of("--name"), true)).hasMessage("flag needs an argument: --name");
        assertThatThrownBy(() -> FlagParser.parse(FLAGS, List.of("-e"), true)).hasMessage("flag needs an argument: 'e' in -e");
    }
}
