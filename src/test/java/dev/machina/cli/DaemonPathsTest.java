package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The detached process of -daemonize starts in / (QEMU's os_setup_post directory), so the first process hands
 * it the command line with the files QEMU would open relative to the user's directory made absolute; values
 * that are not files (stdio, JSON, protocols, the kernel command line) are passed unchanged.
 */
class DaemonPathsTest {
    private static final Path CWD = Path.of("/home/u/vm");

    @Test
    void relativeFilesBecomeAbsoluteAgainstTheUsersDirectory() {
        assertEquals(List.of("-pidfile", "/home/u/vm/vm.pid", "-kernel", "/boot/k", "-hda", "/home/u/vm/d.img",
                        "-qmp", "unix:/home/u/vm/q.sock,server=on,wait=off", "-serial", "file:/home/u/vm/s.log",
                        "-drive", "if=none,file=/home/u/vm/a,,b.img,format=raw", "-chardev", "socket,id=c,path=/home/u/vm/c.sock,server=on",
                        "-writeconfig", "-"),
                Daemon.absolute(List.of("-pidfile", "vm.pid", "-kernel", "/boot/k", "-hda", "d.img",
                        "-qmp", "unix:q.sock,server=on,wait=off", "-serial", "file:s.log",
                        "-drive", "if=none,file=a,,b.img,format=raw", "-chardev", "socket,id=c,path=c.sock,server=on",
                        "-writeconfig", "-"), CWD));
    }

    @Test
    void valuesThatAreNotFilesAreKept() {
        List<String> args = List.of("-S", "-daemonize", "-append", "console=ttyS0 file=x", "-serial", "stdio",
                "-drive", "file=nbd:localhost:10809,if=virtio", "-blockdev", "{\"driver\":\"file\",\"filename\":\"d.img\"}",
                "-qmp", "tcp:localhost:4444,server=on", "-M", "pc");
        assertEquals(args, Daemon.absolute(args, CWD));
    }
}
