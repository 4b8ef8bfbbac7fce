package dev.machina.hw.nvram;

import dev.machina.hw.core.DeviceModel;
import dev.machina.hw.core.SysBusSlot;
import dev.machina.memory.AccessRule;
import dev.machina.memory.RegionOps;

/**
 * {@code fw_cfg_io}: fw_cfg on I/O ports (QEMU 7.2 hw/nvram/fw_cfg.c, {@code fw_cfg_io_realize}).
 *
 * <h2>QEMU interface</h2>
 * <ul>
 *   <li>Properties: {@code dma_enabled} (default on; the machine's {@code fw-cfg-dma} option turns
 *       it off for old machine types), {@code x-file-slots} (32), {@code acpi-mr-restore}
 *       (migration only).</li>
 *   <li>I/O: region {@code fwcfg}, 2 ports at {@link #IOBASE}: a 16-bit write selects, an 8-bit
 *       read of either port reads data (QEMU's {@code fw_cfg_comb_valid}: bytes, or 16-bit writes);
 *       region {@code fwcfg.dma}, 8 ports at {@link #DMA_IOBASE} when DMA is enabled (big-endian,
 *       up to 8 bytes).</li>
 *   <li>No IRQ. The board fills the items after realize ({@link #fwCfg()}).</li>
 * </ul>
 */
public final class FwCfgIo implements DeviceModel.SysBus {
    /** FW_CFG_IO_BASE and the DMA address register after it (hw/nvram/fw_cfg.c). */
    public static final int IOBASE = 0x510, DMA_IOBASE = 0x514;
    static final AccessRule CTL_RULE = AccessRule.sizes(1, 2);
    static final AccessRule DMA_RULE = new AccessRule(1, 8, false, 1, 8, false, true);

    private final boolean dmaEnabled;
    private final int fileSlots;
    private final boolean legacyOrder;
    private FwCfg fwCfg;

    public FwCfgIo(boolean dmaEnabled, int fileSlots, boolean legacyOrder) {
        this.dmaEnabled = dmaEnabled;
        this.fileSlots = fileSlots;
        this.legacyOrder = legacyOrder;
    }

    /** The register model, made at realize. */
    public FwCfg fwCfg() {
        if (fwCfg == null) {
            throw new IllegalStateException("fw_cfg_io is not realized yet");
        }
        return fwCfg;
    }

    @Override
    public void realize(SysBusSlot slot) {
        FwCfg f = new FwCfg(fileSlots, dmaEnabled, legacyOrder, slot.dma());
        fwCfg = f;
        slot.addIo(IOBASE, slot.regions().io("fwcfg", 2, new RegionOps() {
            @Override
            public long read(long offset, int size) {
                return size == 1 ? f.readData(1) : 0; // QEMU refuses wider reads (fw_cfg_comb_valid)
            }

            @Override
            public void write(long offset, int size, long value) {
                if (size == 2) {
                    f.select((int) value);
                }
                // 8-bit writes: the data register; QEMU ignores them since 2.4
            }
        }, CTL_RULE));
        if (dmaEnabled) {
            slot.addIo(DMA_IOBASE, slot.regions().io("fwcfg.dma", 8, new RegionOps() {
                @Override
                public long read(long offset, int size) {
                    return FwCfg.readDmaAddress((int) offset, size);
                }

                @Override
                public void write(long offset, int size, long value) {
                    f.writeDmaAddress((int) offset, size, value);
                }
            }, DMA_RULE));
        }
    }

    @Override
    public void reset() {
        if (fwCfg != null) {
            fwCfg.reset();
        }
    }
}
