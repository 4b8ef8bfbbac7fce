package dev.machina.hw;

import dev.machina.hw.core.DeviceTypes;
import dev.machina.hw.isa.IsaTypes;
import dev.machina.hw.pci.PciTypes;
import dev.machina.qom.CoreTypes;
import dev.machina.qom.TypeInfo;
import dev.machina.qom.TypeRegistry;
import java.util.ArrayList;
import java.util.List;

/** Every type declared in code: QOM's own and the hw packages'. */
public final class BuiltinTypes {
    private BuiltinTypes() {}

    public static List<TypeInfo> all() {
        List<TypeInfo> all = new ArrayList<>(CoreTypes.all());
        all.addAll(DeviceTypes.all());
        all.addAll(IsaTypes.all());
        all.addAll(PciTypes.all());
        return all;
    }

    /** A registry of the built-in types only. */
    public static TypeRegistry registry() {
        return TypeRegistry.builder().addAll(all()).build();
    }
}
