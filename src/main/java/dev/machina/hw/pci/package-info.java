/**
 * The PCI bus and its configuration space (type 0 header, BAR sizing and decoding, command and
 * status, capability list, INTx to PIRQ routing), configuration mechanism #1, and the PC chipsets'
 * PCI functions as pure register models with thin bindings, reset values from QEMU 7.2. Also the
 * PCI type declarations every PCI device inherits. Depends on {@code dev.machina.hw.core},
 * {@code dev.machina.memory} and {@code dev.machina.qom}.
 */
package dev.machina.hw.pci;
