package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The compiled tier ends every program in the state the interpreter ends it in: the same random
 * programs run on two CPUs, one interpreting and one compiling every block on its first run
 * (threshold 1), from the same start state (CpuFuzzTest's real mode, ring 0 and ring 3 with random
 * paging); after the run, stop reason, instruction count, every register and all of memory must be
 * equal. The programs are CpuFuzzTest's random bytes and, to reach the inline forms, loops, branches,
 * calls, stack and memory traffic (faults at random through the random page rights and a DIV by a
 * register that may be 0), CMOVcc, SETcc and shifts of memory, and code that rewrites the block it is in.
 */
class JitDifferentialTest {
    private static final int PROGRAMS_PER_MODE = 400;

    @Test
    void compiledTierEndsInTheInterpretersState() {
        CpuFuzzTest interp = new CpuFuzzTest();
        CpuFuzzTest compiled = new CpuFuzzTest();
        interp.cpu.setTier(Tier.INTERP, 0);
        compiled.cpu.setTier(Tier.COMPILED, 1);
        compiled.cpu.setJitAllowance(Long.MAX_VALUE / 2, 1); // every block compiled
        Random gen = new Random(0xD1FF);
        int faults = 0;
        for (int mode = 0; mode < 3; mode++) {
            for (int k = 0; k < PROGRAMS_PER_MODE; k++) {
                byte[] code = k % 3 == 0 ? randomBytes(gen) : structured(gen);
                long seed = gen.nextLong();
                long budget = 1 + gen.nextInt(4000);
                String where = CpuFuzzTest.MODES[mode] + " mode, program " + k + ", budget " + budget + ": " + hex(code);
                String a = sameEnd(interp, compiled, mode, seed, code, budget, where);
                if (a.startsWith("#")) {
                    faults++;
                }
            }
        }
        assertTrue(compiled.cpu.compiledBlocks() > 5_000, "blocks compiled: " + compiled.cpu.compiledBlocks());
        assertEquals(0, interp.cpu.compiledBlocks(), "the interpreter compiles nothing");
        assertTrue(faults > 300, "programs that ended in an exception: " + faults);
    }

    /**
     * A guest that runs endless fresh code does not make the compiled tier compile without bound:
     * past the compile allowance (here 200 blocks plus one per 4096 instructions) blocks stay
     * interpreted, and every program still ends in the interpreter's state.
     */
    @Test
    void freshCodePastTheCompileAllowanceStaysInterpretedAndEndsInTheSameState() {
        CpuFuzzTest interp = new CpuFuzzTest();
        CpuFuzzTest compiled = new CpuFuzzTest();
        interp.cpu.setTier(Tier.INTERP, 0);
        compiled.cpu.setTier(Tier.COMPILED, 1);
        compiled.cpu.setJitAllowance(200, 4096);
        Random gen = new Random(0xCA9);
        for (int k = 0; k < 600; k++) {
            int mode = k % 3;
            byte[] code = k % 2 == 0 ? randomBytes(gen) : structured(gen);
            long seed = gen.nextLong();
            long budget = 1 + gen.nextInt(4000);
            String where = CpuFuzzTest.MODES[mode] + " mode, program " + k + ", budget " + budget + ": " + hex(code);
            String a = sameEnd(interp, compiled, mode, seed, code, budget, where);
            assertTrue(compiled.cpu.compiledBlocks() <= compiled.cpu.jitAllowance(),
                    compiled.cpu.compiledBlocks() + " blocks compiled, allowance " + compiled.cpu.jitAllowance() + ", " + where);
        }
        assertTrue(compiled.cpu.compiledBlocks() >= 200, "blocks compiled: " + compiled.cpu.compiledBlocks());
        assertTrue(compiled.cpu.jitRefused > 1000, "blocks refused by the allowance: " + compiled.cpu.jitRefused);
    }

