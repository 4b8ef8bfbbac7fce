package dev.machina.vm;

import dev.machina.qom.PropertyType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The text of QEMU 7.2's {@code info qtree} (softmmu/qdev-monitor.c {@code qbus_print} and
 * {@code qdev_print}) for a built machine, shared by the {@code machine qtree TYPE} dry run and the
 * monitor.
 *
 * <p>From the main system bus down: {@code bus: NAME}, then two spaces in, {@code type BUSTYPE} and
 * each device on the bus, newest first (QEMU's {@code bus_add_child} inserts at the head); a device is
 * {@code dev: TYPE, id "ID"}, then two spaces in its GPIO lines ({@link Realized#gpio}), its qdev
 * properties class by class from its own type up to (not including) {@code device}, each class's in
 * the order of its Property array ({@code qdev-props-qemu72.tsv}, made by
 * {@code tools/gen_qdev_props.py} from QEMU 7.2's source), what its bus prints of it
 * ({@link Realized#busInfo}: a PCI function's class, address, IDs and BARs; a sysbus device's MMIO
 * windows), and its own buses, newest first.
 *
 * <p>Values as QEMU's human string output visitor prints them: integers signed in decimal and hex
 * ({@code 4294967295 (0xffffffff)}, a uint64 of all ones as {@code -1 (0xffffffffffffffff)}), sizes
 * with {@code size_to_str} ({@code 2147483648 (2 GiB)}), strings and enum names in double quotes, a PCI
 * {@code addr} as {@code SS.F} ({@code <unset>} when -1). Link properties print nothing (QEMU 7.2 prints
 * no line for vmmouse's {@code i8042} link). A property the type's data has no value for prints no line.
 */
public final class Qtree {
    private Qtree() {}

    /** What realize adds to a device's entry; the dry run has none. */
    public interface Realized {
        /** {@code gpio-in "NAME" N} / {@code gpio-out "NAME" N}, in QEMU's order. */
        default List<String> gpio(BuiltObject device) {
            return List.of();
        }

        /** A property's value as the realized device holds it now, where that differs from what was set (QEMU reads it live). */
        default Optional<Object> liveValue(BuiltObject device, String property) {
            return Optional.empty();
        }

        /** What the device's bus prints of it ({@code class ..., addr ..., pci id ...}, {@code bar N: ...}, {@code mmio ...}). */
        default List<String> busInfo(BuiltObject device) {
            return List.of();
        }
    }

    /** A dry run's view: no GPIO, no bus lines. */
    public static final Realized DRY_RUN = new Realized() { };

    /** One qdev property of a class, with where QEMU 7.2 declares it. */
    record QdevProp(String name, String kind, String where) {}

    private static Map<String, List<QdevProp>> props;

    /** Each type's own qdev properties in declaration order (QEMU 7.2). */
    static synchronized Map<String, List<QdevProp>> qdevProps() {
        if (props == null) {
            Map<String, List<QdevProp>> m = new LinkedHashMap<>();
            try (InputStream in = Qtree.class.getResourceAsStream("qdev-props-qemu72.tsv");
                 BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.startsWith("#") || line.isBlank()) {
                        continue;
                    }
                    String[] f = line.split("\t");
                    m.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new QdevProp(f[1], f[2], f[3]));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            props = m;
        }
        return props;
    }

    public static String render(BuiltMachine built, Realized realized) {
        StringBuilder sb = new StringBuilder();
        Optional<BuiltObject> sysbus = built.objects().stream().filter(o -> o.typeName().equals("System")).findFirst();
        sysbus.ifPresent(b -> bus(built, b, 0, realized, sb));
        return sb.toString();
    }

    private static void bus(BuiltMachine built, BuiltObject bus, int indent, Realized realized, StringBuilder sb) {
        // QEMU names the sysbus "main-system-bus" (qbus_new in sysbus_get_default) and files it as /machine/unattached/sysbus
        line(sb, indent, "bus: " + (bus.typeName().equals("System") ? "main-system-bus" : bus.object().name()));
        line(sb, indent + 2, "type " + bus.typeName());
        List<BuiltObject> devices = new ArrayList<>(built.devicesOn(bus));
        devices.sort(java.util.Comparator.comparingDouble((BuiltObject o) -> realizeKey(o))
                .thenComparingInt(o -> built.objects().indexOf(o)));
        Collections.reverse(devices);
        for (BuiltObject d : devices) {
            device(built, d, indent + 2, realized, sb);
        }
    }

    private static void device(BuiltMachine built, BuiltObject d, int indent, Realized realized, StringBuilder sb) {
        String id = d.kind() == BuiltObject.Kind.USER_DEVICE ? d.id().orElse("") : "";
        line(sb, indent, "dev: " + d.typeName() + ", id \"" + id + "\"");
        int in = indent + 2;
        for (String g : realized.gpio(d)) {
            line(sb, in, g);
        }
        for (String type : d.ancestry()) {
            if (type.equals("device")) {
                break;
            }
            for (QdevProp p : qdevProps().getOrDefault(type, List.of())) {
                value(d, p, realized).ifPresent(v -> line(sb, in, p.name() + " = " + v));
            }
        }
        for (String l : realized.busInfo(d)) {
            line(sb, in, l);
        }
        List<BuiltObject> buses = new ArrayList<>();
        for (BuiltObject o : built.objects()) {
            if (o.isA("bus") && o.object().parent().filter(p -> p == d.object()).isPresent()) {
                buses.add(o);
            }
        }
        Collections.reverse(buses);
        for (BuiltObject b : buses) {
            bus(built, b, in, realized, sb);
        }
    }

    private static final java.util.regex.Pattern UNATTACHED = java.util.regex.Pattern.compile("^/machine/unattached/device\\[(\\d+)]");

    /**
     * Where a device comes in the order QEMU realizes (and so plugs) the board's devices: what the board
     * files as {@code /machine/unattached/device[N]} (and what such a device makes of its own, like
     * i8042's ps2kbd) is realized in the order of N, but the CPUs and the kvmvapic the first APIC's
     * realize makes come first ({@code x86_cpus_init} is the first thing {@code pc_init1} and
     * {@code pc_q35_init} do); the objects the board names under {@code /machine} (fw_cfg, the host
     * bridge, its ioapic and mch) right after them and before the chipset's functions (QEMU 7.2's
     * isapc, pc and q35 qtrees); the user's {@code -device}s after the whole board.
     */
    private static double realizeKey(BuiltObject o) {
        if (o.kind() == BuiltObject.Kind.USER_DEVICE) {
            return 1e9;
        }
        if (o.isA("kvmvapic") || o.isA("cpu")) {
            return -1;
        }
        java.util.regex.Matcher m = UNATTACHED.matcher(o.path());
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        return 0.5;
    }

    /** The text QEMU prints for one property, or empty when it prints no line. */
    static Optional<String> value(BuiltObject d, QdevProp p, Realized realized) {
        if (p.kind().equals("DEFINE_PROP_LINK")) {
            return Optional.empty();
        }
        Optional<EffectiveValue> ev = d.value(p.name());
        Optional<Object> live = realized.liveValue(d, p.name());
        if (live.isPresent() && ev.isPresent()) {
            ev = Optional.of(new EffectiveValue(p.name(), ev.get().type(), live.get(), ev.get().origin()));
        }
        if (ev.isEmpty()) {
            if (d.type().property(p.name()).map(s -> s.type() instanceof PropertyType.StrType).orElse(false)) {
                return Optional.of("\"\""); // an unset string property reads as "" (qdev get_string)
            }
            return Optional.empty();
        }
        Object v = ev.get().value();
        PropertyType t = ev.get().type();
        if (p.kind().equals("DEFINE_PROP_PCI_DEVFN") && v instanceof Long n) {
            return Optional.of(n < 0 || n > 255 ? "<unset>" : String.format("%02x.%x", n >> 3, n & 7));
        }
        if (p.kind().equals("DEFINE_PROP_PCI_DEVFN") && v instanceof String s) {
            return Optional.of(PciAddress.parse(s).map(a -> String.format("%02x.%x", a.slot(), a.function())).orElse("<unset>"));
        }
        if (t instanceof PropertyType.BoolType) {
            return Optional.of(String.valueOf(v));
        }
        if (t instanceof PropertyType.SizeType && v instanceof Long n) {
            return Optional.of(Long.toUnsignedString(n) + " (" + sizeToStr(n) + ")");
        }
        if (t instanceof PropertyType.IntType && v instanceof Long n) {
            return Optional.of(n + " (0x" + Long.toHexString(n) + ")");
        }
        return Optional.of("\"" + t.format(v) + "\"");
    }

    /**
     * The names {@code pcibus_dev_print} gives a PCI class (hw/pci/pci.c pci_class_descriptions, an
     * exact match of base class and subclass), for the classes of the PC chipsets and their default
     * devices; any other class prints as {@code Class XXXX}, as QEMU prints one missing from its table.
     */
    private static final Map<Integer, String> PCI_CLASSES = Map.of(
            0x0101, "IDE controller", 0x0106, "SATA controller", 0x0200, "Ethernet controller", 0x0300, "VGA controller",
            0x0600, "Host bridge", 0x0601, "ISA bridge", 0x0680, "Bridge", 0x0c05, "SMBus");

    static String pciClass(int cls) {
        String name = PCI_CLASSES.get(cls);
        return name != null ? name : String.format("Class %04x", cls);
    }

    /** QEMU's {@code size_to_str} (util/cutils.c): binary units, switching up once the integer part reaches 1000, "%0.3g". */
    static String sizeToStr(long val) {
        String[] suffixes = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
        double d = unsigned(val);
        int exp = d == 0 ? 0 : Math.getExponent(d / (1000.0 / 1024.0)) + 1; // frexp's exponent
        int i = Math.max(0, (exp - 1) / 10);
        double div = Math.pow(2, i * 10);
        return g3(d / div) + " " + suffixes[i] + "B";
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    /** C's {@code %0.3g} for the values size_to_str gives it (0 or 1 <= x < 1024). */
    static String g3(double x) {
        if (x == 0) {
            return "0";
        }
        BigDecimal b = new BigDecimal(x).round(new MathContext(3));
        if (b.compareTo(BigDecimal.valueOf(1000)) >= 0) {
            BigDecimal m = b.movePointLeft(3).stripTrailingZeros();
            return m.toPlainString() + "e+03";
        }
        String s = b.stripTrailingZeros().toPlainString();
        return s;
    }

    private static void line(StringBuilder sb, int indent, String text) {
        sb.append(" ".repeat(indent)).append(text).append('\n');
    }
}
