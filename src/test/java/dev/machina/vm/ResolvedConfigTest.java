package dev.machina.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.config.CfgReader;
import dev.machina.config.CfgWriter;
import dev.machina.config.ConfigEnv;
import dev.machina.config.Configs;
import dev.machina.config.ConfigValidator;
import dev.machina.config.Entry;
import dev.machina.config.ReadMode;
import dev.machina.config.Section;
import dev.machina.config.VmConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code config convert --resolved}: every effective value, as the dry run set it, with where it came from. */
class ResolvedConfigTest {
    private static ConfigEnv env() {
        return new ConfigEnv(Packaged.catalog().registry(), new dev.machina.config.MachineTypes() {
            public Optional<String> qomType(String n) {
                String m = Packaged.catalog().table().canonical(n);
                return m == null ? Optional.empty() : Optional.of(m + "-machine");
            }
            public List<String> names() { return List.copyOf(Packaged.catalog().table().knownNames()); }
            public String defaultName() { return Packaged.catalog().table().defaultMachine(); }
            public boolean complete() { return true; }
        });
    }

    private static VmConfig resolve(String... args) {
        VmConfig c = new Configs(env()).fromCommandLine(List.of(args), ReadMode.STRICT).config();
        return ResolvedConfig.resolve(c, Packaged.catalog());
    }

    @Test
    void repeatedMergeListsOptionsBecomeOneSectionWithTheLastValues() {
        VmConfig r = resolve("-m", "256", "-name", "a", "-m", "512,slots=2");
        assertEquals(1, r.sections("memory").size());
        assertEquals(Optional.of("512"), r.sections("memory").get(0).get("size"));
        assertEquals(Optional.of("2"), r.sections("memory").get(0).get("slots"));
    }

    @Test
    void theDefaultMachineRamAndCpusAreFilledInAndSayWhereTheyCameFrom() {
        VmConfig r = resolve("-nodefaults");
        String dflt = Packaged.catalog().table().defaultMachine();
        assertEquals(Optional.of(dflt), r.sections("machine").get(0).get("type"));
        Entry ram = r.sections("memory").get(0).entry("size").orElseThrow();
        assertEquals("128", ram.value(), "QEMU's default RAM is 128 MiB, written as MiB");
        assertEquals("default of " + dflt, ram.origin().describe());
        assertEquals(Optional.of("1"), r.sections("smp-opts").get(0).get("cpus"));
    }

    @Test
    void theMachinesFirmwareComesFromItsDefaultMachineOptions() {
        Entry fw = resolve("-M", "pc-i440fx-7.2").sections("machine").get(0).entry("firmware").orElseThrow();
        assertEquals("bios-256k.bin", fw.value());
        assertTrue(fw.origin().describe().startsWith("option default-machine-options"), fw.origin().describe());
    }

    @Test
    void aDeviceGetsEveryDefaultAUserGlobalBeatsTheDefaultAndTheUsersValueBeatsBoth() {
        VmConfig r = resolve("-global", "isa-serial.baudbase=9600", "-global", "isa-serial.iobase=0x2f8",
                "-device", "isa-serial,id=s0,iobase=0x3e8");
        Section s = r.sections("device").get(0);
        assertEquals(Optional.of("0x3e8"), s.get("iobase"));
        assertEquals(Optional.of("9600"), s.get("baudbase"));
        assertEquals(Optional.of("off"), s.get("wakeup"));
        assertTrue(s.entry("wakeup").orElseThrow().origin().describe().startsWith("default of isa-serial"));
        String cfg = CfgWriter.write(r);
        assertTrue(cfg.contains("  wakeup = \"off\"  # default of isa-serial\n"), cfg);
    }

    @Test
    void compatPropertiesOfTheMachineTypeApplyBelowUserGlobals() {
        // hw_compat_2_5 gives isa-fdc fallback=144 (QEMU 7.2's default is 288)
        assertEquals(Optional.of("144"), resolve("-M", "pc-i440fx-2.5", "-device", "isa-fdc,id=f")
                .sections("device").get(0).get("fallback"));
        assertEquals(Optional.of("288"), resolve("-M", "pc-i440fx-2.5", "-global", "isa-fdc.fallback=288", "-device", "isa-fdc,id=f")
                .sections("device").get(0).get("fallback"));
    }

    @Test
    void aUserGlobalIsNotWrittenIntoAnObject() {
        // QEMU 7.2 applies -global to devices only: memory-backend-ram.dump stays as it was
        Section o = resolve("-global", "memory-backend-ram.dump=off", "-object", "memory-backend-ram,id=m0,size=1M")
                .sections("object").get(0);
        assertTrue(o.get("dump").isEmpty() || !o.get("dump").get().equals("off"), o.toString());
    }

    @Test
    void theResolvedFileReadsBackAndChecksClean() {
        VmConfig r = resolve("-M", "pc", "-m", "2G", "-device", "isa-serial,id=s0");
        VmConfig back = CfgReader.read(CfgWriter.write(r), "r.cfg").orThrow();
        assertEquals(List.of(), new ConfigValidator(env(), ReadMode.STRICT).validate(back));
    }
}