    /**
     * Long loops of inline ops only (the compiled block loops inside its own method, counting
     * instructions in a local) stop where the interpreter stops: at every budget from 1 up through
     * the first rounds and at budgets deep into the loop, and at a fault many rounds in; one loop
     * has a store that takes the slow path (it crosses a page) in every round.
     */
    @Test
    void longInlineLoopsStopWhereTheInterpreterStops() {
        byte[][] programs = {
            // pm: mov ecx, 5000; mov esi, 0x6000; L: mov eax, [esi+0x10]; add eax, ecx; mov [esi+0x10], eax;
            //     add ebx, eax; dec ecx; jnz L
            {(byte) 0xB9, (byte) 0x88, 0x13, 0, 0, (byte) 0xBE, 0, 0x60, 0, 0, (byte) 0x8B, 0x46, 0x10, 0x01, (byte) 0xC8,
                (byte) 0x89, 0x46, 0x10, 0x01, (byte) 0xC3, 0x49, 0x75, (byte) 0xF3},
            // pm, the same with mov [0x6FFE], eax (crossing into the next page: the slow path) before add ebx, eax
            {(byte) 0xB9, (byte) 0x88, 0x13, 0, 0, (byte) 0xBE, 0, 0x60, 0, 0, (byte) 0x8B, 0x46, 0x10, 0x01, (byte) 0xC8,
                (byte) 0x89, 0x46, 0x10, (byte) 0x89, 0x05, (byte) 0xFE, 0x6F, 0, 0, 0x01, (byte) 0xC3, 0x49, 0x75, (byte) 0xED},
            // rm: mov si, 0xDAFF; mov cx, 0x1000; L: mov ax, [si]; add bx, ax; add si, 0x100; dec cx; jnz L
            // (the 38th round's word read at DS:0xFFFF is past the segment limit: #GP)
            {(byte) 0xBE, (byte) 0xFF, (byte) 0xDA, (byte) 0xB9, 0, 0x10, (byte) 0x8B, 0x04, 0x01, (byte) 0xC3,
                (byte) 0x81, (byte) 0xC6, 0, 0x01, 0x49, 0x75, (byte) 0xF5},
        };
        int[] modes = {1, 1, 0};
        CpuFuzzTest interp = new CpuFuzzTest();
        CpuFuzzTest compiled = new CpuFuzzTest();
        interp.cpu.setTier(Tier.INTERP, 0);
        compiled.cpu.setTier(Tier.COMPILED, 1);
        compiled.cpu.setJitAllowance(Long.MAX_VALUE / 2, 1); // every block compiled
        Random gen = new Random(0x100B);
        java.util.Set<String> outcomes = new java.util.TreeSet<>();
        for (int k = 0; k < programs.length; k++) {
            java.util.List<Long> budgets = new java.util.ArrayList<>();
            for (long n = 1; n <= 120; n++) {
                budgets.add(n);
            }
            for (int n = 0; n < 40; n++) {
                budgets.add(120L + gen.nextInt(40_000));
            }
            budgets.add(1_000_000L);
            for (long budget : budgets) {
                long seed = gen.nextLong();
                String where = "program " + k + ", budget " + budget;
                String a = sameEnd(interp, compiled, modes[k], seed, programs[k], budget, where);
                outcomes.add(k + " " + a);
            }
        }
        // each loop ran to its end (HLT) or its fault, and was stopped by the budget before
        assertEquals("[0 budget, 0 halt, 1 budget, 1 halt, 2 #GP, 2 budget]", outcomes.toString());
    }

