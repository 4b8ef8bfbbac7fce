package dev.machina.qmp;

import dev.machina.vm.Vm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;

/**
 * The QMP machine of a running VM: every request becomes a task on the VM's run loop
 * ({@link Vm#submit}) and returns once the loop has done it, so its events reach the clients before
 * the command's reply, as QEMU 7.2 sends them (tests/qmp/qemu72-pc-running.jsonl). What the run does by
 * itself (a guest reset, a power-off) reaches the clients through the loop's {@link Vm.Observer}.
 *
 * <p>The run state is written only on the loop thread and read by any thread.
 */
public final class VmMachine implements QmpMachine {
    private final Vm vm;
    private final Events events;
    private volatile RunState state;

    /** @param startPaused {@code -S}: the machine starts in {@code prelaunch} */
    public VmMachine(Vm vm, Events events, boolean startPaused) {
        this.vm = vm;
        this.events = events;
        this.state = startPaused ? RunState.PRELAUNCH : RunState.RUNNING;
        vm.observe(new Vm.Observer() {
            @Override
            public void stopped() {
                if (state != RunState.SHUTDOWN) {
                    state = RunState.PAUSED;
                }
                events.emit("STOP");
            }

            @Override
            public void resumed() {
                state = RunState.RUNNING;
                events.emit("RESUME");
            }

            @Override
            public void reset(Vm.Cause cause) {
                if (state == RunState.SHUTDOWN) {
                    state = vm.running() ? RunState.RUNNING : RunState.PAUSED; // a reset leaves the power-off state
                }
                events.emit("RESET", Events.cause(cause.guest(), cause.reason()));
            }

            @Override
            public void shutdown(Vm.Cause cause) {
                state = RunState.SHUTDOWN;
                events.emit("SHUTDOWN", Events.cause(cause.guest(), cause.reason()));
            }
        });
    }

    /** The VM this controls. */
    public Vm vm() {
        return vm;
    }

    /** Runs {@code task} on the loop thread and waits for it; a run that is over is QEMU's GenericError. */
    <T> T onLoop(Callable<T> task) {
        try {
            // what the guest does once the task is done is announced after the command's reply
            return vm.submit(Session.heldAfter(task)).get();
        } catch (CancellationException e) {
            throw QmpError.generic("the machine is not running any more");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw QmpError.generic("interrupted while waiting for the machine");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof QmpError q) {
                throw q;
            }
            throw QmpError.generic("the machine failed the request: " + e.getCause());
        }
    }

    private void onLoop(Runnable r) {
        onLoop(() -> {
            r.run();
            return null;
        });
    }

    @Override
    public java.util.Optional<dev.machina.vm.BuiltMachine> graph() {
        return java.util.Optional.of(vm.built());
    }

    @Override
    public boolean realized() {
        return true;
    }

    @Override
    public <T> T run(java.util.function.Supplier<T> task) {
        return onLoop(task::get);
    }

    @Override
    public RunState runState() {
        return state;
    }

    @Override
    public void stop() {
        onLoop(vm::pause);
    }

    @Override
    public void cont() {
        // qmp_cont: a machine that powered off (or failed) must be reset first
        if (state == RunState.SHUTDOWN || state == RunState.INTERNAL_ERROR || state == RunState.GUEST_PANICKED) {
            throw QmpError.generic("Resetting the Virtual Machine is required");
        }
        onLoop(() -> {
            if (!vm.running()) {
                vm.resume();
            } else if (state != RunState.RUNNING) {
                state = RunState.RUNNING;
            }
        });
    }

    @Override
    public void systemReset() {
        onLoop(vm::resetFromHost);
    }

    @Override
    public void systemPowerdown() {
        onLoop(() -> {
            events.emit("POWERDOWN"); // qemu_system_powerdown: the event, then the notifier (the power button)
            vm.pressPowerButton();
        });
    }

    @Override
    public void quit() {
        // the event now; the run ends once the reply is out (the server's quit hook)
        onLoop(() -> {
            state = RunState.SHUTDOWN;
            events.emit("SHUTDOWN", Events.cause(false, "host-qmp-quit"));
        });
    }

    @Override
    public com.fasterxml.jackson.databind.node.ArrayNode cpusFast() {
        com.fasterxml.jackson.databind.node.ArrayNode a = QmpJson.NODES.arrayNode();
        String path = vm.built().objects().stream().filter(o -> o.typeName().endsWith("-x86_64-cpu") || o.typeName().endsWith("-i386-cpu"))
                .map(dev.machina.vm.BuiltObject::path).findFirst().orElse("/machine/unattached/device[0]");
        // QEMU 7.2's member order (qmp_query_cpus_fast as its JSON writer prints it)
        com.fasterxml.jackson.databind.node.ObjectNode c = a.addObject();
        c.put("thread-id", loopThreadId());
        com.fasterxml.jackson.databind.node.ObjectNode props = c.putObject("props");
        props.put("core-id", 0);
        props.put("thread-id", 0);
        props.put("socket-id", 0);
        c.put("qom-path", path);
        c.put("cpu-index", 0);
        c.put("target", "x86_64");
        return a;
    }

    @Override
    public String infoRegisters() {
        return onLoop(vm::registerDump);
    }

    @Override
    public String infoQtree() {
        return onLoop(vm::qtree);
    }

    @Override
    public String infoMtree(boolean flat) {
        return onLoop(() -> vm.mtree(flat));
    }

    /** The host thread id of the loop thread (QEMU's {@code thread-id}): Linux's TID, else the process id. */
    long loopThreadId() {
        return onLoop(() -> {
            try {
                // /proc/thread-self -> PID/task/TID
                String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
                return Long.parseLong(link.substring(link.lastIndexOf('/') + 1));
            } catch (IOException | RuntimeException e) {
                return ProcessHandle.current().pid();
            }
        });
    }
}
