package dev.machina.cpu.x86;

import java.util.ArrayList;

/**
 * Turns guest code into {@link Block}s: prefixes, opcode (through {@link OpcodeMap}), ModRM/SIB,
 * displacement and immediates (SDM Vol. 2A chapter 2), then the entry's builder makes the op.
 *
 * <p>Fetch rules: every byte must lie within the CS limit (else #GP(0)); instruction bytes come
 * through the same translation as data reads (so #PF on fetch); at most 15 bytes per instruction
 * (else #GP(0), SDM Vol. 2A 2.3.11). A fault while decoding the first instruction of a block is
 * raised; later in the block it just ends the block, so the fault is raised when (and if) that
 * instruction is reached.
 */
final class Decoder {
    /** Most instructions per block. */
    static final int MAX_BLOCK = 64;
    private static final int MAX_INSN = 15;

    private final Cpu c;
    private final Insn in = new Insn();

    // fetch state for the instruction being decoded
    private int pos;          // EIP of the next byte
    private int start;        // EIP of the instruction's first byte
    private int pageLin = 1;  // linear page held in pageOff (1 = none)
    private int pageOff;      // backing offset of that page, or -1 (MMIO: read through the slow path)
    private long pagePhys;
    private int firstPageLin;
    private int crossPage;    // backing page of a second page touched by this instruction, or -1

    Decoder(Cpu c) {
        this.c = c;
    }

    Block decodeBlock(int eip, int lin, int physOff, int mode) {
        ArrayList<Op> ops = new ArrayList<>();
        ArrayList<Integer> eips = new ArrayList<>();
        int max = (mode & (Cpu.MODE_TF | Cpu.MODE_SHADOW)) != 0 ? 1 : MAX_BLOCK;
        int at = eip;
        boolean linkable = true;
        int page2 = -1;
        firstPageLin = lin & 0xFFFFF000;
        pageLin = 1;
        boolean cacheable = physOff >= 0;
        for (int k = 0; k < max; k++) {
            if (k > 0 && ((c.base[Cpu.CS] + at) & 0xFFFFF000) != firstPageLin) {
                break; // blocks do not run into the next page
            }
            Op op;
            try {
                op = decode(at);
            } catch (CpuFault f) {
                if (k == 0) {
                    throw f;
                }
                break;
            }
            if (crossPage != -2) {
                if (k > 0) {
                    break; // an instruction that crosses into the next page starts its own block
                }
                page2 = crossPage;
                if (page2 == -1) {
                    cacheable = false;
                }
            }
            Op fused = ops.isEmpty() ? null : BranchOps.fuse(ops.get(ops.size() - 1), op);
            if (fused != null) {
                ops.set(ops.size() - 1, fused); // keeps the EIP of the flag-setting instruction
            } else {
                ops.add(op);
                eips.add(at);
            }
            at = in.next;
            int flags = in.entry == null ? OpcodeMap.END : in.entry.flags();
            if ((flags & (OpcodeMap.END | OpcodeMap.SYS)) != 0) {
                linkable = (flags & OpcodeMap.SYS) == 0;
                break;
            }
        }
        int[] e = new int[eips.size()];
        for (int i = 0; i < e.length; i++) {
            e[i] = eips.get(i);
        }
        Block b = new Block(cacheable ? physOff : -1, eip, mode, c.limit[Cpu.CS], ops.toArray(new Op[0]), e, at,
                linkable, page2);
        c.code.add(b);
        return b;
    }

    // ---- fetch ----

    private int fetch8() {
        if (pos - start >= MAX_INSN) {
            throw c.gp(0);
        }
        if (Integer.compareUnsigned(pos, c.limit[Cpu.CS]) > 0) {
            throw c.gp(0); // fetch beyond the CS limit (a 16-bit IP running past FFFF included)
        }
        int lin = c.base[Cpu.CS] + pos;
        pos++;
        int page = lin & 0xFFFFF000;
        if (page != pageLin) {
            pagePhys = c.translate(page, false, c.cpl == 3, true);
            pageOff = c.phys.pageOffset(pagePhys, false);
            pageLin = page;
        }
        if (page != firstPageLin) {
            crossPage = pageOff >= 0 ? pageOff >>> 12 : -1;
        }
        if (pageOff >= 0) {
            return c.mem[pageOff | (lin & 0xFFF)] & 0xFF;
        }
        return c.phys.read((pagePhys & ~0xFFFL) | (lin & 0xFFF), 1);
    }

