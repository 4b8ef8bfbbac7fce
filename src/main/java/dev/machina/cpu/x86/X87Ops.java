package dev.machina.cpu.x86;

/**
 * The x87 escape opcodes D8-DF (SDM Vol. 2D Appendix A.4, Tables ): one op per decoded
 * form, its kind numbered {@code esc * 8 + reg} for the memory forms and {@code 64 + esc * 64 +
 * (modrm & 63)} for the register forms; the semantics are in {@link X87}.
 */
final class X87Ops {
    private X87Ops() {}

    static Op build(Insn i) {
        int esc = i.opcode - 0xD8;
        int modrm = (i.mod << 6) | (i.reg << 3) | i.rm;
        if (i.isReg()) {
            int k = 64 + esc * 64 + (modrm & 63);
            if (!registerFormDefined(esc, modrm & 63)) {
                return null;
            }
            return new X87Op(k, i.osize, null, (esc << 8) | modrm, i.eip);
        }
        int k = esc * 8 + i.reg;
        if (!memoryFormDefined(esc, i.reg, i.hasEcxFeature(CpuModel.ECX_SSE3))) {
            return null;
        }
        return new X87Op(k, i.osize, i.addr(), (esc << 8) | modrm, i.eip);
    }

    private static boolean memoryFormDefined(int esc, int reg, boolean sse3) {
        return switch (esc) {
            case 1 -> reg != 1;             // D9 /1 reserved
            case 3 -> (reg != 1 || sse3) && reg != 4 && reg != 6; // DB /1 FISTTP (SSE3), /4 /6 reserved
            case 5 -> (reg != 1 || sse3) && reg != 5; // DD /1 FISTTP (SSE3), /5 reserved
            case 7 -> reg != 1 || sse3;     // DF /1 FISTTP (SSE3)
            default -> true;
        };
    }

    private static boolean registerFormDefined(int esc, int r) {
        return switch (esc) {
            case 1 -> r < 0x10 || r == 0x10 || (r >= 0x20 && r != 0x22 && r != 0x23 && r != 0x26 && r != 0x27
                    && r != 0x2F) || (r >= 0x18 && r < 0x20);
            case 2 -> r < 0x20 || r == 0x29;
            case 3 -> r <= 0x24 || (r >= 0x28 && r < 0x38);
            case 5 -> r < 0x08 || (r >= 0x10 && r < 0x30);
            case 6 -> r < 0x10 || r == 0x19 || r >= 0x20;
            case 7 -> r < 0x08 || r == 0x20 || (r >= 0x28 && r < 0x38);
            default -> true;
        };
    }

    static final class X87Op extends Op {
        final int kind, osize, fop, ieip;
        final Addr a;

        X87Op(int kind, int osize, Addr a, int fop, int ieip) {
            this.kind = kind;
            this.osize = osize;
            this.a = a;
            this.fop = fop & 0x7FF;
            this.ieip = ieip;
        }

        private int ea(Cpu c) {
            return (c.r[a.base()] + (c.r[a.index()] << a.scale()) + a.disp()) & a.amask();
        }

        @Override
        void exec(Cpu c) {
            c.fpuCheck();
            if (!control()) {
                if ((c.fpuSw & X87.ES) != 0) {
                    c.fpuPending();
                }
                c.fpuFip = ieip;
                c.fpuFcs = c.sel[Cpu.CS];
                c.fpuFop = fop;
                if (a != null) {
                    c.fpuFdp = ea(c);
                    c.fpuFds = c.sel[a.seg()];
                }
            }
            if (a != null) {
                memory(c, ea(c));
            } else {
                register(c, kind - 64);
            }
        }

        /** The non-waiting and state-loading instructions: no pending-exception check, no FIP/FOP update. */
        private boolean control() {
            if (a != null) {
                return kind == 13 || kind == 15 || kind == 12 || kind == 14 || kind == 44 || kind == 46 || kind == 47;
            }
            int r = kind - 64;
            return r == 3 * 64 + 0x22 || r == 3 * 64 + 0x23 || r == 7 * 64 + 0x20;
        }

        // ---------------- memory forms ----------------

