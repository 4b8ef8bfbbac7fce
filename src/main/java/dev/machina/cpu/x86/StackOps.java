package dev.machina.cpu.x86;

/**
 * Stack instructions: PUSH, POP (registers, memory, immediates, segment registers), PUSHA/POPA,
 * PUSHF/POPF, ENTER, LEAVE (SDM Vol. 2B). The stack pointer is SP or ESP by SS.B; the operand size
 * decides how much is pushed. A multi-part instruction moves ESP only once everything succeeded,
 * so a fault leaves ESP as it was.
 */
final class StackOps {
    private StackOps() {}

    static Op push(Insn i) {
        int size = i.osize;
        Opnd o = i.op(0);
        if (o == Opnd.Zv) {
            int reg = i.opcode & 7;
            return size == 4 ? new PushR32(reg) : new PushR(size, reg);
        }
        if (o.isImmediate()) {
            return new PushI(size, i.imm);
        }
        if (i.isReg()) {
            return size == 4 ? new PushR32(i.rm) : new PushR(size, i.rm);
        }
        return new PushM(size, i.addr());
    }

    static Op pop(Insn i) {
        int size = i.osize;
        if (i.op(0) == Opnd.Zv) {
            int reg = i.opcode & 7;
            return size == 4 ? new PopR32(reg) : new PopR(size, reg);
        }
        if (i.isReg()) {
            return new PopR(size, i.rm);
        }
        return new PopM(size, i.addr());
    }

    private static int segOf(int opcode) {
        return switch (opcode) {
            case 0x06, 0x07 -> Cpu.ES;
            case 0x0E -> Cpu.CS;
            case 0x16, 0x17 -> Cpu.SS;
            case 0x1E, 0x1F -> Cpu.DS;
            case 0x1A0, 0x1A1 -> Cpu.FS;
            default -> Cpu.GS;
        };
    }

    static Op pushSeg(Insn i) {
        return new PushSeg(i.osize, segOf(i.opcode));
    }

    static Op popSeg(Insn i) {
        return new PopSeg(i.osize, segOf(i.opcode));
    }

    static Op pusha(Insn i) {
        return new Pusha(i.osize);
    }

    static Op popa(Insn i) {
        return new Popa(i.osize);
    }

    static Op pushf(Insn i) {
        return new Pushf(i.osize);
    }

    static Op popf(Insn i) {
        return new Popf(i.osize);
    }

    static Op enter(Insn i) {
        return new Enter(i.osize, i.imm & 0xFFFF, i.imm2 & 31);
    }

    static Op leave(Insn i) {
        return new Leave(i.osize);
    }

    // ---------------- ops ----------------

    static final class PushR32 extends Op {
        PushR32(int s) {
            super(PUSH_R32, s, 0);
        }

        @Override
        void exec(Cpu c) {
            c.push32(c.r[p]); // PUSH ESP pushes the value before the decrement
        }
    }

    static final class PushR extends Op {
        private final int size, s;

        PushR(int size, int s) {
            this.size = size;
            this.s = s;
        }

        @Override
        void exec(Cpu c) {
            c.push(size, c.r[s]);
        }
    }

    static final class PushI extends Op {
        private final int size, v;

        PushI(int size, int v) {
            this.size = size;
            this.v = v;
        }

        @Override
        void exec(Cpu c) {
            c.push(size, v);
        }
    }

    static final class PushM extends MemOp {
        private final int size;

        PushM(int size, Addr a) {
            super(a);
            this.size = size;
        }

        @Override
        void exec(Cpu c) {
            c.push(size, c.rd(size, seg, ea(c)));
        }
    }

    static final class PopR32 extends Op {
        PopR32(int d) {
            super(POP_R32, d, 0);
        }

        @Override
        void exec(Cpu c) {
            int v = c.pop32();
            c.r[p] = v; // POP ESP: the popped value wins over the increment
        }
    }

    static final class PopR extends Op {
        private final int size, d;

        PopR(int size, int d) {
            this.size = size;
            this.d = d;
        }

        @Override
        void exec(Cpu c) {
            int v = c.pop(size);
            c.setReg(size, d, v);
        }
    }

    /** POP m: an ESP-based address is computed after ESP was incremented (SDM POP). */
    static final class PopM extends MemOp {
        private final int size;

        PopM(int size, Addr a) {
            super(a);
            this.size = size;
        }

        @Override
        void exec(Cpu c) {
            int old = c.r[Cpu.ESP];
            int v = c.peek(size, 0);
            c.addSp(size);
            try {
                c.wr(size, seg, ea(c), v);
            } catch (CpuFault f) {
                c.r[Cpu.ESP] = old;
                throw f;
            }
        }
    }

    /**
     * PUSH Sreg. With a 32-bit operand size only the low 16 bits are written and ESP moves by 4
     * (SDM PUSH: what recent processors do; the upper half of the slot is left as it was).
     */
    static final class PushSeg extends Op {
        private final int size, s;

        PushSeg(int size, int s) {
            this.size = size;
            this.s = s;
        }

