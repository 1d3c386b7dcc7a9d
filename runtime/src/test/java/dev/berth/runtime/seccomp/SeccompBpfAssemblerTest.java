package dev.berth.runtime.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class SeccompBpfAssemblerTest {
    @Test
    void encodesSockFilterLittleEndian() {
        BpfAssembler asm = new BpfAssembler();
        asm.load(SeccompData.ARCH);
        asm.ret(0x7FFF0000);
        ByteBuffer b = ByteBuffer.wrap(asm.assemble()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getShort()).isEqualTo((short) 0x20);
        assertThat(b.get()).isZero();
        assertThat(b.get()).isZero();
        assertThat(b.getInt()).isEqualTo(4);
        assertThat(b.getShort()).isEqualTo((short) 0x06);
        b.getShort();
        assertThat(b.getInt()).isEqualTo(0x7FFF0000);
    }

    @Test
    void conditionalJumpsBeyond255InstructionsGetTrampolines() {
        BpfAssembler asm = new BpfAssembler();
        BpfAssembler.Label far = asm.newLabel();
        BpfAssembler.Label farRet = asm.newLabel();
        asm.load(SeccompData.NR);
        asm.branch(BpfAssembler.JMP_JEQ_K, 1, far, null);
        asm.branch(BpfAssembler.JMP_JEQ_K, 2, null, farRet);
        for (int i = 0; i < 600; i++) {
            asm.branch(BpfAssembler.JMP_JEQ_K, 1000 + i, farRet, null); // never true: padding
        }
        asm.ret(22);
        asm.bind(far);
        asm.ret(11);
        asm.bind(farRet);
        asm.ret(33);
        byte[] code = asm.assemble();

        assertThat(BpfInterpreter.run(code, 0, 1)).isEqualTo(11);
        assertThat(BpfInterpreter.run(code, 0, 2)).isEqualTo(22);
        assertThat(BpfInterpreter.run(code, 0, 3)).isEqualTo(33);
        assertThat(BpfInterpreter.run(code, 0, 1000 + 599)).isEqualTo(33);
    }

    @Test
    void farJumpToNonReturnUsesJa() {
        BpfAssembler asm = new BpfAssembler();
        BpfAssembler.Label far = asm.newLabel();
        asm.load(SeccompData.NR);
        asm.branch(BpfAssembler.JMP_JEQ_K, 7, far, null);
        for (int i = 0; i < 300; i++) {
            asm.load(SeccompData.NR);
        }
        asm.ret(1);
        asm.bind(far);
        asm.load(SeccompData.ARCH);
        asm.branch(BpfAssembler.JMP_JEQ_K, 5, null, null);
        asm.ret(2);
        byte[] code = asm.assemble();
        assertThat(BpfInterpreter.run(code, 5, 7)).isEqualTo(2);
        assertThat(BpfInterpreter.run(code, 5, 8)).isEqualTo(1);
    }

    @Test
    void rejectsBackwardJumpsAndMissingReturn() {
        BpfAssembler back = new BpfAssembler();
        BpfAssembler.Label start = back.newLabel();
        back.bind(start);
        back.load(0);
        back.jump(start);
        back.ret(0);
        assertThatThrownBy(back::assemble).hasMessageContaining("backwards");

        BpfAssembler noRet = new BpfAssembler();
        noRet.load(0);
        assertThatThrownBy(noRet::assemble).hasMessageContaining("return");
    }
}