        private void memory(Cpu c, int ea) {
            int s = a.seg();
            int esc = kind >>> 3, reg = kind & 7;
            switch (esc) {
                case 0, 2, 4, 6 -> {
                    double v = switch (esc) {
                        case 0 -> Float.intBitsToFloat(c.rd32(s, ea));
                        case 2 -> (double) c.rd32(s, ea);
                        case 4 -> Double.longBitsToDouble(rd64(c, s, ea));
                        default -> (double) (short) c.rd16(s, ea);
                    };
                    arith(c, reg, 0, v, false);
                }
                case 1 -> {
                    switch (reg) {
                        case 0 -> X87.pushDouble(c, Float.intBitsToFloat(c.rd32(s, ea)));
                        case 2, 3 -> {
                            if (storeCheck(c)) {
                                c.wr32(s, ea, Float.floatToRawIntBits(storeValue(c)));
                            }
                            if (reg == 3) {
                                X87.pop(c);
                            }
                        }
                        case 4 -> loadEnv(c, s, ea);
                        case 5 -> {
                            c.fpuCw = c.rd16(s, ea) | 0x40;
                            recomputeEs(c);
                        }
                        case 6 -> storeEnv(c, s, ea);
                        default -> c.wr16(s, ea, c.fpuCw);
                    }
                }
                case 3 -> {
                    switch (reg) {
                        case 0 -> pushLong(c, c.rd32(s, ea));
                        case 1 -> fisttp(c, s, ea, 32);
                        case 2, 3 -> {
                            storeInt(c, s, ea, 32);
                            if (reg == 3) {
                                X87.pop(c);
                            }
                        }
                        case 5 -> {
                            long lo = rd64(c, s, ea);
                            int se = c.rd16(s, (ea + 8) & a.amask());
                            X87.push(c, lo, se);
                        }
                        default -> { // 7: FSTP m80
                            if (X87.empty(c, 0)) {
                                if (!X87.underflow(c)) {
                                    return;
                                }
                                write80(c, s, ea, X87.INDEFINITE_MANT, X87.INDEFINITE_SE);
                            } else {
                                int p = X87.phys(c, 0);
                                write80(c, s, ea, c.fpMant[p], c.fpSe[p]);
                            }
                            X87.pop(c);
                        }
                    }
                }
                case 5 -> {
                    switch (reg) {
                        case 0 -> {
                            long[] r = X87.fromDouble(Double.longBitsToDouble(rd64(c, s, ea)));
                            X87.push(c, r[0], (int) r[1]);
                        }
                        case 1 -> fisttp(c, s, ea, 64);
                        case 2, 3 -> {
                            if (storeCheck(c)) {
                                double v = X87.empty(c, 0) ? Double.NaN : X87.st(c, 0);
                                wr64(c, s, ea, X87.empty(c, 0) ? 0xFFF8000000000000L : Double.doubleToRawLongBits(v));
                            }
                            if (reg == 3) {
                                X87.pop(c);
                            }
                        }
                        case 4 -> frstor(c, s, ea);
                        case 6 -> fnsave(c, s, ea);
                        default -> c.wr16(s, ea, c.fpuSw);
                    }
                }
                default -> { // 7
                    switch (reg) {
                        case 0 -> pushLong(c, (short) c.rd16(s, ea));
                        case 1 -> fisttp(c, s, ea, 16);
                        case 2, 3 -> {
                            storeInt(c, s, ea, 16);
                            if (reg == 3) {
                                X87.pop(c);
                            }
                        }
                        case 4 -> fbld(c, s, ea);
                        case 5 -> pushLong(c, rd64(c, s, ea));
                        case 6 -> fbstp(c, s, ea);
                        default -> {
                            storeInt(c, s, ea, 64);
                            X87.pop(c);
                        }
                    }
                }
            }
        }

        /** Before a store of ST(0): an empty ST(0) is a stack underflow; false when the store must not happen. */
        private static boolean storeCheck(Cpu c) {
            if (X87.empty(c, 0)) {
                return X87.underflow(c);
            }
            return true;
        }

        private static float storeValue(Cpu c) {
            return X87.empty(c, 0) ? Float.NaN : (float) X87.st(c, 0);
        }

        /** FISTTP (SSE3): the integer store that truncates whatever the rounding control says, then pops. */
        private void fisttp(Cpu c, int s, int ea, int bits) {
            storeInt(c, s, ea, bits, 3);
            X87.pop(c); // as FISTP here

        }

        private void storeInt(Cpu c, int s, int ea, int bits) {
            storeInt(c, s, ea, bits, (c.fpuCw >>> 10) & 3);
        }

        private void storeInt(Cpu c, int s, int ea, int bits, int rc) {
            Long v = X87.empty(c, 0) ? null : X87.toSigned(c, 0, bits, rc);
            if (v == null) {
                if (X87.empty(c, 0) ? !X87.underflow(c) : !X87.raise(c, X87.IE)) {
                    return;
                }
                v = bits == 64 ? Long.MIN_VALUE : -(1L << (bits - 1)); // the integer indefinite
            }
            switch (bits) {
                case 16 -> c.wr16(s, ea, (int) (long) v);
                case 32 -> c.wr32(s, ea, (int) (long) v);
                default -> wr64(c, s, ea, v);
            }
        }

        private static void pushLong(Cpu c, long v) {
            long[] r = X87.fromLong(v);
            X87.push(c, r[0], (int) r[1]);
        }

        private long rd64(Cpu c, int s, int ea) {
            long lo = c.rd32(s, ea) & 0xFFFFFFFFL;
            long hi = c.rd32(s, (ea + 4) & a.amask());
            return lo | (hi << 32);
        }

        private void wr64(Cpu c, int s, int ea, long v) {
            c.rdw(4, s, (ea + 4) & a.amask()); // both halves writable before anything is written
            c.wr32(s, ea, (int) v);
            c.wr32(s, (ea + 4) & a.amask(), (int) (v >>> 32));
        }

        private void write80(Cpu c, int s, int ea, long mant, int se) {
            c.rdw(2, s, (ea + 8) & a.amask());
            c.wr32(s, ea, (int) mant);
            c.wr32(s, (ea + 4) & a.amask(), (int) (mant >>> 32));
            c.wr16(s, (ea + 8) & a.amask(), se);
        }

        private void fbld(Cpu c, int s, int ea) {
            long v = 0;
            for (int k = 8; k >= 0; k--) {
                int b = c.rd8(s, (ea + k) & a.amask());
                v = v * 100 + (b >>> 4) * 10 + (b & 15);
            }
            boolean neg = (c.rd8(s, (ea + 9) & a.amask()) & 0x80) != 0;
            long[] r = X87.fromLong(v);
            X87.push(c, r[0], (int) r[1] | (neg ? 0x8000 : 0));
        }

