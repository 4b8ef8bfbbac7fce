/**
 * ACPI hardware and tables: the fixed-feature register block (PM1 event and control, the PM timer,
 * GPE0) that PIIX4 PM and ICH9 LPC share, the APM control ports, and the ACPI tables QEMU 7.2 hands
 * the firmware. Depends on {@code dev.machina.hw.core} and {@code dev.machina.memory} only.
 */
package dev.machina.hw.acpi;
