/**
 * Machine types as data: loading the YAML files under {@code machines/} and {@code compat/} (with
 * their positions), checking them against the JSON Schemas in {@code schemas/} and against the type
 * registry, and resolving one machine type into an immutable {@link dev.machina.machine.ResolvedMachine}:
 * its options, its effective compat properties and its default device graph, each value with where it
 * came from. Pure data: nothing here runs a device.
 *
 * <p>Depends on {@code dev.machina.qom} (types, property types, values) and {@code dev.machina.util};
 * nothing in {@code cli}, {@code hw} or above.
 */
package dev.machina.machine;
