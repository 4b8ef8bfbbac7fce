/**
 * The {@code machina} command line: argument parsing (picocli) and output formatting only. Every
 * command turns its arguments into values and calls the layers below; user errors arrive as
 * {@link dev.machina.util.UserException}s and become one line on stderr with exit status 1.
 */
package dev.machina.cli;
