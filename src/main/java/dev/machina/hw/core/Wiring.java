package dev.machina.hw.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every device's GPIO pins in one machine and the wires between them (QEMU's
 * {@code qdev_connect_gpio_out_named}). Devices declare pins through {@link #gpio(String)}; the
 * board connects an output to an input with {@link #connect}. Unlike QEMU, which silently replaces
 * a wire, one output drives at most one input and one input is driven by at most one output:
 * fan-out goes through a {@link SplitIrq}, fan-in through an {@link OrIrq}, and anything else is a
 * {@link WiringException}.
 */
public final class Wiring {
    private record In(IrqHandler handler, int index) {}

    private final Map<String, Map<String, In>> inputs = new HashMap<>();
    private final Map<String, Map<String, Out>> outputs = new HashMap<>();
    private final Map<Pin, Pin> driverOf = new HashMap<>();

    /** An output pin: drives whatever input it is wired to, and remembers its level. */
    private static final class Out implements IrqLine {
        private IrqHandler target;
        private int index;
        private Pin wiredTo;

        @Override
        public void set(boolean level) {
            IrqHandler t = target;
            if (t != null) {
                t.set(index, level);
            }
        }
    }

    /** The GPIO declarations of the device at {@code devicePath}. */
    public Gpio gpio(String devicePath) {
        return new Gpio() {
            @Override
            public void inputs(String name, int count, IrqHandler handler) {
                Map<String, In> m = inputs.computeIfAbsent(devicePath, k -> new LinkedHashMap<>());
                for (int i = 0; i < count; i++) {
                    String pin = Pin.name(name, true, i);
                    if (m.containsKey(pin)) {
                        throw new IllegalStateException(devicePath + " declares input " + pin + " twice");
                    }
                    m.put(pin, new In(handler, i));
                }
            }

            @Override
            public IrqLine[] outputs(String name, int count) {
                Map<String, Out> m = outputs.computeIfAbsent(devicePath, k -> new LinkedHashMap<>());
                IrqLine[] lines = new IrqLine[count];
                for (int i = 0; i < count; i++) {
                    String pin = Pin.name(name, false, i);
                    if (m.containsKey(pin)) {
                        throw new IllegalStateException(devicePath + " declares output " + pin + " twice");
                    }
                    Out o = new Out();
                    m.put(pin, o);
                    lines[i] = o;
                }
                return lines;
            }
        };
    }

    /** Wires output {@code from} to input {@code to}; checks both exist and neither is wired already. */
    public void connect(Pin from, Pin to) {
        Out out = find(outputs, from, false);
        In in = find(inputs, to, true);
        if (out.wiredTo != null) {
            throw new WiringException(new WiringError.FanOut(from, out.wiredTo, to));
        }
        Pin driver = driverOf.get(to);
        if (driver != null) {
            throw new WiringException(new WiringError.FanIn(to, driver, from));
        }
        out.target = in.handler;
        out.index = in.index;
        out.wiredTo = to;
        driverOf.put(to, from);
    }

    /** The input an output is wired to, or null. */
    public Pin wiredTo(Pin output) {
        return find(outputs, output, false).wiredTo;
    }

    /** An input's receiving line, for a board part that is not a device (e.g. the CPU's INTR driven by the PIC). */
    public IrqLine input(Pin pin) {
        In in = find(inputs, pin, true);
        return level -> in.handler.set(in.index, level);
    }

    public boolean hasInput(Pin pin) {
        Map<String, In> m = inputs.get(pin.device());
        return m != null && m.containsKey(pin.name());
    }

    public boolean hasOutput(Pin pin) {
        Map<String, Out> m = outputs.get(pin.device());
        return m != null && m.containsKey(pin.name());
    }

    private static <T> T find(Map<String, Map<String, T>> pins, Pin pin, boolean input) {
        Map<String, T> m = pins.get(pin.device());
        if (m == null) {
            throw new WiringException(new WiringError.UnknownDevice(pin.device(), input));
        }
        T t = m.get(pin.name());
        if (t == null) {
            throw new WiringException(new WiringError.UnknownPin(pin, input, new ArrayList<>(m.keySet())));
        }
        return t;
    }

    /** Every declared output pin of a device, in declaration order. */
    public List<String> outputsOf(String device) {
        Map<String, Out> m = outputs.get(device);
        return m == null ? List.of() : List.copyOf(m.keySet());
    }
}
