package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.machina.qom.ObjectType;
import dev.machina.qom.PropertyDefault;
import dev.machina.qom.PropertySpec;
import dev.machina.qom.PropertyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Differential test against a real QEMU 7.2: for every object QEMU created whose type the catalog
 * knows, every property value QEMU reported that compat sets, type defaults (or the device graph and
 * machine options) determine must equal what {@code machine show NAME --format json} reports.
 *
 * <p>Inputs: {@code ../shared/qemu/machines/raw72/pc-i440fx-{2.5,7.2}.qom-values.json} (the issue's
 * reference walks) and {@code tools/qemu72/graphs/*.json} (the same walk of every machine type QEMU
 * 7.2 has, made by {@code tools/qemu72/collect.py}). What the test cannot cover, and why:
 * <ul>
 *   <li>{@link #STATE}: lifecycle state every device and bus has, not configuration.</li>
 *   <li>{@link #READ_ONLY}: values QEMU derives and only reports (the catalog does not declare them).</li>
 *   <li>{@link #ADDED_AT_REALIZE}: properties QEMU adds to an object while realizing it, so they are
 *       not in the type's static schema ({@code device-list-properties} does not list them).</li>
 *   <li>CPU model properties: properties of an x86 CPU whose default QEMU 7.2 does not report (the
 *       CPU model sets them at instance init: features, family/model/stepping), unless a compat set
 *       or the device graph gives them a value.</li>
 *   <li>{@link #FIRMWARE_STATE}: registers the firmware programs, reported as properties (the Q35
 *       host's MMCONFIG window is unmapped until the firmware writes PCIEXBAR).</li>
 * </ul>
 * An unset string or link reads back from QEMU as {@code ""}; a property machina leaves unset
 * (declared without a default) agrees with that.
 */
class MachineShowAgreesWithQemuTest {
    private static final Path RAW72 = Path.of("../shared/qemu/machines/raw72");
    private static final Path GRAPHS = Path.of("tools/qemu72/graphs");

    static final Set<String> STATE = Set.of("realized", "hotpluggable", "hotplugged");

    static final Set<String> READ_ONLY = Set.of("legacy-addr", "rtc-time", "date", "feature-words",
            "filtered-features", "crash-information", "unavailable-features");

    static final Set<String> ADDED_AT_REALIZE = Set.of(
            "PIIX4_PM.acpi-pcihp-io-base", "PIIX4_PM.acpi-pcihp-io-len", "PIIX4_PM.acpi_disable_cmd",
            "PIIX4_PM.acpi_enable_cmd", "PIIX4_PM.cpu-hotplug-legacy", "PIIX4_PM.gpe0_blk", "PIIX4_PM.gpe0_blk_len",
            "PIIX4_PM.pm_io_base", "PIIX4_PM.sci_int", "ICH9-LPC.acpi-pcihp-io-base", "ICH9-LPC.acpi-pcihp-io-len",
            "PCI.acpi-pcihp-bsel", "vmmouse.legacy-i8042");

    static final Set<String> FIRMWARE_STATE = Set.of("q35-pcihost.MCFG", "q35-pcihost.mcfg_size");

    private static Context context;

    @BeforeAll
    static void loadOnce() {
        context = new Context();
    }

    /** Problems in one comparison, as lines; empty when QEMU and machina agree on all they can. */
    private static List<String> problems(QomAgreement.Result r) {
        List<String> out = new ArrayList<>();
        r.missingObjects.forEach(o -> out.add("object QEMU has but the graph lacks: " + o));
        for (String path : r.unknownTypes) {
            if (!path.endsWith("(container)")) {
                out.add("object of a type the catalog does not know: " + path);
            }
        }
        for (QomAgreement.Row row : r.disagree) {
            if (!FIRMWARE_STATE.contains(row.type() + "." + row.property())) {
                out.add("disagrees: " + row);
            }
        }
        for (Map.Entry<String, List<QomAgreement.Row>> e : r.uncovered.entrySet()) {
            QomAgreement.Row row = e.getValue().get(0);
            String why = whyUncovered(row);
            if (why == null) {
                e.getValue().forEach(x -> out.add("no value in machine show: " + x));
            }
        }
        return out;
    }

    /** The named reason a property has no value in machine show, or null when there is none. */
    private static String whyUncovered(QomAgreement.Row row) {
        if (STATE.contains(row.property())) {
            return "state";
        }
        if (READ_ONLY.contains(row.property())) {
            return "read-only";
        }
        if (FIRMWARE_STATE.contains(row.type() + "." + row.property())) {
            return "firmware state";
        }
        ObjectType t = context.registry().type(row.type());
        PropertySpec spec = t.property(row.property()).orElse(null);
        if (ADDED_AT_REALIZE.contains(row.type() + "." + row.property())) {
            return spec == null ? "added at realize" : null; // the list must not hide a declared property
        }
        if (spec == null) {
            return null;
        }
        boolean unsetText = spec.defaultValue() instanceof PropertyDefault.None && row.qemu().isTextual()
                && row.qemu().asText().isEmpty()
                && (spec.type() instanceof PropertyType.StrType || spec.type() instanceof PropertyType.LinkType);
        if (unsetText) {
            return "unset";
        }
        if (t.isA("x86_64-cpu") && spec.defaultValue() instanceof PropertyDefault.Unknown) {
            return "CPU model property";
        }
        return null;
    }

    private static QomAgreement.Result compareRaw72(String machine) throws Exception {
        JsonNode objects = QomAgreement.JSON.readTree(RAW72.resolve(machine + ".qom-values.json").toFile());
        return QomAgreement.compare(machine, objects, QomAgreement.show(context, machine), context);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pc-i440fx-2.5", "pc-i440fx-7.2"})
    void everyValueCompatOrDefaultsDetermineMatchesQemu(String machine) throws Exception {
        QomAgreement.Result r = compareRaw72(machine);

        List<String> problems = problems(r);

        assertEquals(List.of(), problems, machine + ": " + problems.size() + " problems");
        assertTrue(r.agree.size() > 200, "compared only " + r.agree.size() + " values");
    }

    @Test
    void valuesThatDifferBetween25And72ComeFromTheCompatSetsQemuDocumentsForThem() throws Exception {
        // rows of the table in ../shared/qemu/machines/qemu72-observed.md: path, property, the array
        // that explains the 2.5 value
        String[][] rows = {
                {"/machine/unattached/device[12]", "fallback", "hw-2.5"},
                {"/machine/i440fx/ioapic", "version", "hw-2.7"},
                {"/machine/fw_cfg", "x-file-slots", "hw-2.8"},
                {"/machine/fw_cfg", "acpi-mr-restore", "hw-4.2"},
                {"/machine/i440fx", "x-pci-hole64-fix", "pc-2.10"},
                {"/machine/i440fx", "x-config-reg-migration-enabled", "hw-5.0"},
                {"/machine/unattached/device[0]", "x-hv-max-vps", "pc-2.10"},
                {"/machine/unattached/device[0]", "family", "pc-6.0"},
                {"/machine/unattached/device[0]", "hv-version-id-build", "pc-6.1"},
                {"/machine/unattached/device[0]/lapic", "legacy-instance-id", "pc-2.6"},
                {"/machine/unattached/device[11]", "migrate", "pc-2.7"},
                {"/machine/unattached/device[13]", "extended-state", "hw-6.0"},
                {"/machine/unattached/device[14]", "x-cmds-v2", "hw-5.0"},
                {"/machine/unattached/device[8]", "hpet-offset-saved", "hw-2.11"},
                {"/machine/unattached/device[18]", "smm-compat", "hw-5.2"},
                {"/machine/unattached/device[18]", "x-not-migrate-acpi-index", "hw-6.2"},
                {"/machine/unattached/device[17]", "x-pcie-extcap-init", "hw-2.8"},
        };
        QomAgreement.Result r = compareRaw72("pc-i440fx-2.5");
        for (String[] row : rows) {
            QomAgreement.Row found = r.agree.stream().filter(x -> x.path().equals(row[0]) && x.property().equals(row[1]))
                    .findFirst().orElseThrow(() -> new AssertionError("no agreeing value for " + row[0] + " " + row[1]));
            assertTrue(found.from().startsWith("compat ") && found.from().contains("(" + row[2] + ":"),
                    row[0] + " " + row[1] + " comes from " + found.from() + ", not from " + row[2]);
        }
    }

    /**
     * {@code machine show NAME --with-defaults} against QEMU 7.2's walk without -nodefaults
     * (tools/qemu72/graphs-defaults/): every object at its path, every value. Left out besides the
     * kinds above: {@code /chardevs/compat_monitor0}, the recording's own -qmp stdio (QEMU's default
     * monitor is a vc, left out when any monitor option is given), and a PCI device's {@code romsize}
     * where it has a ROM file (the installed file's size rounded up to a power of two: the host's).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pc-i440fx-7.2", "pc-q35-7.2", "pc-i440fx-1.4", "pc-q35-2.4", "isapc"})
    void machineShowWithDefaultsAgreesWithQemusWalkWithoutNodefaults(String machine) throws Exception {
        JsonNode g = QomAgreement.JSON.readTree(Path.of("tools/qemu72/graphs-defaults", machine + ".json").toFile());
        ObjectNode objects = QomAgreement.JSON.createObjectNode();
        g.get("objects").fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("/chardevs/compat_monitor0")) {
                return;
            }
            ObjectNode o = QomAgreement.JSON.createObjectNode();
            o.set("type", e.getValue().get("type"));
            ObjectNode values = e.getValue().get("values").deepCopy();
            if (values.has("romfile") && !values.get("romfile").asText().isEmpty()) {
                values.remove("romsize");
            }
            o.set("values", values);
            objects.set(e.getKey(), o);
        });
        JsonNode shown = QomAgreement.show(context, machine, "--with-defaults");
        QomAgreement.Result r = QomAgreement.compare(machine, objects, shown, context);
        assertEquals(List.of(), problems(r), machine);
        assertTrue(r.agree.size() > 150, "compared only " + r.agree.size() + " values");
        assertTrue(shown.get("devices").findValuesAsText("qemu-path").contains("/chardevs/compat_monitor0"),
                "the default monitor's chardev is in the graph");
    }

    @TestFactory
    Stream<DynamicTest> everyMachineQemu72HasAgreesWithItsWalk() throws Exception {
        List<Path> walks;
        try (Stream<Path> s = Files.list(GRAPHS)) {
            walks = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(walks.size() >= 59, "expected a walk of every machine type QEMU 7.2 lists, x-remote included");
        assertTrue(walks.contains(GRAPHS.resolve("x-remote.json")), "x-remote's walk");
        return walks.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            JsonNode g = QomAgreement.JSON.readTree(p.toFile());
            String machine = g.get("machine").asText();
            ObjectNode objects = QomAgreement.JSON.createObjectNode();
            g.get("objects").fields().forEachRemaining(e -> {
                ObjectNode o = QomAgreement.JSON.createObjectNode();
                o.set("type", e.getValue().get("type"));
                o.set("values", e.getValue().get("values"));
                objects.set(e.getKey(), o);
            });
            QomAgreement.Result r = QomAgreement.compare(machine, objects, QomAgreement.show(context, machine), context);
            assertEquals(List.of(), problems(r), machine);
        }));
    }
}
