package dev.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.plan.LaunchPlan;
import dev.berth.runtime.plan.Op;
import dev.berth.runtime.plan.OpCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shim reports (op index, errno, call); the user reads the config field and the reason. */
class ShimErrorTest {
    private static final LaunchPlan PLAN = new LaunchPlan(List.of(
            Op.of(OpCode.MOUNT, "/proc", "mounts[3]", new long[] {0, 1, 0, 0}, "proc", "/proc", "proc", ""),
            Op.of(OpCode.LOOKUP, "nosuch", "process.args", new long[] {1, 0}, "/bin", "nosuch"),
            Op.of(OpCode.CONSOLE_SOCKET, "/run/x.sock", "--console-socket", new long[] {}, "/run/x.sock")));

    @Test
    void errorsNameTheFieldAndTheReason() {
        assertThat(ShimSession.describeError(PLAN, "error 0 13 mount")).isEqualTo("mount /proc: permission denied (config.json mounts[3])");
        assertThat(ShimSession.describeError(PLAN, "error 1 2 exec"))
                .isEqualTo("exec: \"nosuch\": executable file not found in $PATH (config.json process.args)");
        assertThat(ShimSession.describeError(PLAN, "error 2 111 connect to console socket"))
                .isEqualTo("connect to console socket /run/x.sock: connection refused (--console-socket)");
        assertThat(ShimSession.describeError(PLAN, "error -1 32 setup process died")).isEqualTo("setup process died: broken pipe");
    }
}
