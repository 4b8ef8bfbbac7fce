/**
 * Machine types as data: loading the YAML files under {@code machines/} and {@code compat/} (with
 * their positions), checking them against the JSON Schemas in {@code schemas/} and against the type
 * registry, and resolving one machine type into an immutable {@link dev.machina.machine.ResolvedMachine}:
 * its options, its effective compat properties and its default device graph, each value with where it
 * came from. Comparing machine types ({@link dev.machina.machine.MachineDiff}: options, compat
 * properties, device graphs, explain chains) and guarding released ones
 * ({@link dev.machina.machine.MachineSnapshot}: the ABI of every machine type, compared with a
 * baseline) are done here too. Pure data: nothing here runs a device or formats output.
 *
 * <p>Depends on {@code dev.machina.qom} (types, property types, values) and {@code dev.machina.util}
 * (and on SnakeYAML, everit and Jackson for reading files); nothing in {@code cli}, {@code hw} or above.
 */
package dev.machina.machine;