        private void fbstp(Cpu c, int s, int ea) {
            Long v = X87.empty(c, 0) ? null : X87.toSigned(c, 0, 64);
            boolean ok = v != null && Math.abs(v) <= 999_999_999_999_999_999L;
            c.rdw(2, s, (ea + 8) & a.amask());
            if (!ok) {
                if (X87.empty(c, 0) ? !X87.underflow(c) : !X87.raise(c, X87.IE)) {
                    return;
                }
                // the packed BCD indefinite: FFFF C000 0000 0000 0000
                for (int k = 0; k < 7; k++) {
                    c.wr8(s, (ea + k) & a.amask(), 0);
                }
                c.wr8(s, (ea + 7) & a.amask(), 0xC0);
                c.wr8(s, (ea + 8) & a.amask(), 0xFF);
                c.wr8(s, (ea + 9) & a.amask(), 0xFF);
            } else {
                int p = X87.phys(c, 0);
                boolean neg = (c.fpSe[p] & 0x8000) != 0;
                long m = Math.abs(v);
                for (int k = 0; k < 9; k++) {
                    int lo = (int) (m % 10);
                    m /= 10;
                    int hi = (int) (m % 10);
                    m /= 10;
                    c.wr8(s, (ea + k) & a.amask(), (hi << 4) | lo);
                }
                c.wr8(s, (ea + 9) & a.amask(), neg ? 0x80 : 0);
            }
            X87.pop(c);
        }

        // ---------------- environment and state ----------------

        /** The tag word with each non-empty register classified from its value (FNSTENV/FNSAVE store it so). */
        static int fullTags(Cpu c) {
            int tw = 0;
            for (int p = 0; p < 8; p++) {
                int t = X87.tag(c, p) == X87.TAG_EMPTY ? X87.TAG_EMPTY : X87.tagOf(c.fpMant[p], c.fpSe[p]);
                tw |= t << (2 * p);
            }
            return tw;
        }

        private int envSize() {
            return osize == 4 ? 28 : 14;
        }

        /** FNSTENV layout of protected mode (SDM Vol. 1 Figures 8-9, 8-10); real mode stores the same here. */
        private void storeEnv(Cpu c, int s, int ea) {
            int step = osize == 4 ? 4 : 2;
            int[] words = {c.fpuCw, c.fpuSw, fullTags(c), c.fpuFip, c.fpuFcs | (c.fpuFop << 16), c.fpuFdp, c.fpuFds};
            if (osize == 4) {
                words[0] |= 0xFFFF0000;
                words[1] |= 0xFFFF0000;
                words[2] |= 0xFFFF0000;
                words[6] |= 0xFFFF0000;
            } else {
                words[4] = c.fpuFcs;
            }
            c.rdw(step, s, (ea + 6 * step) & a.amask());
            for (int k = 0; k < 7; k++) {
                c.wr(step, s, (ea + k * step) & a.amask(), words[k]);
            }
            c.fpuCw |= 0x3F; // FNSTENV masks all exceptions afterwards
        }

        private void loadEnv(Cpu c, int s, int ea) {
            int step = osize == 4 ? 4 : 2;
            c.fpuCw = c.rd16(s, ea) | 0x40;
            c.fpuSw = c.rd16(s, (ea + step) & a.amask());
            int tw = c.rd16(s, (ea + 2 * step) & a.amask());
            // only "empty" is taken from the image; the other tags follow the values (as the x87 does)
            for (int p = 0; p < 8; p++) {
                if (((tw >>> (2 * p)) & 3) == X87.TAG_EMPTY) {
                    X87.setTag(c, p, X87.TAG_EMPTY);
                } else {
                    X87.setTag(c, p, X87.tagOf(c.fpMant[p], c.fpSe[p]));
                }
            }
            c.fpuFip = c.rd(step, s, (ea + 3 * step) & a.amask());
            int csop = c.rd(step, s, (ea + 4 * step) & a.amask());
            c.fpuFcs = csop & 0xFFFF;
            c.fpuFop = step == 4 ? (csop >>> 16) & 0x7FF : 0;
            c.fpuFdp = c.rd(step, s, (ea + 5 * step) & a.amask());
            c.fpuFds = c.rd16(s, (ea + 6 * step) & a.amask());
            recomputeEs(c);
        }

        private void fnsave(Cpu c, int s, int ea) {
            int o = ea + envSize();
            c.rdw(2, s, (o + 79) & a.amask());
            storeEnv(c, s, ea);
            for (int i = 0; i < 8; i++) {
                int p = X87.phys(c, i);
                write80(c, s, (o + 10 * i) & a.amask(), c.fpMant[p], c.fpSe[p]);
            }
            fninit(c);
        }

        private void frstor(Cpu c, int s, int ea) {
            int o = ea + envSize();
            long[] m = new long[8];
            int[] se = new int[8];
            for (int i = 0; i < 8; i++) {
                int q = (o + 10 * i) & a.amask();
                m[i] = (c.rd32(s, q) & 0xFFFFFFFFL) | ((long) c.rd32(s, (q + 4) & a.amask()) << 32);
                se[i] = c.rd16(s, (q + 8) & a.amask());
            }
            int step = osize == 4 ? 4 : 2;
            int sw = c.rd16(s, (ea + step) & a.amask());
            int topNew = (sw >>> 11) & 7;
            for (int i = 0; i < 8; i++) {
                int p = (topNew + i) & 7;
                c.fpMant[p] = m[i];
                c.fpSe[p] = se[i];
            }
            loadEnv(c, s, ea);
        }