    private int fetch16() {
        int lo = fetch8();
        return lo | (fetch8() << 8);
    }

    private int fetch32() {
        int lo = fetch16();
        return lo | (fetch16() << 16);
    }

    private int fetch(int bytes) {
        return bytes == 1 ? fetch8() : bytes == 2 ? fetch16() : fetch32();
    }

    // ---- decode one instruction ----

    /** Decodes the instruction at EIP {@code at} into {@link #in} and builds its op. */
    Op decode(int at) {
        Insn i = in;
        start = pos = at;
        crossPage = -2;
        i.eip = at;
        i.code32 = c.code32;
        i.family = c.model.family();
        i.model = c.model;
        i.csLimit = c.limit[Cpu.CS];
        int def = c.code32 ? 4 : 2;
        i.osize = def;
        i.asize = def;
        i.segOverride = -1;
        i.rep = 0;
        i.lock = false;
        i.p66 = false;
        int b;
        prefixes:
        while (true) {
            b = fetch8();
            switch (b) {
                case 0x26 -> i.segOverride = Cpu.ES;
                case 0x2E -> i.segOverride = Cpu.CS;
                case 0x36 -> i.segOverride = Cpu.SS;
                case 0x3E -> i.segOverride = Cpu.DS;
                case 0x64 -> i.segOverride = Cpu.FS;
                case 0x65 -> i.segOverride = Cpu.GS;
                case 0x66 -> {
                    i.osize = 6 - def;
                    i.p66 = true;
                }
                case 0x67 -> i.asize = 6 - def;
                case 0xF0 -> i.lock = true;
                case 0xF2, 0xF3 -> i.rep = b;
                default -> {
                    break prefixes;
                }
            }
        }
        if (b == 0x0F) {
            b = fetch8();
            // the three-byte maps 0F 38 xx and 0F 3A xx (SDM Vol. 2D Tables)
            b = b == 0x38 ? 0x200 | fetch8() : b == 0x3A ? 0x300 | fetch8() : 0x100 | b;
        }
        i.opcode = b;
        OpcodeMap.Entry e = OpcodeMap.entry(b);
        i.mod = i.reg = i.rm = 0;
        if (e != null && e.modrm()) {
            int m = fetch8();
            i.mod = m >>> 6;
            i.reg = (m >>> 3) & 7;
            i.rm = m & 7;
            if (e != null && e.group()) {
                e = e.sub()[i.reg];
            }
            if ((e != null && (e.flags() & OpcodeMap.FORCE_REG) != 0)) {
                i.mod = 3; // MOV to/from CRn/DRn ignore the mod field (SDM Vol. 2B MOV—Move to/from Control Registers)
            }
            if (i.mod != 3) {
                modrmMemory(i);
            }
        }
        i.entry = e;
        if (e == null) {
            finish(i);
            return SystemOps.undefined();
        }
        if (!e.modrm()) {
            // address form for the ops without ModRM that still use memory (moffs, strings, XLAT)
            i.seg = i.dsOr();
            i.base = i.index = Cpu.ZERO;
            i.scale = 0;
            i.disp = 0;
            i.amask = i.asize == 2 ? 0xFFFF : -1;
        }
        Opnd[] ops = e.operands();
        int immCount = 0;
        for (Opnd o : ops) {
            int n = o.immBytes(i.osize, i.asize);
            if (n == 0) {
                continue;
            }
            int v;
            if (o == Opnd.Ap) {
                v = fetch(i.osize);
                i.imm2 = fetch16();
            } else {
                v = fetch(n);
                if (o == Opnd.Ibs || o == Opnd.Jb) {
                    v = (byte) v;
                } else if (o == Opnd.Jz && n == 2) {
                    v = (short) v;
                }
            }
            if (o == Opnd.Ob || o == Opnd.Ov) {
                i.disp = v;
            } else if (immCount++ == 0) {
                i.imm = v;
            } else {
                i.imm2 = v;
            }
        }
        finish(i);
        if (i.lock && ((e.flags() & OpcodeMap.LOCK) == 0 || i.mod == 3) && i.opcode != 0x120 && i.opcode != 0x122) {
            // (MOV CRn ignores LOCK, as QEMU 7.2 TCG; with cr8legacy LOCK MOV CR0 is CR8: SystemOps.movCr)
            // LOCK is only valid with a memory destination of the listed instructions (SDM Vol. 2A LOCK)
            return SystemOps.undefined();
        }
        if (e.requires() != 0 && !c.model.has(e.requires())) {
            return SystemOps.missingFeature(e.mnemonic(), CpuModel.NAMES.get(CpuModel.W_1_EDX).get(Integer.numberOfTrailingZeros(e.requires())));
        }
        Op op = e.builder().build(i);
        return op != null ? op : SystemOps.undefined();
    }

