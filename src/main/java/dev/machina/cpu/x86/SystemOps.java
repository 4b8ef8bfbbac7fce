package dev.machina.cpu.x86;

/**
 * System and miscellaneous instructions (SDM Vol. 2A/2B unless noted): flag instructions (CLC STC
 * CMC CLD STD CLI STI), IN/OUT with the IOPL and I/O-bitmap check (Vol. 1 18.5), HLT, descriptor
 * table registers (LGDT LIDT SGDT SIDT LLDT SLDT LTR STR), SMSW/LMSW, CLTS, MOV to/from CRn and DRn,
 * INVLPG, LAR, LSL, VERR, VERW, ARPL, CPUID (from the {@link CpuModel}), RDTSC, RDMSR/WRMSR, the
 * minimal x87 an OS needs to find and initialise the FPU (FNINIT, FNCLEX, FNSTSW, FNSTCW, FLDCW,
 * FNSTENV/FLDENV, FNSAVE/FRSTOR, FWAIT), and #UD for everything undefined.
 *
 * <p>Other x87 instructions raise #UD (deviation: a real x87 would compute; see the README).
 */
final class SystemOps {
    private SystemOps() {}

    static final int CR4_PCE = 0x100, CR4_OSFXSR = 0x200, CR4_OSXMMEXCPT = 0x400, CR4_FSGSBASE = 0x10000;

    /**
     * CR4 bits a write may set (others raise #GP(0)): TSD and PCE always, the others where the guest
     * sees the feature they belong to (as QEMU 7.2's cr4_reserved_bits: DE, PSE, PAE, MCE, PGE,
     * OSFXSR with FXSR, OSXMMEXCPT with SSE).
     */
    static int cr4Allowed(CpuModel m) {
        int a = Cpu.CR4_TSD | CR4_PCE;
        a |= m.has(CpuModel.EDX_DE) ? Cpu.CR4_DE : 0;
        a |= m.has(CpuModel.EDX_PSE) ? Cpu.CR4_PSE : 0;
        a |= m.has(CpuModel.EDX_PAE) ? Cpu.CR4_PAE : 0;
        a |= m.has(CpuModel.EDX_MCE) ? Cpu.CR4_MCE : 0;
        a |= m.has(CpuModel.EDX_PGE) ? Cpu.CR4_PGE : 0;
        a |= m.has(CpuModel.EDX_FXSR) ? CR4_OSFXSR : 0;
        a |= m.has(CpuModel.EDX_SSE) ? CR4_OSXMMEXCPT : 0;
        a |= (m.leaf7Ebx() & CpuModel.LEAF7_EBX_FSGSBASE) != 0 ? CR4_FSGSBASE : 0;
        a |= SupervisorProtection.cr4Allowed(m);
        a |= XsaveOps.offered(m) ? XsaveOps.CR4_OSXSAVE : 0;
        return a;
    }


    private static final Op UD = new Op() {
        @Override
        void exec(Cpu c) {
            throw c.ud();
        }
    };

    static Op undefined() {
        return UD;
    }

    /** #UD for an instruction the CPU model lacks (CPUID feature {@code feature}), noted for the run's report. */
    static Op missingFeature(String mnemonic, String feature) {
        return new Op() {
            @Override
            void exec(Cpu c) {
                c.noteMissingFeature(mnemonic, feature);
                throw c.ud();
            }
        };
    }

    private static void requireCpl0(Cpu c) {
        if (c.pe && c.cpl != 0) {
            throw c.gp(0);
        }
    }

    private static void requireProtected(Cpu c) {
        if (c.realOrV86()) {
            throw c.ud();
        }
    }

    // ---------------- builders ----------------

    static Op flagOp(Insn i) {
        return new FlagOp(i.opcode);
    }

    static Op hlt(Insn i) {
        return new Hlt();
    }

    static Op in(Insn i) {
        return new In(i.size(0), i.op(1) == Opnd.DX ? -1 : i.imm & 0xFF);
    }

    static Op out(Insn i) {
        return new Out(i.size(1), i.op(0) == Opnd.DX ? -1 : i.imm & 0xFF);
    }

    static Op fwait(Insn i) {
        return new Fwait();
    }

    static Op arpl(Insn i) {
        return new Arpl(i.isReg() ? i.rm : -1, i.reg, i.isReg() ? null : i.addr());
    }

    static Op group6(Insn i) {
        return new Group6(i.reg, i.osize, i.isReg() ? i.rm : -1, i.isReg() ? null : i.addr());
    }

