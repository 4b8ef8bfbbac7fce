package dev.machina.machine;

import dev.machina.machine.ResolvedMachine.Device;
import dev.machina.machine.ResolvedMachine.DeviceValue;
import dev.machina.qom.ObjectType;
import dev.machina.qom.PropertyDefault;
import dev.machina.qom.PropertySpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What differs between machine types, as data: one row per machine option, per (driver, property)
 * that a compat set of any of the machines touches, and per fact of the default device graphs
 * (whether a device is there, its type, parent, bus, address, QEMU path, each property value and
 * link). Each row has one {@link Cell} per column, in the columns' order, and says whether the cells
 * differ. Made by {@link #of}; formatting is the command line's business.
 *
 * <p>A compat property's cell is the machine's effective value for an object of the row's driver:
 * the last entry of its compat sets that reaches that type (its own or an ancestor's, QEMU's
 * application order), else the type's default, as QEMU's {@code scripts/compare-machine-types.py}
 * fills its table.
 *
 * @param machines   the column labels, in the order given
 * @param group      columns are compared in consecutive groups of this many (all of them, or two when
 *                   each machine is compared across two data trees): a row is changed when the cells
 *                   of some group differ
 * @param options    every option any machine sets, in {@link MachineOption} order
 * @param properties every (driver, property) a compat set of any machine touches, by driver then property
 * @param devices    every device of any graph (by id, versions sorted as versions), then its facts
 */
public record MachineDiff(List<String> machines, int group, List<OptionRow> options, List<PropertyRow> properties,
                          List<DeviceRow> devices) {

    /**
     * One column: a machine type resolved from some data, with the effective values a dry run of the
     * VM builder gave it (device values in {@link ResolvedMachine#devices()}, compat properties in
     * {@code compat}), and the label that names it in output.
     */
    public record Column(String label, ResolvedMachine machine, MachineCatalog catalog, CompatValues compat) {}

    /** A (driver, property) some applied compat entry names. */
    public record Key(String driver, String property) {}

    /**
     * What one machine's compat properties make of a (driver, property): answered by the VM builder's
     * value engine (the same rule that sets the objects' values), so that this is never a second
     * opinion.
     */
    public interface CompatValues {
        /** Every (driver, property) the machine's compat entries name, in application order of first mention. */
        Set<Key> keys();

        /**
         * The effective value of {@code property} on an object of type {@code driver}: the last entry that
         * reaches it, else the type's default, as QEMU's {@code compare-machine-types.py} fills a cell.
         */
        Cell effective(String driver, String property);

        /** The type's own default for the property (no compat entry considered). */
        Cell typeDefault(String driver, String property);

        /** The compat entries that reach the driver's property, in application order (the last one wins). */
        List<Step> chain(String driver, String property);
    }

    /** What a cell holds. */
    public enum State {
        /** a value ({@link Cell#value()}) */
        VALUE,
        /** explicitly none: an option set to QEMU's NULL, a property without default, a device without a bus */
        NONE,
        /** an option no step of the machine's chain sets */
        UNSET,
        /** a value the data does not know (QEMU sets it at instance time and does not report it) */
        UNKNOWN,
        /** not there at all: the device is not in the machine's graph, the driver or property is not known */
        ABSENT
    }

    /**
     * One machine's value in a row.
     *
     * @param value  JSON-ready (Boolean, Long, BigInteger, String, List, Map) when the state is VALUE, else null
     * @param source where it comes from: {@code compat SET (file:line)}, {@code default}, the step of the
     *               chain that set an option with its file and line, {@code device graph (file:line:col)},
     *               or why there is no value ({@code unset}, {@code default (unknown)}, {@code absent}, ...)
     */
    public record Cell(State state, Object value, String source) {
        /** Same state and value (numbers by value), whatever the source. */
        public boolean sameAs(Cell o) {
            return state == o.state && sameJson(value, o.value);
        }
    }

    public record OptionRow(String name, List<Cell> cells, boolean changed) {}

    public record PropertyRow(String driver, String property, List<Cell> cells, boolean changed) {}

    /** The facts of a device a row can be about. */
    public enum DeviceField {
        PRESENT("present"), TYPE("type"), PARENT("parent"), BUS("bus"), ADDRESS("address"), QEMU_PATH("qemu-path"),
        PROPERTY("property"), LINK("link");

        private final String key;

        DeviceField(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /**
     * One fact of one device: {@code name} is the property or link name (null for the other fields).
     * A device that only some machines have is a change of its {@code present} row and of its
     * type/parent/bus/address/path rows; its property and link rows compare the machines that have it.
     */
    public record DeviceRow(String device, DeviceField field, String name, List<Cell> cells, boolean changed) {}

    public int changedRows() {
        return (int) (options.stream().filter(OptionRow::changed).count() + properties.stream().filter(PropertyRow::changed).count()
                + devices.stream().filter(DeviceRow::changed).count());
    }

    public int rows() {
        return options.size() + properties.size() + devices.size();
    }

    /** Compares the columns; every row is kept, {@code changed} says which differ. */
    public static MachineDiff of(List<Column> columns) {
        return of(columns, columns.size());
    }

    /**
     * Compares the columns in consecutive groups of {@code group} (e.g. 2: each machine type in one
     * data tree and in another); every row is kept, {@code changed} says which differ within a group.
     */
    public static MachineDiff of(List<Column> columns, int group) {
        if (group < 1 || columns.size() % group != 0) {
            throw new IllegalArgumentException(columns.size() + " columns in groups of " + group);
        }
        List<String> labels = columns.stream().map(Column::label).toList();
        Comparing cmp = new Comparing(group);
        return new MachineDiff(labels, group, options(columns, cmp), properties(columns, cmp), devices(columns, cmp));
    }

    // -- options --------------------------------------------------------------------------------------

    private static List<OptionRow> options(List<Column> columns, Comparing cmp) {
        List<OptionRow> out = new ArrayList<>();
        for (MachineOption o : MachineOption.values()) {
            List<Cell> cells = new ArrayList<>();
            boolean anySet = false;
            for (Column c : columns) {
                ResolvedMachine.Option v = c.machine().option(o);
                if (v == null) {
                    cells.add(new Cell(State.UNSET, null, "unset"));
                    continue;
                }
                anySet = true;
                String source = v.setBy() + " (" + v.at().fileLine() + ")";
                cells.add(v.value() == null ? new Cell(State.NONE, null, source)
                        : new Cell(State.VALUE, o.type().toJson(v.value()), source));
            }
            if (anySet) {
                out.add(new OptionRow(o.key(), List.copyOf(cells), cmp.differ(cells, null)));
            }
        }
        return List.copyOf(out);
    }

    // -- compat properties ----------------------------------------------------------------------------

    private static List<PropertyRow> properties(List<Column> columns, Comparing cmp) {
        Set<Key> keys = new TreeSet<>((a, b) -> {
            int d = a.driver().compareTo(b.driver());
            return d != 0 ? d : a.property().compareTo(b.property());
        });
        columns.forEach(c -> keys.addAll(c.compat().keys()));
        List<PropertyRow> out = new ArrayList<>();
        for (Key k : keys) {
            List<Cell> cells = new ArrayList<>();
            for (Column c : columns) {
                cells.add(c.compat().effective(k.driver(), k.property()));
            }
            out.add(new PropertyRow(k.driver(), k.property(), List.copyOf(cells), cmp.differ(cells, null)));
        }
        return List.copyOf(out);
    }

    // -- device graphs ----------------------------------------------------------------------------------

    private static List<DeviceRow> devices(List<Column> columns, Comparing cmp) {
        List<Map<String, Device>> graphs = new ArrayList<>();
        Set<String> ids = new TreeSet<>(MachineOrder.NATURAL);
        for (Column c : columns) {
            if (c.machine().devices() == null) {
                graphs.add(null);
                continue;
            }
            Map<String, Device> g = new HashMap<>();
            for (Device d : c.machine().devices()) {
                g.put(d.id(), d);
            }
            graphs.add(g);
            ids.addAll(g.keySet());
        }
        boolean[] noGraph = new boolean[graphs.size()];
        for (int i = 0; i < noGraph.length; i++) {
            noGraph[i] = graphs.get(i) == null;
        }
        List<DeviceRow> out = new ArrayList<>();
        for (String id : ids) {
            List<Device> devs = new ArrayList<>();
            List<Cell> present = new ArrayList<>();
            for (Map<String, Device> g : graphs) {
                Device d = g == null ? null : g.get(id);
                devs.add(d);
                present.add(g == null ? new Cell(State.UNKNOWN, null, "no device graph")
                        : new Cell(State.VALUE, d != null, "device graph"));
            }
            boolean moved = cmp.differ(present, null);
            out.add(new DeviceRow(id, DeviceField.PRESENT, null, List.copyOf(present), moved));
            // the machine object's type is NAME-machine in every machine: not a difference of the graphs
            List<Device> sameType = new ArrayList<>();
            for (int i = 0; i < devs.size(); i++) {
                Device d = devs.get(i);
                boolean machineObject = d != null && d.type().equals(columns.get(i).machine().qomType());
                sameType.add(machineObject ? new Device(d.id(), "(the machine type)", null, null, null, null, List.of(), Map.of(), Map.of(), Map.of()) : d);
            }
            structural(cmp, noGraph, out, id, devs, moved, DeviceField.TYPE, Device::type, sameType);
            structural(cmp, noGraph, out, id, devs, moved, DeviceField.PARENT, Device::parent, devs);
            structural(cmp, noGraph, out, id, devs, moved, DeviceField.BUS, Device::bus, devs);
            structural(cmp, noGraph, out, id, devs, moved, DeviceField.ADDRESS, Device::address, devs);
            structural(cmp, noGraph, out, id, devs, moved, DeviceField.QEMU_PATH, Device::qemuPath, devs);
            Set<String> props = new LinkedHashSet<>();
            Set<String> links = new LinkedHashSet<>();
            List<Map<String, DeviceValue>> values = new ArrayList<>();
            for (Device d : devs) {
                Map<String, DeviceValue> byName = new HashMap<>();
                if (d != null) {
                    d.values().forEach(v -> {
                        props.add(v.property());
                        byName.put(v.property(), v);
                    });
                    links.addAll(d.links().keySet());
                }
                values.add(byName);
            }
            for (String p : props) {
                List<Cell> cells = new ArrayList<>();
                for (int i = 0; i < devs.size(); i++) {
                    cells.add(propertyCell(devs.get(i), values.get(i).get(p), p, columns.get(i).catalog()));
                }
                out.add(new DeviceRow(id, DeviceField.PROPERTY, p, unknownWithoutGraph(cells, noGraph), cmp.differ(cells, devs)));
            }
            for (String l : links) {
                List<Cell> cells = new ArrayList<>();
                for (Device d : devs) {
                    String target = d == null ? null : d.links().get(l);
                    cells.add(d == null ? new Cell(State.ABSENT, null, "absent")
                            : target == null ? new Cell(State.NONE, null, "device graph") : new Cell(State.VALUE, target, "device graph"));
                }
                out.add(new DeviceRow(id, DeviceField.LINK, l, unknownWithoutGraph(cells, noGraph), cmp.differ(cells, devs)));
            }
        }
        return List.copyOf(out);
    }

    /** A row of one fact of a device; {@code compared} stands for {@code devs} where the fact's value is compared. */
    private static void structural(Comparing cmp, boolean[] noGraph, List<DeviceRow> out, String id, List<Device> devs, boolean moved, DeviceField field, java.util.function.Function<Device, String> fact,
                                   List<Device> compared) {
        List<Cell> cells = cells(devs, fact);
        boolean anyValue = cells.stream().anyMatch(c -> c.state() == State.VALUE);
        // a field no machine gives a value (a device without a bus) is not worth a row, even when the device moves
        if (anyValue) {
            boolean differ = cmp.differ(cells(compared, fact), devs);
            out.add(new DeviceRow(id, field, null, unknownWithoutGraph(cells, noGraph), moved || differ));
        }
    }

    private static List<Cell> cells(List<Device> devs, java.util.function.Function<Device, String> fact) {
        List<Cell> cells = new ArrayList<>();
        for (Device d : devs) {
            String v = d == null ? null : fact.apply(d);
            cells.add(d == null ? new Cell(State.ABSENT, null, "absent")
                    : v == null ? new Cell(State.NONE, null, "device graph") : new Cell(State.VALUE, v, "device graph"));
        }
        return cells;
    }

    /** The cells, where a machine has no device graph at all saying so rather than "absent". */
    private static List<Cell> unknownWithoutGraph(List<Cell> cells, boolean[] noGraph) {
        List<Cell> out = new ArrayList<>(cells);
        for (int i = 0; i < noGraph.length; i++) {
            if (noGraph[i]) {
                out.set(i, new Cell(State.UNKNOWN, null, "no device graph"));
            }
        }
        return List.copyOf(out);
    }

    /** The cell of one property of a device ({@code v}: its value, null when the device has none for it). */
    private static Cell propertyCell(Device d, DeviceValue v, String property, MachineCatalog catalog) {
        if (d == null) {
            return new Cell(State.ABSENT, null, "absent");
        }
        if (v != null) {
            String source = v.compat() != null ? "compat " + v.compat().set() + " (" + v.compat().at().fileLine() + ")"
                    : v.origin() instanceof dev.machina.qom.ValueOrigin.Default ? "default" : v.origin().toString();
            return new Cell(State.VALUE, v.type().toJson(v.value()), source);
        }
        ObjectType t = catalog.registry().find(d.type()).orElse(null);
        PropertySpec spec = t == null ? null : t.property(property).orElse(null);
        if (spec == null) {
            return new Cell(State.ABSENT, null, "no such property");
        }
        return spec.defaultValue() instanceof PropertyDefault.Unknown ? new Cell(State.UNKNOWN, null, "default (unknown)")
                : new Cell(State.NONE, null, "default (none)");
    }

    // -- comparing --------------------------------------------------------------------------------------

    /** Whether the cells of a row differ within a group of columns. */
    private record Comparing(int group) {
        /**
         * @param devs when not null, only the columns whose device is there count (a device only some
         *             machines have is a change of its presence, not of each of its properties)
         */
        boolean differ(List<Cell> cells, List<Device> devs) {
            for (int g = 0; g < cells.size(); g += group) {
                Cell first = null;
                for (int i = g; i < g + group; i++) {
                    if (devs != null && devs.get(i) == null) {
                        continue;
                    }
                    if (first == null) {
                        first = cells.get(i);
                    } else if (!first.sameAs(cells.get(i))) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** JSON-ready values equal, numbers by value whatever their Java type (a baseline read back gives Integer). */
    public static boolean sameJson(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new java.math.BigDecimal(x.toString()).compareTo(new java.math.BigDecimal(y.toString())) == 0;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!sameJson(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (!x.keySet().equals(y.keySet())) {
                return false;
            }
            for (Object k : x.keySet()) {
                if (!sameJson(x.get(k), y.get(k))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    // -- explain ----------------------------------------------------------------------------------------

    /**
     * Why one (driver, property) has its value in each machine.
     *
     * @param machines one chain per column, in the columns' order
     */
    public record Explanation(String driver, String property, List<Chain> machines) {}

    /**
     * One machine's chain: every compat entry that reaches the driver for the property, in application
     * order (the last one wins; none wins when there is none), then the type's default.
     */
    public record Chain(String machine, Cell effective, List<Step> steps, Cell typeDefault) {}

    /** One compat entry of a chain: its set, the driver it names, its text and typed value, where it is written. */
    public record Step(String set, String driver, String text, Object value, String at, boolean wins) {}

    /** The chain of one (driver, property) in each column. */
    public static Explanation explain(List<Column> columns, String driver, String property) {
        List<Chain> chains = new ArrayList<>();
        for (Column c : columns) {
            chains.add(new Chain(c.label(), c.compat().effective(driver, property), c.compat().chain(driver, property),
                    c.compat().typeDefault(driver, property)));
        }
        return new Explanation(driver, property, List.copyOf(chains));
    }

    /** A {@code DRIVER.PROPERTY} that names nothing the columns know. */
    public static final class UnknownPropertyException extends dev.machina.util.UserException {
        UnknownPropertyException(String message) {
            super(message);
        }
    }

    /**
     * Splits {@code DRIVER.PROPERTY} where the driver is a type some column knows (drivers may hold
     * dots: {@code cfi.pflash01}; the longest known driver wins) and the property is one the type
     * (or a subtype, or a compat entry) has.
     *
     * @return {driver, property}
     * @throws UnknownPropertyException naming what is unknown, with the closest names
     */
    public static String[] splitDriverProperty(String spec, List<Column> columns) {
        Set<String> drivers = new LinkedHashSet<>();
        Map<String, Set<String>> compatProps = new LinkedHashMap<>();
        for (Column c : columns) {
            drivers.addAll(c.catalog().registry().names());
            for (Key k : c.compat().keys()) {
                drivers.add(k.driver());
                compatProps.computeIfAbsent(k.driver(), x -> new TreeSet<>()).add(k.property());
            }
        }
        String driver = null;
        for (int i = spec.length() - 1; i > 0; i--) {
            if (spec.charAt(i) == '.' && i < spec.length() - 1 && drivers.contains(spec.substring(0, i))) {
                driver = spec.substring(0, i);
                break;
            }
        }
        if (driver == null) {
            int dot = spec.indexOf('.');
            if (dot <= 0 || dot == spec.length() - 1) {
                throw new UnknownPropertyException("'" + spec + "' is not DRIVER.PROPERTY (e.g. isa-fdc.fallback)");
            }
            String d = spec.substring(0, spec.lastIndexOf('.'));
            throw new UnknownPropertyException("unknown driver '" + d + "' in '" + spec + "'"
                    + dev.machina.util.Suggest.didYouMean(d, drivers));
        }
        String property = spec.substring(driver.length() + 1);
        Set<String> known = new TreeSet<>(compatProps.getOrDefault(driver, Set.of()));
        for (Column c : columns) {
            ObjectType t = c.catalog().registry().find(driver).orElse(null);
            if (t != null) {
                known.addAll(t.propertyNames());
                for (ObjectType sub : c.catalog().registry().list(new dev.machina.qom.TypeRegistry.Filter(t.name(), false))) {
                    if (sub.property(property).isPresent()) {
                        known.add(property);
                    }
                }
            }
        }
        if (!known.contains(property)) {
            throw new UnknownPropertyException("unknown property '" + property + "' of " + driver
                    + dev.machina.util.Suggest.didYouMean(property, known));
        }
        return new String[] {driver, property};
    }
}
