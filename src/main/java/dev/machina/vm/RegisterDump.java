package dev.machina.vm;

import dev.machina.cpu.x86.Cpu;

/**
 * The CPU's registers as text for the monitor (HMP {@code info registers}) for the one CPU, in QEMU 7.2's layout (target/i386/cpu-dump.c
 * x86_cpu_dump_state with CPU_DUMP_FPU, 32-bit form since Machina's CPU has no long mode; hmp's
 * "\nCPU#0\n" header). Lines end in {@code \n}.
 */
final class RegisterDump {
    private RegisterDump() {}

    private static final String[] SEG = {"ES", "CS", "SS", "DS", "FS", "GS", "LDT", "TR"};
    private static final String[] SYSTEM_TYPES = {"Reserved", "TSS16-avl", "LDT", "TSS16-busy", "CallGate16", "TaskGate", "IntGate16",
        "TrapGate16", "Reserved", "TSS32-avl", "Reserved", "TSS32-busy", "CallGate32", "Reserved", "IntGate32", "TrapGate32"};

    /** Must run on the machine's loop thread (it reads the CPU). */
    static String format(Cpu cpu) {
        Cpu.Registers r = cpu.registers();
        StringBuilder sb = new StringBuilder("\nCPU#0\n");
        int[] g = r.gpr(); // EAX ECX EDX EBX ESP EBP ESI EDI
        int fl = r.eflags();
        sb.append(String.format("EAX=%08x EBX=%08x ECX=%08x EDX=%08x\n", g[0], g[3], g[1], g[2]));
        sb.append(String.format("ESI=%08x EDI=%08x EBP=%08x ESP=%08x\n", g[6], g[7], g[5], g[4]));
        sb.append(String.format("EIP=%08x EFL=%08x [%c%c%c%c%c%c%c] CPL=%d II=%d A20=%d SMM=0 HLT=%d\n", r.eip(), fl,
                bit(fl, 10, 'D'), bit(fl, 11, 'O'), bit(fl, 7, 'S'), bit(fl, 6, 'Z'), bit(fl, 4, 'A'), bit(fl, 2, 'P'), bit(fl, 0, 'C'),
                r.cpl(), r.inhibitIrq() ? 1 : 0, r.a20() ? 1 : 0, r.halted() ? 1 : 0));
        for (int s = 0; s < 8; s++) {
            segment(sb, r, s);
        }
        sb.append(String.format("GDT=     %08x %08x\n", r.gdtBase(), r.gdtLimit()));
        sb.append(String.format("IDT=     %08x %08x\n", r.idtBase(), r.idtLimit()));
        int[] cr = r.cr();
        sb.append(String.format("CR0=%08x CR2=%08x CR3=%08x CR4=%08x\n", cr[0], cr[2], cr[3], cr[4]));
        int[] dr = r.dr();
        for (int i = 0; i < 4; i++) {
            sb.append(String.format("DR%d=%016x ", i, dr[i] & 0xFFFFFFFFL));
        }
        sb.append(String.format("\nDR6=%016x DR7=%016x\n", dr[6] & 0xFFFFFFFFL, dr[7] & 0xFFFFFFFFL));
        sb.append(String.format("EFER=%016x\n", r.efer()));
        int ftw = 0;
        for (int i = 0; i < 8; i++) {
            if (((r.fpuTw() >>> (2 * i)) & 3) != 3) {
                ftw |= 1 << i; // the abridged tag word: 1 = not empty
            }
        }
        sb.append(String.format("FCW=%04x FSW=%04x [ST=%d] FTW=%02x MXCSR=%08x\n", r.fpuCw() & 0xFFFF, r.fpuSw() & 0xFFFF,
                (r.fpuSw() >>> 11) & 7, ftw, r.mxcsr()));
        for (int i = 0; i < 8; i++) {
            sb.append(String.format("FPR%d=%016x %04x", i, r.fpMant()[i], r.fpSe()[i] & 0xFFFF)).append((i & 1) == 1 ? "\n" : " ");
        }
        long[] x = r.xmm(); // register n: x[2n] bits 63:0, x[2n + 1] bits 127:64
        for (int i = 0; i < 8; i++) {
            sb.append(String.format("XMM%02d=%016x %016x", i, x[2 * i + 1], x[2 * i])).append((i & 1) == 1 ? "\n" : " ");
        }
        return sb.toString();
    }

    private static char bit(int v, int b, char c) {
        return (v & (1 << b)) != 0 ? c : '-';
    }

    /** One segment cache line: QEMU's flags are the descriptor's high dword bits 8..23 (limit 19:16 included). */
    private static void segment(StringBuilder sb, Cpu.Registers r, int s) {
        int attr = r.attr()[s];
        int limit = r.limit()[s];
        boolean granular = (attr & 0x8000) != 0;
        int limitHigh = ((granular ? limit >>> 12 : limit) >>> 16) & 0xF;
        int flags = ((attr & 0xF0FF) | (limitHigh << 8)) << 8;
        sb.append(String.format("%-3s=%04x %08x %08x %08x", SEG[s], r.sel()[s] & 0xFFFF, r.base()[s], limit, flags));
        if (r.pe() && (attr & 0x80) != 0) {
            sb.append(String.format(" DPL=%d ", (attr >>> 5) & 3));
            if ((attr & 0x10) != 0) {
                if ((attr & 0x08) != 0) {
                    sb.append((attr & 0x4000) != 0 ? "CS32" : "CS16");
                    sb.append(" [").append((attr & 0x04) != 0 ? 'C' : '-').append((attr & 0x02) != 0 ? 'R' : '-');
                } else {
                    sb.append((attr & 0x4000) != 0 ? "DS  " : "DS16");
                    sb.append(" [").append((attr & 0x04) != 0 ? 'E' : '-').append((attr & 0x02) != 0 ? 'W' : '-');
                }
                sb.append((attr & 0x01) != 0 ? 'A' : '-').append(']');
            } else {
                sb.append(SYSTEM_TYPES[attr & 0xF]);
            }
        }
        sb.append('\n');
    }
}
