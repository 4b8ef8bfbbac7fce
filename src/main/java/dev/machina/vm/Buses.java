package dev.machina.vm;

import dev.machina.qom.QomObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a {@code -device} is plugged in, as QEMU's {@code qdev_device_add} decides: the bus named by
 * {@code bus=} (a bus name such as {@code pci.0} or {@code isa.0}, {@code ID.BUSNAME} for a bus of a
 * device with that id, or an absolute QOM path), else the first bus of the kind the device's class
 * plugs into; and on a PCI bus, the address {@code addr=} gives, else the lowest free slot.
 */
final class Buses {
    private Buses() {}

    /**
     * The bus type each device base plugs into (QEMU's {@code DeviceClass.bus_type}, set by the base's
     * class_init: {@code isa_device_class_init} → TYPE_ISA_BUS, {@code pci_device_class_init} →
     * TYPE_PCI_BUS, {@code sysbus_device_class_init} → TYPE_SYSTEM_BUS, ...). Ordered: the first base a
     * type is wins.
     */
    private static final List<Map.Entry<String, String>> BUS_OF = List.of(
            Map.entry("isa-device", "ISA"),
            Map.entry("pci-device", "PCI"),
            Map.entry("sys-bus-device", "System"),
            Map.entry("usb-device", "usb-bus"),
            Map.entry("i2c-slave", "i2c-bus"),
            Map.entry("ide-device", "IDE"),
            Map.entry("scsi-device", "SCSI"),
            Map.entry("virtio-device", "virtio-bus"),
            Map.entry("hda-codec", "HDA"),
            Map.entry("ccid-card", "ccid-bus"),
            Map.entry("floppy", "floppy-bus"),
            Map.entry("virtio-serial-port", "virtio-serial-bus"),
            Map.entry("ipack-device", "IndustryPack"),
            Map.entry("xen-device", "xen-bus"));

