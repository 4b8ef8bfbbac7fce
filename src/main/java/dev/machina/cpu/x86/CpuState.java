package dev.machina.cpu.x86;

/**
 * The architectural state of the processor (general, segment, control, debug and descriptor-table
 * registers, EFLAGS with the lazy arithmetic flags) and the operations on it that every
 * instruction uses: register access by size, flag evaluation, segment-cache updates and checks,
 * raising a guest exception. Part of {@link Cpu}, split out by concern: {@link CpuMemory} adds the
 * memory paths, {@link Cpu} the execution loop and the public interface.
 */
abstract class CpuState {
    // general registers (SDM Vol. 2A Table 2-2 encoding); ZERO is a constant 0 used in address forms
    static final int EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7, ZERO = 8;
    // segment registers (SDM Vol. 2A 3.1.1.3 Sreg encoding)
    static final int ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;

    // EFLAGS bits (SDM Vol. 1 3.4.3)
    static final int CF = 1, PF = 1 << 2, AF = 1 << 4, ZF = 1 << 6, SF = 1 << 7, TF = 1 << 8, IF = 1 << 9, DF = 1 << 10,
            OF = 1 << 11, IOPL = 3 << 12, NT = 1 << 14, RF = 1 << 16, VM = 1 << 17, AC = 1 << 18, VIF = 1 << 19,
            VIP = 1 << 20, ID = 1 << 21;
    static final int ARITH = CF | PF | AF | ZF | SF | OF;
    // CR0 bits (SDM Vol. 3A 2.5)
    static final int CR0_PE = 1, CR0_MP = 2, CR0_EM = 4, CR0_TS = 8, CR0_ET = 16, CR0_NE = 32, CR0_WP = 1 << 16,
            CR0_AM = 1 << 18, CR0_NW = 1 << 29, CR0_CD = 1 << 30, CR0_PG = 1 << 31;
    // CR4 bits (SDM Vol. 3A 2.5)
    /** CR4.UMIP (bit 11), SMEP (20), SMAP (21): SDM Vol. 3A 2.5; see SupervisorProtection. */
    static final int CR4_UMIP = 1 << 11, CR4_SMEP = 1 << 20, CR4_SMAP = 1 << 21;
    static final int CR4_VME = 1, CR4_PVI = 2, CR4_TSD = 4, CR4_DE = 8, CR4_PSE = 16, CR4_PAE = 32, CR4_MCE = 64, CR4_PGE = 128;

    // aux bits of the lazy flags
    static final int AUX_CF = 0x80000000, AUX_PO = 0x40000000, AUX_AF = 8, AUX_SFD = 1, AUX_PFD = 0x100;

    /** IA32_PAT power-on value (SDM Vol. 3A 12.12.4, Table 12-12). */
    static final long PAT_DEFAULT = 0x0007040600070406L;


    // ---- architectural state ----
    final int[] r = new int[9];
    int eip;
    int res, aux;
    /** EFLAGS without the six arithmetic flags (those are {@link #res}/{@link #aux}); bit 1 always set. */
    int flags = 2;

    final int[] sel = new int[6], base = new int[6], limit = new int[6], attr = new int[6];
    /** Fast-path limits: an access of n bytes at offset ea is fine when ea + n - 1 <= lim (unsigned); -1 = always slow. */
    final long[] rdLim = new long[6], wrLim = new long[6];
    int cpl;
    boolean pe, code32, stack32;
    /** 0xFFFF or 0xFFFFFFFF after SS.B. */
    int spMask = 0xFFFF;