        // ---------------- register forms ----------------

        private void register(Cpu c, int r) {
            int esc = r >>> 6, f = r & 63, i = f & 7;
            switch (esc) {
                case 0 -> arithReg(c, f >>> 3, 0, i, false);
                case 4 -> arithReg(c, f >>> 3, i, i, true);
                case 6 -> {
                    if (f == 0x19) { // FCOMPP
                        compare(c, X87.st(c, 0), X87.st(c, 1), false);
                        X87.pop(c);
                        X87.pop(c);
                    } else if ((f >>> 3) == 2 || (f >>> 3) == 3) {
                        arithReg(c, f >>> 3, 0, i, false);
                        X87.pop(c);
                    } else {
                        arithReg(c, f >>> 3, i, i, true);
                        X87.pop(c);
                    }
                }
                case 1 -> d9(c, f, i);
                case 2 -> {
                    if (f == 0x29) { // FUCOMPP
                        compare(c, X87.st(c, 0), X87.st(c, 1), true);
                        X87.pop(c);
                        X87.pop(c);
                    } else {
                        int cc = f >>> 3; // FCMOVB, FCMOVE, FCMOVBE, FCMOVU
                        fcmov(c, i, cc == 0 ? c.cf() : cc == 1 ? c.zf() : cc == 2 ? c.cf() || c.zf() : c.pf());
                    }
                }
                case 3 -> {
                    if (f < 0x20) {
                        int cc = f >>> 3;
                        fcmov(c, i, !(cc == 0 ? c.cf() : cc == 1 ? c.zf() : cc == 2 ? c.cf() || c.zf() : c.pf()));
                    } else if (f == 0x22) {
                        c.fpuSw &= ~(X87.IE | X87.DE | X87.ZE | X87.OE | X87.UE | X87.PE | X87.SF | X87.ES | X87.B);
                    } else if (f == 0x23) {
                        fninit(c);
                    } else if (f == 0x20 || f == 0x21 || f == 0x24) {
                        // FENI, FDISI, FSETPM: no-ops on the 387 and later
                    } else {
                        comi(c, i, f < 0x30);
                    }
                }
                case 5 -> {
                    switch (f >>> 3) {
                        case 0 -> X87.setTag(c, X87.phys(c, i), X87.TAG_EMPTY); // FFREE
                        case 2, 3 -> { // FST, FSTP ST(i)
                            if (X87.empty(c, 0)) {
                                if (!X87.underflow(c)) {
                                    return;
                                }
                                X87.setReg(c, X87.phys(c, i), X87.INDEFINITE_MANT, X87.INDEFINITE_SE);
                            } else {
                                int p0 = X87.phys(c, 0);
                                X87.setReg(c, X87.phys(c, i), c.fpMant[p0], c.fpSe[p0]);
                            }
                            if ((f >>> 3) == 3) {
                                X87.pop(c);
                            }
                        }
                        default -> { // FUCOM, FUCOMP
                            compare(c, X87.st(c, 0), X87.st(c, i), true);
                            if ((f >>> 3) == 5) {
                                X87.pop(c);
                            }
                        }
                    }
                }
                default -> { // 7
                    if (f < 8) { // FFREEP
                        X87.setTag(c, X87.phys(c, i), X87.TAG_EMPTY);
                        X87.pop(c);
                    } else if (f == 0x20) {
                        c.setReg16(Cpu.EAX, c.fpuSw);
                    } else {
                        comi(c, i, f < 0x30);
                        X87.pop(c);
                    }
                }
            }
        }

        private static void fcmov(Cpu c, int i, boolean cond) {
            if (X87.empty(c, i) || X87.empty(c, 0)) {
                X87.underflow(c);
                return;
            }
            if (cond) {
                int p = X87.phys(c, i);
                X87.setReg(c, X87.phys(c, 0), c.fpMant[p], c.fpSe[p]);
            }
        }

        /** FCOMI/FUCOMI(P): ZF, PF, CF from comparing ST(0) with ST(i) (OF, SF, AF cleared). */
        private static void comi(Cpu c, int i, boolean unordered) {
            double x = X87.st(c, 0), y = X87.st(c, i);
            int fl;
            if (Double.isNaN(x) || Double.isNaN(y)) {
                if (!unordered || isSignaling(c, 0) || isSignaling(c, i)) {
                    X87.raise(c, X87.IE);
                }
                fl = Cpu.ZF | Cpu.PF | Cpu.CF;
            } else {
                fl = x > y ? 0 : x < y ? Cpu.CF : Cpu.ZF;
            }
            c.fpuSw &= ~X87.C1;
            c.setSomeFlags(Cpu.ZF | Cpu.PF | Cpu.CF | Cpu.OF | Cpu.SF | Cpu.AF, fl);
        }

        private static boolean isSignaling(Cpu c, int i) {
            int p = X87.phys(c, i);
            return !X87.empty(c, i) && X87.isSNaN(c.fpMant[p], c.fpSe[p]);
        }

