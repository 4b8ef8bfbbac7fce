package dev.machina.qom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TypeRegistryTest {
    private final TypeRegistry reg = TestTypes.registry();

    @ParameterizedTest(name = "{0} isA {1}: {2}")
    @CsvSource({
        "test-uart16550, test-uart16550,       true",   // itself
        "test-uart16550, test-uart,            true",   // parent
        "test-uart16550, isa-device,           true",   // grandparent
        "test-uart16550, device,               true",
        "test-uart16550, object,               true",
        "test-uart16550, test-warm-resettable, true",   // implemented interface
        "test-uart16550, test-resettable,      true",   // parent of the implemented interface
        "test-uart,      test-warm-resettable, false",  // a parent does not get its child's interfaces
        "test-uart,      test-uart16550,       false",  // nor is a parent its child
        "test-timer,     test-uart,            false",  // siblings
        "test-uart,      no-such-type,         false",
        "no-such-type,   object,               false",
    })
    void isAFollowsParentsAndInterfaces(String type, String ancestor, boolean expected) {
        assertEquals(expected, reg.isA(type, ancestor));
    }

    @Test
    void chainRunsFromTheTypeToObject() {
        assertEquals(List.of("test-uart16550", "test-uart", "isa-device", "device", "object"), reg.type("test-uart16550").chain());
    }

    @Test
    void listingFiltersByImplementedInterfaceAndConcreteness() {
        List<String> resettable = reg.list(new TypeRegistry.Filter("test-resettable", false)).stream().map(ObjectType::name).toList();
        assertEquals(List.of("test-resettable", "test-uart16550", "test-warm-resettable"), resettable);
        List<String> concreteIsa = reg.list(new TypeRegistry.Filter("isa-device", true)).stream().map(ObjectType::name).toList();
        assertEquals(List.of("test-timer", "test-uart", "test-uart16550"), concreteIsa);
        assertTrue(reg.list(TypeRegistry.Filter.ALL).stream().anyMatch(ObjectType::isAbstract));
    }

    @Nested
    class PropertySchemas {
        @Test
        void includeInheritedPropertiesParentsFirst() {
            ObjectType t = reg.type("test-uart16550");
            assertEquals(List.of("iobase", "irq", "wakeup", "fifo", "mode", "label", "offset"), List.copyOf(t.propertyNames()));
            assertEquals("test-uart", t.declaredIn("iobase"));
            assertTrue(t.inherited("iobase"));
            assertFalse(t.inherited("offset"));
        }

        @Test
        void aRedeclaredPropertyChangesTheDefaultForTheSubtypeOnly() {
            assertEquals("64", reg.type("test-uart16550").property("fifo").orElseThrow().defaultText());
            assertEquals("16", reg.type("test-uart").property("fifo").orElseThrow().defaultText());
            assertEquals("test-uart16550", reg.type("test-uart16550").declaredIn("fifo"));
        }

        @Test
        void areAvailableWithoutCreatingAnInstance() {
            PropertySpec irq = reg.type("test-uart").property("irq").orElseThrow();
            assertEquals("uint8", irq.type().name());
            assertEquals(new PropertyDefault.Known(4L), irq.defaultValue());
            assertEquals("IRQ line", irq.description());
        }
    }

    @Nested
    class UnknownNames {
        @Test
        void aTypoGetsADidYouMean() {
            QomException e = assertThrows(QomException.class, () -> reg.type("test-uartt"));
            assertEquals("unknown type 'test-uartt'; did you mean 'test-uart'?", e.getMessage());
        }

        @Test
        void aNameFarFromAnyStillNamesTheClosestTypes() {
            QomException e = assertThrows(QomException.class, () -> reg.type("zzzzzzzzzzzzzzzz"));
            QomError.UnknownType u = assertInstanceOf(QomError.UnknownType.class, e.error());
            assertEquals(3, u.suggestions().size());
            assertTrue(e.getMessage().startsWith("unknown type 'zzzzzzzzzzzzzzzz'; closest names: "), e.getMessage());
        }
    }

    @Nested
    class BadDeclarations {
        private String firstProblem(TypeInfo... extra) {
            List<TypeInfo> all = new ArrayList<>(TestTypes.declarations());
            all.addAll(List.of(extra));
            QomException e = assertThrows(QomException.class, () -> TypeRegistry.builder().addAll(all).build());
            return e.getMessage();
        }

        @Test
        void unknownParentIsReportedWithASuggestion() {
            assertEquals("t.yaml:3:1: type 'x': unknown parent 'isa-devic'; did you mean 'isa-device'?",
                    firstProblem(TypeInfo.builder("x").parent("isa-devic").origin("t.yaml:3:1").build()));
        }

        @Test
        void duplicateTypeIsReported() {
            assertEquals("type 'test-uart': declared twice", firstProblem(TypeInfo.builder("test-uart").parent("device").build()));
        }

        @Test
        void inheritanceCycleIsReported() {
            String msg = firstProblem(TypeInfo.builder("a").parent("b").build(), TypeInfo.builder("b").parent("a").build());
            assertTrue(msg.contains("inheritance cycle: "), msg);
            assertTrue(msg.contains("a -> b -> a") || msg.contains("b -> a -> b"), msg);
        }

        @Test
        void implementingANonInterfaceIsReported() {
            assertEquals("type 'x': 'test-uart' is not an interface",
                    firstProblem(TypeInfo.builder("x").parent("device").implementing("test-uart").build()));
        }

        @Test
        void redeclaringAPropertyWithAnotherTypeIsReported() {
            assertEquals("type 'x': property 'iobase' redeclared as uint16 but inherited as uint32",
                    firstProblem(TypeInfo.builder("x").parent("test-uart").property("iobase", PropertyType.UINT16, "1", "").build()));
        }

        @Test
        void aCheckSeesWhatWasAddedAfterAnEarlierCheck() {
            TypeRegistry.Builder b = TypeRegistry.builder().addAll(TestTypes.declarations());
            assertEquals(List.of(), b.check());
            b.add(TypeInfo.builder("x").parent("test-uart").property("iobase", PropertyType.UINT16, "1", "").build());
            assertEquals("type 'x': property 'iobase' redeclared as uint16 but inherited as uint32", b.check().get(0).message());
            QomException e = assertThrows(QomException.class, b::build);
            assertEquals("type 'x': property 'iobase' redeclared as uint16 but inherited as uint32", e.getMessage());
        }

        @Test
        void aPropertyIsComparedWithItsNearestDeclarationUpTheChain() {
            // y declares its own 'p'; z under y may redeclare it with y's type, and not with another
            TypeInfo y = TypeInfo.builder("y").parent("test-uart").property("p", PropertyType.UINT8, "1", "").build();
            List<TypeInfo> all = new ArrayList<>(TestTypes.declarations());
            all.add(y);
            all.add(TypeInfo.builder("z").parent("y").property("p", PropertyType.UINT8, "2", "").build());
            assertTrue(TypeRegistry.builder().addAll(all).build().find("z").isPresent());
            assertEquals("type 'z': property 'p' redeclared as uint16 but inherited as uint8",
                    firstProblem(y, TypeInfo.builder("z").parent("y").property("p", PropertyType.UINT16, "2", "").build()));
        }

        @Test
        void anInvalidDefaultIsRejectedWhenDeclared() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PropertySpec.of("irq", PropertyType.UINT8, "300", ""));
            assertTrue(e.getMessage().contains("default '300' of irq is not a uint8"), e.getMessage());
        }
    }
}