    int cr0, cr2, cr3, cr4;
    final int[] dr = new int[8];
    int gdtBase, gdtLimit, idtBase, idtLimit;
    int ldtSel, ldtBase, ldtLimit, ldtAttr;
    int trSel, trBase, trLimit, trAttr;
    int a20Mask = -1;
    long tscOffset;
    long msrPat = PAT_DEFAULT;
    int msrSysenterCs;
    long msrSysenterEsp, msrSysenterEip;
    long msrTscAux;
    /** STAR (C000_0081h): SYSCALL's EIP in bits 31:0, its CS in 47:32, SYSRET's CS in 63:48. */
    long msrStar;
    /** IA32_APIC_BASE: base, BSP (bit 8), enable (bit 11), as QEMU's local APIC keeps it. */
    long msrApicBase;
    /** IA32_EFER: only NXE (bit 11) does anything here (no long mode, no SYSCALL). */
    long msrEfer;
    long msrMiscEnable, mtrrDefType, mcgStatus, mcgCtl, mcgCap;
    final long[] mtrrVar = new long[16], mtrrFixed = new long[11], mceBanks = new long[40];
    /** x87 control, status (TOP in bits 13:11) and tag words; the last instruction and operand pointers. */
    int fpuCw = 0x40, fpuSw, fpuTw = 0x5555;
    int fpuFip, fpuFcs, fpuFop, fpuFdp, fpuFds;
    /** The eight x87 registers by physical number: 64-bit significand and sign/exponent (the 80-bit format). */
    final long[] fpMant = new long[8];
    final int[] fpSe = new int[8];
    /** MXCSR (SDM Vol. 1 10.2.3) and XMM0-7, register n in xmm[2n] (bits 63:0) and xmm[2n + 1] (bits 127:64). */
    int mxcsr = 0x1F80;
    final long[] xmm = new long[16];
    /** Scratch of the SIMD ops: a 128-bit source operand (not architectural). */
    long vLo, vHi;
    /** Scratch of the SIMD floating-point ops: the MXCSR flags the current instruction raised. */
    int mxf;

    /** XCR0 (XsaveOps): x87 and SSE state enabled for XSAVE/XRSTOR; 1 after reset. */
    long xcr0 = 1;
    /** RDRAND's sequence (RandomOps): reproducible from a fixed seed. */
    long rdrandState = RandomOps.SEED;

    final CpuModel model;
    /** Instructions retired (a REP instruction counts once per run of its op). */
    long icount;
    /** Set by a fault: vector (or EXIT_BLOCK), error code, whether it has one. */
    int faultVector, faultCode;
    boolean faultHasCode;
    static final int EXIT_BLOCK = -1;

    CpuState(CpuModel model) {
        this.model = model;
    }

    // =====================================================================================
    // faults
    // =====================================================================================

    CpuFault fault(int vector, int errorCode) {
        faultVector = vector;
        faultCode = errorCode;
        faultHasCode = Vectors.hasErrorCode(vector) && pe;
        return CpuFault.INSTANCE;
    }

    CpuFault fault(int vector) {
        faultVector = vector;
        faultCode = 0;
        faultHasCode = false;
        return CpuFault.INSTANCE;
    }

    CpuFault gp(int code) {
        return fault(Vectors.GP, code);
    }

    CpuFault ud() {
        return fault(Vectors.UD);
    }

    CpuFault exitBlock() {
        faultVector = EXIT_BLOCK;
        return CpuFault.INSTANCE;
    }

    // =====================================================================================
    // registers
    // =====================================================================================

    final int reg8(int i) {
        return (r[i & 3] >>> ((i & 4) << 1)) & 0xFF;
    }

    final void setReg8(int i, int v) {
        int sh = (i & 4) << 1;
        int j = i & 3;
        r[j] = (r[j] & ~(0xFF << sh)) | ((v & 0xFF) << sh);
    }

    final int reg16(int i) {
        return r[i] & 0xFFFF;
    }

    final void setReg16(int i, int v) {
        r[i] = (r[i] & 0xFFFF0000) | (v & 0xFFFF);
    }

    /** A register of 1, 2 or 4 bytes, zero-extended. */
    final int getReg(int size, int i) {
        return size == 4 ? r[i] : size == 2 ? r[i] & 0xFFFF : reg8(i);
    }

