package dev.machina;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * What a SeaBIOS boot runs must not link call sites at run time that the JVM's ahead-of-time cache (JDK 25,
 * the launcher's target/machina-run.aot) cannot keep: a lambda implementing an interface that has a static
 * initializer ("Cannot aot-resolve Lambda proxy"), and a record's own equals/hashCode (an invokedynamic of
 * ObjectMethods, never archived). Each was linked at every start: 13 interrupt-line lambdas, the data files
 * and the wiring's pins as map keys (-Djava.lang.invoke.MethodHandle.TRACE_METHOD_LINKAGE=true on the boot
 * listed 14 call sites; none now).
 */
class StartPathLinkageTest {
    /** The invokedynamic call sites in the named methods of a class ("*" for all), as "method bootstrap-owner". */
    private static List<String> indys(Class<?> c, String method) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
            new ClassReader(in.readAllBytes()).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                    if (!method.equals("*") && !method.equals(name)) {
                        return null;
                    }
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitInvokeDynamicInsn(String n, String d, Handle bsm, Object... args) {
                            out.add(name + " " + bsm.getOwner());
                        }
                    };
                }
            }, 0);
        }
        return out;
    }

    private static boolean hasStaticInitializer(Class<?> c) throws IOException {
        boolean[] found = {false};
        try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
            new ClassReader(in.readAllBytes()).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                    found[0] |= name.equals("<clinit>");
                    return null;
                }
            }, 0);
        }
        return found[0];
    }

    @Test
    void theInterruptLineInterfaceHasNoStaticInitializerSoItsLambdasAreKeptInTheCache() throws IOException {
        assertFalse(hasStaticInitializer(dev.machina.hw.core.IrqLine.class),
                "IrqLine with a static initializer: every lambda implementing it is spun at run time");
    }

    @Test
    void theRecordsAStartKeysMapsByCompareWithoutObjectMethods() throws IOException {
        for (Class<?> c : List.of(dev.machina.machine.DataFiles.DataFile.class, dev.machina.hw.core.Pin.class)) {
            assertEquals(List.of(), indys(c, "hashCode"), c.getName() + ".hashCode");
            assertEquals(List.of(), indys(c, "equals"), c.getName() + ".equals");
        }
        assertEquals(List.of(), indys(dev.machina.memory.AddressSpace.class, "changed"),
                "AddressSpace.changed compares flat ranges on every map commit");
    }

    @Test
    void theCheckFindsARecordsOwnEqualsAndAnInterfacesInitializer() throws IOException {
        record Plain(String a) {}
        assertEquals(List.of("hashCode java/lang/runtime/ObjectMethods"), indys(Plain.class, "hashCode"));
        assertEquals(true, hasStaticInitializer(WithField.class), "an interface constant made by a lambda is an initializer");
    }

    interface WithField {
        Runnable NOTHING = () -> { };
    }
}
