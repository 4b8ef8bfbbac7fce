/**
 * The 8237A DMA controller pair of the PC with its page registers ({@link dev.machina.hw.dma.I8237})
 * as a pure register model: registers only, no transfers yet (see the class). Depends on
 * {@code dev.machina.hw.core} only.
 */
package dev.machina.hw.dma;