    final void setReg(int size, int i, int v) {
        if (size == 4) {
            r[i] = v;
        } else if (size == 2) {
            r[i] = (r[i] & 0xFFFF0000) | (v & 0xFFFF);
        } else {
            setReg8(i, v);
        }
    }

    // =====================================================================================
    // lazy flags
    // =====================================================================================

    final boolean cf() {
        return aux < 0;
    }

    final int cfBit() {
        return aux >>> 31;
    }

    final boolean zf() {
        return res == 0;
    }

    final boolean sf() {
        return ((res ^ (aux << 31)) < 0);
    }

    final boolean of() {
        return ((aux ^ (aux << 1)) < 0);
    }

    final boolean af() {
        return (aux & AUX_AF) != 0;
    }

    final boolean pf() {
        return ((Integer.bitCount(res & 0xFF) ^ (aux >>> 8)) & 1) == 0;
    }

    /** The condition of Jcc/SETcc/CMOVcc number cc (SDM Vol. 2 Appendix B.1.4.7, Table B-1). */
    final boolean cond(int cc) {
        boolean t = switch (cc >>> 1) {
            case 0 -> of();
            case 1 -> cf();
            case 2 -> zf();
            case 3 -> cf() || zf();
            case 4 -> sf();
            case 5 -> pf();
            case 6 -> sf() != of();
            default -> zf() || sf() != of();
        };
        return t ^ ((cc & 1) != 0);
    }

    /** The six arithmetic flags as EFLAGS bits. */
    final int arithFlags() {
        return (cf() ? CF : 0) | (pf() ? PF : 0) | (af() ? AF : 0) | (zf() ? ZF : 0) | (sf() ? SF : 0) | (of() ? OF : 0);
    }

    /** Sets the six arithmetic flags from EFLAGS bits. */
    final void setArithFlags(int f) {
        int zf = (f >>> 6) & 1;
        res = zf != 0 ? 0 : 1;   // natural flags of res: ZF as wanted, SF 0, PF = zf (parity of 0 even, of 1 odd)
        int cf = f & 1;
        int of = (f >>> 11) & 1;
        int sfd = (f >>> 7) & 1;
        int pfd = ((f >>> 2) & 1) ^ zf;
        aux = (cf << 31) | ((cf ^ of) << 30) | (f & AF) >>> 1 | sfd | (pfd << 8);
    }

    /** Replaces some arithmetic flags (mask of EFLAGS bits), keeping the others. */
    final void setSomeFlags(int mask, int values) {
        setArithFlags((arithFlags() & ~mask) | (values & mask));
    }

    final void setCf(boolean v) {
        if (cf() != v) {
            aux ^= AUX_CF | AUX_PO; // flip CF, keep OF
        }
    }

    /** The whole EFLAGS register. */
    public int eflags() {
        return (flags & ~ARITH) | arithFlags();
    }

    /** Writes all of EFLAGS as given (no privilege rules: callers apply those). Bit 1 always reads 1. */
    final void loadEflags(int v) {
        int old = flags;
        flags = (v & ~ARITH & 0x003F7FD5) | 2;
        setArithFlags(v);
        if (((old ^ flags) & VM) != 0) {
            updateSegLimitsAll();
        }
    }

    /** Public setter for tests and the single-step runner. */
    public void setEflags(int v) {
        loadEflags(v);
    }

    // =====================================================================================
    // segments
    // =====================================================================================

    final void setSegCache(int s, int selector, int segBase, int segLimit, int attributes) {
        sel[s] = selector & 0xFFFF;
        base[s] = segBase;
        limit[s] = segLimit;
        attr[s] = attributes;
        if (s == CS) {
            code32 = (attributes & 0x4000) != 0 && pe && !v86();
        } else if (s == SS) {
            stack32 = (attributes & 0x4000) != 0;
            spMask = stack32 ? -1 : 0xFFFF;
        }
        updateSegLimits(s);
    }