    /**
     * IMUL of registers (0F AF, 69 with a full immediate, 6B with a byte), 16 and 32 bits, compiled inline
     * (Jit's generic forms): the product and CF/OF (a product that does not fit sets both), captured after
     * every multiply by SETO/SETC into a byte register and by ADC, end as in the interpreter; random operands,
     * small and large, so that both outcomes of the overflow test occur.
     */
    @Test
    void imulOfRegistersEndsInTheInterpretersState() {
        CpuFuzzTest interp = new CpuFuzzTest();
        CpuFuzzTest compiled = new CpuFuzzTest();
        interp.cpu.setTier(Tier.INTERP, 0);
        compiled.cpu.setTier(Tier.COMPILED, 1);
        Random gen = new Random(0x1A01);
        int overflowed = 0, fitted = 0;
        for (int k = 0; k < 600; k++) {
            int mode = k % 3;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int n = 0; n < 3 + gen.nextInt(6); n++) {
                int r = dst(gen);
                if (mode == 0) {
                    emit(out, 0x66); // 32-bit move in real mode
                }
                emit(out, 0xB8 | r);
                imm32(out, gen.nextBoolean() ? gen.nextInt() : gen.nextInt(0x200) - 0x100);
                boolean o16 = gen.nextBoolean();
                if (o16 != (mode == 0)) {
                    emit(out, 0x66);
                }
                int modrm = 0xC0 | dst(gen) << 3 | src(gen);
                switch (gen.nextInt(3)) {
                    case 0 -> emit(out, 0x0F, 0xAF, modrm);
                    case 1 -> {
                        emit(out, 0x69, modrm);
                        if (o16) {
                            emit(out, gen.nextInt(256), gen.nextInt(256));
                        } else {
                            imm32(out, gen.nextBoolean() ? gen.nextInt() : gen.nextInt(0x200) - 0x100);
                        }
                    }
                    default -> emit(out, 0x6B, modrm, gen.nextInt(256));
                }
                switch (gen.nextInt(3)) {
                    case 0 -> emit(out, 0x0F, 0x90, 0xC0 | gen.nextInt(8)); // seto r8
                    case 1 -> emit(out, 0x0F, 0x92, 0xC0 | gen.nextInt(8)); // setc r8
                    default -> emit(out, 0x11, 0xC0 | src(gen) << 3 | dst(gen)); // adc r, r
                }
            }
            byte[] code = out.toByteArray();
            long seed = gen.nextLong();
            String where = CpuFuzzTest.MODES[mode] + " mode, program " + k + ": " + hex(code);
            String a = sameEnd(interp, compiled, mode, seed, code, 10_000, where);
            if ((interp.cpu.registers().eflags() & 0x801) == 0x801) {
                overflowed++;
            } else if ((interp.cpu.registers().eflags() & 0x801) == 0) {
                fitted++;
            }
        }
        assertTrue(compiled.cpu.compiledBlocks() > 500, "blocks compiled: " + compiled.cpu.compiledBlocks());
        assertTrue(overflowed > 50 && fitted > 50, "programs ending with CF=OF=1: " + overflowed + ", with both 0: " + fitted);
    }

    /**
     * Runs one program on both CPUs from the same seed and asserts that they end alike: the outcome, the
     * register state and all of memory. Returns the outcome.
     */
    private static String sameEnd(CpuFuzzTest interp, CpuFuzzTest compiled, int mode, long seed, byte[] code, long budget,
            String where) {
        String a = interp.runOnce(mode, new Random(seed), code, budget);
        String b = compiled.runOnce(mode, new Random(seed), code, budget);
        assertEquals(a, b, "outcome, " + where);
        assertEquals(state(interp.cpu), state(compiled.cpu), "state, " + where);
        assertTrue(Arrays.equals(interp.memory.backing(), compiled.memory.backing()), "memory, " + where);
        return a;
    }

    static String state(Cpu c) {
        Cpu.Registers r = c.registers();
        return "icount " + c.instructions() + " gpr " + Arrays.toString(r.gpr()) + " eip " + Integer.toHexString(r.eip())
                + " eflags " + Integer.toHexString(r.eflags()) + " halted " + r.halted() + " sel " + Arrays.toString(r.sel())
                + " cr " + Arrays.toString(r.cr()) + " dr6 " + Integer.toHexString(r.dr()[6]) + " fpu " + r.fpuSw() + "/" + r.fpuTw()
                + " xmm " + Arrays.toString(r.xmm());
    }

    private static byte[] randomBytes(Random gen) {
        byte[] b = new byte[CpuFuzzTest.BYTES];
        gen.nextBytes(b);
        return b;
    }

    /** Registers a generated instruction may write (ESP rarely: a bad stack ends a program early). */
    private static int dst(Random g) {
        int r = g.nextInt(17);
        return r == 16 ? Cpu.ESP : new int[] {0, 1, 2, 3, 5, 6, 7, 0, 1, 2, 3, 5, 0, 1, 2, 3}[r];
    }

    private static int src(Random g) {
        return g.nextInt(8);
    }

    /** A program of loops, forward branches, calls and straight-line instructions, mostly the compiled tier's inline forms. */
    static byte[] structured(Random g) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int items = 4 + g.nextInt(20);
        for (int k = 0; k < items; k++) {
            item(g, out, 0);
        }
        return out.toByteArray();
    }

    private static void item(Random g, ByteArrayOutputStream out, int depth) {
        int kind = g.nextInt(depth < 2 ? 12 : 9);
        switch (kind) {
            case 9 -> { // loop: mov ecx, n; body; dec ecx; jnz body
                emit(out, 0xB9);
                imm32(out, 1 + g.nextInt(12));
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                int n = 1 + g.nextInt(6);
                for (int i = 0; i < n; i++) {
                    item(g, body, depth + 1);
                }
                byte[] bb = body.toByteArray();
                if (bb.length + 3 > 128) {
                    return;
                }
                out.writeBytes(bb);
                emit(out, 0x49); // dec ecx
                if (g.nextBoolean()) {
                    emit(out, 0x75, -(bb.length + 3)); // jnz rel8
                } else { // or cmp ecx, 0 / test ecx, ecx + jcc
                    emit(out, 0x85, 0xC9, 0x75, -(bb.length + 5));
                }
            }
            case 10 -> { // forward branch over a block of items
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                int n = 1 + g.nextInt(3);
                for (int i = 0; i < n; i++) {
                    item(g, body, depth + 1);
                }
                byte[] bb = body.toByteArray();
                if (bb.length > 127) {
                    return;
                }
                if (g.nextInt(3) == 0) { // fused compare and branch
                    if (g.nextBoolean()) {
                        emit(out, 0x39, 0xC0 | src(g) << 3 | src(g));
                    } else {
                        emit(out, 0x83, 0xF8 | src(g), g.nextInt(256));
                    }
                }
                emit(out, 0x70 | g.nextInt(16), bb.length);
                out.writeBytes(bb);
            }
            case 11 -> { // call L; jmp over; L: items; ret; over:
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                int n = 1 + g.nextInt(3);
                for (int i = 0; i < n; i++) {
                    item(g, body, depth + 1);
                }
                byte[] bb = body.toByteArray();
                if (bb.length + 1 > 127) {
                    return;
                }
                emit(out, 0xE8);
                imm32(out, 2);
                emit(out, 0xEB, bb.length + 1);
                out.writeBytes(bb);
                emit(out, 0xC3);
            }
            default -> straight(g, out);
        }
    }

    private static void straight(Random g, ByteArrayOutputStream out) {
        int[] alu = {0x01, 0x29, 0x21, 0x09, 0x31, 0x39, 0x85, 0x11, 0x19}; // add sub and or xor cmp test adc sbb
        switch (g.nextInt(30)) {
            case 27 -> emit(out, 0x0F, 0x40 | g.nextInt(16), 0x40 | dst(g) << 3 | memBase(g), g.nextInt(256)); // cmovcc r32, [b+d8]
            case 28 -> emit(out, 0x0F, 0x90 | g.nextInt(16), 0x40 | memBase(g), g.nextInt(256)); // setcc [b+d8]
            case 29 -> { // every shift and rotate of [b+d8]: 8, 16 or 32 bits, by an immediate, 1 or CL
                int size = g.nextInt(3);
                if (size == 1) {
                    emit(out, 0x66);
                }
                int w = size == 0 ? 0 : 1, modrm = 0x40 | g.nextInt(8) << 3 | memBase(g), disp = g.nextInt(256);
                switch (g.nextInt(3)) {
                    case 0 -> emit(out, 0xC0 | w, modrm, disp, g.nextInt(40));
                    case 1 -> emit(out, 0xD0 | w, modrm, disp);
                    default -> emit(out, 0xD2 | w, modrm, disp);
                }
            }
            case 22 -> { // ALU with a memory operand, any size: op [b+d8], r / op r, [b+d8] / op [b+d8], imm8
                int size = g.nextInt(3);
                if (size == 1) {
                    emit(out, 0x66);
                }
                int w = size == 0 ? 0 : 1;
                switch (g.nextInt(3)) {
                    case 0 -> emit(out, g.nextInt(8) << 3 | w, 0x40 | src(g) << 3 | memBase(g), g.nextInt(256));
                    case 1 -> emit(out, g.nextInt(8) << 3 | 2 | w, 0x40 | dst(g) << 3 | memBase(g), g.nextInt(256));
                    default -> emit(out, size == 0 ? 0x80 : 0x83, 0x40 | g.nextInt(8) << 3 | memBase(g), g.nextInt(256), g.nextInt(256));
                }
            }
            case 23 -> { // 16-bit ALU r16, r16 / r16, imm16
                if (g.nextBoolean()) {
                    emit(out, 0x66, g.nextInt(8) << 3 | 1, 0xC0 | src(g) << 3 | dst(g));
                } else {
                    emit(out, 0x66, 0x81, 0xC0 | g.nextInt(8) << 3 | dst(g), g.nextInt(256), g.nextInt(256));
                }
            }
            case 24 -> { // inc/dec/not/neg of a register or [b+d8], 8, 16 or 32 bits
                int size = g.nextInt(3);
                if (size == 1) {
                    emit(out, 0x66);
                }
                int ext = g.nextInt(4);
                boolean reg = g.nextBoolean();
                int modrm = reg ? 0xC0 | dst(g) : 0x40 | memBase(g);
                int opc = ext < 2 ? (size == 0 ? 0xFE : 0xFF) : (size == 0 ? 0xF6 : 0xF7);
                emit(out, opc, modrm | ext << 3); // FE/FF /0 /1 inc dec, F6/F7 /2 /3 not neg
                if (!reg) {
                    emit(out, g.nextInt(256));
                }
            }
            case 25 -> { // mov r8/r16, r8/r16 / imm; mov [b+d8], r8/r16 / imm; mov r8/r16, [b+d8]
                boolean word = g.nextBoolean();
                if (word) {
                    emit(out, 0x66);
                }
                int w = word ? 1 : 0;
                switch (g.nextInt(5)) {
                    case 0 -> emit(out, 0x88 | w, 0xC0 | src(g) << 3 | dst(g));
                    case 1 -> {
                        emit(out, word ? 0xB8 | dst(g) : 0xB0 | g.nextInt(8), g.nextInt(256));
                        if (word) {
                            emit(out, g.nextInt(256));
                        }
                    }
                    case 2 -> emit(out, 0x88 | w, 0x40 | src(g) << 3 | memBase(g), g.nextInt(256));
                    case 3 -> emit(out, 0x8A | w, 0x40 | dst(g) << 3 | memBase(g), g.nextInt(256));
                    default -> {
                        emit(out, 0xC6 | w, 0x40 | memBase(g), g.nextInt(256), g.nextInt(256));
                        if (word) {
                            emit(out, g.nextInt(256));
                        }
                    }
                }
            }
            case 26 -> { // movzx/movsx r32 or r16, r8/r16 or [b+d8]
                if (g.nextInt(4) == 0) {
                    emit(out, 0x66);
                }
                int opc = 0xB6 | g.nextInt(2) | (g.nextBoolean() ? 8 : 0);
                if (g.nextBoolean()) {
                    emit(out, 0x0F, opc, 0xC0 | dst(g) << 3 | src(g));
                } else {
                    emit(out, 0x0F, opc, 0x40 | dst(g) << 3 | memBase(g), g.nextInt(256));
                }
            }
            case 0, 1, 2 -> emit(out, alu[g.nextInt(alu.length)], 0xC0 | src(g) << 3 | dst(g));
            case 3 -> { // add/or/adc/sbb/and/sub/xor/cmp r32, imm32
                emit(out, 0x81, 0xC0 | g.nextInt(8) << 3 | dst(g));
                imm32(out, g.nextInt(4) == 0 ? g.nextInt() : g.nextInt(256) - 128);
            }
            case 4 -> emit(out, 0x83, 0xC0 | g.nextInt(8) << 3 | dst(g), g.nextInt(256));
            case 5 -> emit(out, (g.nextBoolean() ? 0x40 : 0x48) | dst(g)); // inc / dec
            case 6 -> emit(out, 0x89, 0xC0 | src(g) << 3 | dst(g)); // mov r, r
            case 7 -> {
                emit(out, 0xB8 | dst(g));
                imm32(out, g.nextInt(3) == 0 ? g.nextInt() : g.nextInt(0x100000));
            }
            case 8, 9 -> { // mov r, [base + disp8] / mov [base + disp8], r
                emit(out, g.nextBoolean() ? 0x8B : 0x89, 0x40 | src(g) << 3 | memBase(g), g.nextInt(256));
            }
            case 10 -> emit(out, 0x8D, 0x44 | dst(g) << 3, g.nextInt(256) & 0xC0 | src(g) << 3 | memBase(g), g.nextInt(256)); // lea r, [b+i*s+d8]
            case 11 -> emit(out, 0x8B, 0x04 | dst(g) << 3, g.nextInt(4) << 6 | g.nextInt(8) << 3 | new int[] {0, 1, 2, 3, 6, 7}[g.nextInt(6)]); // mov r, [b+i*s]
            case 12 -> emit(out, 0x50 | src(g)); // push
            case 13 -> emit(out, 0x58 | dst(g)); // pop
            case 14 -> emit(out, 0x00 | g.nextInt(8) << 3, 0xC0 | g.nextInt(64)); // 8-bit ALU r8, r8
            case 15 -> { // every shift and rotate of a register: 8, 16 or 32 bits, by an immediate, 1 or CL
                int size = g.nextInt(3);
                if (size == 1) {
                    emit(out, 0x66);
                }
                int w = size == 0 ? 0 : 1, modrm = 0xC0 | g.nextInt(8) << 3 | dst(g);
                switch (g.nextInt(3)) {
                    case 0 -> emit(out, 0xC0 | w, modrm, g.nextInt(40));
                    case 1 -> emit(out, 0xD0 | w, modrm);
                    default -> emit(out, 0xD2 | w, modrm);
                }
            }
            case 16 -> emit(out, 0xF7, 0xF0 | src(g)); // div r32: #DE when the divisor is 0 or the quotient too big
            case 17 -> emit(out, 0x0F, 0x40 | g.nextInt(16), 0xC0 | dst(g) << 3 | src(g)); // cmovcc
            case 18 -> emit(out, 0x0F, 0x90 | g.nextInt(16), 0xC0 | dst(g)); // setcc
            case 19 -> emit(out, new int[] {0x9C, 0x9D, 0xF5, 0xF8, 0xF9, 0x9E, 0x9F, 0x99}[g.nextInt(8)]); // pushf popf cmc clc stc sahf lahf cdq
            case 20 -> emit(out, 0xFF, (g.nextBoolean() ? 0x40 : 0x48) | memBase(g), g.nextInt(256)); // inc/dec dword [b+d8]
            default -> {
                if (g.nextBoolean()) { // self-modifying: mov byte [next insn's imm], v; then mov eax, imm32
                    int at = CpuFuzzTest.CODE + out.size() + 7 + 1 + g.nextInt(4);
                    emit(out, 0xC6, 0x05);
                    imm32(out, at);
                    emit(out, g.nextInt(256));
                } else { // the same through the inline 32-bit store: mov dword [next insn + 0..4], r32
                    int at = CpuFuzzTest.CODE + out.size() + 6 + g.nextInt(5);
                    emit(out, 0x89, 0x05 | src(g) << 3);
                    imm32(out, at);
                }
                emit(out, 0xB8 | dst(g));
                imm32(out, g.nextInt());
            }
        }
    }

    /** A base register for a memory operand: ESP (as base it needs a SIB, so not 4) excluded. */
    private static int memBase(Random g) {
        return new int[] {0, 1, 2, 3, 5, 6, 7}[g.nextInt(7)];
    }

    /** Appends bytes of machine code (each int's low byte); also used by JitMemoryPathTest. */
    static void emit(ByteArrayOutputStream out, int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
    }

    static void imm32(ByteArrayOutputStream out, int v) {
        emit(out, v, v >> 8, v >> 16, v >> 24);
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02X", x));
        }
        return sb.toString();
    }
}
