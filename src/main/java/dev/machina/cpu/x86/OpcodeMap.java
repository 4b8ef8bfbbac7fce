package dev.machina.cpu.x86;

import java.util.ArrayList;
import java.util.List;

/**
 * The opcode maps of the 386/486/Pentium integer instruction set, written as the SDM prints them
 * (Vol. 2D Appendix A: Table A-2 one-byte opcodes, A-3 two-byte opcodes 0F xx, A-4 and A-5 the
 * three-byte opcodes 0F 38 xx and 0F 3A xx (index 0x200 | xx and 0x300 | xx), A-6 opcode
 * extensions for the ModRM reg field "groups"), one line per opcode: mnemonic, operands in the
 * SDM's notation ({@link Opnd}), flags, and the family builder that makes the {@link Op}.
 *
 * <p>Flags: {@code LOCK} the LOCK prefix is allowed (with a memory destination); {@code END} the
 * instruction transfers control (ends the block; successors may be linked); {@code SYS} it may
 * change the mode, CPL, mappings or interrupt state (ends the block, never linked);
 * {@code FORCE_REG} ModRM.mod is ignored and the r/m field names a register.
 * An opcode with no entry raises #UD.
 */
final class OpcodeMap {
    private OpcodeMap() {}

    static final int LOCK = 1, END = 2, SYS = 4, FORCE_REG = 8;

    @FunctionalInterface
    interface Builder {
        /** Makes the op for a decoded instruction, or returns null when this form is undefined (#UD). */
        Op build(Insn i);
    }

    record Entry(String mnemonic, Opnd[] operands, int flags, Builder builder, int requires, Entry[] sub, boolean modrm) {
        boolean group() {
            return sub != null;
        }
    }

    private static final Entry[] MAP = new Entry[1024];

    static Entry entry(int opcode) {
        return MAP[opcode];
    }

    private static final int N = 0;

