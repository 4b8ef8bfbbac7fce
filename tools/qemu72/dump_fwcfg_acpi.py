#!/usr/bin/env python3
"""Dump the ACPI files QEMU 7.2 gives the firmware through fw_cfg, read over qtest before any
guest code runs (-S): etc/acpi/rsdp, etc/acpi/tables, etc/table-loader (and etc/system-states).

    tools/qemu72/dump_fwcfg_acpi.py            # pc,smm=off and q35,smm=off with -m 128 -nodefaults

Writes tests/acpi/qemu72/MACHINE.FILE (binary, FILE with '/' as '_') plus MACHINE.txt naming the
command line. The hw.acpi tests compare Machina's tables with these. fw_cfg: selector 0x510
(16-bit), data 0x511; the file directory is key 0x19 (be32 count, 64-byte entries
{be32 size, be16 select, u16 reserved, char name[56]}).
"""
import os
import subprocess
import struct

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "acpi", "qemu72")
QEMU = "qemu-system-x86_64"
WANT = ["etc/acpi/rsdp", "etc/acpi/tables", "etc/table-loader", "etc/system-states"]


class Qtest:
    def __init__(self, argv):
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True, bufsize=1)

    def cmd(self, c):
        self.p.stdin.write(c + "\n")
        self.p.stdin.flush()
        while True:
            r = self.p.stdout.readline().strip()
            if not r.startswith("IRQ"):
                return r

    def read(self, key, n):
        self.cmd("outw 0x510 0x%x" % key)
        out = bytearray()
        # 'inb' per byte is slow for 128 KiB: read the data port with a qtest 'read' of the
        # port is not possible, so fetch in bytes but batch the commands
        batch = 512
        while len(out) < n:
            k = min(batch, n - len(out))
            self.p.stdin.write("inb 0x511\n" * k)
            self.p.stdin.flush()
            for _ in range(k):
                r = self.p.stdout.readline().strip()
                while r.startswith("IRQ"):
                    r = self.p.stdout.readline().strip()
                out.append(int(r.split()[1], 16))
        return bytes(out)

    def close(self):
        self.p.stdin.close()
        self.p.terminate()
        self.p.wait(timeout=30)


def dump(machine):
    argv = [QEMU, "-M", machine, "-m", "128", "-S", "-display", "none", "-nodefaults", "-qtest", "stdio"]
    q = Qtest(argv)
    count = struct.unpack(">I", q.read(0x19, 4))[0]
    d = q.read(0x19, 4 + 64 * count)[4:]
    files = {}
    for i in range(count):
        size, sel = struct.unpack(">IH", d[64 * i:64 * i + 6])
        name = d[64 * i + 8:64 * i + 64].split(b"\0")[0].decode()
        files[name] = (size, sel)
    tag = machine.replace(",", "_").replace("=", "-")
    os.makedirs(OUT, exist_ok=True)
    for name in WANT:
        if name in files:
            size, sel = files[name]
            data = q.read(sel, size)
            with open(os.path.join(OUT, "%s.%s" % (tag, name.replace("/", "_"))), "wb") as f:
                f.write(data)
    q.close()
    version = subprocess.run([QEMU, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    with open(os.path.join(OUT, tag + ".txt"), "w") as f:
        f.write("# recorded by tools/qemu72/dump_fwcfg_acpi.py\n# %s\n# %s\n" % (version, " ".join(argv)))
        for name in sorted(files):
            f.write("%-40s %6d bytes, key 0x%04x\n" % (name, files[name][0], files[name][1]))
    print("dumped", tag, ", ".join(n for n in WANT if n in files))


if __name__ == "__main__":
    for m in ["pc,smm=off", "q35,smm=off"]:
        dump(m)
