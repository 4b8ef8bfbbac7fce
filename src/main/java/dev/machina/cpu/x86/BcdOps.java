package dev.machina.cpu.x86;

/**
 * Decimal arithmetic: DAA, DAS, AAA, AAS, AAM, AAD (SDM Vol. 2A, each "Operation" section), and the
 * undocumented SALC (D6: AL = CF ? FF : 00, present on every Intel CPU since the 8086).
 * Flags the SDM calls undefined get what the result gives (SF/ZF/PF from AL; OF 0).
 */
final class BcdOps {
    private BcdOps() {}

    static Op build(Insn i) {
        return switch (i.mnemonic()) {
            case "DAA" -> new Bcd(0, 0);
            case "DAS" -> new Bcd(1, 0);
            case "AAA" -> new Bcd(2, 0);
            case "AAS" -> new Bcd(3, 0);
            case "AAM" -> new Bcd(4, i.imm & 0xFF);
            case "AAD" -> new Bcd(5, i.imm & 0xFF);
            default -> new Bcd(6, 0);
        };
    }

    private static void flags(Cpu c, int al, boolean cf, boolean af) {
        c.res = (byte) al;
        c.aux = (cf ? Cpu.AUX_CF | Cpu.AUX_PO : 0) | (af ? Cpu.AUX_AF : 0); // OF = 0
    }

    static final class Bcd extends Op {
        private final int kind, imm;

        Bcd(int kind, int imm) {
            this.kind = kind;
            this.imm = imm;
        }

        @Override
        void exec(Cpu c) {
            int ax = c.r[Cpu.EAX] & 0xFFFF;
            int al = ax & 0xFF;
            boolean cf = c.cf();
            boolean af = c.af();
            switch (kind) {
                case 0 -> { // DAA
                    boolean newCf = false;
                    int v = al;
                    if ((al & 0xF) > 9 || af) {
                        v = al + 6;
                        newCf = cf || v > 0xFF;
                        af = true;
                    } else {
                        af = false;
                    }
                    if (al > 0x99 || cf) {
                        v += 0x60;
                        newCf = true;
                    } else {
                        newCf = false;
                    }
                    c.setReg8(0, v);
                    flags(c, v, newCf, af);
                }
                case 1 -> { // DAS
                    boolean newCf = false;
                    int v = al;
                    if ((al & 0xF) > 9 || af) {
                        v = al - 6;
                        newCf = cf || v < 0;
                        af = true;
                    } else {
                        af = false;
                    }
                    if (al > 0x99 || cf) {
                        v -= 0x60;
                        newCf = true;
                    }
                    c.setReg8(0, v);
                    flags(c, v, newCf, af);
                }
                case 2 -> { // AAA
                    if ((al & 0xF) > 9 || af) {
                        ax += 0x106;
                        c.setReg16(Cpu.EAX, (ax & 0xFF00) | (ax & 0x0F));
                        flags(c, ax & 0x0F, true, true);
                    } else {
                        c.setReg16(Cpu.EAX, (ax & 0xFF00) | (ax & 0x0F));
                        flags(c, ax & 0x0F, false, false);
                    }
                }
                case 3 -> { // AAS: AX ← AX − 6 (the borrow reaches AH), AH ← AH − 1
                    if ((al & 0xF) > 9 || af) {
                        int v = (ax - 6) & 0xFFFF;
                        v = (v - 0x100) & 0xFFFF;
                        c.setReg16(Cpu.EAX, (v & 0xFF00) | (v & 0x0F));
                        flags(c, v & 0x0F, true, true);
                    } else {
                        c.setReg16(Cpu.EAX, (ax & 0xFF00) | (al & 0x0F));
                        flags(c, al & 0x0F, false, false);
                    }
                }
                case 4 -> { // AAM
                    if (imm == 0) {
                        throw c.fault(Vectors.DE);
                    }
                    int v = al % imm;
                    c.setReg16(Cpu.EAX, ((al / imm) << 8) | v);
                    flags(c, v, false, false);
                }
                case 5 -> { // AAD
                    int v = (al + (ax >>> 8) * imm) & 0xFF;
                    c.setReg16(Cpu.EAX, v);
                    flags(c, v, false, false);
                }
                default -> c.setReg8(0, cf ? 0xFF : 0); // SALC
            }
        }
    }
}
