/**
 * The ISA bus, its device base and the ISA device types. Depends on {@code dev.machina.qom} only
 * (and, with the device models, on {@code dev.machina.memory} for I/O ports).
 */
package dev.machina.hw.isa;