    static Op group7(Insn i) {
        int k = i.reg;
        if (i.isReg() && k == 7 && i.rm == 1) {
            return new Rdtscp(); // 0F 01 F9
        }
        if (i.isReg() && k == 2 && (i.rm == 0 || i.rm == 1)) {
            return XsaveOps.xgetbvXsetbv(i); // 0F 01 D0 XGETBV, 0F 01 D1 XSETBV
        }
        if (i.isReg() && k == 1 && (i.rm == 0 || i.rm == 1)) {
            return MonitorOps.build(i); // 0F 01 C8 MONITOR, 0F 01 C9 MWAIT
        }
        if (i.isReg() && k == 1 && (i.rm == 2 || i.rm == 3)) {
            return SupervisorProtection.clacStac(i); // 0F 01 CA CLAC, 0F 01 CB STAC
        }
        if (i.isReg() && k != 4 && k != 6) {
            return null; // SGDT/SIDT/LGDT/LIDT/INVLPG need memory; the register forms are other instructions (#UD here)
        }
        return new Group7(k, i.osize, i.isReg() ? i.rm : -1, i.isReg() ? null : i.addr());
    }

    static Op larLsl(Insn i) {
        return new LarLsl(i.opcode == 0x103, i.osize, i.reg, i.isReg() ? i.rm : -1, i.isReg() ? null : i.addr());
    }

    static Op clts(Insn i) {
        return new Clts();
    }

    static Op movCr(Insn i) {
        if (i.reg == 1 || i.reg > 4) {
            return null;
        }
        if (i.lock && i.reg == 0 && (i.model.features()[CpuModel.W_81_ECX] & W_81_ECX_CR8LEGACY) != 0) {
            return new MovCr8(i.opcode == 0x122, i.rm);
        }
        return new MovCr(i.opcode == 0x122, i.reg, i.rm);
    }

    /** cr8legacy: CPUID.80000001h:ECX bit 4, LOCK MOV CR0 is CR8 outside 64-bit mode (AMD APM vol. 3, MOV CRn). */
    static final int W_81_ECX_CR8LEGACY = 1 << 4;

    /**
     * LOCK MOV r32, CR0 / LOCK MOV CR0, r32 with cr8legacy: CR8, the local APIC's TPR bits 7:4 (reads give TPR >> 4,
     * writes set TPR to (value &amp; 0xF) &lt;&lt; 4, as QEMU 7.2's cpu_get_apic_tpr / cpu_set_apic_tpr; without a local
     * APIC reads give 0 and writes go nowhere). Privilege as MOV CRn. tests/guests/cr8.asm.
     */
    static final class MovCr8 extends Op {
        private final boolean toCr;
        private final int reg;

        MovCr8(boolean toCr, int reg) {
            this.toCr = toCr;
            this.reg = reg;
        }

        @Override
        void exec(Cpu c) {
            if (c.v86()) {
                throw c.gp(0);
            }
            requireCpl0(c);
            if (toCr) {
                if (c.apicBaseMsr != null) {
                    c.apicBaseMsr.writeCr8(c.r[reg] & 0xF);
                }
            } else {
                c.r[reg] = c.apicBaseMsr != null ? c.apicBaseMsr.cr8() & 0xF : 0;
            }
        }
    }

    static Op movDr(Insn i) {
        return new MovDr(i.opcode == 0x123, i.reg, i.rm);
    }

    static Op msr(Insn i) {
        return new Msr(i.opcode == 0x130);
    }

    static Op sysenter(Insn i) {
        return new Sysenter();
    }

    static Op sysexit(Insn i) {
        return new Sysexit();
    }

    static Op syscall(Insn i) {
        return new Syscall();
    }

    static Op sysret(Insn i) {
        return new Sysret();
    }

    static Op rdtsc(Insn i) {
        return new Rdtsc();
    }

    static Op cpuid(Insn i) {
        return new Cpuid();
    }

    // ---------------- I/O permission ----------------

    /**
     * IN/OUT/INS/OUTS permission (SDM Vol. 1 18.5.2): in protected mode with CPL > IOPL (or in
     * V86), every port touched must have a clear bit in the TSS I/O bitmap; otherwise #GP(0).
     */
    static void checkIo(Cpu c, int port, int size) {
        if (!c.pe || (!c.v86() && c.cpl <= c.iopl())) {
            return;
        }
        int type = c.trAttr & 0xF;
        if (type != 0x9 && type != 0xB) {
            throw c.gp(0);
        }
        if (c.trLimit < 0x67) {
            throw c.gp(0);
        }
        int mapBase = c.sysRead(c.trBase + 0x66, 2);
        int byteOff = mapBase + (port >>> 3);
        if (byteOff + 1 > c.trLimit) {
            throw c.gp(0);
        }
        int bits = c.sysRead(c.trBase + byteOff, 2);
        int mask = ((1 << size) - 1) << (port & 7);
        if ((bits & mask) != 0) {
            throw c.gp(0);
        }
    }

