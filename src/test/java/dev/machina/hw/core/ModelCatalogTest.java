package dev.machina.hw.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.qom.GlobalProperties;
import dev.machina.qom.ObjectTree;
import dev.machina.qom.PropertyDefault;
import dev.machina.qom.PropertySpec;
import dev.machina.qom.PropertyType;
import dev.machina.qom.QomObject;
import dev.machina.qom.TypeInfo;
import dev.machina.qom.TypeRegistry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The model catalog refuses bindings that do not fit the type data, naming where the type is declared. */
class ModelCatalogTest {
    private static final String AT = "machines/types/test.yaml:4:5";

    /** A debug-console-like type: iobase with an unset value, a string without default, readback, and one no-effect property. */
    private static TypeRegistry registry() {
        return TypeRegistry.builder().addAll(dev.machina.qom.CoreTypes.all())
                .add(TypeInfo.builder("device").parent("object").abstractType().build())
                .add(TypeInfo.builder("test-con").parent("device").origin(AT)
                        .property(PropertySpec.of("iobase", PropertyType.UINT32, "0xffffffff", "")
                                .withModelFacts(Optional.of(0xffffffffL), Optional.empty()))
                        .property(PropertySpec.of("chardev", PropertyType.STR, null, ""))
                        .property(PropertySpec.of("readback", PropertyType.UINT32, "0xe9", ""))
                        .property(PropertySpec.of("x-migrate", PropertyType.BOOL, "on", "")
                                .withModelFacts(Optional.empty(), Optional.of("migration only")))
                        .build())
                .build();
    }

    private static final OptionalProp<Long> IOBASE = Prop.u32("iobase").optional();
    private static final OptionalProp<String> CHARDEV = Prop.str("chardev").optional();
    private static final Prop<Long> READBACK = Prop.u32("readback");

    record Con(Optional<Long> iobase, Optional<String> chardev, long readback) {}

    private static ModelBinding<Con> binding(PropHandle... reads) {
        return ModelBinding.of("test-con", v -> new Con(IOBASE.get(v), CHARDEV.get(v), READBACK.get(v)), reads);
    }

    private static ModelCatalogException refused(PropHandle... reads) {
        return assertThrows(ModelCatalogException.class, () -> ModelCatalog.<Con>builder(registry()).bind(binding(reads)).build());
    }

    @Test
    void aModelReadsItsValuesAndTheUnsetValueAsEmpty() {
        ModelCatalog<Con> c = ModelCatalog.<Con>builder(registry()).bind(binding(IOBASE, CHARDEV, READBACK)).build();
        ObjectTree tree = new ObjectTree(registry(), new GlobalProperties());
        QomObject o = tree.create("test-con");
        assertEquals(new Con(Optional.empty(), Optional.empty(), 0xe9), c.create(o));
        o.set("iobase", "0x402", "-device");
        o.set("chardev", "d", "-device");
        assertEquals(new Con(Optional.of(0x402L), Optional.of("d"), 0xe9), c.create(o));
    }

    @Test
    void aHandleOnAPropertyTheSchemaLacksIsRefusedWithTheTypesPosition() {
        ModelCatalogException e = refused(Prop.u32("iobse").optional(), IOBASE, CHARDEV, READBACK);
        ModelCatalogError err = e.errors().get(0);
        assertInstanceOf(ModelCatalogError.UnknownProperty.class, err);
        assertEquals(AT + ": test-con: the model reads Prop.u32(\"iobse\").optional(), which the type's schema does not have;"
                + " did you mean iobase?", err.message());
    }

    @Test
    void aHandleOfAnotherTypeIsRefused() {
        ModelCatalogException e = refused(IOBASE, CHARDEV, Prop.u16("readback"));
        assertEquals(List.of(AT + ": test-con: the model reads Prop.u16(\"readback\") as uint16, but the schema types it uint32"),
                e.errors().stream().map(ModelCatalogError::message).toList());
    }

    @Test
    void aRequiredHandleOnAPropertyWithAnUnsetValueMustBeOptional() {
        ModelCatalogException e = refused(Prop.u32("iobase"), CHARDEV, READBACK);
        assertTrue(e.getMessage().contains("the schema says 4294967295 means unset; read it with .optional()"), e.getMessage());
    }

    @Test
    void aRequiredHandleOnAPropertyWithoutDefaultMustBeOptional() {
        ModelCatalogException e = refused(IOBASE, Prop.str("chardev"), READBACK);
        assertTrue(e.getMessage().contains("it has no default; read it with .optional()"), e.getMessage());
    }

    @Test
    void anOptionalHandleOnAPropertyThatAlwaysHasAValueIsRefused() {
        ModelCatalogException e = refused(IOBASE, CHARDEV, Prop.u32("readback").optional());
        assertInstanceOf(ModelCatalogError.NeedNotBeOptional.class, e.errors().get(0));
    }

    @Test
    void aPropertyNothingReadsAndNoEffectDoesNotExcuseIsRefused() {
        ModelCatalogException e = refused(IOBASE, CHARDEV);
        assertEquals(List.of(AT + ": test-con: property 'readback' is neither read by the model nor marked 'no-effect: REASON' in the schema"),
                e.errors().stream().map(ModelCatalogError::message).toList());
    }

    @Test
    void sharedReadsOfABaseTypeCountForItsSubtypes() {
        ModelCatalog<Con> c = ModelCatalog.<Con>builder(registry()).shared("test-con", READBACK).bind(binding(IOBASE, CHARDEV)).build();
        assertEquals(List.of("test-con"), List.copyOf(c.types()));
    }

    @Test
    void aBindingForATypeTheDataLacksIsRefused() {
        ModelCatalogException e = assertThrows(ModelCatalogException.class, () -> ModelCatalog.<Con>builder(registry())
                .bind(ModelBinding.of("test-cno", v -> null)).build());
        assertInstanceOf(ModelCatalogError.UnknownType.class, e.errors().get(0));
        assertTrue(e.getMessage().contains("did you mean test-con?"), e.getMessage());
    }

    @Test
    void readingAHandleTheBindingDidNotDeclareIsABugCaughtAtOnce() {
        ModelCatalog<Con> c = ModelCatalog.<Con>builder(registry()).shared("test-con", READBACK).bind(binding(IOBASE, CHARDEV)).build();
        QomObject o = new ObjectTree(registry(), new GlobalProperties()).create("test-con");
        assertThrows(IllegalStateException.class, () -> c.create(o)); // the factory reads READBACK, declared only as shared
    }

    @Test
    void unknownDefaultsAreNotValues() {
        PropertySpec p = new PropertySpec("x", PropertyType.BOOL, PropertyDefault.UNKNOWN, "", false);
        assertTrue(p.unsetValue().isEmpty() && p.noEffect().isEmpty());
    }
}
