package dev.machina.cpu.x86;

import dev.machina.memory.IoPorts;
import dev.machina.memory.PhysicalMemory;

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
public final class Cpu extends CpuMemory {
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

    private InterruptAcknowledge intAck = () -> 0x08;
    final Decoder decoder;
    boolean halted;
    boolean shutdown;
    /** Interrupts are held off until after the next instruction (STI, MOV SS, POP SS). */
    boolean inhibitIrq;
    static final int EV_INTR = 1, EV_NMI = 2, EV_STOP = 4, EV_HALT = 8;
    volatile int events;
    /** While an exception is being delivered: its vector (for the double-fault rules), else -1. */
    private int delivering = -1;
    /** See {@link #faults()}. */
    private long faults;

    public Cpu(CpuModel model, PhysicalMemory phys, IoPorts io) {
        super(model, phys, io);
        this.decoder = new Decoder(this);
        reset();
    }

    public CpuModel model() {
        return model;
    }

    private Runnable ferr = () -> { };

    /**
     * The FERR# output: called when a waiting x87 instruction finds an unmasked exception pending
     * while CR0.NE is clear (the PC routes FERR# to IRQ 13; IGNNE# is not modelled: the instruction
     * then goes on). With CR0.NE set the exception is #MF instead.
     */
    public void setFerrListener(Runnable listener) {
        this.ferr = listener;
    }

    /** A pending unmasked x87 exception at a waiting instruction (SDM Vol. 1 8.7): #MF, or FERR#. */
    void fpuPending() {
        if ((cr0 & CR0_NE) != 0) {
            throw fault(Vectors.MF);
        }
        ferr.run();
    }

    /**
     * Makes the time-stamp counter follow a clock in nanoseconds (the machine's virtual clock: a
     * 1 GHz TSC, as QEMU's under -icount) instead of counting instructions; the count goes on from
     * its current value.
     */
    public void setTscClock(java.util.function.LongSupplier nanos) {
        long t = tsc();
        tscClock = nanos;
        tscOffset = t - tscNow();
    }

    public void setInterruptAcknowledge(InterruptAcknowledge ack) {
        this.intAck = ack;
    }

    /** IA32_APIC_BASE as the board's local APIC keeps it (null: the CPU keeps it). */
    ApicBaseMsr apicBaseMsr;

