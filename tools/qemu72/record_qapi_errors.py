#!/usr/bin/env python3
"""Records what QEMU 7.2 says about each -blockdev/-netdev/-object case of tests/qemu72/qapi-errors/cases.txt
(its exit status and its first line of stderr), for the differential test QapiErrorsAgreeWithQemuTest.

Each case runs as   qemu-system-x86_64 -nodefaults -machine none -display none -S -qmp stdio OPTION VALUE
with QMP told to quit: a case QEMU accepts exits 0, one it refuses exits 1 with its message. A case that
is a config file ("[object ...]\\n...") is written to a temporary file and given with -readconfig.

Run from the repository root:   python3 tools/qemu72/record_qapi_errors.py
Writes tests/qemu72/qapi-errors/recorded.json.
"""
import json
import os
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

DIR = os.path.join(HERE, "..", "..", "tests", "qemu72", "qapi-errors")
QEMU = "qemu-system-x86_64"
BASE = ["-nodefaults", "-machine", "none", "-display", "none", "-S", "-qmp", "stdio"]
QUIT = '{"execute":"qmp_capabilities"}\n{"execute":"quit"}\n'


def main():
    version = subprocess.run([QEMU, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    work = tempfile.mkdtemp(prefix="qapi-errors-")
    out = []
    for line in open(os.path.join(DIR, "cases.txt"), encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            cfg = os.path.join(work, "case.cfg")
            with open(cfg, "w") as f:
                f.write(line.replace("\\n", "\n"))
            args = ["-readconfig", cfg]
            case = {"cfg": line.replace("\\n", "\n")}
        else:
            option, value = line.split("\t", 1)
            args = [option, value]
            case = {"args": args}
        r = subprocess.run([QEMU] + BASE + args, input=QUIT, capture_output=True, text=True, timeout=30, cwd=work)
        err = [x for x in r.stderr.splitlines() if x.strip()]
        case["status"] = r.returncode
        case["stderr"] = err[0] if err else ""
        out.append(case)
    data = {"qemu": version, "command": " ".join([QEMU] + BASE) + " OPTION VALUE (or -readconfig FILE), QMP: quit",
            "generated-by": "tools/qemu72/record_qapi_errors.py", "cases": out}
    path = os.path.join(DIR, "recorded.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("%s: %d cases, %d refused" % (os.path.relpath(path), len(out), sum(1 for c in out if c["status"])))


if __name__ == "__main__":
    main()
