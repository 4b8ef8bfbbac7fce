/**
 * The VM: from a configuration and a machine type to a built object graph, and (with the realize
 * phase and the run loop) to a running machine.
 *
 * <p>{@link dev.machina.vm.VmSpec} is the typed, validated view of a {@code VmConfig} plus the resolved
 * machine type. {@link dev.machina.vm.VmBuilder} creates every object and sets every value in QEMU's
 * order, each with its origin; {@link dev.machina.vm.VmBuilder#dryRun} stops before realize and gives
 * the {@link dev.machina.vm.BuiltMachine} that {@code machine show}, {@code machine diff},
 * {@code --explain}, {@code device show} and {@code config convert --resolved} answer from, and that
 * the realize phase turns into device models.
 *
 * <p>Depends on {@code config} (the configuration model), {@code machine} (machine data),
 * {@code qom}, {@code hw}, {@code memory} and {@code util}; never on {@code cli} or {@code qmp}.
 */
package dev.machina.vm;
