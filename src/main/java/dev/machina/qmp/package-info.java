/**
 * QMP and the human monitor: the server (unix and TCP sockets, stdio; many clients; QEMU 7.2's greeting,
 * negotiation, errors and events), the schema as data ({@code schemas/qmp.qapi}, validated arguments,
 * {@code query-qmp-schema}), the commands, and HMP.
 *
 * <p>Commands reach the machine only through {@link dev.machina.qmp.QmpMachine}; the run loop implements
 * it (a QMP thread never runs device code). Depends on {@code vm}, {@code machine}, {@code qom} and
 * {@code util}; never on {@code cli} or {@code config}.
 */
package dev.machina.qmp;
