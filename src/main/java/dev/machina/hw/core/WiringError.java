package dev.machina.hw.core;

import java.util.List;

/** What is wrong with a wire the board data asks for (QEMU has no such checks: it overwrites). */
public sealed interface WiringError {
    String message();

    /** No device with that path has declared GPIOs. */
    record UnknownDevice(String device, boolean input) implements WiringError {
        @Override
        public String message() {
            return "no device " + device + " with GPIO " + (input ? "inputs" : "outputs");
        }
    }

    /** The device has no such pin; {@code known} lists the pins it has. */
    record UnknownPin(Pin pin, boolean input, List<String> known) implements WiringError {
        @Override
        public String message() {
            return pin.device() + " has no GPIO " + (input ? "input " : "output ") + pin.name()
                    + (known.isEmpty() ? "" : "; it has " + String.join(", ", known));
        }
    }

    /** An output is already wired to another input: one output drives one input; fan out with a split-irq. */
    record FanOut(Pin output, Pin existing, Pin requested) implements WiringError {
        @Override
        public String message() {
            return "output " + output + " already drives " + existing + "; to drive " + requested
                    + " as well, wire it through a split-irq";
        }
    }

    /** An input is already driven by another output: two outputs on one input need an or-irq. */
    record FanIn(Pin input, Pin existing, Pin requested) implements WiringError {
        @Override
        public String message() {
            return "input " + input + " is already driven by " + existing + "; to add " + requested
                    + ", combine them with an or-irq";
        }
    }
}
