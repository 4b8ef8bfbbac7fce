package dev.machina.hw.pci;

import dev.machina.hw.core.DeviceModel;
import dev.machina.hw.core.IrqLine;
import dev.machina.hw.core.PciSlot;
import dev.machina.memory.AccessRule;
import dev.machina.memory.MemoryRegion;
import dev.machina.memory.RegionOps;

/**
 * {@code ich9-ahci}: function 1F.2 of the ICH9, the SATA controller in AHCI mode with six ports and
 * no drives (QEMU 7.2 hw/ide/ich.c, hw/ide/ahci.c; AHCI 1.3 and ICH9 datasheet 316972): identity
 * 8086:2922 revision 2, class 0106 programming interface 01, an MSI capability at 0x80 (not used:
 * no MSI delivery is modelled) and the SATA capability at 0xA8.
 *
 * <h2>Registers</h2>
 * <ul>
 *   <li>BAR5 ABAR, 4 KiB memory: generic host control CAP 0xC0141F05 (64-bit, NCQ, AHCI only,
 *       Gen1, 32 slots, 6 ports), GHC (AE always set; IE; HR resets the HBA), IS (write 1 to
 *       clear), PI 0x3F, VS 0x00010000; the other host registers read 0. Ports 0-5 at 0x100 + 0x80n:
 *       CLB/CLBU/FB/FBU stored, IS (write 1 to clear), IE (mask 0xFDC000FF), CMD (read-only bits
 *       kept; ST and FRE start the list and FIS engines, CR bit 15 and FR bit 14), TFD 0x7F, SIG,
 *       SSTS 0 (no device), SCTL (DET 1 to 0 resets the port), SERR (write 1 to clear), SACT, CI.
 *       Accesses narrower than 32 bits read the containing dword; narrower writes are dropped.</li>
 *   <li>When FRE first starts, QEMU delivers the initial D2H register FIS of the (absent) device:
 *       PxIS.DHRS is set and SIG reads 0xFFFF0101; the FIS bytes in guest memory are not written
 *       here (nothing reads them when SSTS says no device).</li>
 *   <li>BAR4, 32 I/O ports: the index/data pair (AHCI's IDP) at +0x10 (index) / +0x14 (data) into
 *       ABAR; the rest reads 0.</li>
 *   <li>INTA while GHC.IE is set and some port's enabled interrupt is pending.</li>
 * </ul>
 */
public final class Ich9Ahci implements DeviceModel.Pci {
    public static final int DEVICE_ID = 0x2922;
    static final int PORTS = 6;
    static final int CAP = 0xC0141F05;
    static final int GHC_AE = 0x80000000;
    static final int GHC_IE = 0x2;
    static final int GHC_HR = 0x1;
    static final int VERSION = 0x00010000;
    static final int PORT_CMD_RO_MASK = 0x007DFFE0;
    static final int PORT_CMD_ICC_MASK = 0xF0000000;
    static final int PORT_CMD_START = 0x0001;
    static final int PORT_CMD_FIS_RX = 0x0010;
    static final int PORT_CMD_FIS_ON = 0x4000;
    static final int PORT_CMD_LIST_ON = 0x8000;
    static final int PORT_IRQ_MASK = 0xFDC000FF;
    static final int IDP_OFFSET = 0x10;

    private static final class Port {
        int clb, clbu, fb, fbu, is, ie, cmd = 0x6, tfd = 0x7F, sig = -1, ssts, sctl, serr, sact, ci;
        boolean initD2hSent;

        /** ahci_reset_port (also on SCTL.DET 1 to 0): the link state; PxIS, PxIE, PxSCTL and PxCMD stay. */
        void reset() {
            ssts = 0;
            serr = 0;
            sact = 0;
            tfd = 0x7F;
            sig = -1;
            initD2hSent = false;
        }
    }

    private final Port[] ports = new Port[PORTS];
    private int ghc = GHC_AE;
    private int is;
    private int idpIndex;
    private IrqLine intx;
    private boolean irq;

    public Ich9Ahci() {
        for (int i = 0; i < PORTS; i++) {
            ports[i] = new Port();
        }
    }

