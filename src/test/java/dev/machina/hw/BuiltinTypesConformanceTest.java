package dev.machina.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.machina.cli.Context;
import dev.machina.cli.Main;
import dev.machina.qom.BadValue;
import dev.machina.qom.GlobalProperties;
import dev.machina.qom.ObjectTree;
import dev.machina.qom.ObjectType;
import dev.machina.qom.PropertyDefault;
import dev.machina.qom.PropertySpec;
import dev.machina.qom.PropertyType;
import dev.machina.qom.QomObject;
import dev.machina.qom.TypeRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The same checks over every type declared in code (after QEMU's device-introspect-test): every
 * property has a type, a description and a default that survives format → parse; every concrete type
 * can be created with its defaults and realized; {@code device show} works on every type.
 */
class BuiltinTypesConformanceTest {
    private final TypeRegistry reg = BuiltinTypes.registry();
    /** One context for every {@code device show}, as one process has: the catalog is loaded once, not once per run. */
    private final Context context = new Context();

    @TestFactory
    Stream<DynamicNode> everyBuiltinType() {
        return reg.all().stream().map(t -> DynamicContainer.dynamicContainer(t.name(), checks(t)));
    }

    private List<DynamicNode> checks(ObjectType t) {
        List<DynamicNode> out = new ArrayList<>();
        out.add(dynamicTest("has a description", () -> assertFalse(t.description().isBlank(), t.name())));
        out.add(dynamicTest("every property is described and its default round-trips", () -> {
            for (PropertySpec p : t.properties()) {
                assertFalse(p.description().isBlank(), t.name() + "." + p.name() + " has no description");
                if (p.defaultValue() instanceof PropertyDefault.Known k && !(p.type() instanceof PropertyType.StructType)) {
                    String text = p.type().format(k.value());
                    assertEquals(k.value(), reparse(p.type(), text), t.name() + "." + p.name());
                }
            }
        }));
        if (!t.isAbstract()) {
            out.add(dynamicTest("can be created with defaults and realized", () -> {
                ObjectTree tree = new ObjectTree(reg, new GlobalProperties());
                QomObject o = tree.create(t.name());
                for (PropertySpec p : t.properties()) {
                    if (p.defaultValue() instanceof PropertyDefault.Known k) {
                        assertEquals(k.value(), o.value(p.name()).orElseThrow());
                    }
                }
                tree.addObject(o, "x");
                tree.realize(o);
                assertTrue(o.isRealized());
                tree.unrealize(o);
                tree.realize(o); // realize again after unrealize: lifecycle is repeatable
                assertTrue(o.isRealized());
            }));
        }
        out.add(dynamicTest("device show prints it as text and JSON", () -> {
            for (String format : List.of("text", "json", "json-schema")) {
                ByteArrayOutputStream out1 = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int code = Main.run(new String[] {"device", "show", t.name(), "--format", format},
                        new PrintStream(out1, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), context);
                assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
                assertTrue(out1.toString(StandardCharsets.UTF_8).contains(t.name()));
            }
        }));
        return out;
    }

    private static Object reparse(PropertyType type, String text) throws BadValue {
        return type.parse(text);
    }
}