    // ---------------- ops ----------------

    static final class FlagOp extends Op {
        private final int opcode;

        FlagOp(int opcode) {
            this.opcode = opcode;
        }

        @Override
        void exec(Cpu c) {
            switch (opcode) {
                case 0xF5 -> c.setCf(!c.cf());
                case 0xF8 -> c.setCf(false);
                case 0xF9 -> c.setCf(true);
                case 0xFC -> c.flags &= ~Cpu.DF;
                case 0xFD -> c.flags |= Cpu.DF;
                case 0xFA -> {
                    if (c.pe && c.cpl > c.iopl()) { // V86 runs at CPL 3: CLI/STI need IOPL 3
                        throw c.gp(0);
                    }
                    c.flags &= ~Cpu.IF;
                }
                default -> { // STI
                    if (c.pe && c.cpl > c.iopl()) { // V86 runs at CPL 3: CLI/STI need IOPL 3
                        throw c.gp(0);
                    }
                    if ((c.flags & Cpu.IF) == 0) {
                        c.inhibitIrq = true; // interrupts are recognised after the next instruction
                    }
                    c.flags |= Cpu.IF;
                }
            }
        }
    }

    static final class Hlt extends Op {
        @Override
        void exec(Cpu c) {
            requireCpl0(c);
            c.setHalted(true);
        }
    }

    static final class In extends Op {
        private final int size, port;

        In(int size, int port) {
            this.size = size;
            this.port = port;
        }

        @Override
        void exec(Cpu c) {
            int p = port < 0 ? c.r[Cpu.EDX] & 0xFFFF : port;
            checkIo(c, p, size);
            c.setReg(size, Cpu.EAX, c.io.in(p, size));
        }
    }

    static final class Out extends Op {
        private final int size, port;

        Out(int size, int port) {
            this.size = size;
            this.port = port;
        }

        @Override
        void exec(Cpu c) {
            int p = port < 0 ? c.r[Cpu.EDX] & 0xFFFF : port;
            checkIo(c, p, size);
            c.io.out(p, size, c.getReg(size, Cpu.EAX));
        }
    }

    /** WAIT/FWAIT: #NM when CR0.TS and CR0.MP are both set; then a pending unmasked x87 exception is taken. */
    static final class Fwait extends Op {
        @Override
        void exec(Cpu c) {
            if ((c.cr0 & (Cpu.CR0_TS | Cpu.CR0_MP)) == (Cpu.CR0_TS | Cpu.CR0_MP)) {
                throw c.fault(Vectors.NM);
            }
            if ((c.fpuSw & X87.ES) != 0) {
                c.fpuPending();
            }
        }
    }

    static final class Arpl extends Op {
        private final int rm, src;
        private final Addr addr;

        Arpl(int rm, int src, Addr addr) {
            this.rm = rm;
            this.src = src;
            this.addr = addr;
        }

        @Override
        void exec(Cpu c) {
            requireProtected(c);
            int ea = 0;
            int d;
            if (addr == null) {
                d = c.r[rm] & 0xFFFF;
            } else {
                ea = (c.r[addr.base()] + (c.r[addr.index()] << addr.scale()) + addr.disp()) & addr.amask();
                d = c.rd16(addr.seg(), ea); // a plain read: ARPL writes (and needs a writable segment) only when RPL changes, as on a real 386
            }
            int s = c.r[src] & 0xFFFF;
            if ((d & 3) < (s & 3)) {
                d = (d & ~3) | (s & 3);
                if (addr == null) {
                    c.setReg16(rm, d);
                } else {
                    c.wr16(addr.seg(), ea, d);
                }
                c.setSomeFlags(Cpu.ZF, Cpu.ZF);
            } else {
                c.setSomeFlags(Cpu.ZF, 0);
            }
        }
    }

    /** 0F 00: SLDT STR LLDT LTR VERR VERW. */
    static final class Group6 extends Op {
        private final int kind, size, rm;
        private final Addr addr;

        Group6(int kind, int size, int rm, Addr addr) {
            this.kind = kind;
            this.size = size;
            this.rm = rm;
            this.addr = addr;
        }

        private int ea(Cpu c) {
            return (c.r[addr.base()] + (c.r[addr.index()] << addr.scale()) + addr.disp()) & addr.amask();
        }

        private int source(Cpu c) {
            return addr == null ? c.r[rm] & 0xFFFF : c.rd16(addr.seg(), ea(c));
        }

