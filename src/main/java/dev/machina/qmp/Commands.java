package dev.machina.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The handlers of the schema's commands, with QEMU 7.2's reply shapes and member order (recorded in
 * tests/qmp/qemu72-none-probe.jsonl).
 */
final class Commands {
    private Commands() {}

    static Handlers all() {
        Handlers h = new Handlers();
        h.add("qmp_capabilities", c -> QmpJson.object()); // answered by the session itself
        h.add("query-version", c -> c.server().context().version());
        h.add("query-commands", c -> {
            ArrayNode a = QmpJson.NODES.arrayNode();
            for (String name : c.server().schema().commands().keySet()) {
                if (c.server().handlers().has(name)) {
                    a.addObject().put("name", name);
                }
            }
            return a;
        });
        h.add("query-qmp-schema", c -> c.server().schema().introspect());
        h.add("query-status", c -> {
            QmpMachine.RunState s = c.server().context().machine().runState();
            ObjectNode o = QmpJson.object();
            o.put("status", s.qapi());
            o.put("singlestep", false);
            o.put("running", s == QmpMachine.RunState.RUNNING);
            return o;
        });
        h.add("query-name", c -> {
            ObjectNode o = QmpJson.object();
            c.server().context().name().ifPresent(n -> o.put("name", n));
            return o;
        });
        h.add("query-uuid", c -> QmpJson.object().put("UUID", c.server().context().uuid()));
        h.add("query-kvm", c -> QmpJson.object().put("enabled", false).put("present", false));
        h.add("query-target", c -> QmpJson.object().put("arch", "x86_64"));
        h.add("query-chardev", c -> {
            ArrayNode a = QmpJson.NODES.arrayNode();
            for (MonitorContext.Chardev d : c.server().context().chardevs()) {
                a.addObject().put("frontend-open", d.frontendOpen()).put("filename", d.filename()).put("label", d.label());
            }
            return a;
        });
        h.add("qom-list-types", c -> c.server().context().introspection().listTypes(c.str("implements"), c.bool("abstract", false)));
        h.add("qom-list-properties", c -> c.server().context().introspection().classProperties(c.str("typename")));
        h.add("device-list-properties", c -> c.server().context().introspection().deviceProperties(c.str("typename")));
        h.add("query-cpu-definitions", c -> c.server().context().introspection().cpuDefinitions());
        h.add("query-cpu-model-expansion", c -> CpuExpansion.packaged().expand(c.str("type"), c.args().get("model")));
        h.add("query-machines", c -> c.server().context().introspection().machines(c.str("x-machina-machine")));
        h.add("query-command-line-options", c -> c.server().context().introspection().commandLineOptions(c.str("option")));
        h.add("query-tpm-models", c -> c.server().context().introspection().tpmModels());
        // the TPM backends -tpmdev accepts (QEMU lists its registered tpm-backend classes)
        h.add("query-tpm-types", c -> QmpJson.NODES.arrayNode().add("passthrough").add("emulator"));
        h.add("query-migrate-capabilities", c -> {
            // every capability QEMU 7.2 has, each off as in a VM that was never told otherwise
            ArrayNode a = QmpJson.NODES.arrayNode();
            for (String cap : c.server().schema().type("MigrationCapability").values()) {
                a.addObject().put("state", false).put("capability", cap);
            }
            return a;
        });
        // QEMU 7.2's answers where the accelerator is not KVM (sev_get_capabilities, sgx_get_capabilities)
        h.add("query-sev-capabilities", c -> {
            throw QmpError.generic("KVM not enabled");
        });
        h.add("query-sgx-capabilities", c -> {
            throw QmpError.generic("SGX is not enabled in KVM");
        });
        h.add("query-cpus-fast", c -> c.server().context().machine().cpusFast());
        h.add("qom-list", c -> qom(c, q -> q.list(c.str("path"))));
        h.add("qom-get", c -> qom(c, q -> q.get(c.str("path"), c.str("property"))));
        h.add("qom-set", c -> qom(c, q -> {
            q.set(c.str("path"), c.str("property"), c.args().get("value"));
            return null;
        }));
        h.add("stop", c -> {
            c.server().context().machine().stop();
            return null;
        });
        h.add("cont", c -> {
            c.server().context().machine().cont();
            return null;
        });
        h.add("system_reset", c -> {
            c.server().context().machine().systemReset();
            return null;
        });
        h.add("system_powerdown", c -> {
            c.server().context().machine().systemPowerdown();
            return null;
        });
        h.add("quit", c -> {
            c.server().context().machine().quit();
            c.server().context().requestExit();
            return null;
        });
        // QEMU 7.2's qmp_x_exit_preconfig refuses once the machine is initialized
        h.add("x-exit-preconfig", c -> {
            MonitorContext ctx = c.server().context();
            MonitorContext.Preconfig p = ctx.assembly().filter(a -> ctx.inPreconfig())
                    .orElseThrow(() -> QmpError.generic("The command is permitted only before machine initialization"));
            p.exit();
            return null;
        });
        h.add("x-machina-preconfig-add", c -> {
            MonitorContext ctx = c.server().context();
            MonitorContext.Preconfig p = ctx.assembly().filter(a -> ctx.inPreconfig())
                    .orElseThrow(() -> QmpError.generic("The command is permitted only before machine initialization"));
            java.util.List<String> args = new java.util.ArrayList<>();
            c.args().get("args").forEach(a -> args.add(a.textValue()));
            p.add(args);
            return null;
        });
        h.add("human-monitor-command", c -> {
            JsonNode line = c.args().get("command-line");
            return QmpJson.NODES.textNode(new Hmp(c.server().context()).run(line.textValue()).replace("\n", "\r\n"));
        });
        return h;
    }

    /** Runs a qom-* command on the machine's graph, where the machine's state may be touched. */
    static JsonNode qom(Handlers.Call c, java.util.function.Function<Qom, JsonNode> f) {
        return qom(c.server().context(), f);
    }

    /** Runs a qom-* command of either monitor on the machine's graph. */
    static JsonNode qom(MonitorContext ctx, java.util.function.Function<Qom, JsonNode> f) {
        QmpMachine m = ctx.machine();
        dev.machina.vm.BuiltMachine b = m.graph().orElseThrow(() -> QmpError.generic("this machine has no object graph"));
        java.util.Map<String, String> chardevs = new java.util.LinkedHashMap<>();
        for (MonitorContext.Chardev d : ctx.chardevs()) {
            chardevs.put(d.label(), Qom.chardevType(d.filename()));
        }
        Qom q = new Qom(new Qom.Graph(b, m.realized(), chardevs));
        return m.run(() -> f.apply(q));
    }
}
