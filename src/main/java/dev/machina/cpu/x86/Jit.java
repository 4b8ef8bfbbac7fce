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
        abstract int run(Cpu c, Block b, long limit);
    }

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final String CPU = "dev/machina/cpu/x86/Cpu", BLOCK = "dev/machina/cpu/x86/Block",
            OP = "dev/machina/cpu/x86/Op", FAULT = "dev/machina/cpu/x86/CpuFault", SELF = "dev/machina/cpu/x86/Jit",
            CODE = "dev/machina/cpu/x86/Jit$Code";
    private static final Handle CLASS_DATA_AT = new Handle(H_INVOKESTATIC, "java/lang/invoke/MethodHandles", "classDataAt",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;I)Ljava/lang/Object;", false);

    /** Blocks waiting for the background compiler (past this many, more hot blocks are not queued). */
    private static final java.util.concurrent.BlockingQueue<Object[]> QUEUE = new java.util.concurrent.ArrayBlockingQueue<>(4096);
    private static Thread worker;

    /** Queues b for the background compiler, which sets b.jit when the code is ready (and b still valid). */
    static synchronized void submit(Cpu c, Block b) {
        if (worker == null) {
            worker = new Thread(Jit::work, "machina-jit");
            worker.setDaemon(true);
            worker.start();
        }
        QUEUE.offer(new Object[] {c, b});
    }

    private static void work() {
        while (true) {
            Object[] job;
            try {
                job = QUEUE.take();
            } catch (InterruptedException e) {
                return;
            }
            Block b = (Block) job[1];
            if (!b.valid) {
                continue;
            }
            Code code = compile((Cpu) job[0], b);
            if (code != null) {
                b.jit = code;
                ((Cpu) job[0]).jitCompiled.incrementAndGet();
            }
        }
    }

    /**
     * Compiles b, a block of c's code cache, or returns null when it cannot (the block then stays interpreted).
     * The class data is b's ops, then c's read and write TLB and its backing array (constants of the compiled
     * code: HotSpot knows their lengths, so a masked TLB index needs no bounds check).
     */
    static Code compile(Cpu c, Block b) {
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
            MethodVisitor mv = cw.visitMethod(0, "run", "(L" + CPU + ";L" + BLOCK + ";J)I", null, null);
            Emitter e = new Emitter(b, mv);
            e.used = probe.used;
            e.stored = probe.stored;
            e.segUsed = probe.segUsed;
            e.memory = probe.memory;
            e.fast = probe.allInline && probe.selfJump;
            mv.visitCode();
            e.prologue();
            e.body();
            e.handlers();
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            cw.visitEnd();
            Object[] data = Arrays.copyOf(b.ops, b.ops.length + 3, Object[].class);
            data[b.ops.length] = c.tlbR;
            data[b.ops.length + 1] = c.tlbW;
            data[b.ops.length + 2] = c.mem;
            MethodHandles.Lookup l = LOOKUP.defineHiddenClassWithClassData(cw.toByteArray(), List.of(data), false);
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

    /** IMUL's product as MulDivOps.imul leaves it in res: 32 bits, or 16 sign-extended. */
    static int imul32(int a, int b) {
        return a * b;
    }

    static int imul16(int a, int b) {
        return (short) ((short) a * (short) b);
    }

    /** IMUL's aux: CF = OF = the product does not fit the operand size (MulDivOps.setMulFlags). */
    static int imulAux32(int a, int b) {
        long p = (long) a * b;
        return p != (int) p ? Cpu.AUX_CF : 0;
    }

    static int imulAux16(int a, int b) {
        int p = (short) a * (short) b;
        return p != (short) p ? Cpu.AUX_CF : 0;
    }

    /** INC/DEC keep CF: the new aux with the old one's CF. */
    static int keepCf(int t, int oldAux) {
        return t ^ (((t ^ oldAux) >> 31) & 0xC0000000);
    }

    /** The backing-array accesses of the inline TLB fast path (the same VarHandles as CpuMemory's). */
    static int ld32(byte[] mem, int off) {
        return (int) CpuMemory.I32.get(mem, off);
    }

    static int ld16(byte[] mem, int off) {
        return (short) CpuMemory.I16.get(mem, off) & 0xFFFF;
    }

    static void st32(byte[] mem, int off, int v) {
        CpuMemory.I32.set(mem, off, v);
    }

    static void st16(byte[] mem, int off, int v) {
        CpuMemory.I16.set(mem, off, (short) v);
    }

    /** The aux word (AluOps.add's CF, OF and AF encoding) of a + b (+ carry) = v in an operand of 32 - sh bits. */
    static int addAuxN(int a, int b, int v, int sh) {
        int cv = (a & b) | ((a | b) & ~v);
        return (cv & 8) | ((cv << sh) & 0xC0000000);
    }

    /** The aux word of a - b (- borrow) = v in an operand of 32 - sh bits (AluOps.sub). */
    static int subAuxN(int a, int b, int v, int sh) {
        int bv = (~a & b) | ((~a | b) & v);
        return (bv & 8) | ((bv << sh) & 0xC0000000);
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
        // locals: 0 this, 1 cpu, 2 block, 3-4 the budget's limit, 5 int[] r, 6..13 the registers, 14 res, 15 aux,
        // 16..18 scratch; for the inline TLB fast path (the TLB arrays and the RAM/ROM backing array are constants
        // of the class data): 25 tlbUser, 26..31 the segment bases, 32..43 and 44..55 the read and write
        // limits (longs), 56..57 scratch (linear address, TLB index), 68..69 scratch (the TLB entry, a long)
        private static final int L_CPU = 1, L_BLOCK = 2, L_LIMIT = 3, L_R = 5, L_REG = 6, L_RES = 14, L_AUX = 15, T0 = 16, T1 = 17,
                T2 = 18, L_TLBU = 25, L_BASE = 26, L_RLIM = 32,
                L_WLIM = 44, T_LIN = 56, T_IDX = 57;
        // the generic ALU forms: operands, result, new flags (committed after the op's last fault point), setReg's value
        private static final int TA = 58, TB = 59, TV = 60, TRES = 61, TAUX = 62, TS = 63;
        /** 1 after a write went through the slow path (which may have hit decoded code) in the current op. */
        private static final int T_SLOW = 64;
        /** The fast loop-back ({@link #fast}): the instruction count (a long) and the mapping generation at entry. */
        private static final int L_IC = 65, L_GEN = 67, T_ENTRY = 68;
        private static final int RES = 8, AUX = 9;
        private final Block b;
        private final MethodVisitor mv;
        /** state slots (8 registers, res, aux) the inline code uses: cached in locals */
        boolean[] used = new boolean[10];
        /** state slots some op of the block writes */
        boolean[] stored = new boolean[10];
        /** Segments the inline memory accesses use (their base and limits are cached in locals), and whether there are any. */
        boolean[] segUsed = new boolean[6];
        boolean memory;
        /** The block's end may jump back to its start: then it loops here while the block loop would follow its self-link. */
        private final boolean loops;
        /** Every op is inline code (none runs through its exec): set by the probe pass. */
        boolean allInline = true;
        /**
         * The fast loop-back: the block is all inline and its last op jumps back to its start, so it loops
         * in this method with the instruction count in a local (L_IC), written back to the CPU before
         * every return and every slow-path memory call (a device may read the virtual clock); EIP is not
         * written while it loops (runChain set it to endEip, which no inline op but the last changes).
         */
        boolean fast;
        /** The last op's jump back to the start may loop here (no TF, no interrupt shadow, fall-through elsewhere). */
        final boolean selfJump;
        private final Label top = new Label();
        private final boolean[] dirty = new boolean[10];
        /** A stretch of op's code that may throw: its handler writes back the slots dirty at its start and returns op. */
        private record Region(int op, Label start, Label end, boolean[] snapshot) {}
        private final List<Region> regions = new java.util.ArrayList<>();
        private Region open;
        /** The op being emitted. */
        private int cur;

        Emitter(Block b, MethodVisitor mv) {
            this.b = b;
            this.mv = mv == null ? new MethodVisitor(ASM9) { } : mv;
            int n = b.ops.length;
            loops = b.linkable && !b.singleStep && jumpsTo(b.ops[n - 1], b.eip) || b.endEip == b.eip;
            selfJump = loops && b.endEip != b.eip && jumpsTo(b.ops[n - 1], b.eip) && (b.mode & Cpu.MODE_SHADOW) == 0;
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
            for (int t = TA; t <= T_SLOW; t++) {
                mv.visitInsn(ICONST_0);
                mv.visitVarInsn(ISTORE, t);
            }
            if (memory) {
                mv.visitInsn(LCONST_0);
                mv.visitVarInsn(LSTORE, T_ENTRY);
                mv.visitInsn(ICONST_0);
                mv.visitVarInsn(ISTORE, T_LIN);
                mv.visitInsn(ICONST_0);
                mv.visitVarInsn(ISTORE, T_IDX);
                loadSegments();
            }
            if (fast) {
                cpu();
                mv.visitFieldInsn(GETFIELD, CPU, "icount", "J");
                mv.visitVarInsn(LSTORE, L_IC);
                cpu();
                mv.visitFieldInsn(GETFIELD, CPU, "mapGen", "I");
                mv.visitVarInsn(ISTORE, L_GEN);
            }
            if (loops) {
                // in a later round the registers the body writes may be newer than the CPU's copy
                System.arraycopy(stored, 0, dirty, 0, 10);
                mv.visitLabel(top);
            }
        }

        /** Whether op (the block's last) may set EIP to target. */
        private static boolean jumpsTo(Op op, int target) {
            return switch (op.form) {
                case Op.JZ, Op.JNZ, Op.JMP -> op.p == target;
                case Op.JCC, Op.DEC_JNZ, Op.CMP_RR_JCC, Op.TEST_RR_JCC, Op.CMP_RI_JCC -> op.q == target;
                default -> false;
            };
        }

        /**
         * The block loop's checks between blocks (Cpu.runChain), for the block itself as successor:
         * no event, budget left, and the block linked to itself, still valid, links of this mapping
         * generation. Then the next round starts as runChain starts a block.
         */
        private void loopBack() {
            Label exit = new Label(), again = new Label();
            cpu();
            mv.visitFieldInsn(GETFIELD, CPU, "events", "I");
            mv.visitJumpInsn(IFNE, exit);
            cpu();
            mv.visitFieldInsn(GETFIELD, CPU, "icount", "J");
            mv.visitVarInsn(LLOAD, L_LIMIT);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFGE, exit);
            mv.visitVarInsn(ALOAD, L_BLOCK);
            mv.visitFieldInsn(GETFIELD, BLOCK, "linkGen", "I");
            cpu();
            mv.visitFieldInsn(GETFIELD, CPU, "mapGen", "I");
            mv.visitJumpInsn(IF_ICMPNE, exit);
            mv.visitVarInsn(ALOAD, L_BLOCK);
            mv.visitFieldInsn(GETFIELD, BLOCK, "valid", "Z");
            mv.visitJumpInsn(IFEQ, exit);
            for (int k = 0; k < 2; k++) {
                Label no = new Label();
                cpu();
                mv.visitFieldInsn(GETFIELD, CPU, "eip", "I");
                mv.visitVarInsn(ALOAD, L_BLOCK);
                mv.visitFieldInsn(GETFIELD, BLOCK, "eip" + k, "I");
                mv.visitJumpInsn(IF_ICMPNE, no);
                mv.visitVarInsn(ALOAD, L_BLOCK);
                mv.visitFieldInsn(GETFIELD, BLOCK, "next" + k, "L" + BLOCK + ";");
                mv.visitVarInsn(ALOAD, L_BLOCK);
                mv.visitJumpInsn(IF_ACMPEQ, again);
                mv.visitLabel(no);
            }
            mv.visitJumpInsn(GOTO, exit);
            mv.visitLabel(again);
            cpu();
            mv.visitInsn(DUP);
            mv.visitFieldInsn(GETFIELD, CPU, "icount", "J");
            mv.visitLdcInsn((long) b.insns);
            mv.visitInsn(LADD);
            mv.visitFieldInsn(PUTFIELD, CPU, "icount", "J");
            setEip(b.endEip);
            mv.visitJumpInsn(GOTO, top);
            mv.visitLabel(exit);
        }

        /**
         * The last op jumps back to the block's start (its condition held): the checks runChain makes
         * before following the block's link to itself, on locals where it can: no event, budget left,
         * the mappings of this method's entry (then a lookup of the start finds this block), the block
         * still valid. Then the next round, counted in L_IC; otherwise EIP = the start and on to the exit.
         */
        private void fastLoop() {
            Label exit = new Label();
            cpu();
            mv.visitFieldInsn(GETFIELD, CPU, "events", "I");
            mv.visitJumpInsn(IFNE, exit);
            mv.visitVarInsn(LLOAD, L_IC);
            mv.visitVarInsn(LLOAD, L_LIMIT);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFGE, exit);
            cpu();
            mv.visitFieldInsn(GETFIELD, CPU, "mapGen", "I");
            mv.visitVarInsn(ILOAD, L_GEN);
            mv.visitJumpInsn(IF_ICMPNE, exit);
            mv.visitVarInsn(ALOAD, L_BLOCK);
            mv.visitFieldInsn(GETFIELD, BLOCK, "valid", "Z");
            mv.visitJumpInsn(IFEQ, exit);
            mv.visitVarInsn(LLOAD, L_IC);
            mv.visitLdcInsn((long) b.insns);
            mv.visitInsn(LADD);
            mv.visitVarInsn(LSTORE, L_IC);
            mv.visitJumpInsn(GOTO, top);
            mv.visitLabel(exit);
            setEip(b.eip);
        }

        /** In the fast loop-back, the CPU's instruction count from its local (before a return or a slow-path call). */
        private void syncIcount() {
            if (fast) {
                cpu();
                mv.visitVarInsn(LLOAD, L_IC);
                mv.visitFieldInsn(PUTFIELD, CPU, "icount", "J");
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
            if (memory) {
                loadSegments(); // a non-inline op may have loaded a segment or changed the CPL
            }
        }

        /**
         * tlbUser and, for each segment the inline accesses use, its base and read and write limits, into
         * locals: only non-inline ops change them (segment loads, CPL changes), and reloadAll runs after those.
         */
        private void loadSegments() {
            cpu();
            mv.visitFieldInsn(GETFIELD, CPU, "tlbUser", "I");
            mv.visitVarInsn(ISTORE, L_TLBU);
            for (int s = 0; s < 6; s++) {
                if (!segUsed[s]) {
                    continue;
                }
                cpu();
                mv.visitFieldInsn(GETFIELD, CPU, "base", "[I");
                push(s);
                mv.visitInsn(IALOAD);
                mv.visitVarInsn(ISTORE, L_BASE + s);
                for (int w = 0; w < 2; w++) {
                    cpu();
                    mv.visitFieldInsn(GETFIELD, CPU, w == 0 ? "rdLim" : "wrLim", "[J");
                    push(s);
                    mv.visitInsn(LALOAD);
                    mv.visitVarInsn(LSTORE, (w == 0 ? L_RLIM : L_WLIM) + 2 * s);
                }
            }
        }

        /**
         * The TLB fast path of CpuMemory.rd8/16/32 and wr8/16/32 inline, on the cached locals: the segment limit
         * check, then the TLB tag of the access's last byte (the same entry as the first byte's means the same
         * page); a jump to slow when either fails. Leaves the backing-array offset of the access in T_IDX.
         * The effective address is in T0.
         */
        private void fastPath(int seg, int size, boolean write, Label slow) {
            memory = true;
            segUsed[seg] = true;
            mv.visitVarInsn(ILOAD, T0);
            mv.visitInsn(I2L);
            mv.visitLdcInsn(0xFFFFFFFFL);
            mv.visitInsn(LAND);
            if (size > 1) {
                mv.visitLdcInsn((long) (size - 1));
                mv.visitInsn(LADD);
            }
            mv.visitVarInsn(LLOAD, (write ? L_WLIM : L_RLIM) + 2 * seg);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFGT, slow);
            mv.visitVarInsn(ILOAD, L_BASE + seg);
            mv.visitVarInsn(ILOAD, T0);
            mv.visitInsn(IADD);
            mv.visitVarInsn(ISTORE, T_LIN);
            // tag of the last byte's page, compared with the entry of the first byte's page (its high half)
            constant(b.ops.length + (write ? 1 : 0), "[J");
            mv.visitVarInsn(ILOAD, T_LIN);
            push(12);
            mv.visitInsn(IUSHR);
            push(CpuMemory.TLB_MASK);
            mv.visitInsn(IAND);
            mv.visitVarInsn(ILOAD, L_TLBU);
            mv.visitInsn(IOR);
            push(2 * CpuMemory.TLB_SIZE - 1); // tlbUser is 0 or TLB_SIZE: a no-op that bounds the index for HotSpot
            mv.visitInsn(IAND);
            mv.visitInsn(LALOAD);
            mv.visitInsn(DUP2);
            mv.visitVarInsn(LSTORE, T_ENTRY);
            push(32);
            mv.visitInsn(LUSHR);
            mv.visitInsn(L2I);
            mv.visitVarInsn(ILOAD, T_LIN);
            if (size > 1) {
                push(size - 1);
                mv.visitInsn(IADD);
            }
            mv.visitLdcInsn(0xFFFFF000);
            mv.visitInsn(IAND);
            mv.visitJumpInsn(IF_ICMPNE, slow);
            mv.visitVarInsn(LLOAD, T_ENTRY); // its low half: the page's offset in the backing array
            mv.visitInsn(L2I);
            mv.visitVarInsn(ILOAD, T_LIN);
            push(0xFFF);
            mv.visitInsn(IAND);
            mv.visitInsn(IOR);
            mv.visitVarInsn(ISTORE, T_IDX);
        }

        /** Reads size bytes at seg:ea (ea on the stack → the value, zero-extended), as CpuMemory.rd8/16/32. */
        private void rdMem(int seg, int size) {
            rdMem(seg, size, false);
        }

        /** The destination read of a read-modify-write (ea on the stack → the value), as CpuMemory.rdw: checked for writing. */
        private void rdwMem(int seg, int size) {
            rdMem(seg, size, true);
        }

        /**
         * A read of size bytes at seg:ea (ea on the stack → the value, zero-extended) through the TLB fast
         * path; forWrite checks it against the write limit and write TLB and takes CpuMemory.rdw's slow path
         * (a read-modify-write's destination), otherwise the read limit, read TLB and readSlow.
         */
        private void rdMem(int seg, int size, boolean forWrite) {
            mv.visitVarInsn(ISTORE, T0);
            Label slow = new Label(), done = new Label();
            fastPath(seg, size, forWrite, slow);
            constant(b.ops.length + 2, "[B");
            mv.visitVarInsn(ILOAD, T_IDX);
            if (size == 1) {
                mv.visitInsn(BALOAD);
                push(0xFF);
                mv.visitInsn(IAND);
            } else {
                invoke(SELF, size == 4 ? "ld32" : "ld16", "([BI)I");
            }
            mv.visitJumpInsn(GOTO, done);
            mv.visitLabel(slow);
            syncIcount();
            cpu();
            if (forWrite) {
                push(size);
                push(seg);
                mv.visitVarInsn(ILOAD, T0);
                mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "rdw", "(III)I", false);
            } else {
                push(seg);
                mv.visitVarInsn(ILOAD, T0);
                push(size);
                mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "readSlow", "(III)I", false);
            }
            mv.visitLabel(done);
        }

        /** Pushes register i of size bytes, zero-extended (CpuState.getReg). */
        private void getReg(int size, int i) {
            if (size == 4) {
                ld(i);
            } else if (size == 2) {
                ld(i);
                push(0xFFFF);
                mv.visitInsn(IAND);
            } else {
                ld(i & 3);
                if ((i & 4) != 0) {
                    push(8);
                    mv.visitInsn(IUSHR);
                }
                push(0xFF);
                mv.visitInsn(IAND);
            }
        }

        /** Pops into register i of size bytes, keeping the register's other bits (CpuState.setReg). */
        private void setReg(int size, int i) {
            if (size == 4) {
                st(i);
                return;
            }
            mv.visitVarInsn(ISTORE, TS);
            int j = size == 2 ? i : i & 3, sh = size == 2 ? 0 : (i & 4) << 1, mask = size == 2 ? 0xFFFF : 0xFF;
            ld(j);
            push(~(mask << sh));
            mv.visitInsn(IAND);
            mv.visitVarInsn(ILOAD, TS);
            push(mask);
            mv.visitInsn(IAND);
            if (sh != 0) {
                push(sh);
                mv.visitInsn(ISHL);
            }
            mv.visitInsn(IOR);
            st(j);
        }

        /** TRES = TV sign-extended from the operand size (the lazy result). */
        private void lazyRes(int size) {
            mv.visitVarInsn(ILOAD, TV);
            if (size < 4) {
                push(32 - 8 * size);
                mv.visitInsn(ISHL);
                push(32 - 8 * size);
                mv.visitInsn(ISHR);
            }
            mv.visitVarInsn(ISTORE, TRES);
        }

        /** AluOps.alu of kind on TA and TB in size bytes: TV the result, TRES and TAUX the new flags (not yet committed). */
        private void aluN(int kind, int size) {
            mv.visitVarInsn(ILOAD, TA);
            mv.visitVarInsn(ILOAD, TB);
            mv.visitInsn(switch (kind) {
                case AluOps.ADD, AluOps.ADC -> IADD;
                case AluOps.SUB, AluOps.SBB, AluOps.CMP -> ISUB;
                case AluOps.AND, AluOps.TEST -> IAND;
                case AluOps.OR -> IOR;
                default -> IXOR;
            });
            if (kind == AluOps.ADC || kind == AluOps.SBB) {
                ldSlot(AUX);
                push(31);
                mv.visitInsn(IUSHR); // CF
                mv.visitInsn(kind == AluOps.ADC ? IADD : ISUB);
            }
            mv.visitVarInsn(ISTORE, TV);
            lazyRes(size);
            boolean add = kind == AluOps.ADD || kind == AluOps.ADC, sub = kind == AluOps.SUB || kind == AluOps.SBB || kind == AluOps.CMP;
            if (add || sub) {
                mv.visitVarInsn(ILOAD, TA);
                mv.visitVarInsn(ILOAD, TB);
                mv.visitVarInsn(ILOAD, TV);
                push(32 - 8 * size);
                invoke(SELF, add ? "addAuxN" : "subAuxN", "(IIII)I");
            } else {
                mv.visitInsn(ICONST_0);
            }
            mv.visitVarInsn(ISTORE, TAUX);
        }

        /** AluOps.unaryOp of kind on TA: TV, and for all but NOT TRES and TAUX; returns whether it sets flags. */
        private boolean unaryN(int kind, int size) {
            if (kind == AluOps.NOT) {
                mv.visitVarInsn(ILOAD, TA);
                mv.visitInsn(ICONST_M1);
                mv.visitInsn(IXOR);
                mv.visitVarInsn(ISTORE, TV);
                return false;
            }
            if (kind == AluOps.NEG) {
                mv.visitInsn(ICONST_0);
                mv.visitVarInsn(ILOAD, TA);
                mv.visitInsn(ISUB);
            } else {
                mv.visitVarInsn(ILOAD, TA);
                mv.visitInsn(ICONST_1);
                mv.visitInsn(kind == AluOps.INC ? IADD : ISUB);
            }
            mv.visitVarInsn(ISTORE, TV);
            lazyRes(size);
            if (kind == AluOps.NEG) {
                mv.visitInsn(ICONST_0);
                mv.visitVarInsn(ILOAD, TA);
            } else {
                mv.visitVarInsn(ILOAD, TA);
                mv.visitInsn(ICONST_1);
            }
            mv.visitVarInsn(ILOAD, TV);
            push(32 - 8 * size);
            invoke(SELF, kind == AluOps.INC ? "addAuxN" : "subAuxN", "(IIII)I");
            if (kind != AluOps.NEG) {
                ldSlot(AUX);
                invoke(SELF, "keepCf", "(II)I"); // INC and DEC keep CF
            }
            mv.visitVarInsn(ISTORE, TAUX);
            return true;
        }

        private void commitFlags() {
            mv.visitVarInsn(ILOAD, TRES);
            st(RES);
            mv.visitVarInsn(ILOAD, TAUX);
            st(AUX);
        }

        /**
         * The generic forms of AluOps and MoveOps (every size, register, immediate and memory operands,
         * read-modify-write with one checked read), shifts and rotates of registers and memory, CMOVcc and
         * SETcc inline, with their operands as constants. Returns false
         * for any other op (it then runs through its exec).
         */
        private boolean generic(int i, Op op) {
            if (op instanceof AluOps.AluRR a) {
                getReg(a.size, a.d);
                mv.visitVarInsn(ISTORE, TA);
                getReg(a.size, a.s);
                mv.visitVarInsn(ISTORE, TB);
                aluN(a.kind, a.size);
                commitFlags();
                if (AluOps.writesBack(a.kind)) {
                    mv.visitVarInsn(ILOAD, TV);
                    setReg(a.size, a.d);
                }
            } else if (op instanceof AluOps.AluRI a) {
                getReg(a.size, a.d);
                mv.visitVarInsn(ISTORE, TA);
                push(a.imm);
                mv.visitVarInsn(ISTORE, TB);
                aluN(a.kind, a.size);
                commitFlags();
                if (AluOps.writesBack(a.kind)) {
                    mv.visitVarInsn(ILOAD, TV);
                    setReg(a.size, a.d);
                }
            } else if (op instanceof AluOps.AluRM || op instanceof AluOps.AluRM32) {
                MemOp m = (MemOp) op;
                int kind = op instanceof AluOps.AluRM a ? a.kind : ((AluOps.AluRM32) op).kind;
                int size = op instanceof AluOps.AluRM a ? a.size : 4;
                int d = op instanceof AluOps.AluRM a ? a.d : ((AluOps.AluRM32) op).d;
                ea(m);
                mayThrow(i);
                rdMem(m.seg, size);
                mv.visitVarInsn(ISTORE, TB);
                endOp(i);
                getReg(size, d);
                mv.visitVarInsn(ISTORE, TA);
                aluN(kind, size);
                commitFlags();
                if (AluOps.writesBack(kind)) {
                    mv.visitVarInsn(ILOAD, TV);
                    setReg(size, d);
                }
            } else if (op instanceof AluOps.AluMR || op instanceof AluOps.AluMI) {
                MemOp m = (MemOp) op;
                int kind = op instanceof AluOps.AluMR a ? a.kind : ((AluOps.AluMI) op).kind;
                int size = op instanceof AluOps.AluMR a ? a.size : ((AluOps.AluMI) op).size;
                ea(m);
                mayThrow(i);
                boolean wb = AluOps.writesBack(kind);
                if (wb) {
                    rdwMem(m.seg, size);
                } else {
                    rdMem(m.seg, size);
                }
                mv.visitVarInsn(ISTORE, TA);
                if (op instanceof AluOps.AluMR a) {
                    getReg(size, a.s);
                } else {
                    push(((AluOps.AluMI) op).imm);
                }
                mv.visitVarInsn(ISTORE, TB);
                aluN(kind, size);
                if (wb) {
                    // rdw checked the write, so it cannot fault: the flags go first (a write that drops
                    // the block leaves it after this op, with the op's flags)
                    endOp(i);
                    commitFlags();
                    mv.visitVarInsn(ILOAD, TV);
                    mv.visitVarInsn(ISTORE, T1);
                    mayThrow(i);
                    wrMem(m.seg, size, i);
                    endOp(i);
                    smcAfterWrite(i);
                } else {
                    endOp(i);
                    commitFlags();
                }
            } else if (op instanceof MulDivOps.ImulR a) {
                // IMUL Gv,Ev / Gv,Ev,imm of registers (16 or 32 bits): the multiply loops of the kernel's
                // crypto self-tests; through exec every one wrote back and reloaded all registers
                getReg(a.size, a.s);
                mv.visitVarInsn(ISTORE, TA);
                if (a.hasImm) {
                    push(a.imm);
                } else {
                    getReg(a.size, a.d);
                }
                mv.visitVarInsn(ISTORE, TB);
                String w = a.size == 4 ? "32" : "16";
                mv.visitVarInsn(ILOAD, TA);
                mv.visitVarInsn(ILOAD, TB);
                invoke(SELF, "imul" + w, "(II)I");
                mv.visitVarInsn(ISTORE, TRES);
                mv.visitVarInsn(ILOAD, TA);
                mv.visitVarInsn(ILOAD, TB);
                invoke(SELF, "imulAux" + w, "(II)I");
                mv.visitVarInsn(ISTORE, TAUX);
                commitFlags();
                mv.visitVarInsn(ILOAD, TRES);
                setReg(a.size, a.d);
            } else if (op instanceof AluOps.UnaryR a) {
                getReg(a.size, a.d);
                mv.visitVarInsn(ISTORE, TA);
                if (unaryN(a.kind, a.size)) {
                    commitFlags();
                }
                mv.visitVarInsn(ILOAD, TV);
                setReg(a.size, a.d);
            } else if (op instanceof AluOps.UnaryM a) {
                ea(a);
                mayThrow(i);
                rdwMem(a.seg, a.size);
                mv.visitVarInsn(ISTORE, TA);
                boolean flags = unaryN(a.kind, a.size);
                endOp(i);
                if (flags) {
                    commitFlags();
                }
                mv.visitVarInsn(ILOAD, TV);
                mv.visitVarInsn(ISTORE, T1);
                mayThrow(i);
                wrMem(a.seg, a.size, i);
                endOp(i);
                smcAfterWrite(i);
            } else if (op instanceof ShiftOps.ShiftR a) {
                // ShiftOps.apply with the kind and size as constants, on the register's local; it reads and
                // sets the flags in the CPU, so only RES and AUX go through memory (it cannot fault)
                flushResAux();
                cpu();
                push(a.kind);
                push(a.size);
                getReg(a.size, a.d);
                shiftApply(a.countSrc);
                setReg(a.size, a.d);
                reloadResAux();
            } else if (op instanceof ShiftOps.ShiftM a) {
                // as ShiftR on the destination read (checked for writing, so the write after cannot fault)
                ea(a);
                mayThrow(i);
                rdwMem(a.seg, a.size);
                mv.visitVarInsn(ISTORE, TA);
                endOp(i);
                flushResAux();
                cpu();
                push(a.kind);
                push(a.size);
                mv.visitVarInsn(ILOAD, TA);
                shiftApply(a.countSrc);
                mv.visitVarInsn(ISTORE, T1);
                reloadResAux();
                mayThrow(i);
                wrMem(a.seg, a.size, i);
                endOp(i);
                smcAfterWrite(i);
            } else if (op instanceof MoveOps.CmovR a) {
                // the source is read, the destination written only when the condition holds
                Label skip = new Label();
                cond(a.cc);
                mv.visitJumpInsn(IFEQ, skip);
                getReg(a.size, a.s);
                setReg(a.size, a.d);
                mv.visitLabel(skip);
            } else if (op instanceof MoveOps.CmovM a) {
                // the memory operand is read (and may fault) whether or not the condition holds
                ea(a);
                mayThrow(i);
                rdMem(a.seg, a.size);
                endOp(i);
                mv.visitVarInsn(ISTORE, TV);
                Label skip = new Label();
                cond(a.cc);
                mv.visitJumpInsn(IFEQ, skip);
                mv.visitVarInsn(ILOAD, TV);
                setReg(a.size, a.d);
                mv.visitLabel(skip);
            } else if (op instanceof MoveOps.SetccR a) {
                cond(a.cc);
                setReg(1, a.d);
            } else if (op instanceof MoveOps.SetccM a) {
                ea(a);
                mv.visitVarInsn(ISTORE, T0);
                cond(a.cc);
                mv.visitVarInsn(ISTORE, T1);
                mayThrow(i);
                wrMem(a.seg, 1, i);
                endOp(i);
                smcAfterWrite(i);
            } else if (op instanceof MoveOps.MovRR a) {
                getReg(a.size, a.s);
                setReg(a.size, a.d);
            } else if (op instanceof MoveOps.MovRI a) {
                push(a.v);
                setReg(a.size, a.d);
            } else if (op instanceof MoveOps.MovRM a) {
                ea(a);
                mayThrow(i);
                rdMem(a.seg, a.size);
                endOp(i);
                setReg(a.size, a.d);
            } else if (op instanceof MoveOps.MovMR a) {
                ea(a);
                mv.visitVarInsn(ISTORE, T0);
                getReg(a.size, a.s);
                mv.visitVarInsn(ISTORE, T1);
                mayThrow(i);
                wrMem(a.seg, a.size, i);
                endOp(i);
                smcAfterWrite(i);
            } else if (op instanceof MoveOps.MovMI a) {
                ea(a);
                mv.visitVarInsn(ISTORE, T0);
                push(a.v);
                mv.visitVarInsn(ISTORE, T1);
                mayThrow(i);
                wrMem(a.seg, a.size, i);
                endOp(i);
                smcAfterWrite(i);
            } else if (op instanceof MoveOps.Lea a) {
                ea(a);
                setReg(a.size, a.d);
            } else if (op instanceof MoveOps.MovxR a) {
                getReg(a.from, a.s);
                if (a.signed) {
                    mv.visitInsn(a.from == 1 ? I2B : I2S);
                }
                setReg(a.size, a.d);
            } else if (op instanceof MoveOps.MovxM a) {
                ea(a);
                mayThrow(i);
                rdMem(a.seg, a.from);
                endOp(i);
                if (a.signed) {
                    mv.visitInsn(a.from == 1 ? I2B : I2S);
                }
                setReg(a.size, a.d);
            } else {
                return false;
            }
            return true;
        }

        /**
         * Writes the value in T1 to seg:ea (ea in T0), as CpuMemory.wr8/16/32. Only the slow path can reach a
         * page with decoded code (the TLB has no fast write entry for one), so only it sets T_SLOW for op i's
         * check for self-modifying code ({@link #smcAfterWrite}, once the op is complete).
         */
        private void wrMem(int seg, int size, int i) {
            Label slow = new Label(), done = new Label();
            fastPath(seg, size, true, slow);
            constant(b.ops.length + 2, "[B");
            mv.visitVarInsn(ILOAD, T_IDX);
            mv.visitVarInsn(ILOAD, T1);
            if (size == 1) {
                mv.visitInsn(BASTORE);
            } else {
                invoke(SELF, size == 4 ? "st32" : "st16", "([BII)V");
            }
            mv.visitJumpInsn(GOTO, done);
            mv.visitLabel(slow);
            syncIcount();
            cpu();
            push(seg);
            mv.visitVarInsn(ILOAD, T0);
            push(size);
            mv.visitVarInsn(ILOAD, T1);
            mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "writeSlow", "(IIII)V", false);
            if (i + 1 < b.ops.length) {
                mv.visitInsn(ICONST_1);
                mv.visitVarInsn(ISTORE, T_SLOW);
            }
            mv.visitLabel(done);
        }

        /**
         * After op i's last effect: when one of its writes took the slow path and dropped the running
         * block (self-modifying code), leave at op i + 1 as the interpreter's poisoned block would.
         */
        private void smcAfterWrite(int i) {
            if (i + 1 >= b.ops.length) {
                return;
            }
            Label skip = new Label();
            mv.visitVarInsn(ILOAD, T_SLOW);
            mv.visitJumpInsn(IFEQ, skip);
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ISTORE, T_SLOW);
            smcCheck(i);
            mv.visitLabel(skip);
        }

        /** Pushes element i of the class data (see {@link Jit#compile}), of the type descriptor desc. */
        private void constant(int i, String desc) {
            mv.visitLdcInsn(new ConstantDynamic("_", desc, CLASS_DATA_AT, i));
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
            stored[s] = true;
            dirty[s] = true;
            mv.visitVarInsn(ISTORE, local(s));
        }


        /**
         * Op i's code from here on may throw: its handler writes back what is dirty now. After endOp, a
         * second call opens a second region whose snapshot includes what the op committed in between.
         */
        private void mayThrow(int i) {
            if (open == null) {
                open = new Region(i, new Label(), new Label(), dirty.clone());
                mv.visitLabel(open.start);
            }
        }

        private void endOp(int i) {
            if (open != null) {
                mv.visitLabel(open.end);
                regions.add(open);
                open = null;
            }
        }

        /** Stores RES and AUX where dirty, for a call that reads and sets the flags in the CPU (ShiftOps.apply). */
    private void flushResAux() {
        for (int f = RES; f <= AUX; f++) {
            if (dirty[f]) {
                store(f);
                dirty[f] = false;
            }
        }
    }

    /** ShiftOps.apply's count (CL masked to 8 bits, or the constant) and the call; cpu, kind, size, value are on the stack. */
    private void shiftApply(int countSrc) {
        if (countSrc < 0) {
            ld(Cpu.ECX);
            push(0xFF);
            mv.visitInsn(IAND);
        } else {
            push(countSrc);
        }
        invoke("dev/machina/cpu/x86/ShiftOps", "apply", "(L" + CPU + ";IIII)I");
    }

    /** RES and AUX back into their locals after a call that set them in the CPU. */
    private void reloadResAux() {
        used[RES] = used[AUX] = true;
        load(RES);
        load(AUX);
    }

    private void cpu() {
            mv.visitVarInsn(ALOAD, L_CPU);
        }

        private void invoke(String owner, String name, String desc) {
            mv.visitMethodInsn(INVOKESTATIC, owner, name, desc, false);
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
            syncIcount();
            cpu();
            mv.visitInsn(ICONST_M1);
            mv.visitFieldInsn(PUTFIELD, CPU, "faultVector", "I");
            push(i + 1);
            mv.visitInsn(IRETURN);
            mv.visitLabel(ok);
        }

        /** If the condition value on the stack is true, EIP = target (or, in the fast loop-back, the next round). */
        private void branchIf(int target) {
            Label skip = new Label();
            mv.visitJumpInsn(IFEQ, skip);
            jumpTo(target);
            mv.visitLabel(skip);
        }

        /** EIP = target: the last op's jump to the start loops in the fast loop-back. */
        private void jumpTo(int target) {
            if (fast && target == b.eip && cur == b.ops.length - 1) {
                fastLoop();
            } else {
                setEip(target);
            }
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
            mv.visitVarInsn(ISTORE, T2); // sp
            mayThrow(i);
            mv.visitVarInsn(ILOAD, T2);
            push(4);
            mv.visitInsn(ISUB);
            spMask();
            mv.visitInsn(IAND);
            mv.visitVarInsn(ISTORE, T0);
            wrMem(Cpu.SS, 4, i);
            newSp(-4);
        }

        private void spMask() {
            cpu();
            mv.visitFieldInsn(GETFIELD, CPU, "spMask", "I");
        }

        /** ESP = (sp & ~mask) | ((sp + delta) & mask), sp in T2. */
        private void newSp(int delta) {
            mv.visitVarInsn(ILOAD, T2);
            spMask();
            mv.visitInsn(ICONST_M1);
            mv.visitInsn(IXOR);
            mv.visitInsn(IAND);
            mv.visitVarInsn(ILOAD, T2);
            push(delta);
            mv.visitInsn(IADD);
            spMask();
            mv.visitInsn(IAND);
            mv.visitInsn(IOR);
            st(Cpu.ESP);
        }

        /** Pushes the dword at SS:(sp & mask), sp in T2. */
        private void readStack() {
            mv.visitVarInsn(ILOAD, T2);
            spMask();
            mv.visitInsn(IAND);
            rdMem(Cpu.SS, 4);
        }

        void body() {
            Op[] ops = b.ops;
            for (int i = 0; i < ops.length; i++) {
                cur = i;
                op(i, ops[i]);
                endOp(i);
            }
            if (loops && !fast) {
                loopBack();
            }
            writeBack(dirty);
            syncIcount();
            mv.visitInsn(ICONST_M1);
            mv.visitInsn(IRETURN);
        }

        void handlers() {
            for (Region g : regions) {
                Label h = new Label();
                mv.visitTryCatchBlock(g.start, g.end, h, FAULT);
                mv.visitLabel(h);
                mv.visitInsn(POP);
                writeBack(g.snapshot);
                syncIcount();
                push(g.op);
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
                    rdMem(m.seg, 4);
                    st(p);
                }
                case Op.MOV_MR32, Op.MOV_MR32_BD -> {
                    MemOp m = (MemOp) op;
                    ea(m);
                    mv.visitVarInsn(ISTORE, T0);
                    ld(p);
                    mv.visitVarInsn(ISTORE, T1);
                    mayThrow(i);
                    wrMem(m.seg, 4, i);
                    endOp(i);
                    smcAfterWrite(i);
                }
                case Op.LEA32 -> { ea((MemOp) op); st(p); }
                case Op.JZ -> { cond(4); branchIf(p); }
                case Op.JNZ -> { cond(5); branchIf(p); }
                case Op.JCC -> { cond(p); branchIf(q); }
                case Op.JMP -> jumpTo(p);
                case Op.DEC_JNZ -> { incDec(p, false); cond(5); branchIf(q); }
                case Op.CMP_RR_JCC -> { ld((p >>> 4) & 15); alu(CMP, p & 15); cond(p >>> 8); branchIf(q); }
                case Op.TEST_RR_JCC -> { ld((p >>> 4) & 15); alu(TEST, p & 15); cond(p >>> 8); branchIf(q); }
                case Op.CMP_RI_JCC -> { push(((BranchOps.CmpRIJcc) op).imm); alu(CMP, p & 15); cond(p >>> 8); branchIf(q); }
                case Op.CALL32 -> {
                    push(q);
                    push32(i);
                    endOp(i);
                    setEip(p);
                }
                case Op.RET32 -> {
                    ld(Cpu.ESP);
                    mv.visitVarInsn(ISTORE, T2);
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
                    smcAfterWrite(i);
                }
                case Op.POP_R32 -> {
                    ld(Cpu.ESP);
                    mv.visitVarInsn(ISTORE, T2);
                    mayThrow(i);
                    readStack();
                    mv.visitVarInsn(ISTORE, T1);
                    endOp(i);
                    newSp(4);
                    mv.visitVarInsn(ILOAD, T1);
                    st(p);
                }
                default -> {
                    if (generic(i, op)) {
                        return;
                    }
                    allInline = false;
                    flush();
                    mayThrow(i);
                    constant(i, "L" + OP + ";");
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
