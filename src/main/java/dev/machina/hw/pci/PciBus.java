package dev.machina.hw.pci;

import static dev.machina.hw.pci.PciHeader.*;

import dev.machina.hw.core.BoardMemory;
import dev.machina.hw.core.DeviceSlot;
import dev.machina.hw.core.Gpio;
import dev.machina.hw.core.IrqLine;
import dev.machina.hw.core.MachineControl;
import dev.machina.hw.core.PciConfig;
import dev.machina.hw.core.PciSlot;
import dev.machina.hw.core.Regions;
import dev.machina.hw.core.Timers;
import dev.machina.hw.core.CharFrontend;
import dev.machina.memory.AddressSpace;
import dev.machina.memory.MemoryRegion;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A PCI bus (QEMU's {@code PCIBus}, hw/pci/pci.c): up to 256 functions by devfn, their configuration
 * spaces, where their BARs decode, and INTx routing to the interrupt inputs of the chipset (PIRQ
 * lines). The host bridge makes the bus and reaches it through its configuration mechanism; the
 * board plugs each function in with {@link #slot} and realizes the function's model on that slot.
 *
 * <p>BARs: an I/O BAR maps into {@code ioSpace}, a memory BAR into {@code memSpace} (the PCI memory
 * window), each at priority 1 as QEMU's pci_update_mappings does, when the command register enables
 * I/O or memory decoding and the BAR holds a valid address.
 *
 * <p>INTx: each function's pins go through {@link #setIrqs}'s map (slot and pin → PIRQ, QEMU's
 * {@code map_irq}) to the router (QEMU's {@code set_irq}), which sees a PIRQ asserted while any pin
 * routed to it is; the command register's Interrupt Disable masks a function's pins, and status
 * bit 3 shows them.
 */
public final class PciBus {
    /** QEMU's {@code pci_map_irq_fn}: which PIRQ the function's pin {@code pin} (0 = INTA#) drives. */
    @FunctionalInterface
    public interface IntxMap {
        int pirq(int devfn, int pin);
    }

    /** QEMU's {@code pci_set_irq_fn}: a PIRQ line is now asserted or not. */
    @FunctionalInterface
    public interface PirqSink {
        void set(int pirq, boolean level);
    }

    private final String path;
    private final BoardMemory memory;
    private final MemoryRegion ioSpace;
    private final MemoryRegion memSpace;
    private final Consumer<Runnable> transaction;
    private final PciConfigSpace[] functions = new PciConfigSpace[256];
    private final String[] owners = new String[256];
    private IntxMap map = (devfn, pin) -> 0;
    private PirqSink sink = (pirq, level) -> { };
    private int[] irqCount = new int[1];

    /**
     * @param transaction runs a set of mapping changes as one remap (the memory system's transaction)
     */
    public PciBus(String path, BoardMemory memory, Consumer<Runnable> transaction) {
        this.path = path;
        this.memory = memory;
        this.ioSpace = memory.io();
        this.memSpace = memory.pci();
        this.transaction = transaction;
    }

    /** The board's memory the bus decodes into (I/O BARs into {@code io}, memory BARs into {@code pci}). */
    public BoardMemory memory() {
        return memory;
    }

    public String path() {
        return path;
    }

    /** Where the Q35 MCH's PCIEXBAR puts the MMCONFIG window (set by the PCIe host). */
    @FunctionalInterface
    public interface MmconfigSink {
        void update(boolean enable, long base, long size);
    }

    private MmconfigSink mmconfig = (e, b, s) -> { };
    private long ramBelow4g;

    /** The host's MMCONFIG window, which the MCH programs ({@link #mmconfigUpdate}). */
    public void mmconfig(MmconfigSink sink) {
        this.mmconfig = sink;
    }

    public void mmconfigUpdate(boolean enable, long base, long size) {
        mmconfigBase = java.util.OptionalLong.of(enable ? base : -1);
        mmconfig.update(enable, base, size);
    }

    private java.util.OptionalLong mmconfigBase = java.util.OptionalLong.empty();

    /**
     * Where the MMCONFIG window is now, as the host's {@code MCFG} property reads back (QEMU's
     * PCIExpressHost.base_addr): -1 (PCIE_BASE_ADDR_UNMAPPED) while disabled; empty before the MCH first
     * programmed it.
     */
    public java.util.OptionalLong mmconfigBase() {
        return mmconfigBase;
    }

    /** RAM below 4 GiB as the host bridge was told (QEMU's below-4g-mem-size; TSEG sits at its top). */
    public long ramBelow4g() {
        return ramBelow4g;
    }

    public void ramBelow4g(long bytes) {
        this.ramBelow4g = bytes;
    }

    /** QEMU's pci_bus_irqs: the chipset's routing of the bus's {@code pirqs} interrupt lines. */
    public void setIrqs(IntxMap map, PirqSink sink, int pirqs) {
        this.map = map;
        this.sink = sink;
        this.irqCount = new int[pirqs];
    }

    /** The function at {@code devfn}, if one is plugged in. */
    public Optional<PciConfigSpace> function(int devfn) {
        return Optional.ofNullable(functions[devfn & 0xFF]);
    }

    /**
     * Plugs a function in at {@code devfn} with a configuration space of {@code configSize} bytes;
     * the returned slot lends what {@code base} does plus the PCI parts.
     */
    public PciSlot slot(DeviceSlot base, int devfn, int configSize, boolean multifunction) {
        if (devfn < 0 || devfn > 255) {
            throw new IllegalArgumentException(base.path() + ": devfn " + devfn + " is not 0..255");
        }
        if (functions[devfn] != null) {
            throw new IllegalArgumentException(String.format("PCI: slot %d function %d not available for %s, in use by %s",
                    devfn >> 3, devfn & 7, base.path(), owners[devfn]));
        }
        PciConfigSpace c = new PciConfigSpace(configSize);
        if (multifunction) {
            c.set8(HEADER_TYPE, HEADER_TYPE_MULTIFUNCTION);
        }
        c.mapper((bar, address) -> transaction.accept(() -> {
            if (bar.address() != PciConfigSpace.Bar.UNMAPPED) {
                (bar.io() ? ioSpace : memSpace).removeSubregion(bar.region());
            }
            if (address != PciConfigSpace.Bar.UNMAPPED) {
                (bar.io() ? ioSpace : memSpace).addSubregionOverlap(address, bar.region(), 1);
            }
        }));
        int[] lastCommand = {0};
        c.onWrite((addr, len, value) -> {
            int cmd = c.get16(COMMAND);
            if (((cmd ^ lastCommand[0]) & COMMAND_INTX_DISABLE) != 0) {
                // pci_update_irq_disabled: the pins' levels appear or disappear on the PIRQs
                int delta = (cmd & COMMAND_INTX_DISABLE) != 0 ? -1 : 1;
                for (int pin = 0; pin < 4; pin++) {
                    if ((c.irqState() & (1 << pin)) != 0) {
                        changeLevel(devfn, pin, delta);
                    }
                }
            }
            lastCommand[0] = cmd;
        });
        functions[devfn] = c;
        owners[devfn] = base.path();
        return new Slot(base, devfn, c);
    }

    /** A configuration read as mechanism #1 or MMCONFIG delivers it; no function reads all ones. */
    public int configRead(int devfn, int addr, int len, int limit) {
        PciConfigSpace c = functions[devfn & 0xFF];
        if (c == null || addr >= Math.min(limit, c.size())) {
            return -1;
        }
        return c.read(addr, len, Math.min(limit, c.size()));
    }

    public void configWrite(int devfn, int addr, int len, int value, int limit) {
        PciConfigSpace c = functions[devfn & 0xFF];
        if (c == null || addr >= Math.min(limit, c.size())) {
            return;
        }
        c.write(addr, len, value, Math.min(limit, c.size()));
    }

    /** Resets every function's standard header (QEMU's pcibus_reset → pci_do_device_reset). */
    public void reset() {
        for (int devfn = 0; devfn < 256; devfn++) {
            if (functions[devfn] != null) {
                int s = functions[devfn].irqState();
                for (int pin = 0; pin < 4; pin++) {
                    if ((s & (1 << pin)) != 0 && (functions[devfn].get16(COMMAND) & COMMAND_INTX_DISABLE) == 0) {
                        changeLevel(devfn, pin, -1);
                    }
                }
                functions[devfn].resetHeader();
            }
        }
    }

    private void changeLevel(int devfn, int pin, int delta) {
        int pirq = map.pirq(devfn, pin);
        if (pirq < 0 || pirq >= irqCount.length) {
            return;
        }
        irqCount[pirq] += delta;
        sink.set(pirq, irqCount[pirq] != 0);
    }

    private void setPin(int devfn, int pin, boolean level) {
        PciConfigSpace c = functions[devfn];
        int bit = 1 << pin;
        int old = c.irqState();
        int now = level ? old | bit : old & ~bit;
        if (now == old) {
            return;
        }
        c.irqState(now);
        c.set16(STATUS, now != 0 ? c.get16(STATUS) | STATUS_INTERRUPT : c.get16(STATUS) & ~STATUS_INTERRUPT);
        if ((c.get16(COMMAND) & COMMAND_INTX_DISABLE) == 0) {
            changeLevel(devfn, pin, level ? 1 : -1);
        }
    }

    private final class Slot implements ChipsetSlot {
        private final DeviceSlot base;
        private final int devfn;
        private final PciConfigSpace config;

        Slot(DeviceSlot base, int devfn, PciConfigSpace config) {
            this.base = base;
            this.devfn = devfn;
            this.config = config;
        }

        @Override
        public int devfn() {
            return devfn;
        }

        @Override
        public void registerBar(int n, boolean io, boolean prefetchable, boolean bits64, MemoryRegion region) {
            int type = io ? BAR_SPACE_IO : (prefetchable ? BAR_MEM_PREFETCH : 0) | (bits64 ? BAR_MEM_TYPE_64 : 0);
            config.registerBar(n, type, region.size(), region);
        }

        @Override
        public PciConfig config() {
            return config;
        }

        @Override
        public PciConfigSpace configSpace() {
            return config;
        }

        @Override
        public PciBus bus() {
            return PciBus.this;
        }

        @Override
        public BoardMemory boardMemory() {
            return memory;
        }

        @Override
        public void transaction(Runnable changes) {
            transaction.accept(changes);
        }

        @Override
        public IrqLine intx(int pin) {
            if (pin < 0 || pin > 3) {
                throw new IllegalArgumentException(base.path() + ": INTx pin " + pin + " is not 0..3");
            }
            return level -> setPin(devfn, pin, level);
        }

        @Override
        public String path() {
            return base.path();
        }

        @Override
        public Regions regions() {
            return base.regions();
        }

        @Override
        public Timers timers() {
            return base.timers();
        }

        @Override
        public Gpio gpio() {
            return base.gpio();
        }

        @Override
        public MachineControl machine() {
            return base.machine();
        }

        @Override
        public AddressSpace dma() {
            return base.dma();
        }

        @Override
        public Optional<CharFrontend> chardev(String id) {
            return base.chardev(id);
        }
    }
}