    /** The bus type a device type plugs into, if any (CPUs and a few others plug into none). */
    static Optional<String> busTypeOf(QomObject device) {
        for (Map.Entry<String, String> e : BUS_OF) {
            if (device.type().isA(e.getKey())) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    static BuiltObject forDevice(VmBuilder b, QomObject device, VmSpec.DeviceSpec d) {
        Optional<String> wanted = busTypeOf(device);
        Optional<VmSpec.Setting> named = d.key("bus");
        List<BuiltObject> buses = new ArrayList<>();
        for (BuiltObject o : b.built()) {
            if (o.isA("bus")) {
                buses.add(o);
            }
        }
        if (named.isPresent()) {
            BuiltObject bus = find(buses, b.built(), named.get().value()).orElseThrow(() -> new VmException(new VmError.BadBus(
                    named.get().where(), named.get().value(), "not found", buses.stream().map(Buses::name).toList())));
            if (wanted.isEmpty() || !bus.isA(wanted.get())) {
                throw new VmException(new VmError.BadBus(named.get().where(), named.get().value(), "is a " + bus.typeName()
                        + " bus; device '" + d.driver() + "' " + wanted.map(w -> "needs a " + w + " bus").orElse("plugs into no bus"),
                        List.of()));
            }
            return bus;
        }
        if (wanted.isEmpty()) {
            return null;
        }
        Optional<BuiltObject> found = buses.stream().filter(x -> x.isA(wanted.get())).findFirst();
        if (found.isEmpty()) {
            // a controller given earlier that would make this bus in QEMU but has no model here (so no bus): that is
            // the truthful reason, and QEMU takes the line
            for (BuiltObject o : b.built()) {
                if (o.kind() == BuiltObject.Kind.USER_DEVICE && PROVIDES.stream().anyMatch(p -> o.isA(p.getKey()) && p.getValue().equals(wanted.get()))) {
                    throw new VmException(new VmError.NoModel(o.typeName(), o.path(), "remove it (" + o.where() + ") and the devices on its "
                            + wanted.get() + " (" + d.where() + ")"));
                }
            }
            throw new VmException(new VmError.NoBus(d.where(), d.driver(), wanted.get()));
        }
        return found.get();
    }

    /**
     * The bus a controller type makes in QEMU 7.2 (its realize creates it: usb_bus_new for the UHCI, OHCI, EHCI and xHCI
     * host controllers, hda_codec_bus_init for intel-hda, scsi_bus_init for the HBAs, virtio-serial's bus): used only to
     * say that a controller without a model, not a missing bus, is why a device cannot be placed.
     */
    private static final List<Map.Entry<String, String>> PROVIDES = List.of(
            Map.entry("pci-uhci-usb", "usb-bus"),
            Map.entry("pci-ohci", "usb-bus"),
            Map.entry("sysbus-ohci", "usb-bus"),
            Map.entry("pci-ehci-usb", "usb-bus"),
            Map.entry("pci-xhci", "usb-bus"),
            Map.entry("sysbus-xhci", "usb-bus"),
            Map.entry("intel-hda-generic", "HDA"),
            Map.entry("lsi53c895a", "SCSI"),
            Map.entry("pvscsi", "SCSI"),
            Map.entry("virtio-scsi-common", "SCSI"),
            Map.entry("virtio-serial-device", "virtio-serial-bus"));

    private static String name(BuiltObject bus) {
        return bus.object().name();
    }

    private static Optional<BuiltObject> find(List<BuiltObject> buses, List<BuiltObject> all, String spec) {
        if (spec.startsWith("/")) {
            return buses.stream().filter(x -> x.path().equals(spec)).findFirst();
        }
        int dot = spec.indexOf('.');
        int slash = spec.indexOf('/');
        if (slash > 0) {
            String id = spec.substring(0, slash);
            String bus = spec.substring(slash + 1);
            return all.stream().filter(o -> o.id().filter(id::equals).isPresent()).findFirst()
                    .flatMap(dev -> buses.stream().filter(x -> x.object().parent().filter(p -> p == dev.object()).isPresent()
                            && name(x).equals(bus)).findFirst());
        }
        Optional<BuiltObject> byName = buses.stream().filter(x -> name(x).equals(spec)).findFirst();
        if (byName.isPresent() || dot < 0) {
            return byName;
        }
        return Optional.empty();
    }

    /** The PCI address a device gets: {@code addr=} if given and free, else the lowest free slot (function 0). */
    static PciAddress pciAddress(VmBuilder b, BuiltObject bus, QomObject device, VmSpec.DeviceSpec d) {
        Map<Integer, BuiltObject> taken = new java.util.HashMap<>();
        for (BuiltObject o : b.built()) {
            if (o.bus().filter(x -> x == bus).isPresent() && o.pciAddress().isPresent()) {
                taken.put(o.pciAddress().get().devfn(), o);
            }
        }
        Optional<VmSpec.Setting> addr = d.key("addr");
        if (addr.isPresent() && !addr.get().value().equals("-1")) {
            PciAddress a = PciAddress.parse(addr.get().value()).or(() -> devfnNumber(addr.get().value()))
                    .orElseThrow(() -> new VmException(new VmError.BadAddress(addr.get().where(), addr.get().value(),
                            "is not SLOT[.FUNCTION] (slot 00..1f in hex, function 0..7)")));
            BuiltObject other = taken.get(a.devfn());
            if (other != null) {
                throw new VmException(new VmError.BadAddress(addr.get().where(), a.toString(), "is in use by " + other.typeName()
                        + " (" + other.path() + ")"));
            }
            return a;
        }
        for (int slot = 0; slot < 32; slot++) {
            if (!taken.containsKey(slot << 3)) {
                PciAddress a = new PciAddress(slot, 0);
                if (device.hasProperty("addr")) {
                    device.set("addr", a.toString(), "next free slot on " + bus.path());
                }
                return a;
            }
        }
        throw new VmException(new VmError.BadAddress(d.where(), "(any)", "is not to be had: every slot of " + bus.path()
                + " is in use"));
    }

    /**
     * A board device's PCI address: its {@code addr} as the board set it ({@code pci_create_simple(bus,
     * PCI_DEVFN(1, 1), ...)}), else the lowest free slot, as {@code pci_create_simple(bus, -1, ...)} gets.
     */
    static PciAddress boardPciAddress(VmBuilder b, BuiltObject bus, BuiltObject device) {
        Map<Integer, BuiltObject> taken = new java.util.HashMap<>();
        for (BuiltObject o : b.built()) {
            if (o.bus().filter(x -> x == bus).isPresent() && o.pciAddress().isPresent()) {
                taken.put(o.pciAddress().get().devfn(), o);
            }
        }
        Optional<String> addr = device.object().hasProperty("addr") ? device.object().text("addr") : Optional.empty();
        if (addr.isPresent() && !addr.get().equals("-1")) {
            PciAddress a = PciAddress.parse(addr.get()).or(() -> devfnNumber(addr.get())).orElseThrow(() -> new VmException(
                    new VmError.BadGraph(device.where(), "addr '" + addr.get() + "' of " + device.path() + " is not SLOT.FUNCTION")));
            BuiltObject other = taken.get(a.devfn());
            if (other != null) {
                throw new VmException(new VmError.BadGraph(device.where(), device.path() + " and " + other.path()
                        + " both sit at PCI address " + a + " of " + bus.path()));
            }
            return a;
        }
        for (int slot = 0; slot < 32; slot++) {
            if (!taken.containsKey(slot << 3)) {
                PciAddress a = new PciAddress(slot, 0);
                if (device.object().hasProperty("addr")) {
                    device.object().set("addr", a.toString(), "next free slot on " + bus.path());
                }
                return a;
            }
        }
        throw new VmException(new VmError.BadGraph(device.where(), "no free PCI slot on " + bus.path() + " for " + device.path()));
    }

    private static Optional<PciAddress> devfnNumber(String text) {
        try {
            int devfn = Integer.decode(text.trim());
            return devfn >= 0 && devfn < 256 ? Optional.of(PciAddress.ofDevfn(devfn)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