        private void store(Cpu c, int v) {
            if (addr == null) {
                c.setReg(size, rm, v);
            } else {
                c.wr16(addr.seg(), ea(c), v);
            }
        }

        @Override
        void exec(Cpu c) {
            requireProtected(c);
            if (kind <= 1) {
                SupervisorProtection.umip(c); // SLDT, STR
            }
            switch (kind) {
                case 0 -> store(c, c.ldtSel);
                case 1 -> store(c, c.trSel);
                case 2 -> lldt(c, source(c));
                case 3 -> ltr(c, source(c));
                default -> verify(c, source(c), kind == 5);
            }
        }

        private static void lldt(Cpu c, int selector) {
            requireCpl0(c);
            if ((selector & 0xFFFC) == 0) {
                c.ldtSel = selector;
                c.ldtBase = 0;
                c.ldtLimit = 0;
                c.ldtAttr = 0;
                return;
            }
            if ((selector & 4) != 0) {
                throw c.gp(selector & 0xFFFC);
            }
            long d = Segments.read(c, selector, Vectors.GP);
            int hi = Segments.hi(d);
            if (Segments.systemType(hi) != 2) {
                throw c.gp(selector & 0xFFFC);
            }
            if (!Segments.present(hi)) {
                throw c.fault(Vectors.NP, selector & 0xFFFC);
            }
            c.ldtSel = selector;
            c.ldtBase = Segments.base(Segments.lo(d), hi);
            c.ldtLimit = Segments.limit(Segments.lo(d), hi);
            c.ldtAttr = Segments.attr(hi);
        }

        private static void ltr(Cpu c, int selector) {
            requireCpl0(c);
            if ((selector & 0xFFFC) == 0) {
                throw c.gp(0);
            }
            if ((selector & 4) != 0) {
                throw c.gp(selector & 0xFFFC);
            }
            long d = Segments.read(c, selector, Vectors.GP);
            int hi = Segments.hi(d);
            int type = Segments.systemType(hi);
            if (type != 1 && type != 9) {
                throw c.gp(selector & 0xFFFC); // must be an available TSS
            }
            if (!Segments.present(hi)) {
                throw c.fault(Vectors.NP, selector & 0xFFFC);
            }
            int addr = Segments.descriptorAddress(c, selector, Vectors.GP);
            c.sysWrite(addr + 4, 4, hi | 0x200); // mark busy
            c.trSel = selector;
            c.trBase = Segments.base(Segments.lo(d), hi);
            c.trLimit = Segments.limit(Segments.lo(d), hi);
            c.trAttr = Segments.attr(hi | 0x200);
        }

        /** VERR/VERW: ZF = 1 when the segment is readable/writable from CPL and RPL. */
        private static void verify(Cpu c, int selector, boolean write) {
            boolean ok = false;
            if ((selector & 0xFFFC) != 0) {
                try {
                    long d = Segments.read(c, selector, Vectors.GP);
                    int hi = Segments.hi(d);
                    if ((hi & 0x1000) != 0) {
                        int dpl = Segments.dpl(hi);
                        boolean privOk = (Segments.isCode(hi) && Segments.conforming(hi))
                                || (dpl >= c.cpl && dpl >= (selector & 3));
                        ok = privOk && (write ? Segments.writableData(hi) : Segments.readable(hi));
                    }
                } catch (CpuFault f) {
                    if (c.faultVector == Vectors.PF) {
                        throw f;
                    }
                    ok = false; // beyond the table limit: ZF = 0, no fault
                }
            }
            c.setSomeFlags(Cpu.ZF, ok ? Cpu.ZF : 0);
        }
    }

    /** 0F 01: SGDT SIDT LGDT LIDT SMSW LMSW INVLPG. */
    static final class Group7 extends Op {
        private final int kind, size, rm;
        private final Addr addr;

        Group7(int kind, int size, int rm, Addr addr) {
            this.kind = kind;
            this.size = size;
            this.rm = rm;
            this.addr = addr;
        }

        private int ea(Cpu c) {
            return (c.r[addr.base()] + (c.r[addr.index()] << addr.scale()) + addr.disp()) & addr.amask();
        }

