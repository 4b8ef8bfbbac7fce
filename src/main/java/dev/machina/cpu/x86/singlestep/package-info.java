/**
 * The single-step conformance runner: executes SingleStepTests-format records (one instruction
 * captured on a real CPU, with register and memory state before and after) on the x86 core and
 * compares. {@link dev.machina.cpu.x86.singlestep.SingleStepRunner} reads the JSON-lines form of
 * the suite and its {@code metadata.json}; {@link dev.machina.cpu.x86.singlestep.Differences286}
 * names the places where an 80286 differs from the 386-class CPU we emulate.
 *
 * <p>Depends on {@code dev.machina.cpu.x86} (public API only), {@code dev.machina.memory} and
 * {@code dev.machina.util} (bounded reading of the files it is given).
 */
package dev.machina.cpu.x86.singlestep;
