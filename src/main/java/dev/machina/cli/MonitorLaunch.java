package dev.machina.cli;

import dev.machina.config.ConfigException;
import dev.machina.config.ParsedCommandLine;
import dev.machina.config.Section;
import dev.machina.config.VmConfig;
import dev.machina.qmp.Endpoint;
import dev.machina.qmp.Events;
import dev.machina.qmp.MonitorContext;
import dev.machina.qmp.NoMachine;
import dev.machina.qmp.QapiSchema;
import dev.machina.qmp.QmpError;
import dev.machina.qmp.QmpServer;
import dev.machina.qmp.VmMachine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The monitors of {@code machina run}: {@code -qmp}, {@code -monitor} and {@code -mon chardev=ID} with
 * its {@code -chardev}, read from the configuration and started on a {@link QmpServer}. With
 * {@code -machine none} (a management tool's probe) this is the whole run: the monitors answer until a
 * client sends {@code quit}, and the process exits 0.
 */
final class MonitorLaunch {
    private MonitorLaunch() {}

    /** A monitor to start: where, and whether it speaks QMP (control) or the human monitor (readline). */
    record Monitor(Endpoint endpoint, boolean control) {}

    /** The monitors the configuration asks for, in option order; a bad address is a user error. */
    static List<Monitor> monitors(VmConfig config) {
        List<Monitor> out = new ArrayList<>();
        int compat = 0;
        for (Section s : config.sections()) {
            switch (s.group()) {
                case "machina-qmp" -> out.add(new Monitor(Endpoint.parse("-qmp", s.get("dev").orElse(""), "compat_monitor" + compat++), true));
                case "machina-monitor" -> {
                    String dev = s.get("dev").orElse("");
                    if (!dev.equals("none")) {
                        out.add(new Monitor(Endpoint.parse("-monitor", dev, "compat_monitor" + compat++), false));
                    }
                }
                case "mon" -> {
                    String id = s.get("chardev").orElse("");
                    Section cd = config.sections("chardev").stream().filter(c -> c.effectiveId().orElse("").equals(id))
                            .findFirst().orElseThrow(() -> new UserError("-mon chardev=" + id + ": no -chardev with id=" + id));
                    Map<String, String> keys = new LinkedHashMap<>();
                    cd.entries().forEach(e -> keys.put(e.key(), e.value()));
                    keys.put("id", id);
                    out.add(new Monitor(Endpoint.fromChardev(keys), s.get("mode").orElse("readline").equals("control")));
                }
                default -> { }
            }
        }
        long stdio = out.stream().filter(m -> m.endpoint().kind() == Endpoint.Kind.STDIO).count();
        if (stdio > 1) {
            throw new UserError("cannot use stdio by multiple character devices (one of -qmp, -monitor and -mon may use it)");
        }
        return out;
    }

    static Optional<String> machineType(VmConfig config) {
        return config.sections("machine").stream().map(s -> s.get("type")).filter(Optional::isPresent).map(Optional::get)
                .reduce((a, b) -> b);
    }

    /**
     * Runs {@code -machine none} with its monitors until {@code quit}; empty when the configuration is
     * not that (a VM with a machine is the run loop's to start).
     */
    static Optional<Integer> runNone(VmConfig config, Context context, InputStream stdin, OutputStream stdout) {
        if (!machineType(config).orElse("").equals("none")) {
            return Optional.empty();
        }
        List<Monitor> monitors = monitors(config);
        if (monitors.isEmpty()) {
            return Optional.empty();
        }
        Events events = new Events();
        MonitorContext ctx = context(config, context, events);
        dev.machina.util.Timing.mark("monitor context");
        ctx.machine(new NoMachine(events, !config.sections("machina-S").isEmpty(), () -> MonitorData.dryRun(config, context)));
        ChardevList.of(config, monitors, true).forEach(ctx::chardev);
        try (QmpServer server = new QmpServer(ctx).stdio(stdin, stdout)) {
            server.onFirstGreeting(() -> warm(ctx, context));
            for (Monitor m : monitors) {
                server.listen(m.endpoint(), m.control());
            }
            dev.machina.util.Timing.mark("monitors listening");
            Daemon.initialised(); // -daemonize: the monitors listen
            server.awaitQuit();
        } catch (IOException e) {
            throw new UserError("cannot start the monitor: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.of(Main.EXIT_OK);
    }

    /**
     * A probe's data, loaded on another thread once the first client has been greeted: the greeting and the
     * first commands need none of it, and libvirt's sixth command (qom-list-types) needs the type catalog,
     * which otherwise loads while the client waits. A failure here is left for the command that needs the
     * data to report.
     */
    private static void warm(MonitorContext ctx, Context context) {
        Thread t = new Thread(() -> {
            try {
                long t0 = System.nanoTime();
                ctx.introspection().warm();
                dev.machina.util.Timing.note(String.format("probe data, on its own thread: %.1f ms wall", (System.nanoTime() - t0) / 1e6));
            } catch (RuntimeException e) {
                // the command that asks for it loads it again and answers with the error
            }
        }, "probe-data");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Starts the monitors of a VM that is about to run: each command reaches the VM through its run
     * loop ({@link VmMachine}); {@code quit} ends the run once answered. Empty when the configuration
     * asks for no monitor. The caller closes the server when the run is over.
     */
    static Optional<QmpServer> startFor(dev.machina.vm.Vm vm, VmConfig config, Context context, InputStream stdin, OutputStream stdout) {
        List<Monitor> monitors = monitors(config);
        if (monitors.isEmpty()) {
            return Optional.empty();
        }
        Events events = new Events();
        MonitorContext ctx = context(config, context, events);
        ctx.machine(new VmMachine(vm, events, !config.sections("machina-S").isEmpty()));
        ChardevList.of(config, monitors, true).forEach(ctx::chardev);
        QmpServer server = new QmpServer(ctx).stdio(stdin, stdout);
        server.onQuit(() -> vm.request(dev.machina.vm.Vm.Request.QUIT));
        try {
            for (Monitor m : monitors) {
                server.listen(m.endpoint(), m.control());
            }
        } catch (IOException e) {
            server.close();
            throw new UserError("cannot start the monitor: " + e.getMessage());
        }
        return Optional.of(server);
    }

    /**
     * {@code -preconfig} (QEMU's {@code --preconfig}): the monitors start before the machine is built.
     * Over QMP, {@code x-machina-preconfig-add} appends options to the command line (the whole line is
     * checked as the command line would be) and the introspection commands see the machine as it stands;
     * {@code x-exit-preconfig} checks the machine (as QEMU's start would) and ends this phase. Returns the
     * command line that builds the machine, without {@code -preconfig}, and the running server, or empty
     * after {@code quit}.
     */
    static Optional<Preconfigured> preconfig(List<String> args, dev.machina.config.ReadMode mode, dev.machina.config.Configs configs,
            ParsedCommandLine first, Context context, InputStream stdin, OutputStream stdout) {
        List<String> base = new ArrayList<>(args);
        base.removeIf(a -> a.equals("-preconfig") || a.equals("--preconfig"));
        List<Monitor> monitors = monitors(first.config());
        if (monitors.isEmpty()) {
            throw new UserError("-preconfig needs a monitor to configure the machine from (-qmp, -monitor or -mon)");
        }
        Events events = new Events();
        MonitorContext ctx = context(first.config(), context, events);
        ParsedCommandLine[] current = {configs.fromCommandLine(base, mode)};
        // QEMU's run state in preconfig is prelaunch
        ctx.machine(new NoMachine(events, true, () -> MonitorData.dryRun(current[0].config(), context)));
        ChardevList.of(first.config(), monitors, false).forEach(ctx::chardev);
        java.util.concurrent.CompletableFuture<Optional<ParsedCommandLine>> built = new java.util.concurrent.CompletableFuture<>();
        // x-exit-preconfig answers once the machine is built and the monitors reach it, as QEMU's does
        java.util.concurrent.CompletableFuture<String> attached = new java.util.concurrent.CompletableFuture<>();
        List<String> line = new ArrayList<>(base);
        ctx.preconfig(new MonitorContext.Preconfig() {
            @Override
            public synchronized void add(List<String> more) {
                List<String> next = new ArrayList<>(line);
                next.addAll(more);
                ParsedCommandLine q = parse(configs, next, mode);
                if (q.help().isPresent()) {
                    throw QmpError.generic("x-machina-preconfig-add: a help request configures nothing");
                }
                line.addAll(more);
                current[0] = q;
            }

            @Override
            public synchronized void exit() {
                try {
                    dev.machina.vm.VmSpec.check(current[0].config(), context.catalog());
                } catch (ConfigException e) {
                    throw QmpError.generic(oneLine(e));
                }
                ctx.preconfig((MonitorContext.Preconfig) null);
                built.complete(Optional.of(current[0]));
                String problem = attached.join();
                if (problem != null) {
                    throw QmpError.generic(problem);
                }
            }
        });
        QmpServer server = new QmpServer(ctx).stdio(stdin, stdout);
        server.onQuit(() -> built.complete(Optional.empty()));
        try {
            for (Monitor m : monitors) {
                server.listen(m.endpoint(), m.control());
            }
            Daemon.initialised(); // -preconfig -daemonize: QEMU 7.2's first process exits in prelaunch
            Optional<ParsedCommandLine> fin = built.get();
            if (fin.isEmpty()) {
                server.close();
                return Optional.empty();
            }
            return Optional.of(new Preconfigured(fin.get(), server, attached));
        } catch (IOException e) {
            server.close();
            throw new UserError("cannot start the monitor: " + e.getMessage());
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            server.close();
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * The machine's command line at the end of preconfig, the monitors' server, still serving, and where
     * the caller says the machine is attached (null) or why it could not be built.
     */
    record Preconfigured(ParsedCommandLine parsed, QmpServer server, java.util.concurrent.CompletableFuture<String> attached) {
        void failed(String why) {
            attached.complete(why);
        }
    }

    private static ParsedCommandLine parse(dev.machina.config.Configs configs, List<String> line, dev.machina.config.ReadMode mode) {
        try {
            return configs.fromCommandLine(line, mode);
        } catch (ConfigException e) {
            throw QmpError.generic(oneLine(e));
        }
    }

    private static String oneLine(ConfigException e) {
        return String.join("; ", e.diagnostics().stream().map(d -> d.render().strip()).toList());
    }

    /** The monitors of a VM built after preconfig: the same server, now reaching the VM's run loop. */
    static void attach(Preconfigured pre, dev.machina.vm.Vm vm, VmConfig config) {
        MonitorContext ctx = pre.server().context();
        ctx.machine(new VmMachine(vm, ctx.events(), !config.sections("machina-S").isEmpty()));
        ctx.chardevs(ChardevList.of(config, monitors(config), true)); // the devices now use theirs; preconfig may have added some
        pre.server().onQuit(() -> vm.request(dev.machina.vm.Vm.Request.QUIT));
        pre.attached().complete(null);
    }

    static MonitorContext context(VmConfig config, Context context, Events events) {
        // parsed on another thread while the monitors start listening and greet their first client (QEMU
        // greets at once, and a management tool times that): the first command waits for it
        java.util.concurrent.CompletableFuture<QapiSchema> schema = new java.util.concurrent.CompletableFuture<>();
        Thread loader = new Thread(() -> {
            try {
                long t0 = System.nanoTime();
                dev.machina.qmp.QmpJson.mapper(); // the first command is parsed with it
                schema.complete(QapiSchema.packaged());
                dev.machina.util.Timing.note(String.format("QMP schema and JSON mapper, on their own thread: %.1f ms wall", (System.nanoTime() - t0) / 1e6));
            } catch (RuntimeException | Error e) {
                schema.completeExceptionally(e);
            }
        }, "qmp-schema");
        loader.setDaemon(true);
        loader.start();
        MonitorContext ctx = new MonitorContext(() -> join(schema), events, packageName());
        ctx.introspection(MonitorData.of(context));
        config.sections("name").stream().flatMap(s -> s.get("guest").stream()).forEach(ctx::name);
        config.sections("machina-uuid").stream().flatMap(s -> s.get("uuid").stream()).forEach(ctx::uuid);
        return ctx;
    }

    private static QapiSchema join(java.util.concurrent.CompletableFuture<QapiSchema> schema) {
        try {
            return schema.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // the packaged schema is broken: the build's tests say so first
            }
            throw e;
        }
    }

    private static String packageName() {
        String v = Main.class.getPackage().getImplementationVersion();
        return "machina " + (v == null ? "dev" : v);
    }
}
