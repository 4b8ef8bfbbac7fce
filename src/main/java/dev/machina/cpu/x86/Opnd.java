package dev.machina.cpu.x86;

/**
 * Operand notation of the SDM opcode maps (Vol. 2D Appendix A.2): an addressing method letter and
 * a size letter. E = ModRM r/m (register or memory), G = ModRM reg, M = ModRM memory only,
 * R = ModRM r/m register only, S = segment register in reg, C/D = control/debug register in reg,
 * I = immediate, J = relative offset, A = far pointer, O = memory offset without ModRM, Z = register
 * in the low three opcode bits (the SDM writes these as rAX/eAX.. or "+rb/+rd"), X/Y = string
 * source DS:rSI / destination ES:rDI. Sizes: b byte, w word, d dword, v word or dword by operand
 * size, z the same for immediates, p 32/48-bit far pointer, a BOUND pair, s 6-byte descriptor
 * table register, q quadword. P/Q/N: an MMX register in ModRM.reg / an MMX register or memory in
 * ModRM.rm / an MMX register in ModRM.rm; V/W/U: the same for XMM registers (x: the size the
 * prefix selects). ES..GS name segment registers (PUSH/POP Sreg). "Ibs" is an immediate byte sign-extended to the operand size.
 */
enum Opnd {
    Eb, Ew, Ed, Ev, Gb, Gw, Gd, Gv, M, Mp, Ma, Ms, Mq, Mw, Rd, Sw, Cd, Dd,
    Ib, Ibs, Iw, Iz, Iv, Jb, Jz, Ap, Ob, Ov, Zb, Zv, Zd, Xb, Xv, Yb, Yv,
    AL, CL, DX, eAX, ONE, ES, CS, SS, DS, FS, GS,
    Pq, Qq, Nq, Vx, Wx, Ux;

    /** Needs a ModRM byte. */
    boolean modrm() {
        return switch (this) {
            case Eb, Ew, Ed, Ev, Gb, Gw, Gd, Gv, M, Mp, Ma, Ms, Mq, Mw, Rd, Sw, Cd, Dd, Pq, Qq, Nq, Vx, Wx, Ux -> true;
            default -> false;
        };
    }

    /** Bytes of immediate data this operand takes (operand and address sizes in bytes). */
    int immBytes(int osize, int asize) {
        return switch (this) {
            case Ib, Ibs, Jb -> 1;
            case Iw -> 2;
            case Iz, Iv, Jz -> osize;
            case Ap -> osize + 2;
            case Ob, Ov -> asize;
            default -> 0;
        };
    }

    /** Data size in bytes (1, 2, 4) for sized operands. */
    int size(int osize) {
        return switch (this) {
            case Eb, Gb, Ib, AL, CL, Zb, Xb, Yb, Ob, Jb -> 1;
            case Ew, Gw, Iw, Sw, Mw, DX -> 2;
            case Ed, Gd, Rd, Cd, Dd, Zd -> 4;
            default -> osize;
        };
    }

    boolean isImmediate() {
        return this == Ib || this == Ibs || this == Iw || this == Iz || this == Iv;
    }
}
