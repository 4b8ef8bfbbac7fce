package dev.machina.vm;

import dev.machina.qom.QomError;
import java.util.List;

/**
 * Everything that can go wrong while a VM is specified or built, as values. Each says what was
 * wrong, where (the option or file position, the object's QOM path) and, where one exists, what
 * would be right; {@link #message()} is the one line the command line prints.
 */
public sealed interface VmError {
    String message();

    /** A user option whose value cannot be used; {@code where} names the option or the file position. */
    record BadOption(String where, String problem) implements VmError {
        public String message() { return where + ": " + problem; }
    }

    /** The object model refused something an option or the machine data asked for. */
    record ObjectFailed(String where, QomError error) implements VmError {
        public String message() { return where + ": " + error.message(); }
    }

    /** A device that needs a bus of a kind the machine does not have. */
    record NoBus(String where, String driver, String busType) implements VmError {
        public String message() {
            return where + ": no '" + busType + "' bus for device '" + driver + "'; this machine type has none";
        }
    }

    /** A {@code bus=} that names no bus, or one of the wrong kind. */
    record BadBus(String where, String bus, String problem, List<String> known) implements VmError {
        public String message() {
            return where + ": bus '" + bus + "' " + problem + (known.isEmpty() ? "" : "; buses here: " + String.join(", ", known));
        }
    }

    /** A PCI address already taken, or not valid on the bus. */
    record BadAddress(String where, String address, String problem) implements VmError {
        public String message() { return where + ": PCI address " + address + " " + problem; }
    }

    /** Two objects that want the same id. */
    record DuplicateId(String where, String id, String first) implements VmError {
        public String message() { return where + ": duplicate id '" + id + "' (first used by " + first + ")"; }
    }

    /** The machine data says something the builder cannot do: a bug in the data, with its position. */
    record BadGraph(String at, String problem) implements VmError {
        public String message() { return at + ": " + problem; }
    }

    /** A device of the machine that Machina has no model for yet, with the option that removes it. */
    record NoModel(String device, String path, String remedy) implements VmError {
        public String message() {
            return "device '" + device + "' (" + path + ") has no model in Machina yet; " + remedy;
        }
    }

    /** Something the machine cannot start with (firmware, chardevs, I/O conflicts): one line, with where. */
    record CannotStart(String where, String problem) implements VmError {
        public String message() { return where + ": " + problem; }
    }
}
