/**
 * The object model, after QEMU's QOM: a registry of types with single inheritance and interfaces,
 * a static, typed property schema per type (introspectable and exportable as JSON Schema without an
 * instance), QEMU's value syntax, objects with a create → set → realize → unrealize → unparent
 * lifecycle, the composition tree with QEMU's canonical paths and path resolution, and global
 * properties (compat sets, then user {@code -global}s).
 *
 * <p>Depends only on {@code dev.machina.util}. Knows nothing of machines, files or the command line.
 */
package dev.machina.qom;
