/**
 * VM configurations: the model (an ordered list of {@link dev.machina.config.Section}s, each entry
 * remembering where it came from), QEMU's command-line syntax (QemuOpts, keyval, JSON, the sugar
 * options, {@code -set}, {@code -global}, {@code -readconfig}), the {@code -readconfig} file format
 * (strict by default; {@link dev.machina.config.ReadMode#QEMU} reproduces QEMU 7.2's lenient reader),
 * the canonical writer, and the YAML, JSON and HOCON forms of the same model.
 *
 * <p>Facts: {@code ../shared/qemu/config/README.md} and its transcripts of QEMU 7.2.
 *
 * <p>Depends on {@code dev.machina.qom} (property schemas to check device, object and machine
 * properties) and {@code dev.machina.util}; never on {@code dev.machina.cli}. Errors are values
 * ({@link dev.machina.config.ConfigError}) with positions; nothing here prints.
 */
package dev.machina.config;