        @Override
        void exec(Cpu c) {
            if (kind <= 1 || kind == 4) {
                SupervisorProtection.umip(c); // SGDT, SIDT, SMSW
            }
            switch (kind) {
                case 0, 1 -> {
                    int ea = ea(c);
                    int lim = kind == 0 ? c.gdtLimit : c.idtLimit;
                    int base = kind == 0 ? c.gdtBase : c.idtBase;
                    c.checkSeg(addr.seg(), ea, 6, true);
                    c.wr16(addr.seg(), ea, lim);
                    c.wr32(addr.seg(), (ea + 2) & addr.amask(), size == 2 ? base & 0x00FFFFFF : base);
                }
                case 2, 3 -> {
                    requireCpl0(c);
                    int ea = ea(c);
                    int lim = c.rd16(addr.seg(), ea);
                    int base = c.rd32(addr.seg(), (ea + 2) & addr.amask());
                    if (size == 2) {
                        base &= 0x00FFFFFF; // 16-bit operand size loads a 24-bit base
                    }
                    if (kind == 2) {
                        c.gdtLimit = lim;
                        c.gdtBase = base;
                    } else {
                        c.idtLimit = lim;
                        c.idtBase = base;
                    }
                }
                case 4 -> {
                    if (addr == null) {
                        c.setReg(size, rm, c.cr0 | Cpu.CR0_ET);
                    } else {
                        c.wr16(addr.seg(), ea(c), c.cr0 | Cpu.CR0_ET);
                    }
                }
                case 6 -> {
                    requireCpl0(c);
                    int v = addr == null ? c.r[rm] & 0xFFFF : c.rd16(addr.seg(), ea(c));
                    // LMSW loads PE, MP, EM, TS and cannot clear PE (SDM LMSW)
                    int cr0 = (c.cr0 & ~0xE) | (v & 0xF) | (c.cr0 & Cpu.CR0_PE);
                    setCr0(c, cr0);
                }
                default -> {
                    requireCpl0(c);
                    c.invlpg(c.base[addr.seg()] + ea(c));
                }
            }
        }
    }

    /** LAR / LSL: ZF = 1 and the access rights / limit when the descriptor is visible from CPL and RPL. */
    static final class LarLsl extends Op {
        private final boolean lsl;
        private final int size, d, rm;
        private final Addr addr;

        LarLsl(boolean lsl, int size, int d, int rm, Addr addr) {
            this.lsl = lsl;
            this.size = size;
            this.d = d;
            this.rm = rm;
            this.addr = addr;
        }

        @Override
        void exec(Cpu c) {
            requireProtected(c);
            int selector = addr == null ? c.r[rm] & 0xFFFF
                    : c.rd16(addr.seg(), (c.r[addr.base()] + (c.r[addr.index()] << addr.scale()) + addr.disp()) & addr.amask());
            long desc;
            if ((selector & 0xFFFC) == 0) {
                c.setSomeFlags(Cpu.ZF, 0);
                return;
            }
            try {
                desc = Segments.read(c, selector, Vectors.GP);
            } catch (CpuFault f) {
                if (c.faultVector == Vectors.PF) {
                    throw f;
                }
                c.setSomeFlags(Cpu.ZF, 0);
                return;
            }
            int hi = Segments.hi(desc);
            boolean ok;
            if ((hi & 0x1000) != 0) {
                ok = true;
            } else {
                int t = Segments.systemType(hi);
                ok = lsl ? (t == 1 || t == 2 || t == 3 || t == 9 || t == 0xB)
                        : (t == 1 || t == 2 || t == 3 || t == 4 || t == 5 || t == 9 || t == 0xB || t == 0xC);
            }
            if (ok && !(Segments.isCode(hi) && Segments.conforming(hi))) {
                int dpl = Segments.dpl(hi);
                ok = dpl >= c.cpl && dpl >= (selector & 3);
            }
            if (!ok) {
                c.setSomeFlags(Cpu.ZF, 0);
                return;
            }
            int v = lsl ? Segments.limit(Segments.lo(desc), hi) : hi & 0x00FFFF00;
            c.setReg(size, d, v);
            c.setSomeFlags(Cpu.ZF, Cpu.ZF);
        }
    }

    static final class Clts extends Op {
        @Override
        void exec(Cpu c) {
            requireCpl0(c);
            c.cr0 &= ~Cpu.CR0_TS;
        }
    }

    /** Writes CR0 with the mode changes it implies (SDM Vol. 3A 2.5, 9.9). */
    static void setCr0(Cpu c, int v) {
        v |= Cpu.CR0_ET; // hard-wired to 1 on the 486 and later
        if ((v & Cpu.CR0_PG) != 0 && (v & Cpu.CR0_PE) == 0) {
            throw c.gp(0);
        }
        if ((v & Cpu.CR0_NW) != 0 && (v & Cpu.CR0_CD) == 0) {
            throw c.gp(0);
        }
        int old = c.cr0;
        c.cr0 = v;
        boolean pe = (v & Cpu.CR0_PE) != 0;
        if (pe != c.pe) {
            c.pe = pe;
            if (!pe) {
                c.setCpl(0);
            }
            c.updateSegLimitsAll();
        }
        c.paging = (v & Cpu.CR0_PG) != 0;
        if (((old ^ v) & (Cpu.CR0_PG | Cpu.CR0_WP | Cpu.CR0_PE)) != 0) {
            c.flushTlb();
        }
    }

