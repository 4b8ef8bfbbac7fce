package dev.machina.cpu.x86;

/**
 * ADCX (66 0F 38 F6 /r) and ADOX (F3 0F 38 F6 /r), CPUID.(EAX=7,ECX=0):EBX.ADX[19], SDM Vol. 2A.
 *
 * <p>ADCX r32, r/m32 adds the source and CF to the destination and writes only CF (the unsigned carry out);
 * ADOX does the same with OF in place of CF (OF receives the unsigned carry out). The other arithmetic flags
 * keep their values. Outside 64-bit mode the operand is always 32 bits (66 is the mandatory prefix, not an
 * operand-size override). F3 wins over 66 when both are present (QEMU 7.2 TCG, tests/guests/adx-max.qemu.txt:
 * ADOX). Without adx, and without a prefix or with F2 (MULX is VEX-encoded only), the opcode is #UD.
 */
final class AdxOps {
    private AdxOps() {}

    static final int LEAF7_EBX_ADX = 1 << 19;

    static Op build(Insn i) {
        int p = Simd.prefix(i);
        if (p != 0x66 && p != 0xF3) {
            return null;
        }
        boolean ox = p == 0xF3;
        if ((i.model.leaf7Ebx() & LEAF7_EBX_ADX) == 0) {
            return SystemOps.missingFeature(ox ? "ADOX" : "ADCX", "adx");
        }
        return i.isReg() ? new AddR(ox, i.reg, i.rm) : new AddM(ox, i.reg, i.addr());
    }

    static void add(Cpu c, boolean ox, int d, int v) {
        int flag = ox ? Cpu.OF : Cpu.CF;
        long sum = (c.r[d] & 0xFFFFFFFFL) + (v & 0xFFFFFFFFL) + ((ox ? c.of() : c.cf()) ? 1 : 0);
        c.r[d] = (int) sum;
        c.setSomeFlags(flag, (sum >>> 32) != 0 ? flag : 0);
    }

    static final class AddR extends Op {
        private final boolean ox;
        private final int d, s;

        AddR(boolean ox, int d, int s) {
            this.ox = ox;
            this.d = d;
            this.s = s;
        }

        @Override
        void exec(Cpu c) {
            add(c, ox, d, c.r[s]);
        }
    }

    static final class AddM extends MemOp {
        private final boolean ox;
        private final int d;

        AddM(boolean ox, int d, Addr a) {
            super(a);
            this.ox = ox;
            this.d = d;
        }

        @Override
        void exec(Cpu c) {
            add(c, ox, d, c.rd(4, seg, ea(c)));
        }
    }
}