    static {
        // ---------------- one-byte opcode map (SDM Vol. 2D Table A-2) ----------------
        String[] alu = {"ADD", "OR", "ADC", "SBB", "AND", "SUB", "XOR", "CMP"};
        for (int k = 0; k < 8; k++) {
            int o = k * 8;
            int lock = k == 7 ? N : LOCK;
            op(o, alu[k] + " Eb,Gb", lock, AluOps::binary);
            op(o + 1, alu[k] + " Ev,Gv", lock, AluOps::binary);
            op(o + 2, alu[k] + " Gb,Eb", N, AluOps::binary);
            op(o + 3, alu[k] + " Gv,Ev", N, AluOps::binary);
            op(o + 4, alu[k] + " AL,Ib", N, AluOps::binary);
            op(o + 5, alu[k] + " eAX,Iz", N, AluOps::binary);
        }
        op(0x06, "PUSH ES", N, StackOps::pushSeg);
        op(0x07, "POP ES", N, StackOps::popSeg);
        op(0x0E, "PUSH CS", N, StackOps::pushSeg);
        op(0x16, "PUSH SS", N, StackOps::pushSeg);
        op(0x17, "POP SS", N, StackOps::popSeg);         // inhibits interrupts for one instruction (see Cpu.inhibitIrq)
        op(0x1E, "PUSH DS", N, StackOps::pushSeg);
        op(0x1F, "POP DS", N, StackOps::popSeg);
        op(0x27, "DAA", N, BcdOps::build);
        op(0x2F, "DAS", N, BcdOps::build);
        op(0x37, "AAA", N, BcdOps::build);
        op(0x3F, "AAS", N, BcdOps::build);
        for (int k = 0; k < 8; k++) {
            op(0x40 + k, "INC Zv", N, AluOps::unary);
            op(0x48 + k, "DEC Zv", N, AluOps::unary);
            op(0x50 + k, "PUSH Zv", N, StackOps::push);
            op(0x58 + k, "POP Zv", N, StackOps::pop);
        }
        op(0x60, "PUSHA", N, StackOps::pusha);
        op(0x61, "POPA", N, StackOps::popa);
        op(0x62, "BOUND Gv,Ma", N, BranchOps::bound);
        op(0x63, "ARPL Ew,Gw", N, SystemOps::arpl);
        op(0x68, "PUSH Iz", N, StackOps::push);
        op(0x69, "IMUL Gv,Ev,Iz", N, MulDivOps::imulImm);
        op(0x6A, "PUSH Ibs", N, StackOps::push);
        op(0x6B, "IMUL Gv,Ev,Ibs", N, MulDivOps::imulImm);
        op(0x6C, "INSB Yb,DX", SYS, StringOps::build);
        op(0x6D, "INS Yv,DX", SYS, StringOps::build);
        op(0x6E, "OUTSB DX,Xb", SYS, StringOps::build);
        op(0x6F, "OUTS DX,Xv", SYS, StringOps::build);
        for (int cc = 0; cc < 16; cc++) {
            op(0x70 + cc, "Jcc Jb", END, BranchOps::jcc);
        }
        for (int k = 0; k < 8; k++) {
            int lock = k == 7 ? N : LOCK;
            grp(0x80, k, alu[k] + " Eb,Ib", lock, AluOps::binary);
            grp(0x81, k, alu[k] + " Ev,Iz", lock, AluOps::binary);
            grp(0x82, k, alu[k] + " Eb,Ib", lock, AluOps::binary); // 82 is an alias of 80 in 16/32-bit mode
            grp(0x83, k, alu[k] + " Ev,Ibs", lock, AluOps::binary);
        }
        op(0x84, "TEST Eb,Gb", N, AluOps::binary);
        op(0x85, "TEST Ev,Gv", N, AluOps::binary);
        op(0x86, "XCHG Eb,Gb", LOCK, MoveOps::xchg);
        op(0x87, "XCHG Ev,Gv", LOCK, MoveOps::xchg);
        op(0x88, "MOV Eb,Gb", N, MoveOps::mov);
        op(0x89, "MOV Ev,Gv", N, MoveOps::mov);
        op(0x8A, "MOV Gb,Eb", N, MoveOps::mov);
        op(0x8B, "MOV Gv,Ev", N, MoveOps::mov);
        op(0x8C, "MOV Ev,Sw", N, MoveOps::movSeg);
        op(0x8D, "LEA Gv,M", N, MoveOps::lea);
        op(0x8E, "MOV Sw,Ew", N, MoveOps::movSeg);      // MOV SS inhibits interrupts (Cpu.inhibitIrq); loading CS is #UD
        grp(0x8F, 0, "POP Ev", N, StackOps::pop);
        op(0x90, "NOP", N, MoveOps::nop);
        for (int k = 1; k < 8; k++) {
            op(0x90 + k, "XCHG Zv,eAX", N, MoveOps::xchg);
        }
        op(0x98, "CBW", N, MoveOps::cbw);
        op(0x99, "CWD", N, MoveOps::cwd);
        op(0x9A, "CALLF Ap", SYS, FarOps::callFar);
        op(0x9B, "FWAIT", N, SystemOps::fwait);
        op(0x9C, "PUSHF", N, StackOps::pushf);
        op(0x9D, "POPF", SYS, StackOps::popf);
        op(0x9E, "SAHF", N, MoveOps::sahf);
        op(0x9F, "LAHF", N, MoveOps::lahf);
        op(0xA0, "MOV AL,Ob", N, MoveOps::mov);
        op(0xA1, "MOV eAX,Ov", N, MoveOps::mov);
        op(0xA2, "MOV Ob,AL", N, MoveOps::mov);
        op(0xA3, "MOV Ov,eAX", N, MoveOps::mov);
        op(0xA4, "MOVSB Yb,Xb", END, StringOps::build);
        op(0xA5, "MOVS Yv,Xv", END, StringOps::build);
        op(0xA6, "CMPSB Xb,Yb", END, StringOps::build);
        op(0xA7, "CMPS Xv,Yv", END, StringOps::build);
        op(0xA8, "TEST AL,Ib", N, AluOps::binary);
        op(0xA9, "TEST eAX,Iz", N, AluOps::binary);
        op(0xAA, "STOSB Yb,AL", END, StringOps::build);
        op(0xAB, "STOS Yv,eAX", END, StringOps::build);
        op(0xAC, "LODSB AL,Xb", END, StringOps::build);
        op(0xAD, "LODS eAX,Xv", END, StringOps::build);
        op(0xAE, "SCASB AL,Yb", END, StringOps::build);
        op(0xAF, "SCAS eAX,Yv", END, StringOps::build);
        for (int k = 0; k < 8; k++) {
            op(0xB0 + k, "MOV Zb,Ib", N, MoveOps::mov);
            op(0xB8 + k, "MOV Zv,Iv", N, MoveOps::mov);
        }
        String[] shifts = {"ROL", "ROR", "RCL", "RCR", "SHL", "SHR", "SAL", "SAR"}; // /6 is an undocumented SHL alias
        for (int k = 0; k < 8; k++) {
            grp(0xC0, k, shifts[k] + " Eb,Ib", N, ShiftOps::shift);
            grp(0xC1, k, shifts[k] + " Ev,Ib", N, ShiftOps::shift);
            grp(0xD0, k, shifts[k] + " Eb,ONE", N, ShiftOps::shift);
            grp(0xD1, k, shifts[k] + " Ev,ONE", N, ShiftOps::shift);
            grp(0xD2, k, shifts[k] + " Eb,CL", N, ShiftOps::shift);
            grp(0xD3, k, shifts[k] + " Ev,CL", N, ShiftOps::shift);
        }
        op(0xC2, "RET Iw", END, BranchOps::ret);
        op(0xC3, "RET", END, BranchOps::ret);
        op(0xC4, "LES Gv,Mp", N, MoveOps::loadFar);
        op(0xC5, "LDS Gv,Mp", N, MoveOps::loadFar);
        grp(0xC6, 0, "MOV Eb,Ib", N, MoveOps::mov);
        grp(0xC7, 0, "MOV Ev,Iz", N, MoveOps::mov);
        op(0xC8, "ENTER Iw,Ib", N, StackOps::enter);
        op(0xC9, "LEAVE", N, StackOps::leave);
        op(0xCA, "RETF Iw", SYS, FarOps::retFar);
        op(0xCB, "RETF", SYS, FarOps::retFar);
        op(0xCC, "INT3", SYS, FarOps::softInt);
        op(0xCD, "INT Ib", SYS, FarOps::softInt);
        op(0xCE, "INTO", SYS, FarOps::softInt);
        op(0xCF, "IRET", SYS, FarOps::iret);
        op(0xD4, "AAM Ib", N, BcdOps::build);
        op(0xD5, "AAD Ib", N, BcdOps::build);
        op(0xD6, "SALC", N, BcdOps::build);             // undocumented: AL = CF ? FF : 00
        op(0xD7, "XLAT", N, MoveOps::xlat);
        for (int k = 0; k < 8; k++) {
            for (int g = 0xD8; g <= 0xDF; g++) {
                grp(g, k, "ESC Ev", N, X87Ops::build);
            }
        }
        op(0xE0, "LOOPNE Jb", END, BranchOps::loop);
        op(0xE1, "LOOPE Jb", END, BranchOps::loop);
        op(0xE2, "LOOP Jb", END, BranchOps::loop);
        op(0xE3, "JCXZ Jb", END, BranchOps::loop);
        op(0xE4, "IN AL,Ib", SYS, SystemOps::in);
        op(0xE5, "IN eAX,Ib", SYS, SystemOps::in);
        op(0xE6, "OUT Ib,AL", SYS, SystemOps::out);
        op(0xE7, "OUT Ib,eAX", SYS, SystemOps::out);
        op(0xE8, "CALL Jz", END, BranchOps::call);
        op(0xE9, "JMP Jz", END, BranchOps::jmp);
        op(0xEA, "JMPF Ap", SYS, FarOps::jmpFar);
        op(0xEB, "JMP Jb", END, BranchOps::jmp);
        op(0xEC, "IN AL,DX", SYS, SystemOps::in);
        op(0xED, "IN eAX,DX", SYS, SystemOps::in);
        op(0xEE, "OUT DX,AL", SYS, SystemOps::out);
        op(0xEF, "OUT DX,eAX", SYS, SystemOps::out);
        op(0xF1, "INT1", SYS, FarOps::softInt);         // ICEBP: #DB as a trap
        op(0xF4, "HLT", SYS, SystemOps::hlt);
        op(0xF5, "CMC", N, SystemOps::flagOp);
        grp(0xF6, 0, "TEST Eb,Ib", N, AluOps::binary);
        grp(0xF6, 1, "TEST Eb,Ib", N, AluOps::binary);  // undocumented alias of /0
        grp(0xF6, 2, "NOT Eb", LOCK, AluOps::unary);
        grp(0xF6, 3, "NEG Eb", LOCK, AluOps::unary);
        grp(0xF6, 4, "MUL Eb", N, MulDivOps::group3);
        grp(0xF6, 5, "IMUL Eb", N, MulDivOps::group3);
        grp(0xF6, 6, "DIV Eb", N, MulDivOps::group3);
        grp(0xF6, 7, "IDIV Eb", N, MulDivOps::group3);
        grp(0xF7, 0, "TEST Ev,Iz", N, AluOps::binary);
        grp(0xF7, 1, "TEST Ev,Iz", N, AluOps::binary);
        grp(0xF7, 2, "NOT Ev", LOCK, AluOps::unary);
        grp(0xF7, 3, "NEG Ev", LOCK, AluOps::unary);
        grp(0xF7, 4, "MUL Ev", N, MulDivOps::group3);
        grp(0xF7, 5, "IMUL Ev", N, MulDivOps::group3);
        grp(0xF7, 6, "DIV Ev", N, MulDivOps::group3);
        grp(0xF7, 7, "IDIV Ev", N, MulDivOps::group3);
        op(0xF8, "CLC", N, SystemOps::flagOp);
        op(0xF9, "STC", N, SystemOps::flagOp);
        op(0xFA, "CLI", N, SystemOps::flagOp);
        op(0xFB, "STI", SYS, SystemOps::flagOp);        // interrupts may be taken after the next instruction
        op(0xFC, "CLD", N, SystemOps::flagOp);
        op(0xFD, "STD", N, SystemOps::flagOp);
        grp(0xFE, 0, "INC Eb", LOCK, AluOps::unary);
        grp(0xFE, 1, "DEC Eb", LOCK, AluOps::unary);
        grp(0xFF, 0, "INC Ev", LOCK, AluOps::unary);
        grp(0xFF, 1, "DEC Ev", LOCK, AluOps::unary);
        grp(0xFF, 2, "CALL Ev", END, BranchOps::call);
        grp(0xFF, 3, "CALLF Mp", SYS, FarOps::callFar);
        grp(0xFF, 4, "JMP Ev", END, BranchOps::jmp);
        grp(0xFF, 5, "JMPF Mp", SYS, FarOps::jmpFar);
        grp(0xFF, 6, "PUSH Ev", N, StackOps::push);

        // ---------------- two-byte opcode map 0F xx (SDM Vol. 2D Table A-3) ----------------
        grp(0x100, 0, "SLDT Ew", N, SystemOps::group6);
        grp(0x100, 1, "STR Ew", N, SystemOps::group6);
        grp(0x100, 2, "LLDT Ew", SYS, SystemOps::group6);
        grp(0x100, 3, "LTR Ew", SYS, SystemOps::group6);
        grp(0x100, 4, "VERR Ew", N, SystemOps::group6);
        grp(0x100, 5, "VERW Ew", N, SystemOps::group6);
        grp(0x101, 0, "SGDT Ms", N, SystemOps::group7);
        grp(0x101, 1, "SIDT Ms", SYS, SystemOps::group7);   // SYS for MWAIT (0F 01 C9), which halts as HLT
        grp(0x101, 2, "LGDT Ms", SYS, SystemOps::group7);
        grp(0x101, 3, "LIDT Ms", SYS, SystemOps::group7);
        grp(0x101, 4, "SMSW Ew", N, SystemOps::group7);
        grp(0x101, 6, "LMSW Ew", SYS, SystemOps::group7);
        grp(0x101, 7, "INVLPG M", SYS, SystemOps::group7);
        op(0x102, "LAR Gv,Ew", N, SystemOps::larLsl);
        op(0x103, "LSL Gv,Ew", N, SystemOps::larLsl);
        op(0x105, "SYSCALL", SYS, SystemOps::syscall);   // #UD unless the model has it and EFER.SCE is set
        op(0x106, "CLTS", SYS, SystemOps::clts);
        op(0x107, "SYSRET", SYS, SystemOps::sysret);
        op(0x108, "INVD", N, MoveOps::nop);              // no caches to invalidate
        op(0x109, "WBINVD", N, MoveOps::nop);
        op(0x10B, "UD2", N, i -> SystemOps.undefined());
        op(0x10E, "FEMMS", N, ThreeDNowOps::femms);       // 3DNow! (ThreeDNowOps)
        op(0x10F, "PFADD Pq,Qq,Ib", N, ThreeDNowOps::build); // 0F 0F /r ib: the suffix byte selects the operation
        op(0x10D, "PREFETCHW M", N, MoveOps::prefetch);  // 0F 0D /0 PREFETCH, /1 PREFETCHW (3DNow! prefetch): hints
        for (int k = 0x18; k <= 0x1F; k++) {
            op(0x100 + k, "NOP Ev", N, MoveOps::hintNop); // P6 "hint NOP" space (0F 1F /0 is the multi-byte NOP)
        }
        op(0x120, "MOV Rd,Cd", SYS | FORCE_REG, SystemOps::movCr);
        op(0x121, "MOV Rd,Dd", SYS | FORCE_REG, SystemOps::movDr);
        op(0x122, "MOV Cd,Rd", SYS | FORCE_REG, SystemOps::movCr);
        op(0x123, "MOV Dd,Rd", SYS | FORCE_REG, SystemOps::movDr);
        req(0x130, "WRMSR", SYS, CpuModel.EDX_MSR, SystemOps::msr);
        req(0x131, "RDTSC", END, CpuModel.EDX_TSC, SystemOps::rdtsc); // ends its block: the count it reads is exact
        req(0x132, "RDMSR", N, CpuModel.EDX_MSR, SystemOps::msr);
        req(0x134, "SYSENTER", SYS, CpuModel.EDX_SEP, SystemOps::sysenter);
        req(0x135, "SYSEXIT", SYS, CpuModel.EDX_SEP, SystemOps::sysexit);
        for (int cc = 0; cc < 16; cc++) {
            req(0x140 + cc, "CMOVcc Gv,Ev", N, CpuModel.EDX_CMOV, MoveOps::cmov);
            op(0x180 + cc, "Jcc Jz", END, BranchOps::jcc);
            op(0x190 + cc, "SETcc Eb", N, MoveOps::setcc);
        }
        op(0x1A0, "PUSH FS", N, StackOps::pushSeg);
        op(0x1A1, "POP FS", N, StackOps::popSeg);
        op(0x1A2, "CPUID", N, SystemOps::cpuid);
        op(0x1A3, "BT Ev,Gv", N, BitOps::bt);
        op(0x1A4, "SHLD Ev,Gv,Ib", N, ShiftOps::shiftDouble);
        op(0x1A5, "SHLD Ev,Gv,CL", N, ShiftOps::shiftDouble);
        op(0x1A8, "PUSH GS", N, StackOps::pushSeg);
        op(0x1A9, "POP GS", N, StackOps::popSeg);
        op(0x1AB, "BTS Ev,Gv", LOCK, BitOps::bt);
        op(0x1AC, "SHRD Ev,Gv,Ib", N, ShiftOps::shiftDouble);
        op(0x1AD, "SHRD Ev,Gv,CL", N, ShiftOps::shiftDouble);
        op(0x1AF, "IMUL Gv,Ev", N, MulDivOps::imul2);
        op(0x1B0, "CMPXCHG Eb,Gb", LOCK, AluOps::cmpxchg);
        op(0x1B1, "CMPXCHG Ev,Gv", LOCK, AluOps::cmpxchg);
        op(0x1B2, "LSS Gv,Mp", N, MoveOps::loadFar);
        op(0x1B3, "BTR Ev,Gv", LOCK, BitOps::bt);
        op(0x1B4, "LFS Gv,Mp", N, MoveOps::loadFar);
        op(0x1B5, "LGS Gv,Mp", N, MoveOps::loadFar);
        op(0x1B6, "MOVZX Gv,Eb", N, MoveOps::movx);
        op(0x1B7, "MOVZX Gv,Ew", N, MoveOps::movx);
        grp(0x1BA, 4, "BT Ev,Ib", N, BitOps::bt);
        grp(0x1BA, 5, "BTS Ev,Ib", LOCK, BitOps::bt);
        grp(0x1BA, 6, "BTR Ev,Ib", LOCK, BitOps::bt);
        grp(0x1BA, 7, "BTC Ev,Ib", LOCK, BitOps::bt);
        op(0x1BB, "BTC Ev,Gv", LOCK, BitOps::bt);
        op(0x1BC, "BSF Gv,Ev", N, BitOps::bsfBsr);
        op(0x1BD, "BSR Gv,Ev", N, BitCountOps::bsrOrLzcnt); // F3 0F BD: LZCNT where the model has abm
        op(0x1BE, "MOVSX Gv,Eb", N, MoveOps::movx);
        op(0x1BF, "MOVSX Gv,Ew", N, MoveOps::movx);
        op(0x1C0, "XADD Eb,Gb", LOCK, AluOps::xadd);
        op(0x1C1, "XADD Ev,Gv", LOCK, AluOps::xadd);
        op(0x1B8, "POPCNT Gv,Ev", N, BitCountOps::popcnt);  // F3 0F B8 only (BitCountOps)
        grp(0x1C7, 6, "RDRAND Ev", N, RandomOps::rdrand);     // register form only (RandomOps)
        grpReq(0x1C7, 1, "CMPXCHG8B Mq", LOCK, CpuModel.EDX_CX8, AluOps::cmpxchg8b);
        grpReq(0x1AE, 0, "FXSAVE M", N, CpuModel.EDX_FXSR, X87Ops::fxsave);
        grpReq(0x1AE, 1, "FXRSTOR M", N, CpuModel.EDX_FXSR, X87Ops::fxrstor);
        for (int k = 0; k < 8; k++) {
            op(0x1C8 + k, "BSWAP Zd", N, MoveOps::bswap);
        }

        // ---- SSE/SSE2/SSE3 floating point and state (Table A-3 rows 1, 2, 5, 7, C, D, E; SimdFp) ----
        String[] row1 = {"MOVUPS Vx,Wx", "MOVUPS Wx,Vx", "MOVLPS Vx,Wx", "MOVLPS Wx,Vx", "UNPCKLPS Vx,Wx", "UNPCKHPS Vx,Wx",
            "MOVHPS Vx,Wx", "MOVHPS Wx,Vx"};
        for (int k = 0; k < 8; k++) {
            op(0x110 + k, row1[k], N, SimdFp::build);
        }
        String[] row2 = {"MOVAPS Vx,Wx", "MOVAPS Wx,Vx", "CVTPI2PS Vx,Qq", "MOVNTPS Wx,Vx", "CVTTPS2PI Pq,Wx", "CVTPS2PI Pq,Wx",
            "UCOMISS Vx,Wx", "COMISS Vx,Wx"};
        for (int k = 0; k < 8; k++) {
            op(0x128 + k, row2[k], N, SimdFp::build);
        }
        String[] row5 = {"MOVMSKPS Gd,Ux", "SQRTPS Vx,Wx", "RSQRTPS Vx,Wx", "RCPPS Vx,Wx", "ANDPS Vx,Wx", "ANDNPS Vx,Wx",
            "ORPS Vx,Wx", "XORPS Vx,Wx", "ADDPS Vx,Wx", "MULPS Vx,Wx", "CVTPS2PD Vx,Wx", "CVTDQ2PS Vx,Wx", "SUBPS Vx,Wx",
            "MINPS Vx,Wx", "DIVPS Vx,Wx", "MAXPS Vx,Wx"};
        for (int k = 0; k < 16; k++) {
            op(0x150 + k, row5[k], N, SimdFp::build);
        }
        op(0x178, "EXTRQ Ux,Ib,Ib", N, Sse4aOps::build);   // 66: EXTRQ, F2: INSERTQ (SSE4A); no prefix: VMREAD, #UD
        op(0x179, "EXTRQ Vx,Ux", N, Sse4aOps::build);
        op(0x17C, "HADDPD Vx,Wx", N, SimdFp::build);
        op(0x17D, "HSUBPD Vx,Wx", N, SimdFp::build);
        op(0x1C2, "CMPPS Vx,Wx,Ib", N, SimdFp::build);
        op(0x1C3, "MOVNTI Ed,Gd", N, SimdFp::build);
        op(0x1C6, "SHUFPS Vx,Wx,Ib", N, SimdFp::build);
        op(0x1D0, "ADDSUBPD Vx,Wx", N, SimdFp::build);
        op(0x1E6, "CVTTPD2DQ Vx,Wx", N, SimdFp::build);
        grp(0x1AE, 2, "LDMXCSR Ed", N, SimdFp::build);
        grp(0x1AE, 3, "STMXCSR Ed", N, SimdFp::build);
        grp(0x1AE, 4, "XSAVE M", N, XsaveOps::group15);
        grp(0x1AE, 5, "LFENCE Ed", N, XsaveOps::group15);       // the memory form is XRSTOR
        grp(0x1AE, 6, "MFENCE Ed", N, XsaveOps::group15);       // memory: XSAVEOPT; 66 + memory: CLWB
        grp(0x1AE, 7, "SFENCE Ed", N, XsaveOps::group15);       // memory: CLFLUSH; 66 + memory: CLFLUSHOPT

        // ---- MMX / SSE2 integer (Table A-3 rows 6, 7, D, E, F; the mandatory prefix picks the form in Simd) ----
        String[] row6 = {"PUNPCKLBW", "PUNPCKLWD", "PUNPCKLDQ", "PACKSSWB", "PCMPGTB", "PCMPGTW", "PCMPGTD", "PACKUSWB",
            "PUNPCKHBW", "PUNPCKHWD", "PUNPCKHDQ", "PACKSSDW", "PUNPCKLQDQ", "PUNPCKHQDQ"};
        for (int k = 0; k < row6.length; k++) {
            op(0x160 + k, row6[k] + " Pq,Qq", N, Simd::build);
        }
        op(0x16E, "MOVD Pq,Ed", N, Simd::build);
        op(0x16F, "MOVQ Pq,Qq", N, Simd::build);
        op(0x170, "PSHUFW Pq,Qq,Ib", N, Simd::build);
        String[][] shiftGroups = {{"", "", "PSRLW", "", "PSRAW", "", "PSLLW", ""}, {"", "", "PSRLD", "", "PSRAD", "", "PSLLD", ""},
            {"", "", "PSRLQ", "PSRLDQ", "", "", "PSLLQ", "PSLLDQ"}};
        for (int g = 0; g < 3; g++) {
            for (int r = 0; r < 8; r++) {
                if (!shiftGroups[g][r].isEmpty()) {
                    grp(0x171 + g, r, shiftGroups[g][r] + " Nq,Ib", N, Simd::build);
                }
            }
        }
        op(0x174, "PCMPEQB Pq,Qq", N, Simd::build);
        op(0x175, "PCMPEQW Pq,Qq", N, Simd::build);
        op(0x176, "PCMPEQD Pq,Qq", N, Simd::build);
        op(0x177, "EMMS", N, Simd::build);
        op(0x17E, "MOVD Ed,Pq", N, Simd::build);
        op(0x17F, "MOVQ Qq,Pq", N, Simd::build);
        op(0x1C4, "PINSRW Pq,Ed,Ib", N, Simd::build);
        op(0x1C5, "PEXTRW Gd,Nq,Ib", N, Simd::build);
        String[] rowD = {"", "PSRLW", "PSRLD", "PSRLQ", "PADDQ", "PMULLW", "MOVQ", "PMOVMSKB", "PSUBUSB", "PSUBUSW", "PMINUB",
            "PAND", "PADDUSB", "PADDUSW", "PMAXUB", "PANDN", "PAVGB", "PSRAW", "PSRAD", "PAVGW", "PMULHUW", "PMULHW", "",
            "MOVNTQ", "PSUBSB", "PSUBSW", "PMINSW", "POR", "PADDSB", "PADDSW", "PMAXSW", "PXOR", "LDDQU", "PSLLW", "PSLLD",
            "PSLLQ", "PMULUDQ", "PMADDWD", "PSADBW", "MASKMOVQ", "PSUBB", "PSUBW", "PSUBD", "PSUBQ", "PADDB", "PADDW", "PADDD"};
        for (int k = 0; k < rowD.length; k++) {
            if (!rowD[k].isEmpty()) {
                op(0x1D0 + k, rowD[k] + " Pq,Qq", N, Simd::build);
            }
        }

        // ---------------- three-byte maps 0F 38 xx and 0F 3A xx ib (SDM Vol. 2D Tables; SimdExt) ----------------
        // The mandatory prefix (none/66/F2/F3) picks the form and the CPUID feature in SimdExt; an empty slot is #UD.
        SimdExt.MAP38.forEach((code, name) -> op(0x200 | code, name + " Vx,Wx", N, SimdExt::build));
        SimdExt.MAP3A.forEach((code, name) -> op(0x300 | code, name + " Vx,Wx,Ib", N, SimdExt::build));
        op(0x2F6, "ADCX Gd,Ed", N, AdxOps::build); // 66: ADCX, F3: ADOX (AdxOps); no prefix and F2 are #UD
    }