        /** FCOM/FUCOM: C3, C2, C0 from comparing x with y; unordered sets all three. */
        private static void compare(Cpu c, double x, double y, boolean unordered) {
            int cc;
            if (Double.isNaN(x) || Double.isNaN(y)) {
                if (!unordered) {
                    X87.raise(c, X87.IE);
                }
                cc = X87.C3 | X87.C2 | X87.C0;
            } else {
                cc = x > y ? 0 : x < y ? X87.C0 : X87.C3;
            }
            c.fpuSw = (c.fpuSw & ~(X87.C3 | X87.C2 | X87.C1 | X87.C0)) | cc;
        }

        /** D8/DC/DE arithmetic on registers: op number {@code op}; destination ST(dst); reversed forms when toSti. */
        private static void arithReg(Cpu c, int op, int dst, int src, boolean toSti) {
            if (X87.empty(c, 0) || X87.empty(c, src)) {
                if (X87.underflow(c) && op != 2 && op != 3) {
                    X87.setReg(c, X87.phys(c, dst), X87.INDEFINITE_MANT, X87.INDEFINITE_SE);
                } else if (op == 2 || op == 3) {
                    c.fpuSw |= X87.C3 | X87.C2 | X87.C0;
                }
                return;
            }
            if (!toSti) {
                arith(c, op, 0, X87.st(c, src), true);
            } else {
                // DC/DE: ST(i) = ST(i) op ST(0), with SUB/SUBR and DIV/DIVR swapped (SDM Table A-10 note)
                int swapped = op == 4 ? 5 : op == 5 ? 4 : op == 6 ? 7 : op == 7 ? 6 : op;
                double x = X87.st(c, src), y = X87.st(c, 0);
                if (op == 2 || op == 3) {
                    compare(c, y, x, false);
                    return;
                }
                store(c, src, compute(c, swapped, x, y));
            }
        }

        /** ST(dst) = ST(0) op v (op: 0 ADD, 1 MUL, 2 COM, 3 COMP, 4 SUB, 5 SUBR, 6 DIV, 7 DIVR). */
        private static void arith(Cpu c, int op, int dst, double v, boolean fromReg) {
            if (X87.empty(c, 0)) {
                if (X87.underflow(c) && op != 2 && op != 3) {
                    X87.setReg(c, X87.phys(c, 0), X87.INDEFINITE_MANT, X87.INDEFINITE_SE);
                } else if (op == 2 || op == 3) {
                    c.fpuSw |= X87.C3 | X87.C2 | X87.C0;
                    if (op == 3) {
                        X87.pop(c);
                    }
                }
                return;
            }
            double x = X87.st(c, 0);
            if (op == 2 || op == 3) {
                compare(c, x, v, false);
                if (op == 3) {
                    X87.pop(c);
                }
                return;
            }
            store(c, dst, compute(c, op, x, v));
        }

        /** Writes a result unless an unmasked invalid/zero-divide/denormal exception forbids it. */
        private static void store(Cpu c, int i, double v) {
            if ((c.fpuSw & (X87.IE | X87.ZE) & ~c.fpuCw) != 0 && lastRaisedUnmasked) {
                lastRaisedUnmasked = false;
                return;
            }
            c.fpuSw &= ~X87.C1;
            X87.setSt(c, i, v);
        }

        private static boolean lastRaisedUnmasked;

        private static double compute(Cpu c, int op, double x, double y) {
            lastRaisedUnmasked = false;
            double r = switch (op) {
                case 0 -> x + y;
                case 1 -> x * y;
                case 4 -> x - y;
                case 5 -> y - x;
                case 6 -> x / y;
                default -> y / x;
            };
            if (Double.isNaN(r) && !Double.isNaN(x) && !Double.isNaN(y)) {
                lastRaisedUnmasked = !X87.raise(c, X87.IE); // ∞-∞, 0×∞, 0/0, ∞/∞
                return Double.longBitsToDouble(0xFFF8000000000000L); // the QNaN indefinite
            }
            if ((op == 6 && y == 0 && x != 0) || (op == 7 && x == 0 && y != 0)) {
                if (!Double.isNaN(op == 6 ? x : y) && !Double.isInfinite(op == 6 ? x : y)) {
                    lastRaisedUnmasked = !X87.raise(c, X87.ZE);
                }
            }
            if (Double.isInfinite(r) && !Double.isInfinite(x) && !Double.isInfinite(y) && (op != 6 || y != 0)
                    && (op != 7 || x != 0)) {
                X87.raise(c, X87.OE | X87.PE);
            }
            return r;
        }

