package dev.machina.qom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ObjectTreeTest {
    private final TypeRegistry reg = TestTypes.registry();

    private ObjectTree treeWithMachine(GlobalProperties globals) {
        ObjectTree tree = new ObjectTree(reg, globals);
        tree.setMachine(tree.create("container"));
        return tree;
    }

    @BeforeEach
    void clearLog() {
        TestTypes.Recording.LOG.get().clear();
    }

    @Nested
    class Properties {
        private final ObjectTree tree = treeWithMachine(new GlobalProperties());

        @Test
        void startWithTheirDefaults() {
            QomObject uart = tree.create("test-uart16550");
            assertEquals(0x3f8L, uart.getLong("iobase"));
            assertEquals(64L, uart.getLong("fifo"));
            assertFalse(uart.getBool("wakeup"));
            assertTrue(uart.value("label").isEmpty());
            assertInstanceOf(ValueOrigin.Default.class, uart.origin("iobase"));
        }

        @ParameterizedTest(name = "{0}={1} reads back {2}")
        @CsvSource({"iobase, 0x2f8, 760", "irq, 3, 3", "wakeup, yes, on", "fifo, 1K, 1024", "mode, off, off", "offset, -0x10, -16"})
        void parseQemuSyntax(String prop, String text, String canonical) {
            QomObject uart = tree.create("test-uart16550");
            uart.set(prop, text, "-device at argument 2");
            assertEquals(canonical, uart.text(prop).orElseThrow());
            assertEquals(new ValueOrigin.Explicit("-device at argument 2"), uart.origin(prop));
        }

        @Test
        void aBadValueNamesTypePropertyValueAndExpectedForm() {
            QomObject uart = tree.create("test-uart");
            QomException e = assertThrows(QomException.class, () -> uart.set("irq", "300", "x"));
            assertEquals("invalid value '300' for test-uart.irq (uint8): out of range; expected an integer 0..255 "
                    + "(decimal, 0x hex or 0 octal)", e.getMessage());
            assertEquals(4L, uart.getLong("irq"), "a rejected value leaves the old one");
        }

        @Test
        void anEnumValueOutsideTheListIsRejectedWithTheList() {
            QomObject uart = tree.create("test-uart");
            QomException e = assertThrows(QomException.class, () -> uart.set("mode", "maybe", "x"));
            assertTrue(e.getMessage().endsWith("expected one of on, off, auto"), e.getMessage());
        }

        @Test
        void anUnknownPropertyGetsADidYouMean() {
            QomObject uart = tree.create("test-uart");
            QomException e = assertThrows(QomException.class, () -> uart.set("iobasee", "1", "x"));
            assertEquals("unknown property 'iobasee' of test-uart; did you mean 'iobase'?", e.getMessage());
        }
    }

    @Nested
    class Globals {
        @Test
        void userGlobalBeatsCompatWhateverTheOrderOfRegistration() {
            GlobalProperties g = new GlobalProperties()
                    .addUser(GlobalProperty.user("test-uart", "irq", "7", "-global"))
                    .addCompat(GlobalProperty.compat("test-uart", "irq", "5", "compat a"));
            QomObject uart = treeWithMachine(g).create("test-uart");
            assertEquals(7L, uart.getLong("irq"));
            assertEquals("-global", ((ValueOrigin.Global) uart.origin("irq")).global().source());
        }

        @Test
        void laterEntryWinsWithinAList() {
            GlobalProperties g = new GlobalProperties()
                    .addCompat(GlobalProperty.compat("test-uart", "irq", "5", "newer set"))
                    .addCompat(GlobalProperty.compat("test-uart", "irq", "6", "older set"))
                    .addUser(GlobalProperty.user("test-uart", "wakeup", "on", "first"))
                    .addUser(GlobalProperty.user("test-uart", "wakeup", "off", "second"));
            QomObject uart = treeWithMachine(g).create("test-uart");
            assertEquals(6L, uart.getLong("irq"));
            assertFalse(uart.getBool("wakeup"));
        }

        @Test
        void aDriverMatchesSubtypesAndImplementersButNotSiblings() {
            GlobalProperties g = new GlobalProperties()
                    .addUser(GlobalProperty.user("test-uart", "irq", "9", "parent type"))
                    .addUser(GlobalProperty.user("test-resettable", "offset", "5", "interface"));
            ObjectTree tree = treeWithMachine(g);
            QomObject sub = tree.create("test-uart16550");
            assertEquals(9L, sub.getLong("irq"));
            assertEquals(5L, sub.getLong("offset"));
            assertEquals(1193182L, tree.create("test-timer").getLong("hz"));
        }

        @Test
        void aGlobalForAMissingPropertyFailsCreationNamingTheGlobal() {
            GlobalProperties g = new GlobalProperties().addUser(GlobalProperty.user("isa-device", "nosuch", "1", ""));
            ObjectTree tree = treeWithMachine(g);
            QomException e = assertThrows(QomException.class, () -> tree.create("test-timer"));
            // QEMU 7.2 says: can't apply global isa-device.foo=1: Property 'isa-pcspk.foo' not found
            assertTrue(e.getMessage().startsWith("can't apply global isa-device.nosuch=1: unknown property 'nosuch' of test-timer"),
                    e.getMessage());
        }

        @Test
        void anOptionalCompatEntrySkipsTypesWithoutTheProperty() {
            GlobalProperties g = new GlobalProperties()
                    .addCompat(new GlobalProperty("isa-device", "hz", "100", "", false, true));
            ObjectTree tree = treeWithMachine(g);
            assertEquals(100L, tree.create("test-timer").getLong("hz"));
            assertEquals(0x3f8L, tree.create("test-uart").getLong("iobase"));
        }

        /** QEMU 7.2: -global memory-backend-ram.dump=off leaves dump on and warns "has invalid class name". */
        @Test
        void userGlobalsReachOnlyDevicesWhileCompatReachesEveryObject() {
            GlobalProperties user = new GlobalProperties().addUser(GlobalProperty.user("test-backend", "dump", "off", "-global"));
            GlobalProperties compat = new GlobalProperties().addCompat(GlobalProperty.compat("test-backend", "dump", "off", "compat"));

            boolean afterUser = treeWithMachine(user).create("test-backend").getBool("dump");
            boolean afterCompat = treeWithMachine(compat).create("test-backend").getBool("dump");

            assertTrue(afterUser);
            assertFalse(afterCompat);
            assertEquals(List.of("global test-backend.dump has invalid class name"), user.unusedUserWarnings(reg));
        }

        @Test
        void unusedUserGlobalsAreReportedInQemusWords() {
            GlobalProperties g = new GlobalProperties()
                    .addCompat(GlobalProperty.compat("test-sysbus-thing", "x", "1", "compat"))  // compat: never reported
                    .addUser(GlobalProperty.user("nosuch", "foo", "1", ""))                     // not a type
                    .addUser(GlobalProperty.user("test-sysbus-thing", "x", "1", ""))            // not hotpluggable, unused
                    .addUser(GlobalProperty.user("test-timer", "hz", "5", ""))                  // hotpluggable: may be used later
                    .addUser(GlobalProperty.user("test-uart", "irq", "3", ""));                 // used
            ObjectTree tree = treeWithMachine(g);
            tree.create("test-uart");
            assertEquals(List.of("global nosuch.foo has invalid class name", "global test-sysbus-thing.x=1 not used"),
                    g.unusedUserWarnings(reg));
        }
    }

    @Nested
    class Lifecycle {
        private final ObjectTree tree = treeWithMachine(new GlobalProperties());

        @Test
        void abstractTypesAndInterfacesCannotBeCreated() {
            assertInstanceOf(QomError.AbstractType.class, assertThrows(QomException.class, () -> tree.create("isa-device")).error());
            assertInstanceOf(QomError.AbstractType.class, assertThrows(QomException.class, () -> tree.create("test-resettable")).error());
        }

        @Test
        void settingAFixedPropertyAfterRealizeIsAnError() {
            QomObject uart = tree.create("test-uart");
            tree.addDevice(uart, "com1");
            tree.realize(uart);
            QomException e = assertThrows(QomException.class, () -> uart.set("iobase", "0x2f8", "x"));
            assertEquals("cannot set property 'iobase' of test-uart at /machine/peripheral/com1 after it was realized; "
                    + "set it before realize", e.getMessage());
            assertEquals(0x3f8L, uart.getLong("iobase"));
        }

        @Test
        void aPropertyMarkedMutableCanChangeAfterRealize() {
            QomObject uart = tree.create("test-uart");
            tree.realize(uart);
            uart.set("label", "console", "qom-set");
            assertEquals("console", uart.getString("label"));
        }

        @Test
        void realizingTwiceOrUnrealizingAnUnrealizedObjectIsAnError() {
            QomObject uart = tree.create("test-uart");
            assertInstanceOf(QomError.WrongState.class, assertThrows(QomException.class, () -> tree.unrealize(uart)).error());
            tree.realize(uart);
            assertInstanceOf(QomError.WrongState.class, assertThrows(QomException.class, () -> tree.realize(uart)).error());
        }

        @Test
        void aFailedRealizeLeavesNothingRegistered() {
            QomObject bad = tree.create("test-faulty");
            tree.addDevice(bad, "f0");
            QomException e = assertThrows(QomException.class, () -> tree.realize(bad));
            assertEquals("cannot realize test-faulty at /machine/peripheral/f0: the 'fail' property is on", e.getMessage());
            assertTrue(tree.tryResolve("/machine/peripheral/f0", null).isEmpty());
            assertEquals(QomObject.State.FINALIZED, bad.state());
            // the id is free again
            QomObject good = tree.create("test-uart");
            tree.addDevice(good, "f0");
            assertSame(good, tree.resolve("/machine/peripheral/f0"));
        }

        @Test
        void aFailingChildUndoesItsRealizedParent() {
            QomObject host = tree.create("test-host");
            tree.addDevice(host, "h");
            QomObject timer = tree.create("test-timer");
            tree.addChild(host, "timer", timer);
            QomObject bad = tree.create("test-faulty");
            tree.addChild(host, "z", bad);
            assertThrows(QomException.class, () -> tree.realize(host));
            assertEquals(List.of("realize /machine/peripheral/h", "realize /machine/peripheral/h/timer",
                    "unrealize /machine/peripheral/h/timer", "unrealize /machine/peripheral/h"), TestTypes.Recording.LOG.get());
            assertTrue(tree.tryResolve("/machine/peripheral/h", null).isEmpty());
            assertEquals(QomObject.State.FINALIZED, timer.state());
        }

        @Test
        void anUnattachedObjectGoesToUnattachedWhenRealized() {
            QomObject timer = tree.create("test-timer");
            tree.realize(timer);
            assertEquals("/machine/unattached/device[0]", timer.path());
        }

        @Test
        void unparentUnrealizesChildrenFirstAndRemovesEverything() {
            QomObject host = tree.create("test-host");
            tree.addDevice(host, null);
            tree.addChild(host, "timer", tree.create("test-timer"));
            tree.realize(host);
            TestTypes.Recording.LOG.get().clear();
            tree.unparent(host);
            assertEquals(List.of("unrealize /machine/peripheral-anon/device[0]/timer", "unrealize /machine/peripheral-anon/device[0]"),
                    TestTypes.Recording.LOG.get());
            assertTrue(tree.machine().orElseThrow().children().get("peripheral-anon").children().isEmpty());
            QomException e = assertThrows(QomException.class, () -> host.set("uart", "/machine", "x"));
            assertInstanceOf(QomError.WrongState.class, e.error());
        }

        @Test
        void aDuplicateIdIsRejected() {
            tree.addDevice(tree.create("test-uart"), "s0");
            QomException e = assertThrows(QomException.class, () -> tree.addDevice(tree.create("test-uart"), "s0"));
            assertEquals("'/machine/peripheral/s0' already exists", e.getMessage());
        }

        @ParameterizedTest
        @CsvSource({"1bad", "my dev", "a/b", "''"})
        void aMalformedIdIsRejected(String id) {
            assertInstanceOf(QomError.BadId.class, assertThrows(QomException.class, () -> tree.addDevice(tree.create("test-uart"), id)).error());
        }
    }

    @Nested
    class Paths {
        private ObjectTree tree;
        private QomObject com1;
        private QomObject anon0;
        private QomObject anon1;
        private QomObject unattachedTimer;
        private QomObject hostTimer;
        private QomObject host;

        @BeforeEach
        void build() {
            tree = treeWithMachine(new GlobalProperties());
            com1 = tree.create("test-uart");
            tree.addDevice(com1, "com1");
            anon0 = tree.create("test-uart16550");
            tree.addDevice(anon0, null);
            anon1 = tree.create("test-timer");
            tree.addDevice(anon1, null);
            unattachedTimer = tree.create("test-timer");
            tree.addUnattached(unattachedTimer);
            host = tree.create("test-host");
            tree.addObject(host, "h0");
            hostTimer = tree.create("test-timer");
            tree.addChild(host, "clock", hostTimer);
        }

        @Test
        void canonicalPathsFollowQemu() {
            assertEquals("/machine/peripheral/com1", com1.path());
            assertEquals("/machine/peripheral-anon/device[0]", anon0.path());
            assertEquals("/machine/peripheral-anon/device[1]", anon1.path());
            assertEquals("/machine/unattached/device[0]", unattachedTimer.path());
            assertEquals("/objects/h0", host.path());
            assertEquals("/objects/h0/clock", hostTimer.path());
            assertEquals("/", tree.root().path());
        }

        @Test
        void absolutePathsResolve() {
            assertSame(com1, tree.resolve("/machine/peripheral/com1"));
            assertSame(hostTimer, tree.resolve("/objects/h0/clock"));
            assertSame(tree.root(), tree.resolve("/"));
            assertInstanceOf(QomError.PathNotFound.class, assertThrows(QomException.class, () -> tree.resolve("/machine/nope")).error());
        }

        @Test
        void aPartialPathResolvesWhenItMatchesOnce() {
            assertSame(com1, tree.resolve("com1"));
            assertSame(hostTimer, tree.resolve("h0/clock"));
            assertSame(hostTimer, tree.resolve("clock"));
            assertSame(anon1, tree.resolve("peripheral-anon/device[1]"));
        }

        @Test
        void aPartialPathThatMatchesTwiceIsAmbiguous() {
            QomException e = assertThrows(QomException.class, () -> tree.resolve("device[0]"));
            QomError.AmbiguousPath a = assertInstanceOf(QomError.AmbiguousPath.class, e.error());
            assertEquals(List.of("/machine/peripheral-anon/device[0]", "/machine/unattached/device[0]"), a.matches());
        }

        @Test
        void aTypeNarrowsAPartialPathAsObjectResolvePathTypeDoes() {
            assertSame(unattachedTimer, tree.resolve("device[0]", "test-timer"));
            assertSame(anon0, tree.resolve("device[0]", "test-resettable"));
            assertSame(anon1, tree.resolve("device[1]", "device"));
            // both device[0]s are isa-devices: still ambiguous
            assertInstanceOf(QomError.AmbiguousPath.class,
                    assertThrows(QomException.class, () -> tree.resolve("device[0]", "isa-device")).error());        }

        @Test
        void linksHoldTypeCheckedReferencesAndArePathComponents() {
            host.set("uart", "com1", "-object");
            assertSame(com1, host.getLink("uart").orElseThrow());
            assertSame(com1, tree.resolve("/objects/h0/uart"));
            assertEquals("/machine/peripheral/com1", host.text("uart").orElseThrow());
            QomException e = assertThrows(QomException.class, () -> host.set("uart", "/objects/h0", "-object"));
            assertEquals("link test-host.uart needs a isa-device, but '/objects/h0' is a test-host", e.getMessage());
        }

        @Test
        void partialSearchDoesNotFollowLinks() {
            host.set("uart", "com1", "-object");
            // com1 is reachable as /machine/peripheral/com1 and as /objects/h0/uart, but only the child counts
            assertSame(com1, tree.resolve("com1"));
        }
    }
}
