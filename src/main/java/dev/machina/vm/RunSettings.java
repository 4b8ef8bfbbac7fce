package dev.machina.vm;

import dev.machina.config.Section;
import dev.machina.config.VmConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a configuration says about running the machine rather than building it: the console and
 * serial ports, the firmware, reboot and shutdown actions, {@code -S}, the boot menu and reboot
 * timeout SeaBIOS reads from fw_cfg, and the virtual clock ({@code -icount shift=N,sleep=on|off}).
 *
 * @param serials          chardev ids of {@code -serial} ports by port index (serial0, serial1, ...); empty for
 *                         {@code -serial none}, which keeps its index (vl.c's serial_parse: {@code -serial none
 *                         -serial stdio} puts stdio on COM2)
 * @param nographic        {@code -nographic}
 * @param noReboot         {@code -no-reboot} ({@code -action reboot=shutdown}): a reset ends the run
 * @param noShutdown       {@code -no-shutdown} ({@code -action shutdown=pause}): a power-off only stops
 * @param startStopped     {@code -S}
 * @param bootMenu         {@code -boot menu=on}
 * @param rebootTimeout    {@code -boot reboot-timeout=MS}, -1 without
 * @param icountShift      {@code -icount shift=N}: 2^N ns per instruction
 * @param sleep            {@code -icount sleep=on} (the default): an idle guest waits for host time
 * @param maxInstructions  {@code -icount ...,machina-limit=N}: stop after N instructions (0: no limit)
 * @param rtcBaseEpochSeconds the RTC's start time
 * @param debugcon         {@code -debugcon DEV}: an isa-debugcon at 0xe9 on chardev {@code debugcon}
 */
public record RunSettings(List<Optional<String>> serials, boolean nographic, boolean noReboot, boolean noShutdown, boolean startStopped,
                          boolean bootMenu, int rebootTimeout, int icountShift, boolean sleep, long maxInstructions,
                          long rtcBaseEpochSeconds, boolean debugcon) {
    public RunSettings {
        serials = List.copyOf(serials);
    }

    /** Reads the run-time options; makes the chardevs {@code -serial} and {@code -nographic} ask for. */
    static RunSettings of(VmConfig config, Chardevs chardevs, boolean nodefaults) {
        chardevs.fromConfig(config);
        boolean nographic = !config.sections("machina-nographic").isEmpty();
        List<Optional<String>> serials = new ArrayList<>();
        List<Section> serialSections = config.sections("machina-serial");
        for (Section s : serialSections) {
            String dev = s.get("dev").orElse("none");
            serials.add(chardevs.fromShortForm(dev, "serial" + serials.size(), s.origin().describe()));
        }
        if (serialSections.isEmpty() && !nodefaults && nographic) {
            // vl.c: -nographic with the default serial port puts it, muxed with the monitor, on stdio
            serials.add(chardevs.fromShortForm("mon:stdio", "serial0", "-nographic"));
        }
        boolean debugcon = false;
        for (Section s : config.sections("machina-debugcon")) {
            String dev = s.get("dev").orElse("none");
            debugcon |= chardevs.fromShortForm(dev, "debugcon", s.origin().describe()).isPresent();
        }
        boolean noReboot = false, noShutdown = false;
        for (Section s : config.sections("action")) {
            noReboot |= s.get("reboot").filter("shutdown"::equals).isPresent();
            noShutdown |= s.get("shutdown").filter("pause"::equals).isPresent();
        }
        boolean stopped = !config.sections("machina-S").isEmpty();
        boolean menu = false;
        int rebootTimeout = -1;
        for (Section s : config.sections("boot-opts")) {
            Optional<String> m = s.get("menu");
            if (m.isPresent()) {
                menu = m.get().equals("on") || m.get().equals("true") || m.get().equals("yes");
            }
            Optional<String> rt = s.get("reboot-timeout");
            if (rt.isPresent()) {
                try {
                    long v = Long.decode(rt.get());
                    if (v < -1 || v > 0xFFFF) {
                        throw new NumberFormatException();
                    }
                    rebootTimeout = (int) v;
                } catch (NumberFormatException e) {
                    throw new VmException(new VmError.CannotStart(s.origin().describe(), "reboot timeout is out of range (0..65535 ms, or -1): "
                            + rt.get()));
                }
            }
        }
        int shift = VirtualClock.DEFAULT_SHIFT;
        boolean sleep = true;
        long limit = 0;
        for (Section s : config.sections("icount")) {
            Optional<String> sh = s.get("shift");
            if (sh.isPresent() && !sh.get().equals("auto")) {
                try {
                    shift = Integer.parseInt(sh.get());
                    if (shift < 0 || shift > VirtualClock.MAX_SHIFT) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw new VmException(new VmError.CannotStart(s.origin().describe(), "icount shift must be 0.." + VirtualClock.MAX_SHIFT
                            + " or auto, not " + sh.get()));
                }
            }
            Optional<String> sl = s.get("sleep");
            if (sl.isPresent()) {
                sleep = !(sl.get().equals("off") || sl.get().equals("false") || sl.get().equals("no"));
            }
        }
        return new RunSettings(serials, nographic, noReboot, noShutdown, stopped, menu, rebootTimeout, shift, sleep, limit,
                System.currentTimeMillis() / 1000, debugcon);
    }

    /** Where the PC firmware comes from when {@code -bios} names no existing file: Debian's seabios package. */
    public static final Path SEABIOS_DIR = Path.of("/usr/share/seabios");

    /** The firmware file: {@code -bios FILE} (a path, or a name in {@link #SEABIOS_DIR}), else the machine type's. */
    static Path firmware(Optional<VmSpec.Setting> bios, String defaultName) {
        if (bios.isPresent()) {
            String name = bios.get().value();
            Path p = Path.of(name);
            if (Files.exists(p) || name.contains("/")) {
                if (!Files.isRegularFile(p)) {
                    throw new VmException(new VmError.CannotStart(bios.get().where(), "firmware file " + name + " not found"
                            + (Files.exists(p) ? " (not a regular file)" : "")));
                }
                return p;
            }
            Path in = SEABIOS_DIR.resolve(name);
            if (!Files.isRegularFile(in)) {
                throw new VmException(new VmError.CannotStart(bios.get().where(), "firmware " + name + " not found here or in "
                        + SEABIOS_DIR + "; give a path, or install Debian's seabios package (apt-get install seabios)"));
            }
            return in;
        }
        Path p = SEABIOS_DIR.resolve(defaultName);
        if (!Files.isRegularFile(p)) {
            throw new VmException(new VmError.CannotStart("firmware", "the machine's firmware " + p + " is missing; install Debian's "
                    + "seabios package (apt-get install seabios) or give -bios FILE"));
        }
        return p;
    }
}