        private static void d9(Cpu c, int f, int i) {
            switch (f >>> 3) {
                case 0 -> { // FLD ST(i)
                    if (X87.empty(c, i)) {
                        if (X87.underflow(c)) {
                            X87.push(c, X87.INDEFINITE_MANT, X87.INDEFINITE_SE);
                        }
                        return;
                    }
                    int p = X87.phys(c, i);
                    X87.push(c, c.fpMant[p], c.fpSe[p]);
                }
                case 1 -> { // FXCH
                    if (X87.empty(c, 0) || X87.empty(c, i)) {
                        if (!X87.underflow(c)) {
                            return;
                        }
                        for (int k : new int[] {0, i}) {
                            if (X87.empty(c, k)) {
                                X87.setReg(c, X87.phys(c, k), X87.INDEFINITE_MANT, X87.INDEFINITE_SE);
                            }
                        }
                    }
                    int p0 = X87.phys(c, 0), pi = X87.phys(c, i);
                    long m = c.fpMant[p0];
                    int se = c.fpSe[p0];
                    X87.setReg(c, p0, c.fpMant[pi], c.fpSe[pi]);
                    X87.setReg(c, pi, m, se);
                    c.fpuSw &= ~X87.C1;
                }
                case 2 -> { } // FNOP
                case 3 -> { // FSTP1 (undocumented alias of FSTP ST(i))
                    if (!X87.empty(c, 0)) {
                        int p0 = X87.phys(c, 0);
                        X87.setReg(c, X87.phys(c, i), c.fpMant[p0], c.fpSe[p0]);
                    } else if (!X87.underflow(c)) {
                        return;
                    }
                    X87.pop(c);
                }
                case 4 -> d9e0(c, i);
                case 5 -> constant(c, i);
                case 6 -> d9f0(c, i);
                default -> d9f8(c, i);
            }
        }

        private static void d9e0(Cpu c, int i) {
            if (i == 5) { // FXAM
                int p = X87.phys(c, 0);
                int cc;
                int se = c.fpSe[p];
                long m = c.fpMant[p];
                int e = se & 0x7FFF;
                if (X87.tag(c, p) == X87.TAG_EMPTY) {
                    cc = X87.C3 | X87.C0;
                } else if (e == 0x7FFF) {
                    cc = (m << 1) == 0 ? X87.C2 | X87.C0 : X87.C0;
                } else if (e == 0) {
                    cc = m == 0 ? X87.C3 : X87.C3 | X87.C2;
                } else {
                    cc = m < 0 ? X87.C2 : 0;
                }
                cc |= (se & 0x8000) != 0 ? X87.C1 : 0;
                c.fpuSw = (c.fpuSw & ~(X87.C3 | X87.C2 | X87.C1 | X87.C0)) | cc;
                return;
            }
            if (X87.empty(c, 0)) {
                if (X87.underflow(c) && i != 4) {
                    X87.setReg(c, X87.phys(c, 0), X87.INDEFINITE_MANT, X87.INDEFINITE_SE);
                }
                if (i == 4) {
                    c.fpuSw |= X87.C3 | X87.C2 | X87.C0;
                }
                return;
            }
            int p = X87.phys(c, 0);
            switch (i) {
                case 0 -> X87.setReg(c, p, c.fpMant[p], c.fpSe[p] ^ 0x8000); // FCHS
                case 1 -> X87.setReg(c, p, c.fpMant[p], c.fpSe[p] & 0x7FFF); // FABS
                case 4 -> compare(c, X87.st(c, 0), 0.0, false);             // FTST
                default -> { }
            }
            c.fpuSw &= ~X87.C1;
        }

        /** FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ: the 80-bit constants (SDM Vol. 1 8.3.8), rounded to nearest. */
        private static final long[] CONST_MANT = {0x8000000000000000L, 0xD49A784BCD1B8AFEL, 0xB8AA3B295C17F0BCL,
            0xC90FDAA22168C235L, 0x9A209A84FBCFF799L, 0xB17217F7D1CF79ACL, 0};
        private static final int[] CONST_SE = {0x3FFF, 0x4000, 0x3FFF, 0x4000, 0x3FFD, 0x3FFE, 0};

        private static void constant(Cpu c, int i) {
            if (i == 7) {
                return; // reserved: D9 EF
            }
            X87.push(c, CONST_MANT[i], CONST_SE[i]);
        }

