package dev.machina.qom;

import java.util.List;

/**
 * The types QOM itself defines: the roots {@code object} and {@code interface}, {@code container}
 * (the directories of the composition tree) and the {@code user-creatable} interface of objects
 * that {@code -object} may create.
 */
public final class CoreTypes {
    private CoreTypes() {}

    public static List<TypeInfo> all() {
        return List.of(
                TypeInfo.builder("object").abstractType()
                        .description("root of all classes").build(),
                TypeInfo.builder("interface").abstractType()
                        .description("root of all interfaces").build(),
                TypeInfo.builder("container").parent("object")
                        .description("a directory of the composition tree (/machine/peripheral, /objects, ...)").build(),
                TypeInfo.builder("user-creatable").interfaceType()
                        .description("objects that -object may create").build());
    }
}
