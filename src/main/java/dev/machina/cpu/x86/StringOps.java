package dev.machina.cpu.x86;

/**
 * String instructions MOVS, CMPS, STOS, LODS, SCAS, INS, OUTS with REP/REPE/REPNE (SDM Vol. 2B,
 * "REP/REPE/REPZ/REPNE/REPNZ"). Source DS:(E)SI (segment overridable), destination ES:(E)DI; the
 * address size picks SI/DI/CX or ESI/EDI/ECX; DF picks the direction.
 *
 * <p>A repeated instruction commits (E)SI, (E)DI and (E)CX after every element, so a fault in the
 * middle is taken with EIP at the instruction and the registers telling how far it got; returning
 * from the handler resumes it (SDM Vol. 3A 6.6 "program or task restart"). After
 * {@link #BUDGET} elements it stops and leaves EIP at itself, so the block loop can take
 * interrupts between chunks of a long copy.
 */
final class StringOps {
    private StringOps() {}

    static final int MOVS = 0, CMPS = 1, STOS = 2, LODS = 3, SCAS = 4, INS = 5, OUTS = 6;
    static final int BUDGET = 4096;

    static Op build(Insn i) {
        String m = i.mnemonic();
        int kind = switch (m.substring(0, Math.min(4, m.length()))) {
            case "MOVS" -> MOVS;
            case "CMPS" -> CMPS;
            case "STOS" -> STOS;
            case "LODS" -> LODS;
            case "SCAS" -> SCAS;
            case "INSB", "INS" -> INS;
            default -> OUTS;
        };
        int size = m.endsWith("B") ? 1 : i.osize;
        return new StringOp(kind, size, i.asize == 2 ? 0xFFFF : -1, i.dsOr(), i.rep, i.eip);
    }

    static final class StringOp extends Op {
        private final int kind, size, am, src, rep, self;

        StringOp(int kind, int size, int am, int src, int rep, int self) {
            this.kind = kind;
            this.size = size;
            this.am = am;
            this.src = src;
            this.rep = rep;
            this.self = self;
        }

        @Override
        void exec(Cpu c) {
            int step = (c.flags & Cpu.DF) != 0 ? -size : size;
            if (kind == INS || kind == OUTS) {
                SystemOps.checkIo(c, c.r[Cpu.EDX] & 0xFFFF, size);
            }
            if (rep == 0) {
                once(c, step);
                return;
            }
            int n = 0;
            boolean bulk = (kind == MOVS || kind == STOS) && step > 0;
            while (true) {
                int cx = c.r[Cpu.ECX];
                if ((cx & am) == 0) {
                    return;
                }
                if (bulk) {
                    int k = bulk(c, cx & am & 0xFFFFFFFFL, BUDGET - n);
                    if (k > 0) {
                        c.r[Cpu.ECX] = (cx & ~am) | ((cx - k) & am);
                        n += k;
                        if (n >= BUDGET) {
                            if ((c.r[Cpu.ECX] & am) != 0) {
                                c.eip = self;
                            }
                            return;
                        }
                        continue;
                    }
                }
                boolean zf = once(c, step);
                c.r[Cpu.ECX] = (cx & ~am) | ((cx - 1) & am);
                if ((kind == CMPS || kind == SCAS) && zf != (rep == 0xF3)) {
                    return; // REPE stops on "not equal", REPNE on "equal"
                }
                if (++n >= BUDGET) {
                    if ((c.r[Cpu.ECX] & am) != 0) {
                        c.eip = self; // not finished: run again after the block boundary
                    }
                    return;
                }
            }
        }

