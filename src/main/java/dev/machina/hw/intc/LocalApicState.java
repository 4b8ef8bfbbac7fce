package dev.machina.hw.intc;

import dev.machina.hw.core.InvalidStateException;
import java.util.Arrays;
import java.util.List;

/** Snapshot of a {@link LocalApic}: every register, the vector sets, the timer and the LINT levels. */
public record LocalApicState(int version, long apicBase, int id, int tpr, int spuriousVec, int logDest, int destMode,
        List<Integer> isr, List<Integer> tmr, List<Integer> irr, List<Integer> lvt, int esr, int icrLow, int icrHigh,
        int divideConf, int countShift, int initialCount, long loadTime, long nextTime, boolean timerArmed,
        boolean picLevel, boolean lint1Level, boolean waitForSipi) {
    public static final int VERSION = 1;
    private static final String DEV = "apic";

    public LocalApicState {
        isr = List.copyOf(isr);
        tmr = List.copyOf(tmr);
        irr = List.copyOf(irr);
        lvt = List.copyOf(lvt);
    }

    private static List<Integer> list(int[] a) {
        return Arrays.stream(a).boxed().toList();
    }

    static LocalApicState of(ApicRegisters r, boolean timerArmed) {
        return new LocalApicState(VERSION, r.apicBase, r.id, r.tpr, r.spuriousVec, r.logDest, r.destMode, list(r.isr),
                list(r.tmr), list(r.irr), list(r.lvt), r.esr, r.icrLow, r.icrHigh, r.divideConf, r.countShift,
                r.initialCount, r.loadTime, r.nextTime, timerArmed, r.picLevel, r.lint1Level, r.waitForSipi);
    }

    void validate() {
        InvalidStateException.checkVersion(DEV, version, 1, VERSION);
        InvalidStateException.checkRange(DEV, "id", id, 0, 0xFF);
        InvalidStateException.checkRange(DEV, "spuriousVec", spuriousVec, 0, 0x1FF);
        InvalidStateException.checkRange(DEV, "logDest", logDest, 0, 0xFF);
        InvalidStateException.checkRange(DEV, "destMode", destMode, 0, 0xF);
        InvalidStateException.checkRange(DEV, "divideConf", divideConf, 0, 0xB);
        InvalidStateException.checkRange(DEV, "countShift", countShift, 0, 7);
        if ((apicBase & ~0xFFFFF900L) != 0) {
            throw new InvalidStateException(DEV, "apicBase", String.format("0x%x has bits other than base, BSP and enable", apicBase));
        }
        checkWords("isr", isr);
        checkWords("tmr", tmr);
        checkWords("irr", irr);
        if (lvt.size() != LocalApic.LVT_COUNT) {
            throw new InvalidStateException(DEV, "lvt", "must have " + LocalApic.LVT_COUNT + " entries");
        }
    }

    private static void checkWords(String field, List<Integer> words) {
        if (words.size() != 8) {
            throw new InvalidStateException(DEV, field, "must have 8 words of 32 vectors, not " + words.size());
        }
    }

    void applyTo(ApicRegisters r) {
        r.apicBase = apicBase;
        r.id = id;
        r.tpr = tpr;
        r.spuriousVec = spuriousVec;
        r.logDest = logDest;
        r.destMode = destMode;
        for (int i = 0; i < 8; i++) {
            r.isr[i] = isr.get(i);
            r.tmr[i] = tmr.get(i);
            r.irr[i] = irr.get(i);
        }
        for (int i = 0; i < LocalApic.LVT_COUNT; i++) {
            r.lvt[i] = lvt.get(i);
        }
        r.esr = esr;
        r.icrLow = icrLow;
        r.icrHigh = icrHigh;
        r.divideConf = divideConf;
        r.countShift = countShift;
        r.initialCount = initialCount;
        r.loadTime = loadTime;
        r.nextTime = nextTime;
        r.picLevel = picLevel;
        r.lint1Level = lint1Level;
        r.waitForSipi = waitForSipi;
    }
}
