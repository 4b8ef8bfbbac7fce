/**
 * The abstract bases of QEMU's {@code hw/core}: {@code device}, {@code bus}, the system bus and its
 * devices, {@code machine} and the interfaces boards and buses share, declared as QOM types.
 * Depends on {@code dev.machina.qom} only.
 */
package dev.machina.hw.core;