        /**
         * REP MOVS/STOS upwards (DF = 0), as many whole elements as lie in one source page and one
         * destination page that the TLB holds (the destination with a write entry, which a page with
         * decoded code never has), within the segment limits and without wrapping the address: a copy or a
         * fill of the backing array that leaves what the elements one by one would leave. A MOVS whose
         * destination starts inside its source copies only the elements before the first one it would
         * overwrite unread. Returns how many it did; 0 when the next element must go the one-by-one way
         * (a TLB miss, a page or segment end inside it, MMIO, an overlap): that fills the TLB or raises
         * the fault, with the registers telling how far the instruction got.
         */
        private int bulk(Cpu c, long left, int budget) {
            int[] r = c.r;
            int di = r[Cpu.EDI] & am;
            int dLin = c.base[Cpu.ES] + di;
            long n = Math.min(Math.min(left, budget), (0x1000 - (dLin & 0xFFF)) / size);
            int dIdx = ((dLin >>> 12) & CpuMemory.TLB_MASK) | c.tlbUser;
            if (n == 0 || CpuMemory.tlbTag(c.tlbW[dIdx]) != (dLin & 0xFFFFF000)
                    || (di & 0xFFFFFFFFL) + n * size - 1 > Math.min(c.wrLim[Cpu.ES], am & 0xFFFFFFFFL)) {
                return 0;
            }
            int dOff = (int) c.tlbW[dIdx] | (dLin & 0xFFF);
            byte[] mem = c.mem;
            if (kind == STOS) {
                int v = r[Cpu.EAX];
                int k = (int) n;
                if (size == 1) {
                    java.util.Arrays.fill(mem, dOff, dOff + k, (byte) v);
                } else if (size == 2) {
                    for (int j = 0; j < k; j++) {
                        CpuMemory.I16.set(mem, dOff + 2 * j, (short) v);
                    }
                } else {
                    for (int j = 0; j < k; j++) {
                        CpuMemory.I32.set(mem, dOff + 4 * j, v);
                    }
                }
                r[Cpu.EDI] = (r[Cpu.EDI] & ~am) | ((di + k * size) & am);
                return k;
            }
            int si = r[Cpu.ESI] & am;
            int sLin = c.base[src] + si;
            n = Math.min(n, (0x1000 - (sLin & 0xFFF)) / size);
            int sIdx = ((sLin >>> 12) & CpuMemory.TLB_MASK) | c.tlbUser;
            if (n == 0 || CpuMemory.tlbTag(c.tlbR[sIdx]) != (sLin & 0xFFFFF000)
                    || (si & 0xFFFFFFFFL) + n * size - 1 > Math.min(c.rdLim[src], am & 0xFFFFFFFFL)) {
                return 0;
            }
            int sOff = (int) c.tlbR[sIdx] | (sLin & 0xFFF);
            if (dOff > sOff && dOff < sOff + n * size) {
                n = (dOff - sOff) / size; // the elements that read only bytes this copy has not written
                if (n == 0) {
                    return 0;
                }
            }
            int k = (int) n;
            System.arraycopy(mem, sOff, mem, dOff, k * size);
            r[Cpu.ESI] = (r[Cpu.ESI] & ~am) | ((si + k * size) & am);
            r[Cpu.EDI] = (r[Cpu.EDI] & ~am) | ((di + k * size) & am);
            return k;
        }

        /** One element; returns ZF for CMPS/SCAS. */
        private boolean once(Cpu c, int step) {
            int[] r = c.r;
            int si = r[Cpu.ESI], di = r[Cpu.EDI];
            switch (kind) {
                case MOVS -> {
                    int v = c.rd(size, src, si & am);
                    c.wr(size, Cpu.ES, di & am, v);
                    r[Cpu.ESI] = (si & ~am) | ((si + step) & am);
                    r[Cpu.EDI] = (di & ~am) | ((di + step) & am);
                }
                case CMPS -> {
                    int a = c.rd(size, src, si & am);
                    int b = c.rd(size, Cpu.ES, di & am);
                    AluOps.sub(c, size, a, b);
                    r[Cpu.ESI] = (si & ~am) | ((si + step) & am);
                    r[Cpu.EDI] = (di & ~am) | ((di + step) & am);
                    return c.zf();
                }
                case STOS -> {
                    c.wr(size, Cpu.ES, di & am, r[Cpu.EAX]);
                    r[Cpu.EDI] = (di & ~am) | ((di + step) & am);
                }
                case LODS -> {
                    int v = c.rd(size, src, si & am);
                    c.setReg(size, Cpu.EAX, v);
                    r[Cpu.ESI] = (si & ~am) | ((si + step) & am);
                }
                case SCAS -> {
                    int b = c.rd(size, Cpu.ES, di & am);
                    AluOps.sub(c, size, c.getReg(size, Cpu.EAX), b);
                    r[Cpu.EDI] = (di & ~am) | ((di + step) & am);
                    return c.zf();
                }
                case INS -> {
                    c.rdw(size, Cpu.ES, di & am); // the destination must be writable before the port is read
                    int v = c.io.in(r[Cpu.EDX] & 0xFFFF, size);
                    c.wr(size, Cpu.ES, di & am, v);
                    r[Cpu.EDI] = (di & ~am) | ((di + step) & am);
                }
                default -> {
                    int v = c.rd(size, src, si & am);
                    c.io.out(r[Cpu.EDX] & 0xFFFF, size, v);
                    r[Cpu.ESI] = (si & ~am) | ((si + step) & am);
                }
            }
            return false;
        }
    }
}
