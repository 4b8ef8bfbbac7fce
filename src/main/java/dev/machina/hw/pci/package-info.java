/**
 * The PCI bus, the PCI device base every PCI device inherits its properties from, and the PCI
 * device types. Depends on {@code dev.machina.qom} only (and, with the device models, on
 * {@code dev.machina.memory}).
 */
package dev.machina.hw.pci;