    public void setApicBaseMsr(ApicBaseMsr msr) {
        this.apicBaseMsr = msr;
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
        fpuFip = fpuFcs = fpuFop = fpuFdp = fpuFds = 0;
        java.util.Arrays.fill(fpMant, 0);
        java.util.Arrays.fill(fpSe, 0);
        mxcsr = 0x1F80;
        java.util.Arrays.fill(xmm, 0L);
        xcr0 = 1;
        msrPat = PAT_DEFAULT;
        msrSysenterCs = 0;
        msrSysenterEsp = msrSysenterEip = 0;
        Msrs.reset(this);
        tscOffset = -tscNow();
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

    /**
     * A copy of the registers for a monitor (QEMU's {@code info registers}): general registers, EIP,
     * EFLAGS, the six segment caches then LDTR and TR (selector, base, limit, attributes as bits 8..23
     * of the descriptor's high dword), GDTR/IDTR, CR0-CR4, DR0-DR7, EFER, the x87 and SSE state.
     */
    public record Registers(int[] gpr, int eip, int eflags, int cpl, boolean inhibitIrq, boolean a20, boolean halted, boolean pe,
            int[] sel, int[] base, int[] limit, int[] attr, int gdtBase, int gdtLimit, int idtBase, int idtLimit, int[] cr,
            int[] dr, long efer, int fpuCw, int fpuSw, int fpuTw, long[] fpMant, int[] fpSe, int mxcsr, long[] xmm) {}

    /** The registers now (index 6 of the segment arrays is LDTR, 7 is TR). */
    public Registers registers() {
        int[] sl = {sel[0], sel[1], sel[2], sel[3], sel[4], sel[5], ldtSel, trSel};
        int[] bs = {base[0], base[1], base[2], base[3], base[4], base[5], ldtBase, trBase};
        int[] lm = {limit[0], limit[1], limit[2], limit[3], limit[4], limit[5], ldtLimit, trLimit};
        int[] at = {attr[0], attr[1], attr[2], attr[3], attr[4], attr[5], ldtAttr, trAttr};
        return new Registers(java.util.Arrays.copyOf(r, 8), eip, eflags(), cpl, inhibitIrq, a20Mask == -1, halted, pe, sl, bs, lm, at,
                gdtBase, gdtLimit, idtBase, idtLimit, new int[] {cr0, 0, cr2, cr3, cr4}, dr.clone(), msrEfer, fpuCw, fpuSw, fpuTw,
                fpMant.clone(), fpSe.clone(), mxcsr, xmm.clone());
    }

    public long instructions() {
        return icount;
    }

    /**
     * The byte at CS:EIP + {@code delta} as an instruction fetch would read it, without side effects
     * (no page walk, no accessed bit, no fault): −1 when it is not at hand (beyond CS's limit; with
     * paging, a page not in the TLB; not RAM or ROM).
     */
    public int codeByte(int delta) {
        int ea = eip + delta;
        if (Integer.compareUnsigned(ea, limit[CS]) > 0) {
            return -1;
        }
        int lin = base[CS] + ea;
        int off;
        if (paging) {
            int i = ((lin >>> 12) & TLB_MASK) | tlbUser;
            if (tlbXTag[i] != (lin & 0xFFFFF000)) {
                return -1;
            }
            off = (int) tlbR[i] | (lin & 0xFFF);
        } else {
            long p = lin & a20Mask & 0xFFFFFFFFL;
            int po = phys.pageOffset(p & ~0xFFFL, false);
            if (po < 0) {
                return -1;
            }
            off = po | (int) (p & 0xFFF);
        }
        return mem[off] & 0xFF;
    }

    /**
     * True when the CPU, halted, sits in a loop that does nothing but halt: the HLT just executed is
     * followed by a short JMP back to it or to a run of HLT, STI and NOP before it ({@code 1: hlt; jmp 1b},
     * {@code 1: sti; hlt; jmp 1b}). Only an interrupt handler can leave such a loop.
     */
    public boolean inBareHaltLoop() {
        if (!halted || codeByte(-1) != 0xF4 || codeByte(0) != 0xEB) {
            return false;
        }
        int disp = codeByte(1);
        if (disp < 0) {
            return false;
        }
        int target = 2 + (byte) disp; // relative to EIP, which points after the HLT
        if (target > -1 || target < -9) {
            return false;
        }
        for (int d = target; d < 0; d++) {
            int b = codeByte(d);
            if (b != 0xF4 && b != 0xFB && b != 0x90) {
                return false;
            }
        }
        return true;
    }

    /**
     * Faults delivered so far: exceptions whose instruction did not retire (it is not in
     * {@link #instructions()}), each of which spent one unit of a {@link #run} budget.
     */
    public long faults() {
        return faults;
    }

    /** What {@link #run} budgets spent so far: instructions retired plus faults delivered. */
    public long budgetSpent() {
        return icount + faults;
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
                    shadowStep = false;
                }
                int why = runChain(b, limit);
                Block last = chainBlock;
                curBlock = 0;
                b = null;
                switch (why) {
                    case CHAIN_FAULT -> {
                        icount -= last.insns - last.before[chainAt];
                        eip = last.eips[chainAt];
                        if (faultVector != EXIT_BLOCK) {
                            limit--; // a delivery retires nothing but spends budget: see deliveryBudget
                            faults++;
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
                curBlock = 0;
                b = null;
                if (faultVector != EXIT_BLOCK) {
                    limit--; // see deliveryBudget
                    faults++;
                    exception(faultVector, faultHasCode, faultCode);
                }
                if (shutdown) {
                    return Stop.SHUTDOWN;
                }
            }
        }
    }

    /*
     * deliveryBudget: an exception delivery retires no instruction (icount, and with it the virtual
     * clock, stays as QEMU counts it), but it spends one unit of the run's budget. Without that, a
     * guest whose handlers fault again before retiring anything (random code that overwrote its own
     * IVT, say: the real-mode stack just wraps) would keep run() busy forever; with it, run() returns
     * LIMIT and the caller stays in control (timers, QMP, the user's quit) while the guest loops as a
     * real CPU would. Callers with a budget of their own (cpu run --max-instructions, -icount
     * machina-limit=N) count faults() with instructions() (budgetSpent()), for the same reason.
     */

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
            curBlock = b.serial;
            icount += b.insns;
            eip = b.endEip;
            Op[] ops = b.ops;
            int i = 0;
            Jit.Code jc = b.jit;
            if (jc != null || jitThreshold != 0 && ++b.heat == jitThreshold && (jc = compile(b)) != null) {
                int at = jc.run(this, b, limit);
                if (at >= 0) {
                    chainBlock = b;
                    chainAt = at;
                    return CHAIN_FAULT;
                }
                ops = NO_OPS;
            }
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
                    case Op.MOV_RM32_BD -> {
                        MoveOps.MovRM32 m = (MoveOps.MovRM32) op;
                        r[m.p] = rd32(m.seg, r[m.base] + m.disp);
                    }
                    case Op.MOV_MR32_BD -> {
                        MoveOps.MovMR32 m = (MoveOps.MovMR32) op;
                        wr32(m.seg, r[m.base] + m.disp, r[m.p]);
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

    // ---- the compiled tier (Jit) ----
    private static final Op[] NO_OPS = {};
    /** Runs of a block before it is compiled; 0 = interpreter only. */
    private int jitThreshold = Tier.processDefault() == Tier.COMPILED ? Tier.threshold() : 0;
    /** Compile on a background thread (the block runs interpreted until its code is there), or at once. */
    private boolean jitBackground = Tier.threshold() > 1;
    final java.util.concurrent.atomic.AtomicLong jitCompiled = new java.util.concurrent.atomic.AtomicLong();
    /** Blocks sent to the compiler (compiled at once or queued for the background compiler). */
    private long jitSubmitted;

    /**
     * The compile allowance: at most {@link #jitFree} + icount / {@link #jitInsnsPerCompile} blocks are
     * compiled; past it a block that reaches its threshold stays interpreted and starts counting its
     * runs again (it is compiled later if it is still hot once the allowance has grown). Compiling a
     * block (ASM, a hidden class) costs about 0.5-2.5 ms, the interpreter's time for some 10^5
     * instructions, so a guest that runs endless fresh code (random code, code regenerated on every
     * pass, a page remapped under its loop) would otherwise spend nearly all its time in the compiler
     * and define hidden classes without bound: CpuFuzzTest's random programs at threshold 1 compiled
     * 24,280 blocks for 6,000 programs (333,244 instructions) in 62 s against the interpreter's 4.8 s
     * (load 5-10), and GuestFuzzTest's random ROMs spend their time in defineHiddenClass (jstack).
     * One compile per 2^18 instructions keeps the compiler's share near the interpreter's at worst;
     * the guest kit's Linux boot compiles 1,453 blocks in 6.5 G instructions (allowance 25,000), 19 in
     * its first second (9.4 M instructions), so the allowance does not bind on real work.
     */
    static final int JIT_FREE = 512, JIT_INSNS_PER_COMPILE = 1 << 18;
    private long jitFree = JIT_FREE;
    private int jitInsnsPerCompile = JIT_INSNS_PER_COMPILE;
    /** Times a block reached its threshold when the allowance was spent (it ran interpreted). */
    long jitRefused;

    /**
     * Sets the compile allowance (tests: a small one to reach it; {@code cpu singlestep}, whose one CPU runs
     * tens of thousands of fresh one-instruction programs, a huge one so the compiled tier compiles them all).
     */
    public void setJitAllowance(long free, int insnsPerCompile) {
        jitFree = free;
        jitInsnsPerCompile = Math.max(1, insnsPerCompile);
    }

    /** Blocks the allowance lets this CPU have compiled by now. */
    long jitAllowance() {
        return jitFree + icount / jitInsnsPerCompile;
    }

    private Jit.Code compile(Block b) {
        if (!b.cacheable) {
            return null;
        }
        // icount already counts b's instructions (a fault inside b takes back the ones not retired)
        if (jitSubmitted >= jitFree + (icount - b.insns) / jitInsnsPerCompile) {
            jitRefused++;
            b.heat = 0;
            return null;
        }
        jitSubmitted++;
        if (jitBackground) {
            Jit.submit(this, b);
            return null;
        }
        Jit.Code jc = Jit.compile(this, b);
        if (jc != null) {
            b.jit = jc;
            jitCompiled.incrementAndGet();
        }
        return jc;
    }

    /**
     * Selects the tier. The compiled tier compiles a block on its threshold-th run: with threshold 1
     * before that run (deterministic: what tests use), above 1 on a background thread while the
     * block goes on interpreted (the guest does not wait for the compiler).
     */
    public void setTier(Tier tier, int threshold) {
        jitThreshold = tier == Tier.COMPILED ? Math.max(1, threshold) : 0;
        jitBackground = threshold > 1;
    }

    public Tier tier() {
        return jitThreshold == 0 ? Tier.INTERP : Tier.COMPILED;
    }

    /** Blocks compiled to JVM bytecode so far. */
    public long compiledBlocks() {
        return jitCompiled.get();
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
            // the instruction in the STI / MOV SS shadow runs alone, so that a pending interrupt is
            // taken right after it (SDM Vol. 3A 6.8.3), not at the end of a longer block
            shadowStep = (ev & (EV_INTR | EV_NMI)) != 0;
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

    /** External interrupts and NMIs taken so far (for run statistics). */
    private long interruptsTaken;

    /** External interrupts (INTR) and NMIs the CPU has taken since it was made. */
    public long interruptsTaken() {
        return interruptsTaken;
    }

    /** An external interrupt (hardware, NMI): delivered like an exception without error code, EXT=1. */
    private void interrupt(int vector) {
        interruptsTaken++;
        try {
            Interrupts.deliver(this, vector, Interrupts.EXTERNAL, false, 0, eip);
        } catch (CpuFault f) {
            if (faultVector != EXIT_BLOCK) {
                exception(faultVector, faultHasCode, faultCode);
            }
        }
    }

    /**
     * An instruction the CPU model lacks (CMOV on a 486, SYSENTER without SEP): where it ran and what it
     * needs. A kernel built for a newer CPU that was entered without its own CPU check (the 32-bit boot
     * protocol skips the 16-bit setup's) takes #UD on it before it has a console to say so.
     */
    public record MissingFeature(int cs, int eip, String mnemonic, String feature, String model) {
        /** CS:EIP as the run reports places ({@code 0060:C18D04A1}). */
        public String where() {
            return String.format("%04X:%08X", cs, eip);
        }
    }

    /** Set by the #UD op of an instruction the model lacks, just before it raises #UD: its mnemonic and feature. */
    private String pendingMissingMnemonic, pendingMissingFeature;
    private MissingFeature firstMissingFeature;

    /** The first instruction of the run that took #UD because the CPU model lacks its feature, if any. */
    public java.util.Optional<MissingFeature> firstMissingFeature() {
        return java.util.Optional.ofNullable(firstMissingFeature);
    }

    /** Called by the op of an instruction the model lacks, before it raises #UD (the fault gives the address). */
    void noteMissingFeature(String mnemonic, String feature) {
        pendingMissingMnemonic = mnemonic;
        pendingMissingFeature = feature;
    }

    /**
     * Delivers a fault or trap at {@link #eip}, applying the double-fault rules (SDM Vol. 3A 6.15,
     * Table 6-5): contributory + contributory, or #PF + (#PF or contributory), becomes #DF; a fault
     * while delivering #DF is a triple fault (shutdown).
     */
    void exception(int vector, boolean hasCode, int code) {
        if (pendingMissingMnemonic != null) {
            if (vector == Vectors.UD && firstMissingFeature == null) {
                firstMissingFeature = new MissingFeature(segSelector(CS), eip, pendingMissingMnemonic, pendingMissingFeature, model.name());
            }
            pendingMissingMnemonic = null;
        }
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
        if (tlbXTag[idx] == (lin & 0xFFFFF000)) {
            off = (int) tlbR[idx] | (lin & 0xFFF);
        } else {
            if (Integer.compareUnsigned(e, limit[CS]) > 0) {
                throw fault(Vectors.GP, 0);
            }
            long p = translate(lin, false, cpl == 3, true);
            int po = phys.pageOffset(p, false);
            off = po < 0 ? -1 : po | (lin & 0xFFF);
        }
        codeFetchedFrom(lin, idx, off >= 0);
        int mode = modeKey();
        Block b = off >= 0 ? code.find(off, e, mode, limit[CS]) : null;
        if (b == null) {
            b = decoder.decodeBlock(e, lin, off, mode);
        }
        if (b.page2 >= 0) {
            codeFetchedFrom(base[CS] + b.endEip - 1, idx, false); // its second page: looked at as not global
        }
        return b;
    }

    static final int MODE_CODE32 = 1, MODE_TF = 2, MODE_PE = 4, MODE_SHADOW = 8;
    /** The next block is one instruction: the one in an interrupt shadow, with an interrupt waiting. */
    private boolean shadowStep;

    int modeKey() {
        return (code32 ? MODE_CODE32 : 0) | ((flags & TF) != 0 ? MODE_TF : 0) | (pe ? MODE_PE : 0) | (shadowStep ? MODE_SHADOW : 0);
    }

    /**
     * Drops every decoded block of backing-array bytes {@code [offset, offset + length)}: memory a
     * device wrote by DMA or a loader changed (the memory system reports writes by backing offset).
     */
    public void invalidateBacking(int offset, int length) {
        int last = Math.min((int) ((offset + (long) length - 1) >>> 12), (mem.length >>> 12) - 1);
        for (int page = offset >>> 12; page <= last; page++) {
            code.invalidatePage(page);
        }
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
}