    private void finish(Insn i) {
        i.next = pos;
        i.len = pos - start;
        if (!i.code32) {
            i.next &= 0xFFFF;
        }
    }

    /** ModRM (and SIB) memory forms, SDM Vol. 2A Tables 2-1 and 2-2/2-3. */
    private void modrmMemory(Insn i) {
        int seg = Cpu.DS;
        i.scale = 0;
        if (i.asize == 2) {
            i.amask = 0xFFFF;
            switch (i.rm) {
                case 0 -> { i.base = Cpu.EBX; i.index = Cpu.ESI; }
                case 1 -> { i.base = Cpu.EBX; i.index = Cpu.EDI; }
                case 2 -> { i.base = Cpu.EBP; i.index = Cpu.ESI; seg = Cpu.SS; }
                case 3 -> { i.base = Cpu.EBP; i.index = Cpu.EDI; seg = Cpu.SS; }
                case 4 -> { i.base = Cpu.ESI; i.index = Cpu.ZERO; }
                case 5 -> { i.base = Cpu.EDI; i.index = Cpu.ZERO; }
                case 6 -> {
                    if (i.mod == 0) {
                        i.base = Cpu.ZERO;
                    } else {
                        i.base = Cpu.EBP;
                        seg = Cpu.SS;
                    }
                    i.index = Cpu.ZERO;
                }
                default -> { i.base = Cpu.EBX; i.index = Cpu.ZERO; }
            }
            if (i.mod == 0) {
                i.disp = i.rm == 6 ? fetch16() : 0;
            } else if (i.mod == 1) {
                i.disp = (byte) fetch8();
            } else {
                i.disp = fetch16();
            }
        } else {
            i.amask = -1;
            int baseReg;
            if (i.rm == 4) {
                int sib = fetch8();
                i.scale = sib >>> 6;
                int idx = (sib >>> 3) & 7;
                i.index = idx == 4 ? Cpu.ZERO : idx;
                baseReg = sib & 7;
                if (baseReg == 5 && i.mod == 0) {
                    i.base = Cpu.ZERO;
                    i.disp = fetch32();
                    i.seg = i.segOverride >= 0 ? i.segOverride : Cpu.DS;
                    return;
                }
            } else {
                i.index = Cpu.ZERO;
                baseReg = i.rm;
                if (baseReg == 5 && i.mod == 0) {
                    i.base = Cpu.ZERO;
                    i.disp = fetch32();
                    i.seg = i.segOverride >= 0 ? i.segOverride : Cpu.DS;
                    return;
                }
            }
            i.base = baseReg;
            if (baseReg == Cpu.ESP || baseReg == Cpu.EBP) {
                seg = Cpu.SS;
            }
            i.disp = i.mod == 0 ? 0 : i.mod == 1 ? (byte) fetch8() : fetch32();
        }
        i.seg = i.segOverride >= 0 ? i.segOverride : seg;
    }
}
