package dev.berth.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.runtime.Spec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** `update`: docker's size units, flags to resources, -r documents, and the errors (no root needed). */
class UpdateVerbTest {
    private final UpdateVerb verb = new UpdateVerb();

    private Args args(String... argv) {
        return Args.parse(List.of(argv), verb.booleans(), verb.aliases(), verb.valued());
    }

    @ParameterizedTest
    @CsvSource({"512, 512", "0, 0", "64m, 67108864", "64M, 67108864", "1g, 1073741824", "1.5g, 1610612736",
            "2GiB, 2147483648", "10kb, 10240", "'1 k', 1024", "3b, 3", "1.1k, 1126", "1t, 1099511627776",
            "2p, 2251799813685248"})
    void ramSizesReadAsDockersUnits(String text, long bytes) {
        assertThat(RamSize.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "64x", "-5", "", "m", "1.2.3m", "64mm", "1e3", "9999999p"})
    void badSizesAreRefused(String text) {
        assertThatThrownBy(() -> RamSize.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid size: '" + text + "'");
    }

    @Test
    void onlyTheGivenFlagsBecomeResources() {
        Spec.Resources r = ResourceFlags.fromFlags(args("--memory", "64m", "--pids-limit", "20", "id"));
        assertThat(r.memory().limit()).isEqualTo(64L << 20);
        assertThat(r.memory().swap()).isNull();
        assertThat(r.memory().reservation()).isNull();
        assertThat(r.pids().limit()).isEqualTo(20L);
        assertThat(r.cpu().shares()).isNull();
        assertThat(r.cpu().quota()).isNull();
        assertThat(r.cpu().cpus()).isNull();
        assertThat(r.blockIO().weight()).isNull();
        assertThat(r.devices()).isNull();
    }

    @Test
    void everyFlagLandsInItsField() {
        Spec.Resources r = ResourceFlags.fromFlags(args("--memory", "-1", "--memory-swap", "1g", "--memory-reservation=32m",
                "--cpu-share", "512", "--cpu-quota", "-1", "--cpu-period", "100000", "--cpu-rt-runtime", "950",
                "--cpu-rt-period", "1000", "--cpuset-cpus", "0-1", "--cpuset-mems", "0", "--blkio-weight", "300", "id"));
        assertThat(r.memory().limit()).isEqualTo(-1L);
        assertThat(r.memory().swap()).isEqualTo(1L << 30);
        assertThat(r.memory().reservation()).isEqualTo(32L << 20);
        assertThat(r.cpu().shares()).isEqualTo(512L);
        assertThat(r.cpu().quota()).isEqualTo(-1L);
        assertThat(r.cpu().period()).isEqualTo(100000L);
        assertThat(r.cpu().burst()).isNull();
        assertThat(r.cpu().realtimeRuntime()).isEqualTo(950L);
        assertThat(r.cpu().realtimePeriod()).isEqualTo(1000L);
        assertThat(r.cpu().cpus()).isEqualTo("0-1");
        assertThat(r.cpu().mems()).isEqualTo("0");
        assertThat(r.blockIO().weight()).isEqualTo(300);
        assertThat(r.pids().limit()).isNull();
    }

    @Test
    void zerosLeaveValuesUnchangedAndNegativePidsMeanUnlimited() {
        Spec.Resources zeros = ResourceFlags.fromFlags(args("--pids-limit", "0", "--memory", "0", "--blkio-weight", "0", "id"));
        assertThat(zeros.pids().limit()).isNull();
        assertThat(zeros.memory().limit()).isNull();
        assertThat(zeros.blockIO().weight()).isNull();
        assertThat(ResourceFlags.fromFlags(args("--pids-limit", "-5", "id")).pids().limit()).isEqualTo(-1L);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "memory|abc|invalid value for memory: invalid size: 'abc'",
            "memory-swap|64x|invalid value for memory-swap: invalid size: '64x'",
            "memory-reservation|-2|invalid value for memory-reservation: invalid size: '-2'",
            "cpu-quota|abc|invalid value for cpu-quota: \"abc\" is not an integer",
            "cpu-share|-1|invalid value for cpu-share: \"-1\" is negative",
            "cpu-period|1.5|invalid value for cpu-period: \"1.5\" is not an unsigned integer",
            "cpu-rt-runtime|x|invalid value for cpu-rt-runtime: \"x\" is not an integer",
            "pids-limit|abc|invalid value for pids-limit: \"abc\" is not an integer",
            "blkio-weight|5|invalid value for blkio-weight: 5 is out of range (10 to 1000)"})
    void aBadValueNamesItsFlag(String flag, String value, String message) {
        assertThatThrownBy(() -> ResourceFlags.fromFlags(args("--" + flag, value, "id")))
                .isInstanceOf(UsageException.class).hasMessage(message);
    }

