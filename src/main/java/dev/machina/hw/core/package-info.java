/**
 * What device models are built on: the abstract QOM bases of QEMU's {@code hw/core}
 * ({@code device}, {@code bus}, the system bus, {@code machine}); the small interfaces a model takes
 * ({@link dev.machina.hw.core.IrqLine}, {@link dev.machina.hw.core.Clock},
 * {@link dev.machina.hw.core.Timer}/{@link dev.machina.hw.core.Timers},
 * {@link dev.machina.hw.core.ByteSink}, {@link dev.machina.hw.core.CharFrontend}); and the binding
 * API its realize gets from its bus: {@link dev.machina.hw.core.DeviceModel} with
 * {@link dev.machina.hw.core.IsaSlot}, {@link dev.machina.hw.core.SysBusSlot},
 * {@link dev.machina.hw.core.PciSlot} (regions, I/O ports, MMIO, IRQ lines, GPIOs by QEMU's names,
 * timers, DMA, reset/shutdown requests, the chipset's {@link dev.machina.hw.core.BoardMemory}),
 * implemented by {@link dev.machina.hw.core.Board}; wiring with fan-in/fan-out checks
 * ({@link dev.machina.hw.core.Wiring}, {@link dev.machina.hw.core.SplitIrq},
 * {@link dev.machina.hw.core.OrIrq}); the timer queue ({@link dev.machina.hw.core.TimerQueue}).
 *
 * <h2>Binding a device (the reference: {@code dev.machina.hw.misc})</h2>
 * A device is a pure register model (constructor takes lines, sinks, timers) plus a thin binding
 * implementing {@code DeviceModel.Isa} (or {@code .SysBus}, {@code .Pci}) whose {@code realize}
 * makes its regions with {@code slot.regions().io(name, size, ops, rule)}, maps them
 * ({@code slot.registerIo(port, region)}), takes its lines ({@code slot.irq(4)},
 * {@code slot.gpio().outputs("a20", 1)}) and timers ({@code slot.timers().newTimer(...)}).
 *
 * <p>Depends on {@code dev.machina.qom} and {@code dev.machina.memory} only: no files, threads or
 * sockets, and nothing of {@code vm} or {@code cli}.
 */
package dev.machina.hw.core;