    @Override
    public void realize(PciSlot slot) {
        PciConfigSpace c = ChipsetSlot.of(slot).configSpace();
        c.identify(PciHeader.VENDOR_INTEL, DEVICE_ID, 0x02, 0x010601);
        c.set8(PciHeader.INTERRUPT_PIN, 1);
        c.set8(PciHeader.CACHE_LINE_SIZE, 0x08); // cleared again by the bus's header reset
        c.set8(0x90, 0x40); // MAP: AHCI mode
        // SATA capability (id 0x12) at 0xA8: revision 1.0, BAR4 offset 0x004 (SATACR0/1)
        c.addCapability(0x12, 0xA8, 8);
        c.set16(0xAA, 0x0010);
        c.set32(0xAC, 0x00000048);
        // MSI capability (id 0x05) at 0x80, 64-bit address; only its enable bit and message are writable
        c.addCapability(0x05, 0x80, 0x0E);
        c.set16(0x82, 0x0080);
        c.writable(0x82, 2, 0x0001);
        c.writable(0x84, 4, 0xFFFFFFFC);
        c.writable(0x88, 4, 0xFFFFFFFF);
        c.writable(0x8C, 2, 0xFFFF);
        intx = slot.intx(0);
        MemoryRegion abar = slot.regions().io("ahci", 0x1000, new RegionOps() {
            @Override
            public long read(long offset, int size) {
                long aligned = offset & ~3L;
                return (readReg((int) aligned) & 0xFFFFFFFFL) >>> ((offset - aligned) * 8);
            }

            @Override
            public void write(long offset, int size, long value) {
                if (size == 4 && (offset & 3) == 0) {
                    writeReg((int) offset, (int) value);
                }
            }
        }, AccessRule.sizes(1, 4, 1, 4));
        MemoryRegion idp = slot.regions().io("ahci-idp", 32, new RegionOps() {
            @Override
            public long read(long offset, int size) {
                if (offset == IDP_OFFSET) {
                    return idpIndex;
                } else if (offset == IDP_OFFSET + 4) {
                    return readReg(idpIndex) & 0xFFFFFFFFL;
                }
                return 0;
            }

            @Override
            public void write(long offset, int size, long value) {
                if (offset == IDP_OFFSET) {
                    idpIndex = (int) value & (0x1000 - 1) & ~3;
                } else if (offset == IDP_OFFSET + 4) {
                    writeReg(idpIndex, (int) value);
                }
            }
        });
        slot.registerBar(4, true, false, false, idp);
        slot.registerBar(5, false, false, false, abar);
    }

    int readReg(int off) {
        if (off < 0x100) {
            return switch (off) {
                case 0x00 -> CAP;
                case 0x04 -> ghc;
                case 0x08 -> is;
                case 0x0C -> (1 << PORTS) - 1;
                case 0x10 -> VERSION;
                default -> 0;
            };
        }
        int n = (off - 0x100) >> 7;
        if (n >= PORTS) {
            return 0;
        }
        Port p = ports[n];
        return switch (off & 0x7F) {
            case 0x00 -> p.clb;
            case 0x04 -> p.clbu;
            case 0x08 -> p.fb;
            case 0x0C -> p.fbu;
            case 0x10 -> p.is;
            case 0x14 -> p.ie;
            case 0x18 -> p.cmd;
            case 0x20 -> p.tfd;
            case 0x24 -> p.sig;
            case 0x28 -> p.ssts;
            case 0x2C -> p.sctl;
            case 0x30 -> p.serr;
            case 0x34 -> p.sact;
            case 0x38 -> p.ci;
            default -> 0;
        };
    }

    void writeReg(int off, int v) {
        if (off < 0x100) {
            switch (off) {
                case 0x04 -> {
                    if ((v & GHC_HR) != 0) {
                        resetHba();
                    } else {
                        ghc = (v & 0x3) | GHC_AE;
                    }
                }
                case 0x08 -> is &= ~v;
                default -> { }
            }
            checkIrq();
            return;
        }
        int n = (off - 0x100) >> 7;
        if (n >= PORTS) {
            return;
        }
        Port p = ports[n];
        switch (off & 0x7F) {
            case 0x00 -> p.clb = v;
            case 0x04 -> p.clbu = v;
            case 0x08 -> p.fb = v;
            case 0x0C -> p.fbu = v;
            case 0x10 -> p.is &= ~v;
            case 0x14 -> p.ie = v & PORT_IRQ_MASK;
            case 0x18 -> {
                p.cmd = (p.cmd & PORT_CMD_RO_MASK) | (v & ~(PORT_CMD_RO_MASK | PORT_CMD_ICC_MASK));
                p.cmd = (p.cmd & PORT_CMD_START) != 0 ? p.cmd | PORT_CMD_LIST_ON : p.cmd & ~PORT_CMD_LIST_ON;
                p.cmd = (p.cmd & PORT_CMD_FIS_RX) != 0 ? p.cmd | PORT_CMD_FIS_ON : p.cmd & ~PORT_CMD_FIS_ON;
                if ((p.cmd & PORT_CMD_FIS_ON) != 0 && !p.initD2hSent) {
                    // the absent device's initial D2H FIS (ahci_init_d2h): DHRS and the signature
                    p.initD2hSent = true;
                    p.is |= 0x1;
                    p.sig = 0xFFFF0101;
                }
            }
            case 0x2C -> {
                if ((p.sctl & 0xF) == 1 && (v & 0xF) == 0) {
                    p.reset();
                }
                p.sctl = v;
            }
            case 0x30 -> p.serr &= ~v;
            case 0x34 -> p.sact |= v;
            case 0x38 -> p.ci |= v;
            default -> { }
        }
        checkIrq();
    }

    private void checkIrq() {
        int s = 0;
        for (int i = 0; i < PORTS; i++) {
            if ((ports[i].is & ports[i].ie) != 0) {
                s |= 1 << i;
            }
        }
        is = s;
        boolean level = (ghc & GHC_IE) != 0 && is != 0;
        if (level != irq && intx != null) {
            irq = level;
            intx.set(level);
        }
    }

    private void resetHba() {
        is = 0;
        ghc = GHC_AE;
        for (Port p : ports) {
            p.is = 0;
            p.ie = 0;
            p.sctl = 0;
            p.cmd = 0x6; // spin-up and power-on
            p.reset();
        }
        checkIrq();
    }

    @Override
    public void reset() {
        for (Port p : ports) {
            p.clb = p.clbu = p.fb = p.fbu = p.ci = 0;
            p.cmd = 0x6;
        }
        idpIndex = 0;
        resetHba();
    }
}
