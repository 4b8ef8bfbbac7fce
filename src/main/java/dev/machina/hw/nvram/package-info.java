/**
 * QEMU's firmware configuration device, fw_cfg ({@code fw_cfg_io} on a PC: selector 0x510, data
 * 0x511, DMA address 0x514): the register model {@link dev.machina.hw.nvram.FwCfg} (keys, the file
 * directory, PIO and DMA transfers) and its system-bus binding {@link dev.machina.hw.nvram.FwCfgIo}.
 * What a PC board puts in it (the legacy keys, {@code etc/e820}, {@code etc/boot-fail-wait},
 * {@code bootorder}, ...) is {@link dev.machina.hw.nvram.PcFwCfg}.
 *
 * <p>Facts from QEMU 7.2's {@code hw/nvram/fw_cfg.c}, {@code hw/i386/fw_cfg.c},
 * {@code docs/specs/fw_cfg.rst}, and its behaviour as recorded under
 * {@code ../shared/x86/pc-boot/}. Depends on {@code dev.machina.hw.core} and
 * {@code dev.machina.memory} only.
 */
package dev.machina.hw.nvram;
