package dev.machina.qom;

import java.util.ArrayList;
import java.util.List;

/**
 * A small type hierarchy for the object-model tests, shaped like QEMU's:
 * <pre>
 * object ── device ── isa-device ── test-uart ── test-uart16550   (implements test-resettable)
 *                  │             └─ test-timer
 *                  └─ test-faulty   (realize always fails)
 *        ── container
 *        ── test-host (has a child&lt;test-timer&gt; and a link&lt;isa-device&gt;)
 *        ── test-backend   (not a device, like a memory backend)
 * interface ── test-resettable ── test-warm-resettable
 * </pre>
 */
final class TestTypes {
    private TestTypes() {}

    /** A device whose realize fails when its {@code fail} property is on. */
    static final class Faulty extends QomObject {
        Faulty(ObjectType t) {
            super(t);
        }

        @Override
        protected void onRealize() {
            if (getBool("fail")) {
                throw realizeError("the 'fail' property is on");
            }
        }
    }

    /** Records realize/unrealize calls in order, for the lifecycle tests. */
    static final class Recording extends QomObject {
        static final ThreadLocal<List<String>> LOG = ThreadLocal.withInitial(ArrayList::new);

        Recording(ObjectType t) {
            super(t);
        }

        @Override
        protected void onRealize() {
            LOG.get().add("realize " + path());
        }

        @Override
        protected void onUnrealize() {
            LOG.get().add("unrealize " + path());
        }
    }

    static List<TypeInfo> declarations() {
        return List.of(
                TypeInfo.builder("object").abstractType().build(),
                TypeInfo.builder("interface").abstractType().build(),
                TypeInfo.builder("container").parent("object").build(),
                TypeInfo.builder("device").parent("object").abstractType().hotpluggable(true).build(),
                TypeInfo.builder("sys-bus-device").parent("device").abstractType().hotpluggable(false).build(),
                TypeInfo.builder("test-resettable").interfaceType().build(),
                TypeInfo.builder("test-warm-resettable").parent("test-resettable").interfaceType().build(),
                TypeInfo.builder("isa-device").parent("device").abstractType().build(),
                TypeInfo.builder("test-uart").parent("isa-device")
                        .property("iobase", PropertyType.UINT32, "0x3f8", "I/O base")
                        .property("irq", PropertyType.UINT8, "4", "IRQ line")
                        .property("wakeup", PropertyType.BOOL, "off", "wake on input")
                        .property("fifo", PropertyType.SIZE, "16", "FIFO size")
                        .property("mode", PropertyType.ON_OFF_AUTO, "auto", "mode")
                        .property(PropertySpec.of("label", PropertyType.STR, null, "free text").mutableAfterRealize())
                        .factory(Recording::new)
                        .build(),
                TypeInfo.builder("test-uart16550").parent("test-uart").implementing("test-warm-resettable")
                        .property("fifo", PropertyType.SIZE, "64", "a 16550 has a deeper FIFO")
                        .property("offset", PropertyType.INT16, "-2", "signed offset")
                        .build(),
                TypeInfo.builder("test-timer").parent("isa-device")
                        .property("hz", PropertyType.UINT64, "1193182", "clock")
                        .factory(Recording::new)
                        .build(),
                TypeInfo.builder("test-sysbus-thing").parent("sys-bus-device").build(),
                TypeInfo.builder("test-faulty").parent("device")
                        .property("fail", PropertyType.BOOL, "on", "make realize fail")
                        .factory(Faulty::new)
                        .build(),
                TypeInfo.builder("test-backend").parent("object")
                        .property("dump", PropertyType.BOOL, "on", "include in core dumps")
                        .build(),
                TypeInfo.builder("test-host").parent("device")
                        .property(PropertySpec.of("uart", new PropertyType.LinkType("isa-device"), null, "a linked device"))
                        .factory(Recording::new)
                        .build());
    }

    static TypeRegistry registry() {
        return TypeRegistry.builder().addAll(declarations()).build();
    }
}
