package dev.machina.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.qom.GlobalProperty;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigResolverTest {
    private static VmConfig resolve(ConfigEnv env, String... args) {
        return new ConfigResolver(env).resolve(new Configs(env).fromCommandLine(List.of(args), ReadMode.STRICT).config());
    }

    @Test
    void repeatedMergeListsOptionsBecomeOneSectionWithTheLastValues() {
        VmConfig r = resolve(Qemu72.env(), "-m", "256", "-name", "a", "-m", "512,slots=2");
        assertEquals(1, r.sections("memory").size());
        assertEquals(Optional.of("512"), r.sections("memory").get(0).get("size"));
        assertEquals(Optional.of("2"), r.sections("memory").get(0).get("slots"));
    }

    @Test
    void theDefaultMachineRamAndCpusAreFilledInAndSayWhereTheyCameFrom() {
        VmConfig r = resolve(Qemu72.env(), "-nodefaults");
        assertEquals(Optional.of("pc"), r.sections("machine").get(0).get("type"));
        Entry ram = r.sections("memory").get(0).entry("size").orElseThrow();
        assertEquals("128", ram.value(), "QEMU's default RAM is 128 MiB, written as MiB");
        assertEquals("default of pc", ram.origin().describe());
        assertEquals(Optional.of("1"), r.sections("smp-opts").get(0).get("cpus"));
    }

    @Test
    void aDeviceGetsEveryDefaultAUserGlobalBeatsTheDefaultAndTheUsersValueBeatsBoth() {
        VmConfig r = resolve(Qemu72.env(), "-global", "isa-serial.baudbase=9600", "-global", "isa-serial.iobase=0x2f8",
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
        ConfigEnv base = Qemu72.env();
        MachineTypes withCompat = new MachineTypes() {
            public Optional<String> qomType(String n) { return base.machines().qomType(n); }
            public List<String> names() { return base.machines().names(); }
            public String defaultName() { return "pc"; }
            public boolean complete() { return true; }
            @Override public List<GlobalProperty> compat(String n) {
                return List.of(GlobalProperty.compat("isa-serial", "baudbase", "57600", "hw-x.y (test)"));
            }
        };
        ConfigEnv env = new ConfigEnv(base.registry(), withCompat);
        assertEquals(Optional.of("57600"), resolve(env, "-device", "isa-serial").sections("device").get(0).get("baudbase"));
        assertEquals(Optional.of("9600"), resolve(env, "-global", "isa-serial.baudbase=9600", "-device", "isa-serial")
                .sections("device").get(0).get("baudbase"));
    }

    @Test
    void theResolvedFileReadsBackAndChecksClean() {
        VmConfig r = resolve(Qemu72.env(), "-M", "pc", "-m", "2G", "-device", "isa-serial,id=s0");
        VmConfig back = CfgReader.read(CfgWriter.write(r), "r.cfg").orThrow();
        assertEquals(List.of(), new ConfigValidator(Qemu72.env(), ReadMode.STRICT).validate(back));
    }
}
