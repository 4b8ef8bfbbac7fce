package dev.machina.hw;

import dev.machina.hw.core.IrqLine;
import dev.machina.hw.dma.I8237;
import dev.machina.hw.input.I8042;
import dev.machina.hw.intc.I8259Pair;
import dev.machina.hw.intc.IoApic;
import dev.machina.hw.intc.LocalApic;
import dev.machina.hw.misc.Port80;
import dev.machina.hw.rtc.Mc146818;
import dev.machina.hw.rtc.PcCmos;
import dev.machina.hw.serial.Uart16550;
import dev.machina.hw.timer.Hpet;
import dev.machina.hw.timer.I8254;
import dev.machina.hw.timer.PcSpeaker;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A test board wired as QEMU 7.2's {@code pc} wires its ISA devices, for replaying qtest and guest
 * transcripts: the 8259 pair at 0x20/0xA0 (ELCR 0x4D0/0x4D1) whose INT goes to the local APIC's
 * LINT0, the 8254 at 0x40 and port 0x61, the RTC at 0x70, COM1 at 0x3F8, the i8042, the 8237
 * pair with its page registers, port 0x80, the I/O APIC at 0xFEC00000 delivering to the local
 * APIC at 0xFEE00000, and (unless {@code hpet=off}) the HPET at 0xFED00000 between the 8254/RTC
 * and their IRQs, as pc_basic_device_init does. Every GSI below 16 goes to its 8259 pin and to the
 * I/O APIC, where irq_intercept_in on the ioapic taps it. The clock stands still unless a test or
 * a guest transcript advances {@link #timers}. Roles are the recorder's ({@code tools/qtest/record.py}).
 */
public final class IsaTestBoard implements QtestReplay.Target {
    /** A wire that can be tapped by a transcript's irq_intercept, then goes on to {@link #next}. */
    private static final class Tap implements IrqLine {
        private final int n;
        private QtestReplay.IrqLog log;
        private IrqLine next = IrqLine.none();

        Tap(int n) {
            this.n = n;
        }

        @Override
        public void set(boolean level) {
            if (log != null) {
                log.set(n, level);
            }
            next.set(level);
        }
    }

    /** GSI n: its 8259 pin (n < 16) and I/O APIC input n, or the intercept that replaces the latter. */
    private final class Gsi implements IrqLine {
        private final int n;

        Gsi(int n) {
            this.n = n;
        }

        @Override
        public void set(boolean level) {
            if (n < 16) {
                pic.irq(n).set(level);
            }
            if (ioapicIn != null) {
                ioapicIn.set(n, level);
            } else {
                ioapic.setIrq(n, level);
            }
        }
    }

    /** The transcripts' {@code -rtc base=2024-03-05T13:14:15,clock=vm}; QEMU's pc sets base_year 0. */
    public static final long RTC_BASE = java.time.Instant.parse("2024-03-05T13:14:15Z").getEpochSecond();

    public final FakeTimers timers = new FakeTimers();
    private final Tap picOut = new Tap(0);
    public final I8259Pair pic = new I8259Pair(picOut);
    private final IrqLine[] gsi = new IrqLine[IoApic.PINS];
    private QtestReplay.IrqLog ioapicIn;
    /** The CPU's INTR as the local APIC drives it, and the NMIs it got. */
    public boolean intr;
    public int nmis;
    /** The I/O APIC's messages, as "address=data" in hex; they also go to the local APIC. */
    public final List<String> msis = new ArrayList<>();
    public final LocalApic lapic;
    public final IoApic ioapic;
    public final I8254 pit;
    public final PcSpeaker speaker;
    /** Empty for {@code -M pc,hpet=off}. */
    public final Optional<Hpet> hpet;
    public final Mc146818 rtc;
    /** COM1 at 0x3F8, IRQ 4, baudbase 115200; what it transmits. */
    public final StringBuilder serialOut = new StringBuilder();
    public final Uart16550 serial;
    /** The A20 gate as the i8042 drives it, and how many resets it asked for. */
    public boolean a20 = true;
    public int resets;
    public final I8042 i8042;
    /** The DMA pair as QEMU's pc has it: no high page registers (i8257_dma_init with high pages off). */
    public final I8237 dma0 = new I8237(0);
    public final I8237 dma1 = new I8237(1);
    public final Port80 port80 = new Port80();

    /** The board of {@code -M pc}. */
    public IsaTestBoard() {
        this("pc");
    }

    /** The board of {@code -M machine}: {@code pc} or {@code pc,hpet=off}. */
    public IsaTestBoard(String machine) {
        for (int i = 0; i < gsi.length; i++) {
            gsi[i] = new Gsi(i);
        }
        IoApic[] io = new IoApic[1];
        lapic = new LocalApic(level -> intr = level, level -> {
            if (level) {
                nmis++;
            }
        }, timers, pic::acknowledge, v -> io[0].eoi(v), 0, 0x14, true, new LocalApic.Events() { });
        ioapic = new IoApic((addr, data) -> {
            msis.add(Long.toHexString(addr) + "=" + Integer.toHexString(data));
            lapic.msi(addr, data);
        }, timers, pic::acknowledge, 0x20);
        io[0] = ioapic;
        picOut.next = lapic::setLint0;
        IrqLine pitIrq = gsi[0];
        IrqLine rtcIrq = gsi[8];
        I8254[] pitRef = new I8254[1];
        if (machine.contains("hpet=off")) {
            hpet = Optional.empty();
        } else {
            // hpet-intcap 0x4 as pc_basic_device_init sets it for i440FX; routes n -> GSI n
            Hpet h = new Hpet(gsi, level -> {
                if (pitRef[0] != null) {
                    pitRef[0].irqEnable().set(level);
                }
            }, (addr, data) -> lapic.msi(addr, data), timers, 3, 0x4, false);
            hpet = Optional.of(h);
            pitIrq = h.pitInput();
            rtcIrq = h.rtcInput();
        }
        pit = new I8254(pitIrq, timers);
        pitRef[0] = pit;
        speaker = new PcSpeaker(pit);
        rtc = new Mc146818(rtcIrq, timers, RTC_BASE, 0);
        serial = new Uart16550(gsi[4], b -> serialOut.append((char) b), timers, 115200);
        i8042 = new I8042(gsi[1], gsi[12], level -> a20 = level, level -> {
            if (level) {
                resets++;
            }
        });
        // what QEMU 7.2's pc_cmos_init writes for -m 128, one CPU, no drives, -boot order=cad
        PcCmos.setMemory(rtc, 128L << 20, 0);
        PcCmos.setCpuCount(rtc, 1);
        PcCmos.setEquipment(rtc, PcCmos.EQUIPMENT_FPU | PcCmos.EQUIPMENT_PS2_MOUSE);
        PcCmos.setBootOrder(rtc, "cad", true);
    }

    @Override
    public long in(int port, int size) {
        if (port <= 0x07) {
            return dma0.readChannel(port);
        } else if (port <= 0x0F) {
            return dma0.readControl(port - 0x08);
        } else if (port >= 0xC0 && port <= 0xCF) {
            return dma1.readChannel((port - 0xC0) >> 1);
        } else if (port >= 0xD0 && port <= 0xDF) {
            return dma1.readControl((port - 0xD0) >> 1);
        }
        return switch (port) {
            case 0x20, 0x21 -> pic.master().read(port & 1);
            case 0xA0, 0xA1 -> pic.slave().read(port & 1);
            case 0x4D0 -> pic.master().readElcr();
            case 0x4D1 -> pic.slave().readElcr();
            case 0x40, 0x41, 0x42, 0x43 -> pit.read(port & 3);
            case 0x61 -> speaker.read();
            case 0x70, 0x71 -> rtc.read(port & 1);
            case 0x80 -> port80.read();
            case 0x81, 0x82, 0x83, 0x87 -> dma0.readPage(port - 0x80);
            case 0x89, 0x8A, 0x8B, 0x8F -> dma1.readPage(port - 0x88);
            case 0x60 -> i8042.readData();
            case 0x64 -> i8042.readStatus();
            case 0x3F8, 0x3F9, 0x3FA, 0x3FB, 0x3FC, 0x3FD, 0x3FE, 0x3FF -> serial.read(port & 7);
            default -> (1L << (8 * size)) - 1; // unassigned: all ones, as QEMU's unassigned I/O
        };
    }

    @Override
    public void out(int port, int size, long value) {
        int v = (int) value;
        if (port <= 0x07) {
            dma0.writeChannel(port, v);
            return;
        } else if (port <= 0x0F) {
            dma0.writeControl(port - 0x08, v);
            return;
        } else if (port >= 0xC0 && port <= 0xCF) {
            dma1.writeChannel((port - 0xC0) >> 1, v);
            return;
        } else if (port >= 0xD0 && port <= 0xDF) {
            dma1.writeControl((port - 0xD0) >> 1, v);
            return;
        }
        switch (port) {
            case 0x20, 0x21 -> pic.master().write(port & 1, v);
            case 0xA0, 0xA1 -> pic.slave().write(port & 1, v);
            case 0x4D0 -> pic.master().writeElcr(v);
            case 0x4D1 -> pic.slave().writeElcr(v);
            case 0x40, 0x41, 0x42, 0x43 -> pit.write(port & 3, v);
            case 0x61 -> speaker.write(v);
            case 0x70, 0x71 -> rtc.write(port & 1, v);
            case 0x80 -> port80.write(v);
            case 0x81, 0x82, 0x83, 0x87 -> dma0.writePage(port - 0x80, v);
            case 0x89, 0x8A, 0x8B, 0x8F -> dma1.writePage(port - 0x88, v);
            case 0x60 -> i8042.writeData(v);
            case 0x64 -> i8042.writeCommand(v);
            case 0x3F8, 0x3F9, 0x3FA, 0x3FB, 0x3FC, 0x3FD, 0x3FE, 0x3FF -> serial.write(port & 7, v);
            default -> {
                // unassigned: dropped
            }
        }
    }

    /** MMIO as QEMU's memory core hands it to devices whose callbacks take 1 to 4 bytes: 8-byte accesses in two halves. */
    @Override
    public long read(long addr, int size) {
        if (size == 8) {
            return (read(addr, 4) & 0xFFFFFFFFL) | read(addr + 4, 4) << 32;
        }
        if (addr >= 0xFEC00000L && addr < 0xFEC01000L) {
            return ioapic.read(addr - 0xFEC00000L, size) & 0xFFFFFFFFL;
        }
        if (addr >= 0xFEE00000L && addr < 0xFEF00000L) {
            return lapic.read(addr - 0xFEE00000L, size) & 0xFFFFFFFFL;
        }
        if (hpet.isPresent() && addr >= 0xFED00000L && addr < 0xFED00400L) {
            return hpet.get().read(addr - 0xFED00000L, size) & 0xFFFFFFFFL;
        }
        return 0; // unassigned memory reads 0 in QEMU
    }

    @Override
    public void write(long addr, int size, long value) {
        if (size == 8) {
            write(addr, 4, value & 0xFFFFFFFFL);
            write(addr + 4, 4, value >>> 32);
            return;
        }
        if (addr >= 0xFEC00000L && addr < 0xFEC01000L) {
            ioapic.write(addr - 0xFEC00000L, size, (int) value);
            return;
        }
        if (addr >= 0xFEE00000L && addr < 0xFEF00000L) {
            lapic.write(addr - 0xFEE00000L, size, (int) value);
            return;
        }
        if (hpet.isPresent() && addr >= 0xFED00000L && addr < 0xFED00400L) {
            hpet.get().write(addr - 0xFED00000L, size, (int) value);
        }
        // unassigned memory: the write is dropped
    }

    @Override
    public long rdmsr(int msr) {
        if (msr == 0x1B) {
            return lapic.baseMsr();
        }
        throw new IllegalArgumentException("no MSR 0x" + Integer.toHexString(msr) + " on the test board");
    }

    @Override
    public void wrmsr(int msr, long value) {
        if (msr != 0x1B) {
            throw new IllegalArgumentException("no MSR 0x" + Integer.toHexString(msr) + " on the test board");
        }
        lapic.writeBaseMsr(value);
    }

    /** As a CPU with IF set for a moment: take interrupts while INTR is high (at most 256, a storm guard). */
    @Override
    public void stiWindow(QtestReplay.IrqLog log) {
        for (int i = 0; i < 256 && intr; i++) {
            log.taken(lapic.acknowledge());
        }
    }

    /** A guest loop of any length here lets 1 ms pass: enough for any timer the transcripts arm. */
    @Override
    public void spin(long iterations) {
        timers.advance(1_000_000);
    }

    @Override
    public boolean waitIrr(int vector) {
        for (int us = 0; us < 1_000_000; us++) {
            if ((lapic.read(0x200 + 0x10 * (vector >> 5), 4) & (1 << (vector & 31))) != 0) {
                return true;
            }
            timers.advance(1_000);
        }
        return false;
    }

    @Override
    public void setIrqIn(String role, String name, int n, boolean level) {
        switch (role) {
            case "pic-master" -> pic.master().setIrq(n, level);
            case "pic-slave" -> pic.slave().setIrq(n, level);
            case "ioapic" -> ioapic.setIrq(n, level);
            default -> throw new IllegalArgumentException("no inputs on " + role);
        }
    }

    @Override
    public void intercept(boolean out, String role, QtestReplay.IrqLog log) {
        if (out && role.equals("pic-master")) {
            picOut.log = log;
            return;
        }
        if (!out && role.equals("ioapic")) {
            ioapicIn = log;
            return;
        }
        throw new IllegalArgumentException("cannot intercept " + (out ? "outputs" : "inputs") + " of " + role);
    }
}