    private static void op(int code, String spec, int flags, Builder b) {
        req(code, spec, flags, 0, b);
    }

    private static void req(int code, String spec, int flags, int requires, Builder b) {
        if (MAP[code] != null) {
            throw new IllegalStateException("opcode " + Integer.toHexString(code) + " defined twice");
        }
        MAP[code] = parse(spec, flags, requires, b);
    }

    private static void grp(int code, int reg, String spec, int flags, Builder b) {
        grpReq(code, reg, spec, flags, 0, b);
    }

    private static void grpReq(int code, int reg, String spec, int flags, int requires, Builder b) {
        Entry g = MAP[code];
        if (g == null) {
            g = new Entry("group", new Opnd[0], N, null, 0, new Entry[8], true);
            MAP[code] = g;
        }
        g.sub()[reg] = parse(spec, flags, requires, b);
    }

    private static Entry parse(String spec, int flags, int requires, Builder b) {
        int sp = spec.indexOf(' ');
        String mnemonic = sp < 0 ? spec : spec.substring(0, sp);
        List<Opnd> ops = new ArrayList<>();
        if (sp >= 0) {
            for (String o : spec.substring(sp + 1).split(",")) {
                ops.add(Opnd.valueOf(o));
            }
        }
        boolean modrm = ops.stream().anyMatch(Opnd::modrm);
        return new Entry(mnemonic, ops.toArray(new Opnd[0]), flags, b, requires, null, modrm);
    }
}