        @Override
        void exec(Cpu c) {
            int sp = c.r[Cpu.ESP];
            int nsp = (sp - size) & c.spMask;
            c.wr16(Cpu.SS, nsp, c.sel[s]);
            c.r[Cpu.ESP] = (sp & ~c.spMask) | nsp;
        }
    }

    static final class PopSeg extends Op {
        private final int size, s;

        PopSeg(int size, int s) {
            this.size = size;
            this.s = s;
        }

        @Override
        void exec(Cpu c) {
            int v = c.peek(2, 0);
            // ESP steps by the width of the stack the value was popped from: POP SS that switches
            // between a 16- and a 32-bit stack uses the old SS.B (SDM Vol. 2B POP "Operation")
            int sp = c.r[Cpu.ESP];
            int m = c.spMask;
            Segments.loadData(c, s, v);
            c.r[Cpu.ESP] = (sp & ~m) | ((sp + size) & m);
            if (s == Cpu.SS) {
                c.inhibitIrq = true;
            }
        }
    }

    static final class Pusha extends Op {
        private final int size;

        Pusha(int size) {
            this.size = size;
        }

        @Override
        void exec(Cpu c) {
            int sp = c.r[Cpu.ESP];
            int m = c.spMask;
            for (int k = 0; k < 8; k++) {
                c.wr(size, Cpu.SS, (sp - (k + 1) * size) & m, c.r[k]); // r[ESP] is still the original value
            }
            c.r[Cpu.ESP] = (sp & ~m) | ((sp - 8 * size) & m);
        }
    }

    static final class Popa extends Op {
        private final int size;

        Popa(int size) {
            this.size = size;
        }

        @Override
        void exec(Cpu c) {
            int di = c.peek(size, 0), si = c.peek(size, size), bp = c.peek(size, 2 * size);
            int bx = c.peek(size, 4 * size), dx = c.peek(size, 5 * size), cx = c.peek(size, 6 * size);
            int ax = c.peek(size, 7 * size);
            c.setReg(size, Cpu.EDI, di);
            c.setReg(size, Cpu.ESI, si);
            c.setReg(size, Cpu.EBP, bp);
            c.setReg(size, Cpu.EBX, bx);
            c.setReg(size, Cpu.EDX, dx);
            c.setReg(size, Cpu.ECX, cx);
            c.setReg(size, Cpu.EAX, ax);
            c.addSp(8 * size);
        }
    }

    /** PUSHF/PUSHFD: the pushed image has VM and RF clear (SDM PUSHF). */
    static final class Pushf extends Op {
        private final int size;

        Pushf(int size) {
            this.size = size;
        }

        @Override
        void exec(Cpu c) {
            if (c.v86() && c.iopl() < 3) {
                throw c.gp(0);
            }
            int f = c.eflags() & ~(Cpu.VM | Cpu.RF);
            c.push(size, f);
        }
    }

    static final class Popf extends Op {
        private final int size;

        Popf(int size) {
            this.size = size;
        }

        @Override
        void exec(Cpu c) {
            if (c.v86() && c.iopl() < 3) {
                throw c.gp(0);
            }
            int v = c.peek(size, 0);
            c.addSp(size);
            Segments.writeEflags(c, v, size);
        }
    }

    /** ENTER imm16, imm8 (SDM ENTER, Operation): frame pointer chain of up to 31 levels. */
    static final class Enter extends Op {
        private final int size, alloc, level;

        Enter(int size, int alloc, int level) {
            this.size = size;
            this.alloc = alloc;
            this.level = level;
        }

        @Override
        void exec(Cpu c) {
            int m = c.spMask;
            int sp = c.r[Cpu.ESP];
            int bp = c.r[Cpu.EBP];
            int esp = sp - size;
            c.wr(size, Cpu.SS, esp & m, bp);
            // FrameTemp is the whole ESP (or SP) after the push: on a 16-bit stack ESP's upper half is kept
            int frame = (sp & ~m) | (esp & m);
            if (level > 0) {
                int ebp = bp;
                for (int k = 1; k < level; k++) {
                    ebp -= size;
                    int v = c.rd(size, Cpu.SS, ebp & m);
                    esp -= size;
                    c.wr(size, Cpu.SS, esp & m, v);
                }
                esp -= size;
                c.wr(size, Cpu.SS, esp & m, frame);
            }
            esp -= alloc;
            // ENTER ends with a write check at the final stack pointer: #SS past the limit, #PF when
            // that page may not be written (SDM ENTER "Operation"; what Bochs and test386 check)
            c.probeWrite(Cpu.SS, esp & m, size);
            c.setReg(size, Cpu.EBP, frame); // EBP (32-bit operand) or BP (16-bit) <- FrameTemp
            c.r[Cpu.ESP] = (sp & ~m) | (esp & m);
        }
    }

    static final class Leave extends Op {
        private final int size;

        Leave(int size) {
            this.size = size;
        }

        @Override
        void exec(Cpu c) {
            int m = c.spMask;
            int bp = c.r[Cpu.EBP];
            int v = c.rd(size, Cpu.SS, bp & m);
            c.r[Cpu.ESP] = (c.r[Cpu.ESP] & ~m) | ((bp + size) & m);
            c.setReg(size, Cpu.EBP, v);
        }
    }
}
