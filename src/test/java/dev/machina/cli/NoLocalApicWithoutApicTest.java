package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.machina.config.ReadMode;
import dev.machina.vm.BuiltMachine;
import dev.machina.vm.VmBuilder;
import dev.machina.vm.VmSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * QEMU 7.2's x86_cpu_realizefn (target/i386/cpu.c) makes a CPU's local APIC only when its CPUID has APIC or
 * there is more than one CPU: a lone 486 has none, so the 8259 drives INTR (and SeaBIOS's timer tick runs).
 */
class NoLocalApicWithoutApicTest {
    private static final Context SHARED = new Context();

    private static boolean hasLapic(String... extra) {
        List<String> args = new ArrayList<>(List.of("-M", "pc-i440fx-7.2", "-nodefaults"));
        args.addAll(List.of(extra));
        BuiltMachine b = VmBuilder.dryRun(VmSpec.of(ConfigSupport.configs(SHARED).fromCommandLine(args, ReadMode.STRICT).config(),
                SHARED.catalog()));
        return b.at("/machine/unattached/device[0]/lapic").isPresent();
    }

    @Test
    void aLone486HasNoLocalApic() {
        assertEquals(false, hasLapic("-cpu", "486"));
    }

    /** The same rule on the effective CPUID: the user's {@code -apic} / {@code apic=off} removes it from a lone CPU. */
    @Test
    void aLoneCpuWhoseApicFlagTheUserRemovedHasNone() {
        assertEquals(false, hasLapic("-cpu", "qemu32,-apic"));
        assertEquals(false, hasLapic("-cpu", "pentium3,apic=off"));
        assertEquals(true, hasLapic("-cpu", "qemu32,-apic", "-smp", "2"));
        assertEquals(true, hasLapic("-cpu", "486,+apic"));
    }

    @Test
    void theDefaultCpuAndTwo486sHaveOne() {
        assertEquals(true, hasLapic());
        assertEquals(true, hasLapic("-cpu", "486", "-smp", "2"));
    }
}
