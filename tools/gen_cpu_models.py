#!/usr/bin/env python3
"""Generates machines/cpu/cpu-models.yaml: QEMU 7.2's x86 CPU models as data.

Inputs (facts only; nothing of QEMU's text is copied into the output but names and numbers):
  --cpu-c FILE       QEMU's target/i386/cpu.c: the builtin_x86_defs entries (vendor, family, model,
                     stepping, level, xlevel, model_id, feature words) and the feature-name tables
  --cpu-h FILE       QEMU's target/i386/cpu.h: the CPUID_* bit constants
  --line-shift N     added to the line numbers of --cpu-c, when the file read is a later release whose
                     builtin_x86_defs text for these models is line for line QEMU 7.2.0's, moved by N
                     lines (the release the lines name is 7.2.0; see --anchor)
  --recorded DIR     tests/guests/cpuid-MODEL.qemu.txt: what QEMU 7.2 TCG's CPUID answers for
                     -cpu MODEL (recorded with tools/build-guests --qemu)

The anchors checked before anything is written are what tools/qemu_cpu_models.py read in QEMU 7.2.0
itself: qemu64's '.level' at cpu.c:1838 and 486's at cpu.c:2050. A shifted file that does not put
them there is refused.

Each model gets: the definition with the cpu.c line of each value, the features QEMU's definition
lists (QEMU's feature names, by CPUID word), and the leaves QEMU 7.2 TCG answers that are not derived
from those (cache descriptors, deterministic cache parameters, power management, extended topology...),
taken from the recording. The Java side (dev.machina.cpu.x86.CpuModel) derives leaves 0, 1,
80000000h-80000004h from the definition and checks itself against the recordings in CpuModelTest.

Run (machines/cpu/cpu-models.yaml was made from QEMU 9.0.0's cpu.c and cpu.h, whose builtin_x86_defs entries
for these models sit 358 lines below 7.2.0's, text unchanged):
      python3 tools/gen_cpu_models.py --cpu-c cpu.c --cpu-h cpu.h --line-shift -358 \
          --recorded tests/guests > machines/cpu/cpu-models.yaml
"""
import argparse
import os
import re
import sys

MODELS = ["qemu32", "qemu64", "kvm32", "kvm64", "486", "pentium", "pentium2", "pentium3", "athlon",
          "coreduo", "core2duo", "n270", "phenom", "Conroe"]
WORDS = {"FEAT_1_EDX": "1-edx", "FEAT_1_ECX": "1-ecx", "FEAT_8000_0001_EDX": "80000001-edx",
         "FEAT_8000_0001_ECX": "80000001-ecx"}
VENDORS = {"CPUID_VENDOR_INTEL": "GenuineIntel", "CPUID_VENDOR_AMD": "AuthenticAMD"}
QEMU_HW_VERSION = "2.5+"  # include/hw/... QEMU_HW_VERSION, what every recording's brand shows
ANCHORS = {("qemu64", "level"): 1838, ("486", "level"): 2050}
# leaves the Java side derives from the definition; everything else recorded is kept verbatim
SUBLEAVES = {4, 7, 0xD}  # the leaves whose answer depends on ECX (SDM Vol. 2A CPUID)
DERIVED = {"00000000", "00000001", "80000000", "80000001", "80000002", "80000003", "80000004"}


def bits_of(header):
    consts = {}
    for m in re.finditer(r"^#define (CPUID_[A-Z0-9_]+)\s+\(1U?\s*<<\s*(\d+)\)", header, re.M):
        consts[m.group(1)] = 1 << int(m.group(2))
    return consts


def macros_of(source):
    out = {}
    for m in re.finditer(r"^#define ([A-Z0-9_]+_FEATURES) \(((?:[^\n]*\\\n)*[^\n]*)\)", source, re.M):
        out[m.group(1)] = m.group(2).replace("\\\n", " ")
    return out


def evaluate(expr, consts, macros):
    v = 0
    for tok in re.findall(r"[A-Z0-9_]+", expr):
        if tok == "0":
            continue
        if tok in consts:
            v |= consts[tok]
        elif tok in macros:
            v |= evaluate(macros[tok], consts, macros)
        else:
            raise SystemExit("gen_cpu_models: unknown feature constant " + tok)
    return v


def names_of(source):
    out = {}
    for word in WORDS:
        m = re.search(r"\[" + word + r"\] = \{.*?\.feat_names = \{(.*?)\},", source, re.S)
        body = re.sub(r"/\*.*?\*/", "", m.group(1), flags=re.S)
        names = [n.strip() for n in body.split(",") if n.strip()]
        if len(names) != 32:
            raise SystemExit("gen_cpu_models: %s has %d names" % (word, len(names)))
        out[word] = [None if n == "NULL" else n.strip('"') for n in names]
    return out


