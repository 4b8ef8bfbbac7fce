package dev.machina.cpu.x86;

/**
 * One decoded instruction before it becomes an {@link Op}: prefixes, opcode, ModRM fields, the
 * memory operand's address form, immediates and its place (EIP, length). Decode-time only; the
 * decoder reuses one instance.
 */
final class Insn {
    /** Operand and address size in bytes (2 or 4) after prefixes. */
    int osize, asize;
    /** Segment override prefix (Cpu.ES..GS) or -1. */
    int segOverride;
    /** 0, 0xF2 (REPNE) or 0xF3 (REP/REPE). */
    int rep;
    boolean lock;
    /** An operand-size prefix (66) was present: a mandatory prefix of the SSE opcodes. */
    boolean p66;
    /** 0x00..0xFF, or 0x100 | byte for the two-byte map (0F xx), 0x200 | byte for 0F 38 xx, 0x300 | byte for 0F 3A xx. */
    int opcode;
    OpcodeMap.Entry entry;
    int mod, reg, rm;
    /** The memory operand: effective address = (r[base] + (r[index] << scale) + disp) & amask in segment seg. */
    int seg, base, index, scale, disp, amask;
    int imm, imm2;
    /** EIP of the first byte and of the next instruction; length in bytes. */
    int eip, next, len;
    boolean code32;
    /** CS limit when decoded (part of the block key): static branch targets are checked against it. */
    int csLimit;
    /** CPU model family (some opcodes exist only from a family on). */
    int family;
    /** The CPU model (optional instructions exist where its CPUID says so). */
    CpuModel model;

    boolean hasFeature(int edxBit) {
        return model.has(edxBit);
    }

    boolean hasEcxFeature(int ecxBit) {
        return (model.features()[CpuModel.W_1_ECX] & ecxBit) != 0;
    }

    boolean isReg() {
        return mod == 3;
    }

    Opnd op(int n) {
        return entry.operands()[n];
    }

    int operandCount() {
        return entry.operands().length;
    }

    String mnemonic() {
        return entry.mnemonic();
    }

    /** The memory operand as an immutable value for an op's constructor. */
    Addr addr() {
        return new Addr(seg, base, index, scale, disp, amask);
    }

    /** The same memory form with the segment forced (string destinations, ...). */
    Addr addr(int segment) {
        return new Addr(segment, base, index, scale, disp, amask);
    }

    /** Segment of a memory operand whose default is DS (string source, XLAT, moffs). */
    int dsOr() {
        return segOverride >= 0 ? segOverride : Cpu.DS;
    }

    /** Target of a relative jump: next + displacement, truncated to 16 bits under a 16-bit operand size. */
    int relTarget() {
        int t = next + imm;
        return osize == 2 ? t & 0xFFFF : t;
    }

    /** Size in bytes of operand n. */
    int size(int n) {
        return op(n).size(osize);
    }

    @Override
    public String toString() {
        return entry == null ? "(bad)" : entry.mnemonic() + " " + java.util.Arrays.toString(entry.operands());
    }
}