    static final class MovCr extends Op {
        private final boolean toCr;
        private final int cr, reg;

        MovCr(boolean toCr, int cr, int reg) {
            this.toCr = toCr;
            this.cr = cr;
            this.reg = reg;
        }

        @Override
        void exec(Cpu c) {
            if (c.v86()) {
                throw c.gp(0);
            }
            requireCpl0(c);
            if (!toCr) {
                c.r[reg] = switch (cr) {
                    case 0 -> c.cr0;
                    case 2 -> c.cr2;
                    case 3 -> c.cr3;
                    default -> c.cr4;
                };
                return;
            }
            int v = c.r[reg];
            switch (cr) {
                case 0 -> setCr0(c, v);
                case 2 -> c.cr2 = v;
                case 3 -> {
                    c.cr3 = v;
                    c.flushNonGlobal();
                }
                default -> {
                    if ((v & ~cr4Allowed(c.model)) != 0) {
                        throw c.gp(0);
                    }
                    int old = c.cr4;
                    c.cr4 = v;
                    if (((old ^ v) & (Cpu.CR4_PSE | Cpu.CR4_PGE | Cpu.CR4_PAE | Cpu.CR4_SMEP | Cpu.CR4_SMAP)) != 0) {
                        c.flushTlb();
                    }
                }
            }
        }
    }

    /** MOV to/from DRn: stored only (no hardware breakpoints). DR4/DR5 alias DR6/DR7 unless CR4.DE (then #UD). */
    static final class MovDr extends Op {
        private final boolean toDr;
        private final int dr, reg;

        MovDr(boolean toDr, int dr, int reg) {
            this.toDr = toDr;
            this.dr = dr;
            this.reg = reg;
        }

        @Override
        void exec(Cpu c) {
            if (c.v86()) {
                throw c.gp(0);
            }
            requireCpl0(c);
            int n = dr;
            if (n == 4 || n == 5) {
                if ((c.cr4 & Cpu.CR4_DE) != 0) {
                    throw c.ud();
                }
                n += 2;
            }
            if (toDr) {
                int v = c.r[reg];
                c.dr[n] = n == 6 ? (v | 0xFFFF0FF0) : n == 7 ? (v | 0x400) : v;
            } else {
                c.r[reg] = c.dr[n];
            }
        }
    }

    static final class Msr extends Op {
        private final boolean write;

        Msr(boolean write) {
            this.write = write;
        }

        @Override
        void exec(Cpu c) {
            requireCpl0(c);
            int n = c.r[Cpu.ECX];
            if (write) {
                Msrs.write(c, n, ((long) c.r[Cpu.EDX] << 32) | (c.r[Cpu.EAX] & 0xFFFFFFFFL));
                return;
            }
            long v = Msrs.read(c, n);
            c.r[Cpu.EAX] = (int) v;
            c.r[Cpu.EDX] = (int) (v >>> 32);
        }
    }

    /** Flat 4 GiB segments SYSENTER/SYSEXIT load (SDM Vol. 2B SYSENTER, "Operation"): code execute/read, data read/write, G and D/B set. */
    static final int FLAT_CODE = 0xC09B, FLAT_DATA = 0xC093, DPL3 = 0x60;

    /** SYSENTER (SDM Vol. 2B): to CPL 0 at SYSENTER_CS:SYSENTER_EIP, SS = CS + 8, ESP = SYSENTER_ESP. */
    static final class Sysenter extends Op {
        @Override
        void exec(Cpu c) {
            int cs = c.msrSysenterCs & 0xFFFC;
            if (!c.pe || cs == 0) {
                throw c.gp(0);
            }
            c.flags &= ~(Cpu.VM | Cpu.IF | Cpu.RF);
            c.updateSegLimitsAll();
            c.setCpl(0);
            c.setSegCache(Cpu.CS, cs, 0, -1, FLAT_CODE);
            c.setSegCache(Cpu.SS, cs + 8, 0, -1, FLAT_DATA);
            c.r[Cpu.ESP] = (int) c.msrSysenterEsp;
            c.eip = (int) c.msrSysenterEip;
        }
    }

