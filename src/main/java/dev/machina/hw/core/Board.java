package dev.machina.hw.core;

import dev.machina.memory.AddressSpace;
import dev.machina.memory.MemoryRegion;
import dev.machina.memory.MemorySystem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The slots a machine lends its devices, over one memory system, timer queue, wiring and machine
 * control: {@link #isaSlot}, {@link #sysBusSlot}, {@link #plainSlot}. The run loop's VM builder
 * makes one per machine; a test makes one with a {@link TimerQueue} on a clock it advances, and
 * realizes a model on it exactly as a machine would.
 *
 * <p>ISA buses: {@link #isaBus} makes a bus whose IRQ lines are the outputs {@code irq[0..15]} of
 * the bus's path in the {@link #wiring()}; every device on the bus drives the same line for the
 * same IRQ number (as ISA does), and the board wires each line onward (to the 8259 and the IOAPIC).
 */
public final class Board {
    private final MemorySystem memory;
    private final Timers timers;
    private final MachineControl control;
    private final Function<String, Optional<CharFrontend>> chardevs;
    private final Wiring wiring = new Wiring();
    private final Map<String, List<MemoryRegion>> mmio = new HashMap<>();
    private BoardMemory boardMemory;

    public Board(MemorySystem memory, Timers timers, MachineControl control, Function<String, Optional<CharFrontend>> chardevs) {
        this.memory = memory;
        this.timers = timers;
        this.control = control;
        this.chardevs = chardevs;
    }

    /** A board with no chardevs and no machine control: for tests. */
    public static Board forTest(MemorySystem memory, Timers timers) {
        return new Board(memory, timers, MachineControl.NONE, id -> Optional.empty());
    }

    public MemorySystem memory() {
        return memory;
    }

    public Wiring wiring() {
        return wiring;
    }

    public Timers timers() {
        return timers;
    }

    /** The regions the chipset reshapes; set by the board assembly before host bridges are realized. */
    public void setBoardMemory(BoardMemory m) {
        this.boardMemory = m;
    }

    /** An ISA bus at {@code busPath} with its 16 IRQ lines. */
    public IsaBus isaBus(String busPath) {
        return new IsaBus(busPath, wiring.gpio(busPath).outputs("irq", IsaBus.IRQS));
    }

    /** An ISA bus: its path and its IRQ lines (QEMU's {@code ISABus.irqs}). */
    public record IsaBus(String path, IrqLine[] irqs) {
        public static final int IRQS = 16;

        /** The pin name of IRQ line {@code n} in the wiring. */
        public static String irqPin(int n) {
            return Pin.name("irq", false, n);
        }
    }

    /** Regions a device declared with {@link SysBusSlot#initMmio}, in order. */
    public List<MemoryRegion> mmioOf(String device) {
        return List.copyOf(mmio.getOrDefault(device, List.of()));
    }

    /** QEMU's {@code sysbus_mmio_map(_overlap)}: maps a device's MMIO region {@code n} in system memory. */
    public void mapMmio(String device, int n, long address, int priority) {
        List<MemoryRegion> l = mmio.getOrDefault(device, List.of());
        if (n < 0 || n >= l.size()) {
            throw new IllegalArgumentException(device + " has " + l.size() + " MMIO regions, not region " + n);
        }
        memory.systemRoot().addSubregionOverlap(address, l.get(n), priority);
    }

    private class Base implements DeviceSlot {
        final String path;
        private final Regions regions;

        Base(String path) {
            this.path = path;
            this.regions = new Regions(memory, path);
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public Regions regions() {
            return regions;
        }

        @Override
        public Timers timers() {
            return timers;
        }

        @Override
        public Gpio gpio() {
            return wiring.gpio(path);
        }

        @Override
        public MachineControl machine() {
            return control;
        }

        @Override
        public AddressSpace dma() {
            return memory.memory();
        }

        @Override
        public Optional<CharFrontend> chardev(String id) {
            return chardevs.apply(id);
        }
    }

    /** The slot of a device on no bus (split-irq, or-irq, a CPU's parts). */
    public DeviceSlot plainSlot(String devicePath) {
        return new Base(devicePath);
    }

    private java.util.function.BiConsumer<String, Integer> isaIrqClaims = (device, irq) -> { };

    /**
     * Tells {@code claims} of every ISA IRQ line a device takes ({@link IsaSlot#irq}), before it gets it:
     * the board decides which devices may share a line (and throws for those that may not).
     */
    public void onIsaIrq(java.util.function.BiConsumer<String, Integer> claims) {
        this.isaIrqClaims = claims;
    }

    /** The slot of a device on {@code bus}. */
    public IsaSlot isaSlot(String devicePath, IsaBus bus) {
        class Isa extends Base implements IsaSlot {
            Isa() {
                super(devicePath);
            }

            @Override
            public void registerIo(int port, MemoryRegion region) {
                memory.ioRoot().addSubregion(port, region);
            }

            @Override
            public IrqLine irq(int isaIrq) {
                if (isaIrq < 0 || isaIrq >= IsaBus.IRQS) {
                    throw new IllegalArgumentException(devicePath + ": ISA IRQ " + isaIrq + " is not 0..15");
                }
                isaIrqClaims.accept(devicePath, isaIrq);
                return bus.irqs()[isaIrq];
            }
        }
        return new Isa();
    }

    /** The slot of a device on the system bus. */
    public SysBusSlot sysBusSlot(String devicePath) {
        class SysBus extends Base implements SysBusSlot {
            SysBus() {
                super(devicePath);
            }

            @Override
            public void initMmio(MemoryRegion region) {
                mmio.computeIfAbsent(devicePath, k -> new ArrayList<>()).add(region);
            }

            @Override
            public void addIo(int port, MemoryRegion region) {
                memory.ioRoot().addSubregion(port, region);
            }

            @Override
            public BoardMemory boardMemory() {
                if (boardMemory == null) {
                    throw new IllegalStateException("the board made no RAM/PCI regions before realizing " + devicePath);
                }
                return boardMemory;
            }
        }
        return new SysBus();
    }
}