    @Test
    void runcsTemplateOfZerosChangesNothing() {
        String template = """
                {"memory": {"limit": 0, "reservation": 0, "swap": 0},
                 "cpu": {"shares": 0, "quota": 0, "period": 0, "realtimeRuntime": 0, "realtimePeriod": 0, "cpus": "", "mems": ""},
                 "blockIO": {"weight": 0}, "pids": {"limit": 0}}""";
        Spec.Resources r = ResourceFlags.fromJson(template, "t.json", w -> {});
        assertThat(r.memory()).isEqualTo(new Spec.Memory(null, null, null, null, null, null, null, null, null));
        assertThat(r.cpu()).isEqualTo(new Spec.Cpu(null, null, null, null, null, null, null, null, null));
        assertThat(r.blockIO().weight()).isNull();
        assertThat(r.pids().limit()).isNull();
    }

    @Test
    void aResourcesDocumentKeepsWhatItSetsAndDropsDevices() {
        List<String> warnings = new ArrayList<>();
        Spec.Resources r = ResourceFlags.fromJson("""
                {"memory": {"limit": 33554432, "swappiness": 0}, "cpu": {"cpus": "0"}, "pids": {"limit": 9},
                 "devices": [{"allow": false, "access": "rwm"}], "hugepageLimits": [{"pageSize": "2MB", "limit": 0}]}""",
                "r.json", warnings::add);
        assertThat(r.memory().limit()).isEqualTo(32L << 20);
        assertThat(r.memory().swappiness()).isZero();
        assertThat(r.cpu().cpus()).isEqualTo("0");
        assertThat(r.pids().limit()).isEqualTo(9L);
        assertThat(r.hugepageLimits()).hasSize(1);
        assertThat(r.devices()).isNull();
        assertThat(warnings).singleElement().asString().contains("devices").contains("r.json");
    }

    @Test
    void aBadResourcesDocumentSaysWhereItIsWrong() {
        assertThatThrownBy(() -> ResourceFlags.fromJson("{\"memory\": {\"limit\": \"abc\"}}", "bad.json", w -> {}))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("invalid resources in bad.json: ")
                .hasMessageContaining("limit");
        assertThatThrownBy(() -> ResourceFlags.fromJson("{\"memory\": ", "stdin", w -> {}))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("invalid resources in stdin: ");
    }

    private Context noRuntime() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        return new Context(null, Path.of("/nonexistent"), sink, new Logger(sink, false, false));
    }

    @Test
    void intelRdtSchemasAreRefused() {
        assertThatThrownBy(() -> verb.run(args("--l3-cache-schema", "L3:0=f", "id"), noRuntime()))
                .isInstanceOf(UsageException.class).hasMessageContaining("not supported");
        assertThatThrownBy(() -> verb.run(args("--mem-bw-schema", "MB:0=50", "id"), noRuntime()))
                .isInstanceOf(UsageException.class).hasMessageContaining("not supported");
    }

    @Test
    void exactlyOneIdIsRequiredAndFlagsComeFirst() {
        assertThatThrownBy(() -> verb.run(args("--memory", "1m"), noRuntime()))
                .isInstanceOf(UsageException.class).hasMessage("\"update\" requires exactly 1 argument(s)");
        assertThatThrownBy(() -> verb.run(args("id", "--memory", "1m"), noRuntime()))
                .isInstanceOf(UsageException.class).hasMessage("\"update\" requires exactly 1 argument(s)");
        assertThatThrownBy(() -> args("--memry", "1m", "id")).isInstanceOf(UsageException.class)
                .hasMessage("flag provided but not defined: -memry");
        assertThat(args("-r", "-", "id").value("resources", null)).isEqualTo("-");
    }
}