    /** SYSEXIT (SDM Vol. 2B): to CPL 3 at (SYSENTER_CS + 16):EDX, SS = SYSENTER_CS + 24, ESP = ECX. */
    static final class Sysexit extends Op {
        @Override
        void exec(Cpu c) {
            int cs = c.msrSysenterCs & 0xFFFC;
            if (!c.pe || c.v86() || cs == 0 || c.cpl != 0) {
                throw c.gp(0);
            }
            c.setCpl(3);
            c.setSegCache(Cpu.CS, (cs + 16) | 3, 0, -1, FLAT_CODE | DPL3);
            c.setSegCache(Cpu.SS, (cs + 24) | 3, 0, -1, FLAT_DATA | DPL3);
            c.r[Cpu.ESP] = c.r[Cpu.ECX];
            c.eip = c.r[Cpu.EDX];
        }
    }

    /** Whether the model offers SYSCALL/SYSRET (CPUID.80000001h:EDX bit 11) and EFER.SCE enables them. */
    private static boolean syscallEnabled(Cpu c) {
        return (c.model.features()[CpuModel.W_81_EDX] & (1 << 11)) != 0 && (c.msrEfer & Msrs.EFER_SCE) != 0;
    }

    /**
     * SYSCALL outside long mode (AMD APM Vol. 3 "SYSCALL", legacy mode; QEMU 7.2 helper_syscall without
     * LMA): #UD unless EFER.SCE; ECX = the next EIP, CS = STAR[47:32] & FFFC and SS = CS + 8 flat at
     * CPL 0, IF, RF and VM cleared, EIP = STAR[31:0].
     */
    static final class Syscall extends Op {
        @Override
        void exec(Cpu c) {
            if (!syscallEnabled(c)) {
                throw c.ud();
            }
            int cs = (int) (c.msrStar >>> 32) & 0xFFFC;
            c.r[Cpu.ECX] = c.eip;
            c.flags &= ~(Cpu.VM | Cpu.IF | Cpu.RF);
            c.updateSegLimitsAll();
            c.setCpl(0);
            c.setSegCache(Cpu.CS, cs, 0, -1, FLAT_CODE);
            c.setSegCache(Cpu.SS, (cs + 8) & 0xFFFC, 0, -1, FLAT_DATA);
            c.eip = (int) c.msrStar;
        }
    }

    /**
     * SYSRET outside long mode (AMD APM Vol. 3 "SYSRET"; QEMU 7.2 helper_sysret without LMA): #UD
     * unless EFER.SCE, #GP(0) outside protected mode or above CPL 0; CS = STAR[63:48] | 3 and SS =
     * that + 8 flat at CPL 3, IF set, EIP = ECX.
     */
    static final class Sysret extends Op {
        @Override
        void exec(Cpu c) {
            if (!syscallEnabled(c)) {
                throw c.ud();
            }
            if (!c.pe || c.cpl != 0) {
                throw c.gp(0);
            }
            int cs = (int) (c.msrStar >>> 48) & 0xFFFF;
            c.setCpl(3);
            c.setSegCache(Cpu.CS, cs | 3, 0, -1, FLAT_CODE | DPL3);
            c.setSegCache(Cpu.SS, (cs + 8) | 3, 0, -1, FLAT_DATA | DPL3);
            c.flags |= Cpu.IF;
            c.eip = c.r[Cpu.ECX];
        }
    }

    /** RDTSC: the time-stamp counter follows the machine's virtual clock, or counts retired instructions (deterministic either way). */
    static final class Rdtsc extends Op {
        @Override
        void exec(Cpu c) {
            if ((c.cr4 & Cpu.CR4_TSD) != 0 && c.pe && c.cpl != 0) {
                throw c.gp(0);
            }
            long t = c.tsc();
            c.r[Cpu.EAX] = (int) t;
            c.r[Cpu.EDX] = (int) (t >>> 32);
        }
    }

    /**
     * RDTSCP (SDM Vol. 2B; CPUID.80000001h:EDX.RDTSCP[27]): RDTSC's EDX:EAX and ECX = IA32_TSC_AUX[31:0];
     * #UD where the model does not offer it, #GP(0) under CR4.TSD above CPL 0.
     */
    static final class Rdtscp extends Op {
        @Override
        void exec(Cpu c) {
            if ((c.model.features()[CpuModel.W_81_EDX] & (1 << 27)) == 0) {
                throw c.ud();
            }
            if ((c.cr4 & Cpu.CR4_TSD) != 0 && c.pe && c.cpl != 0) {
                throw c.gp(0);
            }
            long t = c.tsc();
            c.r[Cpu.EAX] = (int) t;
            c.r[Cpu.EDX] = (int) (t >>> 32);
            c.r[Cpu.ECX] = (int) c.msrTscAux;
        }
    }