    final void loadSegReal(int s, int selector) {
        sel[s] = selector & 0xFFFF;
        base[s] = (selector & 0xFFFF) << 4;
        if (v86()) {
            // virtual-8086 segments are always 64 KiB, 16-bit, read/write (SDM Vol. 3A 20.2)
            limit[s] = 0xFFFF;
            attr[s] = 0xF3;
            if (s == SS) {
                stack32 = false;
                spMask = 0xFFFF;
            }
        }
        updateSegLimits(s);
    }

    final boolean v86() {
        return (flags & VM) != 0;
    }

    final boolean realOrV86() {
        return !pe || (flags & VM) != 0;
    }

    final void updateSegLimitsAll() {
        for (int s = 0; s < 6; s++) {
            updateSegLimits(s);
        }
        code32 = (attr[CS] & 0x4000) != 0 && pe && !v86();
    }

    final void updateSegLimits(int s) {
        long lim = limit[s] & 0xFFFFFFFFL;
        int a = attr[s];
        if (!pe || v86()) {
            // real mode: only the limit is checked (SDM Vol. 3A 21.1.4 "segment wraparound" → #GP/#SS)
            rdLim[s] = lim;
            wrLim[s] = lim;
        } else if ((a & 0x80) == 0 || (a & 0x10) == 0) {
            rdLim[s] = -1; // not present / null selector / system segment: the slow path raises the fault
            wrLim[s] = -1;
        } else {
            int type = a & 0xF;
            boolean codeSeg = (type & 8) != 0;
            boolean expandDown = !codeSeg && (type & 4) != 0;
            boolean readable = !codeSeg || (type & 2) != 0;
            boolean writable = !codeSeg && (type & 2) != 0;
            rdLim[s] = readable && !expandDown ? lim : -1;
            wrLim[s] = writable && !expandDown ? lim : -1;
        }
    }

    /** The full segment check of the slow path (SDM Vol. 3A 5.3, 5.4): limit, type, expand-down. */
    final void checkSeg(int s, int ea, int size, boolean write) {
        long off = ea & 0xFFFFFFFFL;
        long last = off + size - 1;
        long lim = limit[s] & 0xFFFFFFFFL;
        int a = attr[s];
        int vec = s == SS ? Vectors.SS : Vectors.GP;
        if (!pe || v86()) {
            if (last > lim) {
                throw fault(vec, 0);
            }
            return;
        }
        if ((a & 0x80) == 0 || (a & 0x10) == 0) {
            throw fault(vec, 0); // null or unusable segment register
        }
        int type = a & 0xF;
        boolean codeSeg = (type & 8) != 0;
        if (write ? (codeSeg || (type & 2) == 0) : (codeSeg && (type & 2) == 0)) {
            throw fault(vec, 0);
        }
        if (!codeSeg && (type & 4) != 0) {
            long upper = (a & 0x4000) != 0 ? 0xFFFFFFFFL : 0xFFFFL;
            if (off <= lim || last > upper) {
                throw fault(vec, 0);
            }
        } else if (last > lim) {
            throw fault(vec, 0);
        }
    }

    // =====================================================================================
    // small helpers for ops
    // =====================================================================================

    /** x87 availability (SDM Vol. 3A 2.5, Table 2-2): EM or TS set → #NM. */
    final void fpuCheck() {
        if ((cr0 & (CR0_EM | CR0_TS)) != 0) {
            throw fault(Vectors.NM);
        }
    }

    final int iopl() {
        return (flags >>> 12) & 3;
    }

    /** The clock the time-stamp counter follows (nanoseconds), or null: it counts retired instructions. */
    java.util.function.LongSupplier tscClock;

    /** The TSC before its offset: the clock's nanoseconds, or the instruction count. */
    final long tscNow() {
        return tscClock == null ? icount : tscClock.getAsLong();
    }

    long tsc() {
        return tscNow() + tscOffset;
    }
}