        private static void d9f0(Cpu c, int i) {
            switch (i) {
                case 6 -> { // FDECSTP
                    X87.setTop(c, X87.top(c) - 1);
                    c.fpuSw &= ~X87.C1;
                    return;
                }
                case 7 -> { // FINCSTP
                    X87.setTop(c, X87.top(c) + 1);
                    c.fpuSw &= ~X87.C1;
                    return;
                }
                default -> { }
            }
            if (X87.empty(c, 0) || ((i == 1 || i == 3 || i == 5) && X87.empty(c, 1))) {
                X87.underflow(c);
                return;
            }
            double x = X87.st(c, 0);
            c.fpuSw &= ~(X87.C1 | X87.C2);
            switch (i) {
                case 0 -> X87.setSt(c, 0, Math.pow(2, x) - 1);                   // F2XM1
                case 1 -> { // FYL2X
                    double y = X87.st(c, 1);
                    if (x < 0 || (x == 0 && y == 0)) {
                        invalid(c, 1);
                    } else if (x == 0) {
                        if (X87.raise(c, X87.ZE)) {
                            X87.setSt(c, 1, y > 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
                        }
                    } else {
                        X87.setSt(c, 1, y * (Math.log(x) / Math.log(2)));
                    }
                    X87.pop(c);
                }
                case 2 -> { // FPTAN
                    if (Math.abs(x) >= 0x1p63) {
                        c.fpuSw |= X87.C2;
                        return;
                    }
                    X87.setSt(c, 0, Math.tan(x));
                    X87.pushDouble(c, 1.0);
                }
                case 3 -> { // FPATAN
                    X87.setSt(c, 1, Math.atan2(X87.st(c, 1), x));
                    X87.pop(c);
                }
                case 4 -> { // FXTRACT
                    if (x == 0) {
                        if (X87.raise(c, X87.ZE)) {
                            X87.setSt(c, 0, Double.NEGATIVE_INFINITY);
                            X87.pushDouble(c, x);
                        }
                        return;
                    }
                    int p = X87.phys(c, 0);
                    long m = c.fpMant[p];
                    int se = c.fpSe[p];
                    int e = se & 0x7FFF;
                    if (e == 0x7FFF) {
                        X87.pushDouble(c, x);
                        return;
                    }
                    int lz = e == 0 ? Long.numberOfLeadingZeros(m) : 0;
                    int unb = (e == 0 ? 1 : e) - 16383 - lz;
                    X87.setSt(c, 0, unb);
                    X87.push(c, m << lz, (se & 0x8000) | 0x3FFF);
                }
                case 5 -> { // FPREM1: the IEEE remainder
                    double y = X87.st(c, 1);
                    prem(c, x, y, true);
                }
                default -> { }
            }
        }

        private static void invalid(Cpu c, int i) {
            if (X87.raise(c, X87.IE)) {
                X87.setReg(c, X87.phys(c, i), X87.INDEFINITE_MANT, X87.INDEFINITE_SE);
            }
        }

        private static void prem(Cpu c, double x, double y, boolean ieee) {
            if (Double.isNaN(x) || Double.isNaN(y)) {
                X87.setSt(c, 0, Double.NaN);
                return;
            }
            if (Double.isInfinite(x) || y == 0) {
                invalid(c, 0);
                return;
            }
            double r = ieee ? Math.IEEEremainder(x, y) : x % y;
            double q = Math.abs((x - r) / y);
            long qi = q >= 0x1p62 ? (long) (q % 8) : (long) Math.rint(q);
            c.fpuSw &= ~(X87.C0 | X87.C1 | X87.C2 | X87.C3);
            c.fpuSw |= ((qi & 4) != 0 ? X87.C0 : 0) | ((qi & 2) != 0 ? X87.C3 : 0) | ((qi & 1) != 0 ? X87.C1 : 0);
            X87.setSt(c, 0, r == 0 ? Math.copySign(0.0, x) : r);
        }

        private static void d9f8(Cpu c, int i) {
            if (X87.empty(c, 0) || ((i == 0 || i == 1 || i == 5) && X87.empty(c, 1))) {
                X87.underflow(c);
                return;
            }
            double x = X87.st(c, 0);
            c.fpuSw &= ~(X87.C1 | X87.C2);
            switch (i) {
                case 0 -> prem(c, x, X87.st(c, 1), false);                       // FPREM
                case 1 -> { // FYL2XP1
                    X87.setSt(c, 1, X87.st(c, 1) * (Math.log1p(x) / Math.log(2)));
                    X87.pop(c);
                }
                case 2 -> { // FSQRT
                    if (x < 0 || (Double.isNaN(x) && false)) {
                        invalid(c, 0);
                    } else {
                        X87.setSt(c, 0, Math.sqrt(x));
                    }
                }
                case 3 -> { // FSINCOS
                    if (Math.abs(x) >= 0x1p63) {
                        c.fpuSw |= X87.C2;
                        return;
                    }
                    X87.setSt(c, 0, Math.sin(x));
                    X87.pushDouble(c, Math.cos(x));
                }
                case 4 -> { // FRNDINT
                    int p = X87.phys(c, 0);
                    long[] r = X87.roundToInteger(c.fpMant[p], c.fpSe[p], (c.fpuCw >>> 10) & 3);
                    if (r != null && (c.fpSe[p] & 0x7FFF) < 16383 + 63) {
                        long[] v = X87.fromLong(r[0]);
                        X87.setReg(c, p, v[0], (int) v[1] | (c.fpSe[p] & 0x8000));
                    }
                }
                case 5 -> X87.setSt(c, 0, Math.scalb(x, (int) Math.max(-100000, Math.min(100000, X87.st(c, 1) < 0
                        ? Math.ceil(X87.st(c, 1)) : Math.floor(X87.st(c, 1))))));   // FSCALE
                case 6, 7 -> { // FSIN, FCOS
                    if (Math.abs(x) >= 0x1p63) {
                        c.fpuSw |= X87.C2;
                        return;
                    }
                    X87.setSt(c, 0, i == 6 ? Math.sin(x) : Math.cos(x));
                }
                default -> { }
            }
        }
    }

    // ---------------- FXSAVE / FXRSTOR (0F AE /0, /1) ----------------

    static Op fxsave(Insn i) {
        return i.isReg() ? null : new Fx(false, i.addr());
    }

    static Op fxrstor(Insn i) {
        return i.isReg() ? null : new Fx(true, i.addr());
    }

    /**
     * FXSAVE/FXRSTOR (SDM Vol. 2A, Table 3-53 the 32-bit layout): FCW, FSW, the abridged tag byte, FOP,
     * FIP, FCS, FDP, FDS, MXCSR and its mask, ST(0)-ST(7) in 16-byte slots, XMM0-XMM7; bytes 288-511
     * are left alone. #GP(0) when the area is not 16-byte aligned or FXRSTOR finds reserved MXCSR bits.
     */
    static final class Fx extends Op {
        private final boolean restore;
        private final Addr a;

        Fx(boolean restore, Addr a) {
            this.restore = restore;
            this.a = a;
        }