    static final class Cpuid extends Op {
        @Override
        void exec(Cpu c) {
            int[] v = cpuid(c.model, c.r[Cpu.EAX], c.r[Cpu.ECX]);
            if (c.r[Cpu.EAX] == 1 && (c.cr4 & XsaveOps.CR4_OSXSAVE) != 0) {
                v[2] |= XsaveOps.W_1_ECX_OSXSAVE; // OSXSAVE mirrors CR4.OSXSAVE
            }
            if (c.r[Cpu.EAX] == 1 && c.apicBaseMsr != null && (c.apicBaseMsr.read() & Msrs.APIC_ENABLE) == 0) {
                v[3] &= ~CpuModel.EDX_APIC; // QEMU's cpu_clear_apic_feature: a globally disabled APIC is hidden
            }
            c.r[Cpu.EAX] = v[0];
            c.r[Cpu.EBX] = v[1];
            c.r[Cpu.ECX] = v[2];
            c.r[Cpu.EDX] = v[3];
        }
    }

    /** CPUID leaf/subleaf → EAX EBX ECX EDX (SDM Vol. 2A CPUID, "Operation"; QEMU 7.2 cpu_x86_cpuid). */
    static int[] cpuid(CpuModel m, int leaf, int sub) {
        long ul = leaf & 0xFFFFFFFFL;
        long level = m.level() & 0xFFFFFFFFL, xlevel = m.xlevel() & 0xFFFFFFFFL;
        if (ul >= 0x40000000L && ul < 0x50000000L) {
            // hypervisor range: answered where the model lists it (up to the maximum its first leaf names)
            int[] first = m.leaves().get(0x40000000L << 8);
            if (first != null && ul <= (first[0] & 0xFFFFFFFFL)) {
                int[] r = m.leaves().get(ul << 8);
                return r != null ? r.clone() : new int[4];
            }
        }
        boolean extended = ul >= 0x80000000L;
        if ((!extended && ul > level) || (extended && ul > xlevel)) {
            // beyond the maximum: the highest basic leaf answers (with ECX as given)
            return cpuid(m, m.level(), sub);
        }
        byte[] vendor = m.vendor().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int v0 = le(vendor, 0), v1 = le(vendor, 4), v2 = le(vendor, 8);
        int[] f = m.features();
        if (ul == 0) {
            return new int[] {m.level(), v0, v2, v1};
        }
        if (ul == 1) {
            // EBX bits 15:8: CLFLUSH line size, 8 × 8 bytes (QEMU reports it for every model)
            return new int[] {m.signature(), 0x800, f[CpuModel.W_1_ECX], f[CpuModel.W_1_EDX]};
        }
        if (ul == 0x80000000L) {
            return new int[] {m.xlevel(), v0, v2, v1};
        }
        if (ul == 0x80000001L) {
            int edx = f[CpuModel.W_81_EDX];
            if (m.vendor().equals("AuthenticAMD")) {
                edx |= f[CpuModel.W_1_EDX] & CpuModel.AMD_ALIASES;
            }
            return new int[] {m.signature(), 0, f[CpuModel.W_81_ECX], edx};
        }
        if (ul >= 0x80000002L && ul <= 0x80000004L) {
            byte[] brand = new byte[48];
            byte[] b = m.modelId().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            System.arraycopy(b, 0, brand, 0, Math.min(b.length, 47));
            int o = (int) (ul - 0x80000002L) * 16;
            return new int[] {le(brand, o), le(brand, o + 4), le(brand, o + 8), le(brand, o + 12)};
        }
        if (ul == 7) {
            // structured extended features: only the ones this core implements (CpuModel.LEAF7_EBX_IMPLEMENTED)
            int[] r = m.leaves().get(7L << 8);
            return sub != 0 || r == null ? new int[4] : new int[] {r[0], m.leaf7Ebx(), m.leaf7Ecx(), 0};
        }
        if ((ul == 0xD && (f[CpuModel.W_1_ECX] & CpuModel.ECX_XSAVE) == 0)
                || (ul == 0x8000000AL && (f[CpuModel.W_81_ECX] & CpuModel.ECX81_SVM) == 0)) {
            // XSAVE state and SVM features only where the guest sees xsave / svm, as QEMU 7.2's
            // cpu_x86_cpuid answers them (target/i386/cpu.c, leaves 0xD and 0x8000000A)
            return new int[4];
        }
        if (ul == 0xD) {
            return XsaveOps.leafD(m, sub); // the state components this core has: x87 and SSE
        }
        boolean bySub = ul == 4;
        int[] r = m.leaves().get((ul << 8) | (bySub ? sub & 0xFF : 0));
        return r != null ? r.clone() : new int[4];
    }

    private static int le(byte[] b, int o) {
        return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF) << 16 | (b[o + 3] & 0xFF) << 24;
    }
}