def defs_of(source, shift):
    lines = source.split("\n")
    start = next(i for i, l in enumerate(lines) if "builtin_x86_defs[] = {" in l)
    defs = {}
    i = start
    while i < len(lines):
        m = re.match(r'\s+\.name = "([^"]+)",', lines[i])
        if m and m.group(1) in MODELS:
            name = m.group(1)
            d = {"name-line": i + 1 + shift, "features": {}, "lines": {}}
            j = i + 1
            while not re.match(r"\s{4}\},?$", lines[j]):
                l = lines[j]
                f = re.match(r"\s+\.(level|family|model|stepping|xlevel) = (\w+),?", l)
                if f:
                    d[f.group(1)] = int(f.group(2), 0)
                    d["lines"][f.group(1)] = j + 1 + shift
                v = re.match(r"\s+\.vendor = (\w+),", l)
                if v:
                    d["vendor"] = VENDORS[v.group(1)]
                    d["lines"]["vendor"] = j + 1 + shift
                mid = re.match(r'\s+\.model_id = "([^"]*)"( QEMU_HW_VERSION)?,?', l)
                if mid:
                    d["model-id"] = mid.group(1) + (QEMU_HW_VERSION if mid.group(2) else "")
                    d["lines"]["model-id"] = j + 1 + shift
                w = re.match(r"\s+\.features\[(FEAT_\w+)\] =\s*(.*)", l)
                if w:
                    expr = w.group(2)
                    k = j
                    while not expr.rstrip().endswith(","):
                        k += 1
                        expr += " " + lines[k].strip()
                    if w.group(1) in WORDS:
                        d["features"][w.group(1)] = re.sub(r"/\*.*?\*/", "", expr.rstrip().rstrip(","))
                        d["lines"][WORDS[w.group(1)]] = j + 1 + shift
                    j = k
                j += 1
            defs[name] = d
            i = j
        i += 1
    return defs


def recorded(path):
    leaves = {}
    for l in open(path):
        m = re.match(r"([0-9A-F]{8})\.([0-9A-F]{8}): ([0-9A-F]{8}) ([0-9A-F]{8}) ([0-9A-F]{8}) ([0-9A-F]{8})", l)
        if m:
            leaves[(m.group(1), m.group(2))] = [int(x, 16) for x in m.group(3, 4, 5, 6)]
    return leaves


