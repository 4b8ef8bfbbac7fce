package dev.machina.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.machina.hw.acpi.AcpiTables;
import dev.machina.hw.nvram.FwCfg;
import dev.machina.memory.MemorySystem;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AcpiFwCfgTest {
    private final FwCfg f = new FwCfg(32, true, false, new MemorySystem().memory());
    private final List<Runnable> resets = new ArrayList<>();
    private int pmBase;

    /** The FADT's PM1a_EVT_BLK in the tables file as the firmware would read it now. */
    private int pm1aEvt() {
        int key = 0x20 + f.files().indexOf(AcpiTables.LOADER);
        f.select(key);
        byte[] t = f.file(AcpiTables.TABLES).orElseThrow();
        ByteBuffer b = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        while (!(t[at] == 'F' && t[at + 1] == 'A' && t[at + 2] == 'C' && t[at + 3] == 'P')) {
            at += b.getInt(at + 4);
        }
        return b.getInt(at + 56);
    }

    @Test
    void theTablesAreRebuiltAtTheFirstSelectAfterEachResetFromTheChipsetsPmBase() {
        AcpiFwCfg.install(f, () -> AcpiTables.Config.pc(pmBase), resets::add);
        pmBase = 0x600; // the firmware programs PMBA before it reads the tables
        assertEquals(0x600, pm1aEvt());
        pmBase = 0xB000;
        assertEquals(0x600, pm1aEvt(), "built once until the machine resets");
        resets.forEach(Runnable::run);
        assertEquals(0xB000, pm1aEvt());
        assertEquals(0x20000, f.file(AcpiTables.TABLES).orElseThrow().length);
    }
}
