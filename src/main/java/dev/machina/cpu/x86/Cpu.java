package dev.machina.cpu.x86;

import dev.machina.memory.IoPorts;
import dev.machina.memory.PhysicalMemory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * One x86 processor: architectural state, the memory access paths and the block loop.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Built on a {@link PhysicalMemory} (RAM/ROM in one backing array, the rest through a slow
 *       path) and {@link IoPorts}; knows nothing else of the machine.</li>
 *   <li>{@link #reset()} puts it in the power-on state (SDM Vol. 3A 10.1.1, Table 10-1): real mode
 *       at F000:FFF0 with CS base FFFF0000.</li>
 *   <li>{@link #run(long)} executes at most the given number of instructions and says why it
 *       stopped ({@link Stop}). Guest exceptions never leave it: they are delivered through the
 *       IVT/IDT; a triple fault ends the run with {@link Stop#SHUTDOWN} and the machine decides
 *       (reset, or stop under {@code -no-reboot}).</li>
 *   <li>Interrupts: {@link #setIntr} (the INTR line a PIC drives; the vector comes from the
 *       {@link InterruptAcknowledge}), {@link #raiseNmi}; {@link #requestStop} ends a run at the next
 *       block boundary.</li>
 *   <li>Memory written behind the CPU's back (a loader, DMA) must be announced with
 *       {@link #invalidateCode} so decoded blocks of that memory are dropped.</li>
 * </ul>
 *
 * <h2>Lazy flags</h2>
 * The six arithmetic flags live in {@link #res} and {@link #aux}: {@code res} is the last result
 * sign-extended to 32 bits (ZF = res == 0, SF = its sign, PF = parity of its low byte);
 * {@code aux} holds the carry vector bits the other flags need: bit 31 = CF, bit 30 = CF xor OF,
 * bit 3 = AF, and two correction bits (bit 0 flips SF, bit 8 flips PF) that let any flag
 * combination be represented after POPF/SAHF. An ADD computes {@code res} and {@code aux} with a
 * few ALU operations and no branch; reading a flag is one or two operations.
 */
public final class Cpu {
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
    static final int CR4_VME = 1, CR4_PVI = 2, CR4_TSD = 4, CR4_DE = 8, CR4_PSE = 16, CR4_PAE = 32, CR4_MCE = 64, CR4_PGE = 128;

    // aux bits of the lazy flags
    static final int AUX_CF = 0x80000000, AUX_PO = 0x40000000, AUX_AF = 8, AUX_SFD = 1, AUX_PFD = 0x100;

    /** Software TLB: 1024 entries per privilege half (supervisor, user), direct-mapped by linear page. */
    static final int TLB_BITS = 10, TLB_SIZE = 1 << TLB_BITS, TLB_MASK = TLB_SIZE - 1;
    private static final int TLB_INVALID = 1; // a tag with a low bit set never matches a page address

    /** IA32_PAT power-on value (SDM Vol. 3A 12.12.4, Table 12-12). */
    static final long PAT_DEFAULT = 0x0007040600070406L;

    static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Why {@link #run} returned. */
    public enum Stop {
        /** the instruction budget is used up */
        LIMIT,
        /** HLT, and no interrupt can wake the CPU now */
        HALTED,
        /** {@link #requestStop()} was called (e.g. by an isa-debug-exit write) */
        STOPPED,
        /** triple fault: the machine resets or, under {@code -no-reboot}, stops */
        SHUTDOWN
    }

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
    int msrSysenterCs, msrSysenterEsp, msrSysenterEip;
    int fpuCw = 0x40, fpuSw, fpuTw = 0x5555;
    /** The x87 register stack as FNSAVE stores it (8 × 10 bytes); only saved and restored, never computed on. */
    final byte[] fpuRegs = new byte[80];

    // ---- machine interface ----
    final CpuModel model;
    final PhysicalMemory phys;
    final byte[] mem;
    final IoPorts io;
    private InterruptAcknowledge intAck = () -> 0x08;

    // ---- TLB ----
    final int[] tlbRTag = new int[2 * TLB_SIZE], tlbROff = new int[2 * TLB_SIZE];
    final int[] tlbWTag = new int[2 * TLB_SIZE], tlbWOff = new int[2 * TLB_SIZE];
    /** 0 for supervisor accesses (CPL 0-2), TLB_SIZE for user (CPL 3). */
    int tlbUser;
    boolean paging;
    /** Bumped whenever linear-to-physical mappings may have changed: block links made before are not followed. */
    int mapGen;

    // ---- execution ----
    final CodeCache code;
    final Decoder decoder;
    long icount;
    Block curBlock;
    boolean halted;
    boolean shutdown;
    /** Interrupts are held off until after the next instruction (STI, MOV SS, POP SS). */
    boolean inhibitIrq;
    static final int EV_INTR = 1, EV_NMI = 2, EV_STOP = 4, EV_HALT = 8;
    private volatile int events;
    /** Set by a fault: vector (or EXIT_BLOCK), error code, whether it has one. */
    int faultVector, faultCode;
    boolean faultHasCode;
    static final int EXIT_BLOCK = -1;
    /** While an exception is being delivered: its vector (for the double-fault rules), else -1. */
    private int delivering = -1;

    public Cpu(CpuModel model, PhysicalMemory phys, IoPorts io) {
        this.model = model;
        this.phys = phys;
        this.mem = phys.backing();
        this.io = io;
        this.code = new CodeCache(this, mem.length >>> 12);
        this.decoder = new Decoder(this);
        reset();
    }

    public CpuModel model() {
        return model;
    }

    public void setInterruptAcknowledge(InterruptAcknowledge ack) {
        this.intAck = ack;
    }

    /** Power-on / RESET state (SDM Vol. 3A Table 10-1). Memory is untouched. */
    public void reset() {
        java.util.Arrays.fill(r, 0);
        r[EDX] = model.signature();
        loadEflags(2);
        cr0 = CR0_CD | CR0_NW | CR0_ET;
        cr2 = cr3 = cr4 = 0;
        java.util.Arrays.fill(dr, 0);
        dr[6] = 0xFFFF0FF0;
        dr[7] = 0x400;
        pe = false;
        paging = false;
        cpl = 0;
        tlbUser = 0;
        for (int s = 0; s < 6; s++) {
            setSegCache(s, 0, 0, 0xFFFF, 0x93); // present, read/write data, accessed
        }
        setSegCache(CS, 0xF000, 0xFFFF0000, 0xFFFF, 0x9B);
        eip = 0xFFF0;
        gdtBase = idtBase = 0;
        gdtLimit = idtLimit = 0xFFFF;
        ldtSel = ldtBase = 0;
        ldtLimit = 0xFFFF;
        ldtAttr = 0x82;
        trSel = trBase = 0;
        trLimit = 0xFFFF;
        trAttr = 0x8B;
        fpuCw = 0x40;
        fpuSw = 0;
        fpuTw = 0x5555;
        msrPat = PAT_DEFAULT;
        msrSysenterCs = msrSysenterEsp = msrSysenterEip = 0;
        tscOffset = -icount;
        a20Mask = -1;
        shutdown = false;
        inhibitIrq = false;
        delivering = -1;
        events &= ~(EV_NMI | EV_STOP);
        setHalted(false);
        flushTlb();
        code.flush();
    }

    // =====================================================================================
    // public view of the state (tests, the single-step runner, debuggers)
    // =====================================================================================

    public int reg(int i) {
        return r[i];
    }

    public void setReg(int i, int v) {
        r[i] = v;
    }

    public int eip() {
        return eip;
    }

    public void setEip(int v) {
        eip = v;
    }

    public int segSelector(int s) {
        return sel[s];
    }

    public int segBase(int s) {
        return base[s];
    }

    public int cr(int n) {
        return switch (n) {
            case 0 -> cr0;
            case 2 -> cr2;
            case 3 -> cr3;
            case 4 -> cr4;
            default -> 0;
        };
    }

    public int cpl() {
        return cpl;
    }

    public long instructions() {
        return icount;
    }

    public boolean isHalted() {
        return halted;
    }

    /** Loads a segment register's selector and hidden part (descriptor cache) directly, as a debugger or test would. */
    public void setSegment(int s, int selector, int segmentBase, int segmentLimit, int attributes) {
        setSegCache(s, selector, segmentBase, segmentLimit, attributes);
    }

    /** Leaves or enters the HLT state. */
    public void setHalted(boolean h) {
        halted = h;
        if (h) {
            events |= EV_HALT;
        } else {
            events &= ~EV_HALT;
        }
    }

    /**
     * Forgets every cached translation (the TLB): call after the physical memory map changed or
     * after memory was replaced wholesale, together with {@link #invalidateCode} for code.
     */
    public void flushTranslations() {
        flushTlb();
    }

    /** Loads a segment register the way real mode does (base = selector × 16; limit and attributes kept). */
    public void setSegmentReal(int s, int selector) {
        loadSegReal(s, selector);
    }

    /** The A20 gate (port 92h / keyboard controller): when off, physical address bit 20 is forced to 0. */
    public void setA20(boolean enabled) {
        int m = enabled ? -1 : ~(1 << 20);
        if (m != a20Mask) {
            a20Mask = m;
            flushTlb();
        }
    }

    // =====================================================================================
    // interrupts and run control
    // =====================================================================================

    /** The INTR pin: asserted while a PIC has an unmasked request. */
    public void setIntr(boolean asserted) {
        if (asserted) {
            events |= EV_INTR;
        } else {
            events &= ~EV_INTR;
        }
    }

    public void raiseNmi() {
        events |= EV_NMI;
    }

    /** Ends {@link #run} at the next block boundary (callable from a device the guest just wrote). */
    public void requestStop() {
        events |= EV_STOP;
    }

    /**
     * Executes up to {@code budget} instructions (a REP string instruction counts once).
     *
     * @return why it stopped
     */
    public Stop run(long budget) {
        long limit = icount + budget;
        Block b = null;
        events &= ~EV_STOP;
        while (true) {
            try {
                if (events != 0 || icount >= limit) {
                    Stop s = boundary(limit);
                    if (s != null) {
                        return s;
                    }
                    b = null;
                }
                if (b == null) {
                    b = lookup();
                }
                int why = runChain(b, limit);
                Block last = chainBlock;
                curBlock = null;
                b = null;
                switch (why) {
                    case CHAIN_FAULT -> {
                        icount -= last.insns - last.before[chainAt];
                        eip = last.eips[chainAt];
                        if (faultVector != EXIT_BLOCK) {
                            exception(faultVector, faultHasCode, faultCode);
                        }
                    }
                    case CHAIN_STEP -> {
                        // TF was set when this one-instruction block began: #DB trap after it (SDM Vol. 3A 17.3.1.4)
                        dr[6] |= 0x4000; // DR6.BS
                        exception(Vectors.DB, false, 0);
                    }
                    case CHAIN_UNLINKED -> {
                        int e = eip;
                        Block nb = lookup();
                        if (last.linkable && last.valid && nb.cacheable) {
                            last.link(e, nb, mapGen);
                        }
                        b = nb;
                    }
                    default -> {
                    }
                }
                if (shutdown) {
                    return Stop.SHUTDOWN;
                }
            } catch (CpuFault f) {
                // raised outside a block: instruction fetch (#PF, #GP) or while taking an interrupt
                curBlock = null;
                b = null;
                if (faultVector != EXIT_BLOCK) {
                    exception(faultVector, faultHasCode, faultCode);
                }
                if (shutdown) {
                    return Stop.SHUTDOWN;
                }
            }
        }
    }

    // why runChain returned; the block it ran last is chainBlock, a faulting op's index chainAt
    private static final int CHAIN_EVENT = 0, CHAIN_FAULT = 1, CHAIN_STEP = 2, CHAIN_UNLINKED = 3;
    private Block chainBlock;
    private int chainAt;

    /**
     * Runs block b and then the blocks linked after it, until a guest exception (CHAIN_FAULT), a
     * single-step trap (CHAIN_STEP), an event or the budget (CHAIN_EVENT), or a successor that is
     * not linked (CHAIN_UNLINKED). The hottest op forms ({@link Op#form}) run inline: the switch
     * replaces a megamorphic virtual call by a jump table, each case calling the same static code
     * as the op's exec. Chaining and the switch sit in one method so that following a link costs
     * no call.
     */
    private int runChain(Block b, long limit) {
        while (true) {
            curBlock = b;
            icount += b.insns;
            eip = b.endEip;
            Op[] ops = b.ops;
            int i = 0;
            try {
                for (; i < ops.length; i++) {
                Op op = ops[i];
                switch (op.form) {
                    case Op.ADD_RR32 -> AluOps.addRR32(this, op.p, op.q);
                    case Op.SUB_RR32 -> AluOps.subRR32(this, op.p, op.q);
                    case Op.AND_RR32 -> AluOps.andRR32(this, op.p, op.q);
                    case Op.OR_RR32 -> AluOps.orRR32(this, op.p, op.q);
                    case Op.XOR_RR32 -> AluOps.xorRR32(this, op.p, op.q);
                    case Op.CMP_RR32 -> AluOps.cmpRR32(this, op.p, op.q);
                    case Op.TEST_RR32 -> AluOps.testRR32(this, op.p, op.q);
                    case Op.ZERO_R32 -> AluOps.zeroR32(this, op.p);
                    case Op.ADD_RI32 -> AluOps.addRI32(this, op.p, op.q);
                    case Op.SUB_RI32 -> AluOps.subRI32(this, op.p, op.q);
                    case Op.CMP_RI32 -> AluOps.cmpRI32(this, op.p, op.q);
                    case Op.AND_RI32 -> AluOps.andRI32(this, op.p, op.q);
                    case Op.INC_R32 -> AluOps.incR32(this, op.p);
                    case Op.DEC_R32 -> AluOps.decR32(this, op.p);
                    case Op.MOV_RR32 -> r[op.p] = r[op.q];
                    case Op.MOV_RI32 -> r[op.p] = op.q;
                    case Op.MOV_RM32 -> {
                        MoveOps.MovRM32 m = (MoveOps.MovRM32) op;
                        r[m.p] = rd32(m.seg, m.ea(this));
                    }
                    case Op.MOV_MR32 -> {
                        MoveOps.MovMR32 m = (MoveOps.MovMR32) op;
                        wr32(m.seg, m.ea(this), r[m.p]);
                    }
                    case Op.LEA32 -> {
                        MoveOps.Lea32 m = (MoveOps.Lea32) op;
                        r[m.p] = m.ea(this);
                    }
                    case Op.JZ -> {
                        if (res == 0) {
                            eip = op.p;
                        }
                    }
                    case Op.JNZ -> {
                        if (res != 0) {
                            eip = op.p;
                        }
                    }
                    case Op.JCC -> {
                        if (cond(op.p)) {
                            eip = op.q;
                        }
                    }
                    case Op.JMP -> eip = op.p;
                    case Op.DEC_JNZ -> {
                        AluOps.decR32(this, op.p);
                        if (res != 0) {
                            eip = op.q;
                        }
                    }
                    case Op.CMP_RR_JCC -> {
                        AluOps.cmpRR32(this, op.p & 15, (op.p >>> 4) & 15);
                        if (cond(op.p >>> 8)) {
                            eip = op.q;
                        }
                    }
                    case Op.TEST_RR_JCC -> {
                        AluOps.testRR32(this, op.p & 15, (op.p >>> 4) & 15);
                        if (cond(op.p >>> 8)) {
                            eip = op.q;
                        }
                    }
                    case Op.CMP_RI_JCC -> {
                        AluOps.cmpRI32(this, op.p & 15, ((BranchOps.CmpRIJcc) op).imm);
                        if (cond(op.p >>> 8)) {
                            eip = op.q;
                        }
                    }
                    case Op.CALL32 -> {
                        push32(op.q);
                        eip = op.p;
                    }
                    case Op.RET32 -> BranchOps.ret32(this);
                    case Op.PUSH_R32 -> push32(r[op.p]);
                    case Op.POP_R32 -> {
                        int v = pop32();
                        r[op.p] = v;
                    }
                    default -> op.exec(this);
                }
                }
            } catch (CpuFault f) {
                chainBlock = b;
                chainAt = i;
                return CHAIN_FAULT;
            }
            if (b.singleStep) {
                chainBlock = b;
                return CHAIN_STEP;
            }
            if (events != 0 || icount >= limit) {
                chainBlock = b;
                return CHAIN_EVENT;
            }
            int e = eip;
            Block nb;
            if (b.linkGen == mapGen) {
                if (e == b.eip0 && (nb = b.next0) != null && nb.valid) {
                    b = nb;
                    continue;
                }
                if (e == b.eip1 && (nb = b.next1) != null && nb.valid) {
                    b = nb;
                    continue;
                }
            }
            chainBlock = b;
            return CHAIN_UNLINKED;
        }
    }

    /** Between blocks: stop requests, halting, NMI, INTR, the budget. Returns a stop reason or null to go on. */
    private Stop boundary(long limit) {
        if (shutdown) {
            return Stop.SHUTDOWN;
        }
        int ev = events;
        if ((ev & EV_STOP) != 0) {
            events &= ~EV_STOP;
            return Stop.STOPPED;
        }
        if (inhibitIrq) {
            inhibitIrq = false;
        } else if ((ev & EV_NMI) != 0) {
            events &= ~EV_NMI;
            setHalted(false);
            interrupt(Vectors.NMI);
        } else if ((ev & EV_INTR) != 0 && (flags & IF) != 0) {
            setHalted(false);
            interrupt(intAck.acknowledge() & 0xFF);
        }
        if (shutdown) {
            return Stop.SHUTDOWN;
        }
        if (halted) {
            return Stop.HALTED;
        }
        if (icount >= limit) {
            return Stop.LIMIT;
        }
        return null;
    }

    /** An external interrupt (hardware, NMI): delivered like an exception without error code, EXT=1. */
    private void interrupt(int vector) {
        try {
            Interrupts.deliver(this, vector, Interrupts.EXTERNAL, false, 0, eip);
        } catch (CpuFault f) {
            if (faultVector != EXIT_BLOCK) {
                exception(faultVector, faultHasCode, faultCode);
            }
        }
    }

    /**
     * Delivers a fault or trap at {@link #eip}, applying the double-fault rules (SDM Vol. 3A 6.15,
     * Table 6-5): contributory + contributory, or #PF + (#PF or contributory), becomes #DF; a fault
     * while delivering #DF is a triple fault (shutdown).
     */
    void exception(int vector, boolean hasCode, int code) {
        int prev = delivering;
        if (prev >= 0) {
            if (prev == Vectors.DF) {
                shutdown = true;
                return;
            }
            if (Vectors.contributory(prev) && Vectors.contributory(vector)
                    || prev == Vectors.PF && (vector == Vectors.PF || Vectors.contributory(vector))) {
                vector = Vectors.DF;
                hasCode = pe;
                code = 0;
            }
        }
        delivering = vector;
        try {
            Interrupts.deliver(this, vector, Interrupts.EXCEPTION, hasCode, code, eip);
        } catch (CpuFault f) {
            if (faultVector != EXIT_BLOCK) {
                exception(faultVector, faultHasCode, faultCode);
            }
        } finally {
            delivering = prev;
        }
    }

    private Block lookup() {
        int e = eip;
        int lin = base[CS] + e;
        int idx = ((lin >>> 12) & TLB_MASK) | tlbUser;
        int off;
        if (tlbRTag[idx] == (lin & 0xFFFFF000)) {
            off = tlbROff[idx] | (lin & 0xFFF);
        } else {
            if (Integer.compareUnsigned(e, limit[CS]) > 0) {
                throw fault(Vectors.GP, 0);
            }
            int p = translate(lin, false, cpl == 3);
            int po = phys.pageOffset(p & 0xFFFFFFFFL, false);
            off = po < 0 ? -1 : po | (lin & 0xFFF);
        }
        int mode = modeKey();
        if (off >= 0) {
            Block b = code.find(off, e, mode, limit[CS]);
            if (b != null) {
                return b;
            }
        }
        return decoder.decodeBlock(e, lin, off, mode);
    }

    static final int MODE_CODE32 = 1, MODE_TF = 2, MODE_PE = 4;

    int modeKey() {
        return (code32 ? MODE_CODE32 : 0) | ((flags & TF) != 0 ? MODE_TF : 0) | (pe ? MODE_PE : 0);
    }

    /** Drops every decoded block of the physical range (memory changed behind the CPU's back). */
    public void invalidateCode(long physStart, long length) {
        for (long p = physStart & ~0xFFFL; p < physStart + length; p += 4096) {
            int po = phys.pageOffset(p, false);
            if (po >= 0) {
                code.invalidatePage(po >>> 12);
            }
        }
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
    // memory: fast paths (segment offset → RAM backing array through the TLB)
    // =====================================================================================

    final int rd8(int s, int ea) {
        if ((ea & 0xFFFFFFFFL) <= rdLim[s]) {
            int lin = base[s] + ea;
            int i = ((lin >>> 12) & TLB_MASK) | tlbUser;
            if (tlbRTag[i] == (lin & 0xFFFFF000)) {
                return mem[tlbROff[i] | (lin & 0xFFF)] & 0xFF;
            }
        }
        return readSlow(s, ea, 1);
    }

    final int rd16(int s, int ea) {
        if ((ea & 0xFFFFFFFFL) + 1 <= rdLim[s]) {
            int lin = base[s] + ea;
            int i = ((lin >>> 12) & TLB_MASK) | tlbUser;
            if (tlbRTag[i] == ((lin + 1) & 0xFFFFF000)) { // same entry for the first and last byte ⇒ same page
                return (short) I16.get(mem, tlbROff[i] | (lin & 0xFFF)) & 0xFFFF;
            }
        }
        return readSlow(s, ea, 2);
    }

    final int rd32(int s, int ea) {
        if ((ea & 0xFFFFFFFFL) + 3 <= rdLim[s]) {
            int lin = base[s] + ea;
            int i = ((lin >>> 12) & TLB_MASK) | tlbUser;
            if (tlbRTag[i] == ((lin + 3) & 0xFFFFF000)) {
                return (int) I32.get(mem, tlbROff[i] | (lin & 0xFFF));
            }
        }
        return readSlow(s, ea, 4);
    }

    final void wr8(int s, int ea, int v) {
        if ((ea & 0xFFFFFFFFL) <= wrLim[s]) {
            int lin = base[s] + ea;
            int i = ((lin >>> 12) & TLB_MASK) | tlbUser;
            if (tlbWTag[i] == (lin & 0xFFFFF000)) {
                mem[tlbWOff[i] | (lin & 0xFFF)] = (byte) v;
                return;
            }
        }
        writeSlow(s, ea, 1, v);
    }

    final void wr16(int s, int ea, int v) {
        if ((ea & 0xFFFFFFFFL) + 1 <= wrLim[s]) {
            int lin = base[s] + ea;
            int i = ((lin >>> 12) & TLB_MASK) | tlbUser;
            if (tlbWTag[i] == ((lin + 1) & 0xFFFFF000)) {
                I16.set(mem, tlbWOff[i] | (lin & 0xFFF), (short) v);
                return;
            }
        }
        writeSlow(s, ea, 2, v);
    }

    final void wr32(int s, int ea, int v) {
        if ((ea & 0xFFFFFFFFL) + 3 <= wrLim[s]) {
            int lin = base[s] + ea;
            int i = ((lin >>> 12) & TLB_MASK) | tlbUser;
            if (tlbWTag[i] == ((lin + 3) & 0xFFFFF000)) {
                I32.set(mem, tlbWOff[i] | (lin & 0xFFF), v);
                return;
            }
        }
        writeSlow(s, ea, 4, v);
    }

    /** Read of the destination of a read-modify-write: checked for writing first, so the write cannot fault. */
    final int rdw(int size, int s, int ea) {
        if ((ea & 0xFFFFFFFFL) + size - 1 <= wrLim[s]) {
            int lin = base[s] + ea;
            int i = ((lin >>> 12) & TLB_MASK) | tlbUser;
            if (tlbWTag[i] == ((lin + size - 1) & 0xFFFFF000)) {
                int o = tlbWOff[i] | (lin & 0xFFF);
                return size == 4 ? (int) I32.get(mem, o) : size == 2 ? (short) I16.get(mem, o) & 0xFFFF : mem[o] & 0xFF;
            }
        }
        checkSeg(s, ea, size, true);
        int lin = base[s] + ea;
        boolean user = cpl == 3;
        translate(lin, true, user);
        if (((lin & 0xFFF) + size) > 0x1000) {
            translate((lin + size - 1) & 0xFFFFF000, true, user);
        }
        return readLin(lin, size, user);
    }

    final int rd(int size, int s, int ea) {
        return size == 4 ? rd32(s, ea) : size == 2 ? rd16(s, ea) : rd8(s, ea);
    }

    final void wr(int size, int s, int ea, int v) {
        if (size == 4) {
            wr32(s, ea, v);
        } else if (size == 2) {
            wr16(s, ea, v);
        } else {
            wr8(s, ea, v);
        }
    }

    // =====================================================================================
    // memory: slow paths
    // =====================================================================================

    final int readSlow(int s, int ea, int size) {
        checkSeg(s, ea, size, false);
        return readLin(base[s] + ea, size, cpl == 3);
    }

    final void writeSlow(int s, int ea, int size, int v) {
        checkSeg(s, ea, size, true);
        writeLin(base[s] + ea, size, v, cpl == 3);
    }

    /** Reads at a linear address with the access rights of a user (CPL 3) or supervisor access. */
    final int readLin(int lin, int size, boolean user) {
        if ((lin & 0xFFF) + size <= 0x1000) {
            return physRead(translate(lin, false, user), size);
        }
        // crosses a page: both pages must be accessible before anything is read
        int n1 = 0x1000 - (lin & 0xFFF);
        int p1 = translate(lin, false, user);
        int p2 = translate(lin + n1, false, user);
        int v = 0;
        for (int k = 0; k < size; k++) {
            v |= physRead(k < n1 ? p1 + k : p2 + k - n1, 1) << (8 * k);
        }
        return v;
    }

    final void writeLin(int lin, int size, int v, boolean user) {
        if ((lin & 0xFFF) + size <= 0x1000) {
            physWrite(translate(lin, true, user), size, v);
            return;
        }
        int n1 = 0x1000 - (lin & 0xFFF);
        int p1 = translate(lin, true, user);
        int p2 = translate(lin + n1, true, user);
        for (int k = 0; k < size; k++) {
            physWrite(k < n1 ? p1 + k : p2 + k - n1, 1, v >>> (8 * k));
        }
    }

    /** Supervisor-mode (implicit) accesses to system structures: GDT, LDT, IDT, TSS (SDM Vol. 3A 4.6). */
    final int sysRead(int lin, int size) {
        return readLin(lin, size, false);
    }

    final void sysWrite(int lin, int size, int v) {
        writeLin(lin, size, v, false);
    }

    final int physRead(int p, int size) {
        long pa = p & 0xFFFFFFFFL;
        int po = phys.pageOffset(pa, false);
        if (po >= 0) {
            int o = po | (p & 0xFFF);
            return size == 4 ? (int) I32.get(mem, o) : size == 2 ? (short) I16.get(mem, o) & 0xFFFF : mem[o] & 0xFF;
        }
        return phys.read(pa, size);
    }

    final void physWrite(int p, int size, int v) {
        long pa = p & 0xFFFFFFFFL;
        int po = phys.pageOffset(pa, true);
        if (po >= 0) {
            code.written(po >>> 12, p & 0xFFF, size);
            int o = po | (p & 0xFFF);
            if (size == 4) {
                I32.set(mem, o, v);
            } else if (size == 2) {
                I16.set(mem, o, (short) v);
            } else {
                mem[o] = (byte) v;
            }
            return;
        }
        phys.write(pa, size, v);
    }

    // =====================================================================================
    // address translation and the TLB
    // =====================================================================================

    /**
     * Linear → physical for an access (paging per SDM Vol. 3A 4.3 when CR0.PG is set), filling the
     * TLB when the page is RAM/ROM. Raises #PF.
     */
    final int translate(int lin, boolean write, boolean user) {
        int p = paging ? Paging.walk(this, lin, write, user) : lin & a20Mask;
        int pageP = p & 0xFFFFF000;
        int po = phys.pageOffset(pageP & 0xFFFFFFFFL, false);
        if (po >= 0) {
            int i = ((lin >>> 12) & TLB_MASK) | (user ? TLB_SIZE : 0);
            int tag = lin & 0xFFFFF000;
            tlbRTag[i] = tag;
            tlbROff[i] = po;
            // with paging, a write entry only after a write access succeeded (so the dirty bit is set)
            if (write || !paging) {
                int wo = phys.pageOffset(pageP & 0xFFFFFFFFL, true);
                tlbWTag[i] = wo >= 0 && !code.hasCode(wo >>> 12) ? tag : TLB_INVALID;
                tlbWOff[i] = wo;
            }
        }
        return p;
    }

    final void flushTlb() {
        java.util.Arrays.fill(tlbRTag, TLB_INVALID);
        java.util.Arrays.fill(tlbWTag, TLB_INVALID);
        mapGen++;
    }

    final void invlpg(int lin) {
        int page = lin & 0xFFFFF000;
        for (int half = 0; half < 2; half++) {
            int i = ((lin >>> 12) & TLB_MASK) | (half * TLB_SIZE);
            if (tlbRTag[i] == page) {
                tlbRTag[i] = TLB_INVALID;
            }
            if (tlbWTag[i] == page) {
                tlbWTag[i] = TLB_INVALID;
            }
        }
        mapGen++;
    }

    /** A backing page now holds decoded code: writes to it must take the slow path (to see self-modifying code). */
    final void codePageAdded(int backingPage) {
        int off = backingPage << 12;
        for (int i = 0; i < tlbWTag.length; i++) {
            if (tlbWOff[i] == off) {
                tlbWTag[i] = TLB_INVALID;
            }
        }
    }

    final void setCpl(int newCpl) {
        cpl = newCpl;
        tlbUser = newCpl == 3 ? TLB_SIZE : 0;
    }

    // =====================================================================================
    // stack
    // =====================================================================================

    final void push16(int v) {
        int sp = r[ESP];
        int nsp = sp - 2;
        wr16(SS, nsp & spMask, v);
        r[ESP] = (sp & ~spMask) | (nsp & spMask);
    }

    final void push32(int v) {
        int sp = r[ESP];
        int nsp = sp - 4;
        wr32(SS, nsp & spMask, v);
        r[ESP] = (sp & ~spMask) | (nsp & spMask);
    }

    final void push(int size, int v) {
        if (size == 4) {
            push32(v);
        } else {
            push16(v);
        }
    }

    final int pop16() {
        int sp = r[ESP];
        int v = rd16(SS, sp & spMask);
        r[ESP] = (sp & ~spMask) | ((sp + 2) & spMask);
        return v;
    }

    final int pop32() {
        int sp = r[ESP];
        int v = rd32(SS, sp & spMask);
        r[ESP] = (sp & ~spMask) | ((sp + 4) & spMask);
        return v;
    }

    final int pop(int size) {
        return size == 4 ? pop32() : pop16();
    }

    /** Reads the stack at SP + offset without moving SP (for instructions that pop several values atomically). */
    final int peek(int size, int offset) {
        return rd(size, SS, (r[ESP] + offset) & spMask);
    }

    final void addSp(int n) {
        int sp = r[ESP];
        r[ESP] = (sp & ~spMask) | ((sp + n) & spMask);
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

    long tsc() {
        return icount + tscOffset;
    }
}
