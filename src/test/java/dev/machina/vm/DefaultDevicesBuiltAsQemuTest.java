package dev.machina.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.machina.machine.MachineDiff;
import dev.machina.qom.PropertySpec;
import dev.machina.qom.QomObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dry run of a machine type with its default devices (what {@code machine show NAME --with-defaults}
 * prints) against QEMU 7.2's walk of the same machine type without -nodefaults
 * (tools/qemu72/graphs-defaults/MACHINE.json, recorded by tools/qemu72/collect_defaults.py): every object
 * QEMU has is built at the same path with the same type, and every value QEMU reported is the built
 * object's, for every property the type data declares.
 *
 * <p>Differences that are not configuration, listed by kind ({@link #RUNTIME_ONLY}):
 * <ul>
 *   <li>QOM lifecycle state: {@code realized}, {@code hotplugged}, {@code hotpluggable};</li>
 *   <li>the host's clock when QEMU started: the machine's {@code rtc-time}, the RTC's {@code date};</li>
 *   <li>read-only reports: {@code legacy-addr} (a PCI address in another notation), the CPU's crash
 *       report;</li>
 *   <li>which bus a device sits on ({@code parent_bus}: VmBuilderTest compares buses as objects);</li>
 *   <li>the size of the host's ROM file ({@code romsize} of a PCI device with a {@code romfile}):
 *       pci_add_option_rom rounds the file's size up to a power of two, so it is the installed firmware
 *       package's, not the machine type's;</li>
 *   <li>registers the firmware programs ({@link #FIRMWARE_STATE}): the Q35 host's MMCONFIG window;</li>
 *   <li>the recording's own monitor: {@code /chardevs/compat_monitor0} is the walk's {@code -qmp stdio}
 *       (a monitor option replaces QEMU's default monitor, whose chardev is a {@code vc}).</li>
 * </ul>
 * Memory regions and IRQ objects (children of type {@code memory-region} and {@code irq}) are the
 * realized machine's, not the dry run's: the walks list them as children and they are not compared.
 * CPU properties are compared as {@link VmAgreesWithQemuTest#CPU_CHECKED} lists.
 */
class DefaultDevicesBuiltAsQemuTest {
    static final Set<String> RUNTIME_ONLY = Set.of("realized", "hotplugged", "hotpluggable", "parent_bus", "type",
            "legacy-addr", "rtc-time", "date", "crash-information");

    static final Set<String> FIRMWARE_STATE = Set.of("q35-pcihost.MCFG", "q35-pcihost.mcfg_size");

    /**
     * Properties QEMU adds to an object while realizing it, not in its type's static schema (the same
     * list as MachineShowAgreesWithQemuTest's); any other property QEMU reports must be declared.
     */
    static final Set<String> ADDED_AT_REALIZE = Set.of(
            "PIIX4_PM.acpi-pcihp-io-base", "PIIX4_PM.acpi-pcihp-io-len", "PIIX4_PM.acpi_disable_cmd",
            "PIIX4_PM.acpi_enable_cmd", "PIIX4_PM.cpu-hotplug-legacy", "PIIX4_PM.gpe0_blk", "PIIX4_PM.gpe0_blk_len",
            "PIIX4_PM.pm_io_base", "PIIX4_PM.sci_int", "ICH9-LPC.acpi-pcihp-io-base", "ICH9-LPC.acpi-pcihp-io-len",
            "PCI.acpi-pcihp-bsel", "vmmouse.legacy-i8042");

    static final Set<String> RECORDING_ONLY = Set.of("/chardevs/compat_monitor0");

    private static JsonNode walk(String machine) {
        try {
            return new ObjectMapper().readTree(Path.of("tools/qemu72/graphs-defaults", machine + ".json").toFile()).get("objects");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> disagreements(String machine, int[] compared) {
        JsonNode qemu = walk(machine);
        BuiltMachine built = VmBuilder.dryRun(VmSpec.machineOnly(Packaged.catalog(), machine, true));
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> objs = qemu.fields(); objs.hasNext(); ) {
            Map.Entry<String, JsonNode> e = objs.next();
            if (RECORDING_ONLY.contains(e.getKey())) {
                continue;
            }
            QomObject o = built.tree().tryResolve(e.getKey(), null).orElse(null);
            String qemuType = e.getValue().get("type").asText();
            if (o == null) {
                out.add(e.getKey() + " (" + qemuType + "): not built");
                continue;
            }
            if (!o.typeName().equals(qemuType)) {
                out.add(e.getKey() + ": QEMU has a " + qemuType + ", Machina a " + o.typeName());
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = e.getValue().get("values").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> v = it.next();
                String name = v.getKey();
                PropertySpec spec = o.type().property(name).orElse(null);
                if (spec == null && !RUNTIME_ONLY.contains(name) && !ADDED_AT_REALIZE.contains(o.typeName() + "." + name)
                        && !name.equals("unavailable-features")) {
                    out.add(e.getKey() + " " + o.typeName() + "." + name + ": QEMU reports it, the type data does not declare it");
                }
                boolean hostRom = name.equals("romsize") && o.type().isA("pci-device") && o.value("romfile").isPresent();
                if (spec == null || RUNTIME_ONLY.contains(name) || hostRom || v.getValue().has("error")
                        || FIRMWARE_STATE.contains(o.typeName() + "." + name)
                        || o.type().isA("cpu") && !VmAgreesWithQemuTest.CPU_CHECKED.contains(name)) {
                    continue;
                }
                compared[0]++;
                Object want = json.convertValue(v.getValue(), Object.class);
                Object got = o.value(name).map(x -> spec.type().toJson(x)).orElse(null);
                if (name.equals("addr") && got instanceof String s) {
                    got = PciAddress.parse(s).map(a -> (Object) (long) a.devfn()).orElse(-1L);
                }
                if (want instanceof String w && w.isEmpty() && got == null) {
                    continue; // an unset string or link reads back as ""
                }
                if (got == null || !MachineDiff.sameJson(want, got)) {
                    out.add(e.getKey() + " " + o.typeName() + "." + name + ": QEMU " + want + ", Machina "
                            + (got == null ? "(no value)" : got + " (" + o.origin(name) + ")"));
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pc-i440fx-7.2", "pc-q35-7.2", "pc-i440fx-1.4", "pc-q35-2.4", "isapc"})
    void everyObjectAndValueOfQemusWalkWithDefaultsIsBuilt(String machine) {
        int[] compared = {0};
        List<String> d = disagreements(machine, compared);
        assertEquals(List.of(), d, d.size() + " disagreements");
        assertTrue(compared[0] > 150, "compared only " + compared[0] + " values");
    }
}