        @Override
        void exec(Cpu c) {
            c.fpuCheck();
            int ea = (c.r[a.base()] + (c.r[a.index()] << a.scale()) + a.disp()) & a.amask();
            int s = a.seg();
            if (((c.base[s] + ea) & 15) != 0) {
                throw c.gp(0);
            }
            if (restore) {
                int mx = c.rd32(s, (ea + 24) & a.amask());
                if ((c.cr4 & SystemOps.CR4_OSFXSR) != 0 && (mx & ~0xFFFF) != 0) {
                    throw c.gp(0);
                }
                c.rd8(s, (ea + 287) & a.amask()); // the whole area readable first
                c.fpuCw = c.rd16(s, ea) | 0x40;
                c.fpuSw = c.rd16(s, (ea + 2) & a.amask());
                int ftw = c.rd8(s, (ea + 4) & a.amask());
                c.fpuFop = c.rd16(s, (ea + 6) & a.amask()) & 0x7FF;
                c.fpuFip = c.rd32(s, (ea + 8) & a.amask());
                c.fpuFcs = c.rd16(s, (ea + 12) & a.amask());
                c.fpuFdp = c.rd32(s, (ea + 16) & a.amask());
                c.fpuFds = c.rd16(s, (ea + 20) & a.amask());
                boolean sse = (c.cr4 & SystemOps.CR4_OSFXSR) != 0;
                if (sse) {
                    c.mxcsr = mx;
                }
                int top = (c.fpuSw >>> 11) & 7;
                for (int i = 0; i < 8; i++) {
                    int q = (ea + 32 + 16 * i) & a.amask();
                    int p = (top + i) & 7;
                    c.fpMant[p] = (c.rd32(s, q) & 0xFFFFFFFFL) | ((long) c.rd32(s, (q + 4) & a.amask()) << 32);
                    c.fpSe[p] = c.rd16(s, (q + 8) & a.amask());
                }
                for (int p = 0; p < 8; p++) {
                    X87.setTag(c, p, (ftw >>> p & 1) != 0 ? X87.tagOf(c.fpMant[p], c.fpSe[p]) : X87.TAG_EMPTY);
                }
                for (int k = 0; sse && k < 16; k++) {
                    int q = (ea + 160 + 8 * k) & a.amask();
                    c.xmm[k] = (c.rd32(s, q) & 0xFFFFFFFFL) | ((long) c.rd32(s, (q + 4) & a.amask()) << 32);
                }
                recomputeEs(c);
                return;
            }
            c.rdw(1, s, (ea + 287) & a.amask()); // the whole area writable first
            c.wr16(s, ea, c.fpuCw);
            c.wr16(s, (ea + 2) & a.amask(), c.fpuSw);
            int ftw = 0;
            for (int p = 0; p < 8; p++) {
                ftw |= X87.tag(c, p) != X87.TAG_EMPTY ? 1 << p : 0;
            }
            c.wr8(s, (ea + 4) & a.amask(), ftw);
            c.wr8(s, (ea + 5) & a.amask(), 0);
            c.wr16(s, (ea + 6) & a.amask(), c.fpuFop);
            c.wr32(s, (ea + 8) & a.amask(), c.fpuFip);
            c.wr16(s, (ea + 12) & a.amask(), c.fpuFcs);
            c.wr16(s, (ea + 14) & a.amask(), 0);
            c.wr32(s, (ea + 16) & a.amask(), c.fpuFdp);
            c.wr16(s, (ea + 20) & a.amask(), c.fpuFds);
            c.wr16(s, (ea + 22) & a.amask(), 0);
            boolean sse = (c.cr4 & SystemOps.CR4_OSFXSR) != 0; // as QEMU 7.2: MXCSR and XMM only under CR4.OSFXSR
            if (sse) {
                c.wr32(s, (ea + 24) & a.amask(), c.mxcsr);
                c.wr32(s, (ea + 28) & a.amask(), 0xFFFF); // MXCSR_MASK as QEMU reports it
            }
            for (int i = 0; i < 8; i++) {
                int q = (ea + 32 + 16 * i) & a.amask();
                int p = X87.phys(c, i);
                c.wr32(s, q, (int) c.fpMant[p]);
                c.wr32(s, (q + 4) & a.amask(), (int) (c.fpMant[p] >>> 32));
                c.wr16(s, (q + 8) & a.amask(), c.fpSe[p]);
                for (int k = 10; k < 16; k++) {
                    c.wr8(s, (q + k) & a.amask(), 0);
                }
            }
            for (int k = 0; sse && k < 16; k++) {
                int q = (ea + 160 + 8 * k) & a.amask();
                c.wr32(s, q, (int) c.xmm[k]);
                c.wr32(s, (q + 4) & a.amask(), (int) (c.xmm[k] >>> 32));
            }
        }
    }

    static void fninit(CpuState c) {
        c.fpuCw = 0x037F;
        c.fpuSw = 0;
        c.fpuTw = 0xFFFF;
        c.fpuFip = c.fpuFcs = c.fpuFop = c.fpuFdp = c.fpuFds = 0;
    }

    /** ES and B follow the unmasked exception flags after the control or status word was loaded. */
    static void recomputeEs(CpuState c) {
        if ((c.fpuSw & ~c.fpuCw & 0x3F) != 0) {
            c.fpuSw |= X87.ES | X87.B;
        } else {
            c.fpuSw &= ~(X87.ES | X87.B);
        }
    }
}
