package dev.machina.cpu.x86.singlestep;

import java.util.List;
import java.util.Map;

/**
 * One SingleStepTests record: the instruction bytes (with the terminating HLT), the state before
 * and the registers and memory bytes that changed after.
 *
 * @param file the opcode file it came from ("00".."FF", "F6.7" for a group member, ...)
 * @param initialRegs register name → value before
 * @param finalRegs register name → value after, only those that changed
 * @param initialRam [address, byte] pairs before
 * @param finalRam [address, byte] pairs after, only those that changed
 * @param exception the vector the instruction raised on the real CPU, or -1
 * @param flagAddress where that exception's handler entry pushed FLAGS, or -1
 */
public record SingleStepCase(int line, int idx, String name, int[] bytes, Map<String, Integer> initialRegs,
                             List<int[]> initialRam, Map<String, Integer> finalRegs, List<int[]> finalRam, String hash,
                             String file, int exception, int flagAddress) {

    private static final int[] PREFIXES_286 = {0x26, 0x2E, 0x36, 0x3E, 0xF0, 0xF2, 0xF3};

    private int prefixCount() {
        int n = 0;
        while (n < bytes.length && isPrefix(bytes[n])) {
            n++;
        }
        return n;
    }

    private static boolean isPrefix(int b) {
        for (int p : PREFIXES_286) {
            if (p == b) {
                return true;
            }
        }
        return false;
    }

    /** The first byte after the prefixes. */
    public int opcodeByte() {
        int n = prefixCount();
        return n < bytes.length ? bytes[n] : -1;
    }

    /** The byte after the opcode (the ModRM byte where there is one), or -1. */
    public int modrmByte() {
        int n = prefixCount() + 1;
        return n < bytes.length ? bytes[n] : -1;
    }

    public boolean hasLock() {
        for (int k = 0; k < prefixCount(); k++) {
            if (bytes[k] == 0xF0) {
                return true;
            }
        }
        return false;
    }

    /** An initial register (16-bit name), or 0. */
    public int reg(String name) {
        return initialRegs.getOrDefault(name, 0);
    }

    /** Bytes of the instruction under test (without the trailing HLT). */
    public int instructionLength() {
        return bytes.length - 1;
    }
}
