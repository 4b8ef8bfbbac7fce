/**
 * Device models and their type declarations, by area ({@code hw.core}, {@code hw.isa},
 * {@code hw.pci}, ...). Depends on {@code dev.machina.qom} (and later {@code memory}).
 */
package dev.machina.hw;
