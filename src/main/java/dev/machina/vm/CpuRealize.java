package dev.machina.vm;

import dev.machina.qom.QomObject;
import dev.machina.qom.ValueOrigin;
import java.util.Optional;

/**
 * What QEMU 7.2's {@code x86_cpu_realizefn} (target/i386/cpu.c) derives from the CPU model and the
 * compat properties, before the guest runs: the CPUID levels, the physical address width, the
 * microcode revision and the Hyper-V vendor id. The model sets only minimum levels
 * ({@code x86_cpu_load_model}: min-level, min-xlevel, from the model's definition); compat sets may
 * lower them ({@code qemu64-x86_64-cpu min-level=4} for machine types before 2.9) or turn the
 * automatic raising off ({@code full-cpuid-auto-level=off} before 2.8).
 */
final class CpuRealize {
    private CpuRealize() {}

    /** QEMU's TCG_PHYS_ADDR_BITS (target/i386/cpu.h): the physical address width of a 64-bit CPU under TCG. */
    static final long TCG_PHYS_ADDR_BITS = 40;
    private static final long AUTO = 0xffffffffL;

    static void apply(QomObject cpu) {
        boolean auto = flag(cpu, "full-cpuid-auto-level").orElse(true);
        boolean lm = flag(cpu, "lm").orElse(false);
        boolean svm = flag(cpu, "svm").orElse(false);
        long minLevel = number(cpu, "min-level");
        long minXlevel = number(cpu, "min-xlevel");
        if (auto) {
            // x86_cpu_expand_features (cpu.c:6240-6250): every feature word in use raises the minimum to
            // its leaf; leaf 1 is always in use, the 0x80000001 words when the model has extended features
            minLevel = Math.max(minLevel, 1);
            if (lm || svm) {
                minXlevel = Math.max(minXlevel, 0x80000001L);
            }
            if (svm) {
                minXlevel = Math.max(minXlevel, 0x8000000AL); // SVM requires CPUID[0x8000000A] (cpu.c:6279)
            }
            set(cpu, "min-level", minLevel, "x86_cpu_expand_features raises it to the leaves the features need (target/i386/cpu.c:6240)");
            set(cpu, "min-xlevel", minXlevel, "x86_cpu_expand_features raises it to the leaves the features need (target/i386/cpu.c:6240)");
        }
        // "Set cpuid_*level* based on cpuid_min_*level, if not explicitly set" (cpu.c:6293-6305)
        auto(cpu, "level-func7", number(cpu, "min-level-func7"), "cpu.c:6294");
        auto(cpu, "level", minLevel, "cpu.c:6297");
        auto(cpu, "xlevel", minXlevel, "cpu.c:6300");
        auto(cpu, "xlevel2", number(cpu, "min-xlevel2"), "cpu.c:6303");
        if (number(cpu, "ucode-rev") == 0) {
            boolean amd = cpu.hasProperty("vendor") && cpu.value("vendor").filter("AuthenticAMD"::equals).isPresent();
            set(cpu, "ucode-rev", amd ? 0x01000065L : 0x100000000L, "the default is KVM's, by vendor (target/i386/cpu.c:6497)");
        }
        if (number(cpu, "phys-bits") == 0) {
            boolean pse36 = flag(cpu, "pse36").orElse(false);
            long bits = lm ? TCG_PHYS_ADDR_BITS : pse36 ? 36 : 32;
            set(cpu, "phys-bits", bits, "40 under TCG for a 64-bit CPU, else what PSE36 gives (target/i386/cpu.c:6531-6559)");
        }
        if (cpu.hasProperty("hv-vendor-id") && cpu.value("hv-vendor-id").isEmpty()) {
            cpu.setTyped("hv-vendor-id", "Microsoft Hv", new ValueOrigin.Computed(
                    "x86_cpu_hyperv_realize names Microsoft's vendor when none is set (target/i386/cpu.c:6373)"));
        }
    }

    private static void auto(QomObject cpu, String property, long from, String where) {
        if (cpu.hasProperty(property) && number(cpu, property) == AUTO) {
            set(cpu, property, from, "an unset level follows its minimum (target/i386/" + where + ")");
        }
    }

    private static Optional<Boolean> flag(QomObject cpu, String property) {
        return cpu.hasProperty(property) ? cpu.value(property).map(v -> (Boolean) v) : Optional.empty();
    }

    private static long number(QomObject cpu, String property) {
        return cpu.hasProperty(property) ? cpu.value(property).map(v -> (Long) v).orElse(0L) : 0L;
    }

    private static void set(QomObject cpu, String property, long value, String how) {
        if (cpu.hasProperty(property)) {
            cpu.setTyped(property, value, new ValueOrigin.Computed(how));
        }
    }
}
