package dev.machina.cpu.x86;

import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * The second tier: a block that has run often is compiled into a JVM class whose one method runs
 * the block's ops, which HotSpot then compiles to machine code.
 *
 * <h2>What the compiled method does</h2>
 * <ul>
 *   <li>The guest registers the block's inline ops use, and the lazy flags ({@link Cpu#res},
 *       {@link Cpu#aux}), live in JVM locals: loaded once at entry, written back at the block's
 *       end, before any op that is not inline (it sees the state in {@link Cpu}, as in the
 *       interpreter) and when an op faults.</li>
 *   <li>The hot forms ({@link Op#form}: 32-bit register ALU, moves, loads and stores through the
 *       same TLB fast path {@link CpuMemory#rd32}/{@link CpuMemory#wr32}, push/pop, call/ret,
 *       compare-and-branch) are inline bytecode with their operands as constants; every other op
 *       is a call of its own {@link Op#exec} on a constant receiver (the op object is class data),
 *       so HotSpot can inline it: the megamorphic dispatch of the interpreter is gone.</li>
 *   <li>Faults are precise: each op's code is covered by its own exception handler that writes
 *       back the registers changed by the ops before it and returns the op's index; the block
 *       loop then restores EIP and the instruction count from {@link Block#eips} and
 *       {@link Block#before} exactly as for the interpreter.</li>
 *   <li>Self-modifying code: after an op that can write memory, the method checks
 *       {@link Block#valid}; when the write dropped the running block it leaves at the next op
 *       (faultVector = EXIT_BLOCK), where the interpreter's poisoned block would leave.</li>
 * </ul>
 * A compiled block is still the same {@link Block} in the {@link CodeCache}: invalidation drops
 * it, and its compiled code with it (a hidden class, unloaded once unreachable).
 */
final class Jit {
    private Jit() {
    }

    /** Compiled code of a block. */
    abstract static class Code {
        /**
         * Runs the block's ops. Returns -1 when they all ran; otherwise the index of the op that
         * raised a {@link CpuFault} (or of the first op not run after the block was invalidated
         * under it, with {@code faultVector} = EXIT_BLOCK). Registers are in {@link Cpu} either way.
         */
        abstract int run(Cpu c, Block b);
    }

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final String CPU = "dev/machina/cpu/x86/Cpu", BLOCK = "dev/machina/cpu/x86/Block",
            OP = "dev/machina/cpu/x86/Op", FAULT = "dev/machina/cpu/x86/CpuFault", SELF = "dev/machina/cpu/x86/Jit",
            CODE = "dev/machina/cpu/x86/Jit$Code";
    private static final Handle CLASS_DATA_AT = new Handle(H_INVOKESTATIC, "java/lang/invoke/MethodHandles", "classDataAt",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;I)Ljava/lang/Object;", false);

    /** Compiles b, or returns null when it cannot (the block then stays interpreted). */
    static Code compile(Block b) {
        try {
            Emitter probe = new Emitter(b, null);
            probe.body();
            ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
            cw.visit(V17, ACC_FINAL | ACC_SUPER, "dev/machina/cpu/x86/JitBlock", null, CODE, null);
            MethodVisitor init = cw.visitMethod(0, "<init>", "()V", null, null);
            init.visitCode();
            init.visitVarInsn(ALOAD, 0);
            init.visitMethodInsn(INVOKESPECIAL, CODE, "<init>", "()V", false);
            init.visitInsn(RETURN);
            init.visitMaxs(0, 0);
            init.visitEnd();
            MethodVisitor mv = cw.visitMethod(0, "run", "(L" + CPU + ";L" + BLOCK + ";)I", null, null);
            Emitter e = new Emitter(b, mv);
            e.used = probe.used;
            mv.visitCode();
            e.prologue();
            e.body();
            e.handlers();
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            cw.visitEnd();
            MethodHandles.Lookup l = LOOKUP.defineHiddenClassWithClassData(cw.toByteArray(), List.of((Object[]) b.ops), false);
            return (Code) l.findConstructor(l.lookupClass(), MethodType.methodType(void.class)).invoke();
        } catch (Throwable t) {
            if (t instanceof Error && !(t instanceof LinkageError)) {
                throw (Error) t;
            }
            return null;
        }
    }

    // ---- helpers the compiled code calls (HotSpot inlines them): one definition of each flag formula ----

    static int addAux(int a, int b, int v) {
        return ((a & b) | ((a | b) & ~v)) & 0xC0000008;
    }

    static int subAux(int a, int b, int v) {
        return ((~a & b) | ((~a | b) & v)) & 0xC0000008;
    }

    /** INC/DEC keep CF: the new aux with the old one's CF. */
    static int keepCf(int t, int oldAux) {
        return t ^ (((t ^ oldAux) >> 31) & 0xC0000000);
    }

    /** {@link CpuState#cond} on flag values instead of fields. */
    static boolean cond(int res, int aux, int cc) {
        boolean t = switch (cc >>> 1) {
            case 0 -> (aux ^ (aux << 1)) < 0;
            case 1 -> aux < 0;
            case 2 -> res == 0;
            case 3 -> aux < 0 || res == 0;
            case 4 -> (res ^ (aux << 31)) < 0;
            case 5 -> ((Integer.bitCount(res & 0xFF) ^ (aux >>> 8)) & 1) == 0;
            case 6 -> ((res ^ (aux << 31)) < 0) != ((aux ^ (aux << 1)) < 0);
            default -> res == 0 || ((res ^ (aux << 31)) < 0) != ((aux ^ (aux << 1)) < 0);
        };
        return t ^ ((cc & 1) != 0);
    }

    /** Emits one block's method body. Run once without a visitor to learn which state it uses. */
    private static final class Emitter {
        // locals: 0 this, 1 cpu, 2 block, 3 int[] r, 4..11 the registers, 12 res, 13 aux, 14.. scratch
        private static final int L_CPU = 1, L_BLOCK = 2, L_R = 3, L_REG = 4, L_RES = 12, L_AUX = 13, T0 = 14, T1 = 15, T2 = 16;
        private static final int RES = 8, AUX = 9;
        private final Block b;
        private final MethodVisitor mv;
        /** state slots (8 registers, res, aux) the inline code uses: cached in locals */
        boolean[] used = new boolean[10];
        private final boolean[] dirty = new boolean[10];
        private final Label[] start, end;
        private final boolean[][] snapshot;
        private final boolean[] guarded, ended;

        Emitter(Block b, MethodVisitor mv) {
            this.b = b;
            this.mv = mv == null ? new MethodVisitor(ASM9) { } : mv;
            int n = b.ops.length;
            start = new Label[n];
            end = new Label[n];
            snapshot = new boolean[n][];
            guarded = new boolean[n];
            ended = new boolean[n];
            for (int i = 0; i < n; i++) {
                start[i] = new Label();
                end[i] = new Label();
            }
        }

        void prologue() {
            mv.visitVarInsn(ALOAD, L_CPU);
            mv.visitFieldInsn(GETFIELD, CPU, "r", "[I");
            mv.visitVarInsn(ASTORE, L_R);
            for (int s = 0; s < 10; s++) {
                if (used[s]) {
                    load(s);
                } else {
                    mv.visitInsn(ICONST_0);
                    mv.visitVarInsn(ISTORE, local(s));
                }
            }
            for (int t = T0; t <= T2; t++) {
                mv.visitInsn(ICONST_0);
                mv.visitVarInsn(ISTORE, t);
            }
        }

        private static int local(int slot) {
            return slot < 8 ? L_REG + slot : slot == RES ? L_RES : L_AUX;
        }

        /** Loads state slot s from the CPU into its local. */
        private void load(int s) {
            if (s < 8) {
                mv.visitVarInsn(ALOAD, L_R);
                push(s);
                mv.visitInsn(IALOAD);
            } else {
                mv.visitVarInsn(ALOAD, L_CPU);
                mv.visitFieldInsn(GETFIELD, CPU, s == RES ? "res" : "aux", "I");
            }
            mv.visitVarInsn(ISTORE, local(s));
        }

        /** Writes state slot s back to the CPU. */
        private void store(int s) {
            if (s < 8) {
                mv.visitVarInsn(ALOAD, L_R);
                push(s);
                mv.visitVarInsn(ILOAD, local(s));
                mv.visitInsn(IASTORE);
            } else {
                mv.visitVarInsn(ALOAD, L_CPU);
                mv.visitVarInsn(ILOAD, local(s));
                mv.visitFieldInsn(PUTFIELD, CPU, s == RES ? "res" : "aux", "I");
            }
        }

        private void writeBack(boolean[] set) {
            for (int s = 0; s < 10; s++) {
                if (set[s]) {
                    store(s);
                }
            }
        }

        private void flush() {
            writeBack(dirty);
            Arrays.fill(dirty, false);
        }

        private void reloadAll() {
            for (int s = 0; s < 10; s++) {
                if (used[s]) {
                    load(s);
                }
            }
        }

        private void push(int v) {
            if (v >= -1 && v <= 5) {
                mv.visitInsn(ICONST_0 + v);
            } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                mv.visitIntInsn(BIPUSH, v);
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                mv.visitIntInsn(SIPUSH, v);
            } else {
                mv.visitLdcInsn(v);
            }
        }

        /** Pushes register (or flag slot) s; the constant-zero register is 0. */
        private void ld(int s) {
            if (s == Cpu.ZERO) {
                mv.visitInsn(ICONST_0);
                return;
            }
            ldSlot(s);
        }

        /** Pushes state slot s (a register, or RES/AUX: slot 8 is RES, not the zero register). */
        private void ldSlot(int s) {
            used[s] = true;
            mv.visitVarInsn(ILOAD, local(s));
        }

        /** Pops into register (or flag slot) s. */
        private void st(int s) {
            used[s] = true;
            dirty[s] = true;
            mv.visitVarInsn(ISTORE, local(s));
        }


        /** The op's code from here on may throw: its handler writes back what is dirty now. */
        private void mayThrow(int i) {
            if (!guarded[i]) {
                guarded[i] = true;
                snapshot[i] = dirty.clone();
                mv.visitLabel(start[i]);
            }
        }

        private void endOp(int i) {
            if (guarded[i] && !ended[i]) {
                ended[i] = true;
                mv.visitLabel(end[i]);
            }
        }

        private void cpu() {
            mv.visitVarInsn(ALOAD, L_CPU);
        }

        private void invoke(String owner, String name, String desc) {
            mv.visitMethodInsn(INVOKESTATIC, owner, name, desc, false);
        }

        private void rd32(int seg) {
            // stack: ea → value
            mv.visitVarInsn(ISTORE, T0);
            cpu();
            push(seg);
            mv.visitVarInsn(ILOAD, T0);
            mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "rd32", "(II)I", false);
        }

        /** Pushes the effective address of a memory operand (MemOp.ea with the terms known now). */
        private void ea(MemOp m) {
            ld(m.base);
            if (m.index != Cpu.ZERO) {
                ld(m.index);
                if (m.scale != 0) {
                    push(m.scale);
                    mv.visitInsn(ISHL);
                }
                mv.visitInsn(IADD);
            }
            if (m.disp != 0) {
                push(m.disp);
                mv.visitInsn(IADD);
            }
            if (m.amask != -1) {
                push(m.amask);
                mv.visitInsn(IAND);
            }
        }

        /** Leaves the block at op i + 1 when a write dropped it (self-modifying code). */
        private void smcCheck(int i) {
            if (i + 1 >= b.ops.length) {
                return;
            }
            Label ok = new Label();
            mv.visitVarInsn(ALOAD, L_BLOCK);
            mv.visitFieldInsn(GETFIELD, BLOCK, "valid", "Z");
            mv.visitJumpInsn(IFNE, ok);
            writeBack(dirty);
            cpu();
            mv.visitInsn(ICONST_M1);
            mv.visitFieldInsn(PUTFIELD, CPU, "faultVector", "I");
            push(i + 1);
            mv.visitInsn(IRETURN);
            mv.visitLabel(ok);
        }

        /** If the condition value on the stack is true, EIP = target. */
        private void branchIf(int target) {
            Label skip = new Label();
            mv.visitJumpInsn(IFEQ, skip);
            setEip(target);
            mv.visitLabel(skip);
        }

        private void setEip(int target) {
            cpu();
            push(target);
            mv.visitFieldInsn(PUTFIELD, CPU, "eip", "I");
        }

        private void cond(int cc) {
            if (cc == 4 || cc == 5) { // JZ / JNZ: ZF only
                ldSlot(RES);
                Label t = new Label(), done = new Label();
                mv.visitJumpInsn(cc == 4 ? IFEQ : IFNE, t);
                mv.visitInsn(ICONST_0);
                mv.visitJumpInsn(GOTO, done);
                mv.visitLabel(t);
                mv.visitInsn(ICONST_1);
                mv.visitLabel(done);
                return;
            }
            ldSlot(RES);
            ldSlot(AUX);
            push(cc);
            invoke(SELF, "cond", "(III)Z");
        }

        // ALU kinds for alu()
        private static final int ADD = 0, SUB = 1, AND = 2, OR = 3, XOR = 4, CMP = 5, TEST = 6;

        /** d op= (value on the stack), flags from the result. */
        private void alu(int kind, int d) {
            mv.visitVarInsn(ISTORE, T1); // b
            ld(d);
            mv.visitVarInsn(ISTORE, T0); // a
            mv.visitVarInsn(ILOAD, T0);
            mv.visitVarInsn(ILOAD, T1);
            mv.visitInsn(switch (kind) {
                case ADD -> IADD;
                case SUB, CMP -> ISUB;
                case AND, TEST -> IAND;
                case OR -> IOR;
                default -> IXOR;
            });
            mv.visitVarInsn(ISTORE, T2); // v
            if (kind != CMP && kind != TEST) {
                mv.visitVarInsn(ILOAD, T2);
                st(d);
            }
            mv.visitVarInsn(ILOAD, T2);
            st(RES);
            if (kind == ADD || kind == SUB || kind == CMP) {
                mv.visitVarInsn(ILOAD, T0);
                mv.visitVarInsn(ILOAD, T1);
                mv.visitVarInsn(ILOAD, T2);
                invoke(SELF, kind == ADD ? "addAux" : "subAux", "(III)I");
            } else {
                mv.visitInsn(ICONST_0);
            }
            st(AUX);
        }

        private void incDec(int d, boolean inc) {
            ld(d);
            mv.visitVarInsn(ISTORE, T0);
            mv.visitVarInsn(ILOAD, T0);
            mv.visitInsn(ICONST_1);
            mv.visitInsn(inc ? IADD : ISUB);
            mv.visitVarInsn(ISTORE, T2);
            mv.visitVarInsn(ILOAD, T2);
            st(d);
            mv.visitVarInsn(ILOAD, T2);
            st(RES);
            mv.visitVarInsn(ILOAD, T0);
            mv.visitInsn(ICONST_1);
            mv.visitVarInsn(ILOAD, T2);
            invoke(SELF, inc ? "addAux" : "subAux", "(III)I");
            ldSlot(AUX);
            invoke(SELF, "keepCf", "(II)I");
            st(AUX);
        }

        /** push32(value on the stack) with ESP in its local. */
        private void push32(int i) {
            mv.visitVarInsn(ISTORE, T1); // value
            ld(Cpu.ESP);
            mv.visitVarInsn(ISTORE, T0); // sp
            mayThrow(i);
            cpu();
            push(Cpu.SS);
            mv.visitVarInsn(ILOAD, T0);
            push(4);
            mv.visitInsn(ISUB);
            spMask();
            mv.visitInsn(IAND);
            mv.visitVarInsn(ILOAD, T1);
            mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "wr32", "(III)V", false);
            newSp(-4);
        }

        private void spMask() {
            cpu();
            mv.visitFieldInsn(GETFIELD, CPU, "spMask", "I");
        }

        /** ESP = (sp & ~mask) | ((sp + delta) & mask), sp in T0. */
        private void newSp(int delta) {
            mv.visitVarInsn(ILOAD, T0);
            spMask();
            mv.visitInsn(ICONST_M1);
            mv.visitInsn(IXOR);
            mv.visitInsn(IAND);
            mv.visitVarInsn(ILOAD, T0);
            push(delta);
            mv.visitInsn(IADD);
            spMask();
            mv.visitInsn(IAND);
            mv.visitInsn(IOR);
            st(Cpu.ESP);
        }

        /** Reads the dword at SS:(sp & mask), sp in T0. */
        private void readStack() {
            cpu();
            push(Cpu.SS);
            mv.visitVarInsn(ILOAD, T0);
            spMask();
            mv.visitInsn(IAND);
            mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "rd32", "(II)I", false);
        }

        void body() {
            Op[] ops = b.ops;
            for (int i = 0; i < ops.length; i++) {
                op(i, ops[i]);
                endOp(i);
            }
            writeBack(dirty);
            mv.visitInsn(ICONST_M1);
            mv.visitInsn(IRETURN);
        }

        void handlers() {
            for (int i = 0; i < b.ops.length; i++) {
                if (!guarded[i]) {
                    continue;
                }
                Label h = new Label();
                mv.visitTryCatchBlock(start[i], end[i], h, FAULT);
                mv.visitLabel(h);
                mv.visitInsn(POP);
                writeBack(snapshot[i]);
                push(i);
                mv.visitInsn(IRETURN);
            }
        }

        private void op(int i, Op op) {
            int p = op.p, q = op.q;
            switch (op.form) {
                case Op.ADD_RR32 -> { ld(q); alu(ADD, p); }
                case Op.SUB_RR32 -> { ld(q); alu(SUB, p); }
                case Op.AND_RR32 -> { ld(q); alu(AND, p); }
                case Op.OR_RR32 -> { ld(q); alu(OR, p); }
                case Op.XOR_RR32 -> { ld(q); alu(XOR, p); }
                case Op.CMP_RR32 -> { ld(q); alu(CMP, p); }
                case Op.TEST_RR32 -> { ld(q); alu(TEST, p); }
                case Op.ZERO_R32 -> {
                    mv.visitInsn(ICONST_0);
                    st(p);
                    mv.visitInsn(ICONST_0);
                    st(RES);
                    mv.visitInsn(ICONST_0);
                    st(AUX);
                }
                case Op.ADD_RI32 -> { push(q); alu(ADD, p); }
                case Op.SUB_RI32 -> { push(q); alu(SUB, p); }
                case Op.CMP_RI32 -> { push(q); alu(CMP, p); }
                case Op.AND_RI32 -> { push(q); alu(AND, p); }
                case Op.INC_R32 -> incDec(p, true);
                case Op.DEC_R32 -> incDec(p, false);
                case Op.MOV_RR32 -> { ld(q); st(p); }
                case Op.MOV_RI32 -> { push(q); st(p); }
                case Op.MOV_RM32, Op.MOV_RM32_BD -> {
                    MemOp m = (MemOp) op;
                    ea(m);
                    mayThrow(i);
                    rd32(m.seg);
                    st(p);
                }
                case Op.MOV_MR32, Op.MOV_MR32_BD -> {
                    MemOp m = (MemOp) op;
                    ea(m);
                    mv.visitVarInsn(ISTORE, T0);
                    mayThrow(i);
                    cpu();
                    push(m.seg);
                    mv.visitVarInsn(ILOAD, T0);
                    ld(p);
                    mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "wr32", "(III)V", false);
                    endOp(i);
                    smcCheck(i);
                }
                case Op.LEA32 -> { ea((MemOp) op); st(p); }
                case Op.JZ -> { cond(4); branchIf(p); }
                case Op.JNZ -> { cond(5); branchIf(p); }
                case Op.JCC -> { cond(p); branchIf(q); }
                case Op.JMP -> setEip(p);
                case Op.DEC_JNZ -> { incDec(p, false); cond(5); branchIf(q); }
                case Op.CMP_RR_JCC -> { ld((p >>> 4) & 15); alu(CMP, p & 15); cond(p >>> 8); branchIf(q); }
                case Op.TEST_RR_JCC -> { ld((p >>> 4) & 15); alu(TEST, p & 15); cond(p >>> 8); branchIf(q); }
                case Op.CMP_RI_JCC -> { push(((BranchOps.CmpRIJcc) op).imm); alu(CMP, p & 15); cond(p >>> 8); branchIf(q); }
                case Op.CALL32 -> {
                    push(q);
                    push32(i);
                    endOp(i);
                    setEip(p);
                    smcCheck(i);
                }
                case Op.RET32 -> {
                    ld(Cpu.ESP);
                    mv.visitVarInsn(ISTORE, T0);
                    mayThrow(i);
                    readStack();
                    mv.visitVarInsn(ISTORE, T1);
                    cpu();
                    mv.visitVarInsn(ILOAD, T1);
                    invoke("dev/machina/cpu/x86/BranchOps", "checkTarget", "(L" + CPU + ";I)V");
                    endOp(i);
                    newSp(4);
                    cpu();
                    mv.visitVarInsn(ILOAD, T1);
                    mv.visitFieldInsn(PUTFIELD, CPU, "eip", "I");
                }
                case Op.PUSH_R32 -> {
                    ld(p);
                    push32(i);
                    endOp(i);
                    smcCheck(i);
                }
                case Op.POP_R32 -> {
                    ld(Cpu.ESP);
                    mv.visitVarInsn(ISTORE, T0);
                    mayThrow(i);
                    readStack();
                    mv.visitVarInsn(ISTORE, T1);
                    endOp(i);
                    newSp(4);
                    mv.visitVarInsn(ILOAD, T1);
                    st(p);
                }
                default -> {
                    flush();
                    mayThrow(i);
                    mv.visitLdcInsn(new ConstantDynamic("_", "L" + OP + ";", CLASS_DATA_AT, i));
                    cpu();
                    mv.visitMethodInsn(INVOKEVIRTUAL, OP, "exec", "(L" + CPU + ";)V", false);
                    endOp(i);
                    reloadAll();
                    smcCheck(i);
                }
            }
        }
    }
}