def hexs(v):
    return "\"0x%08X\"" % v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cpu-c", required=True)
    ap.add_argument("--cpu-h", required=True)
    ap.add_argument("--line-shift", type=int, default=0)
    ap.add_argument("--recorded", required=True)
    a = ap.parse_args()
    source = open(a.cpu_c).read()
    consts = bits_of(open(a.cpu_h).read())
    macros = macros_of(source)
    names = names_of(source)
    defs = defs_of(source, a.line_shift)
    for (model, key), line in ANCHORS.items():
        if defs[model]["lines"][key] != line:
            raise SystemExit("gen_cpu_models: %s .%s is at line %d, not QEMU 7.2.0's %d: wrong --line-shift or a "
                             "different file" % (model, key, defs[model]["lines"][key], line))
    out = []
    out.append("# Generated by tools/gen_cpu_models.py; do not edit by hand (see the generator for its inputs).")
    out.append("# QEMU 7.2's x86 CPU models (-cpu NAME): the definition of each (builtin_x86_defs in")
    out.append("# target/i386/cpu.c; the line of each value under 'lines'), the features it lists by QEMU's")
    out.append("# feature names per CPUID word, and 'leaves': what QEMU 7.2 TCG answers for the leaves that")
    out.append("# are not derived from the definition (recorded with tests/guests/cpuid.bin:")
    out.append("# tests/guests/cpuid-MODEL.qemu.txt). Leaf 1 and 80000001h as TCG shows them are the listed")
    out.append("# features that TCG implements ('tcg' below, what -cpu max shows), plus 'hypervisor'; on an")
    out.append("# AuthenticAMD model 80000001h EDX also repeats leaf 1's bits QEMU calls the AMD aliases.")
    out.append("# Machina offers the subset its core implements (dev.machina.cpu.x86.CpuModel).")
    out.append("kind: cpu-models")
    out.append("release: QEMU 7.2.0")
    out.append("file: target/i386/cpu.c")
    maxrec = recorded(os.path.join(a.recorded, "cpuid-max.qemu.txt"))
    tcg = {"FEAT_1_EDX": maxrec[("00000001", "00000000")][3], "FEAT_1_ECX": maxrec[("00000001", "00000000")][2],
           "FEAT_8000_0001_EDX": maxrec[("80000001", "00000000")][3],
           "FEAT_8000_0001_ECX": maxrec[("80000001", "00000000")][2]}
    out.append("# the features QEMU 7.2 TCG implements: -cpu max (tests/guests/cpuid-max.qemu.txt)")
    out.append("tcg:")
    for word, key in WORDS.items():
        out.append("  %s: [%s]" % (key, ", ".join(n for b, n in enumerate(names[word]) if n and tcg[word] >> b & 1)))
    out.append("models:")
    for model in MODELS:
        d = defs[model]
        rec = recorded(os.path.join(a.recorded, "cpuid-%s.qemu.txt" % model))
        q = '"%s"' % model if model[0].isdigit() else model
        out.append("  %s:" % q)
        out.append('    source: "QEMU 7.2.0 target/i386/cpu.c:%d builtin_x86_defs"' % d["name-line"])
        out.append("    vendor: %s" % d["vendor"])
        for k in ("family", "model", "stepping"):
            out.append("    %s: %d" % (k, d[k]))
        out.append("    level: %d" % d["level"])
        out.append("    xlevel: %s" % hexs(d["xlevel"]))
        out.append('    model-id: "%s"' % d["model-id"])
        out.append("    features:")
        listed = {}
        for word, key in WORDS.items():
            bits = evaluate(d["features"].get(word, "0"), consts, macros)
            listed[word] = bits
            fs = [n for b, n in enumerate(names[word]) if bits >> b & 1]
            unnamed = [b for b in range(32) if bits >> b & 1 and not names[word][b]]
            if unnamed:
                raise SystemExit("gen_cpu_models: %s %s lists unnamed bits %s" % (model, key, unnamed))
            out.append("      %s: [%s]" % (key, ", ".join(fs)))
        # the check the Java side repeats: definition ∩ TCG (+ hypervisor) is what QEMU 7.2 showed
        want1 = rec[("00000001", "00000000")]
        if (listed["FEAT_1_EDX"] & tcg["FEAT_1_EDX"]) != want1[3] or \
                ((listed["FEAT_1_ECX"] & tcg["FEAT_1_ECX"]) | 1 << 31) != want1[2]:
            raise SystemExit("gen_cpu_models: %s leaf 1 is not its features under TCG: %s" % (model, want1))
        out.append("    lines: {%s}" % ", ".join("%s: %d" % kv for kv in d["lines"].items()))
        out.append("    leaves:")
        for (leaf, sub), regs in sorted(rec.items()):
            n = int(leaf, 16)
            answered = n <= d["level"] if n < 0x40000000 else n < 0x50000000 or (d["xlevel"] and n <= d["xlevel"])
            if leaf in DERIVED or not answered:
                continue  # derived, or beyond the maximum (answered as the highest basic leaf)
            key = "%X.%X" % (n, int(sub, 16)) if n in SUBLEAVES else "%X" % n
            out.append('      "%s": [%s]' % (key, ", ".join(hexs(r) for r in regs)))
    # max: not in builtin_x86_defs. max_x86_cpu_initfn sets only the vendor and model-id for TCG; every
    # feature TCG implements is on (max_features). The rest is what QEMU 7.2 TCG reports.
    sig = maxrec[("00000001", "00000000")][0]
    fam = (sig >> 8 & 15) + (sig >> 20 & 0xFF)
    mod = (sig >> 4 & 15) | (sig >> 12 & 0xF0)
    brand = b"".join(r.to_bytes(4, "little") for leaf in ("80000002", "80000003", "80000004")
                     for r in maxrec[(leaf, "00000000")]).rstrip(b"\0").decode("ascii")
    out.append("  max:")
    out.append('    source: "QEMU 7.2.0 target/i386/cpu.c max_x86_cpu_initfn (vendor, model-id; all TCG features);'
               ' the rest as QEMU 7.2 TCG reports it (tests/guests/cpuid-max.qemu.txt)"')
    vendor = b"".join(r.to_bytes(4, "little") for r in (maxrec[("00000000", "00000000")][i] for i in (1, 3, 2)))
    out.append("    vendor: %s" % vendor.decode("ascii"))
    out.append("    family: %d" % fam)
    out.append("    model: %d" % mod)
    out.append("    stepping: %d" % (sig & 15))
    level = maxrec[("00000000", "00000000")][0]
    xlevel = maxrec[("80000000", "00000000")][0]
    out.append("    level: %d" % level)
    out.append("    xlevel: %s" % hexs(xlevel))
    out.append('    model-id: "%s"' % brand)
    out.append("    features:")
    for word, key in WORDS.items():
        bits = tcg[word] & ~(1 << 31 if word == "FEAT_1_ECX" else 0)
        out.append("      %s: [%s]" % (key, ", ".join(n for b, n in enumerate(names[word]) if n and bits >> b & 1)))
    out.append("    lines: {}")
    out.append("    leaves:")
    for (leaf, sub), regs in sorted(maxrec.items()):
        n = int(leaf, 16)
        answered = n <= level if n < 0x40000000 else n < 0x50000000 or n <= xlevel
        if leaf in DERIVED or not answered:
            continue
        key = "%X.%X" % (n, int(sub, 16)) if n in SUBLEAVES else "%X" % n
        out.append('      "%s": [%s]' % (key, ", ".join(hexs(r) for r in regs)))
    print("\n".join(out))


if __name__ == "__main__":
    sys.exit(main())
