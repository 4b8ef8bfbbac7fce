#!/usr/bin/env python3
"""Generates machines/cpu/qemu72-cpu-expansion.json: what QMP's query-cpu-model-expansion needs to answer
as QEMU 7.2 does under TCG (dev.machina.qmp.CpuExpansion reads it).

    python3 tools/gen_cpu_expansion.py > machines/cpu/qemu72-cpu-expansion.json
    python3 tools/gen_cpu_expansion.py --check   exit 1 if the committed file is not what this writes

Inputs (facts; nothing of QEMU's text is copied but names and numbers):
  tools/qemu-source/cpu-models-7.2.0.json   each model's definition and versions, the feature words'
                                            names by bit and the property aliases (tools/qemu_cpu_models.py)
  tools/qemu72/properties.json              the type of every property of QEMU 7.2's x86 CPU types
  tests/qmp/qemu72-cpu-model-expansion.jsonl QEMU 7.2.22's own replies (tools/qmp/record.py of
                                            tools/qmp/cpu-model-expansion.json), for what depends on the
                                            accelerator and not on a definition: the default value of
                                            every non-feature property (the full expansion of base, e-16)
                                            and the max model under TCG (static e-5, full e-6)
  tests/qemu72/cpu-help.txt                 QEMU 7.2's `-cpu help` (tools/qemu72/record_help.sh), for the
                                            two texts x86_cpu_list_entry prints that the facts do not hold:
                                            a version's note (X86CPUVersionDefinition.note, printed as
                                            "MODEL-ID [NOTE]") and the model_description of base, host and
                                            max; every other line of it is checked against the facts here
  the tables below                          read in QEMU 7.2's target/i386/cpu.c (named at each)
"""
import io
import json
import os
import sys

import qemu_cpu_models

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUTPUT = os.path.join(ROOT, "machines", "cpu", "qemu72-cpu-expansion.json")
FACTS = os.path.join(HERE, "qemu-source", "cpu-models-7.2.0.json")
TYPES = os.path.join(HERE, "qemu72", "properties.json")
RECORDING = os.path.join(ROOT, "tests", "qmp", "qemu72-cpu-model-expansion.jsonl")
CPU_HELP = os.path.join(ROOT, "tests", "qemu72", "cpu-help.txt")

# x86_cpu_static_props: the non-feature properties a static expansion reports (as QEMU 7.2 reports them)
STATIC_PROPS = ["model", "vendor", "family", "model-id", "stepping", "min-level", "min-xlevel", "lmce"]

# x86_cpu_expand_features: the CPUID leaf (EAX, ECX) each feature word is read from, for the words whose
# features raise the minimum level. FEAT_7_0_EBX always does; the rest only with full-cpuid-auto-level.
AUTO_LEVEL_ALWAYS = ["FEAT_7_0_EBX"]
AUTO_LEVEL = ["FEAT_1_EDX", "FEAT_1_ECX", "FEAT_6_EAX", "FEAT_7_0_ECX", "FEAT_7_1_EAX", "FEAT_8000_0001_EDX",
              "FEAT_8000_0001_ECX", "FEAT_8000_0007_EDX", "FEAT_8000_0008_EBX", "FEAT_C000_0001_EDX", "FEAT_SVM",
              "FEAT_XSAVE"]
LEAVES = {"FEAT_1_EDX": [1, 0], "FEAT_1_ECX": [1, 0], "FEAT_6_EAX": [6, 0], "FEAT_7_0_EBX": [7, 0],
          "FEAT_7_0_ECX": [7, 0], "FEAT_7_1_EAX": [7, 1], "FEAT_8000_0001_EDX": [0x80000001, 0],
          "FEAT_8000_0001_ECX": [0x80000001, 0], "FEAT_8000_0007_EDX": [0x80000007, 0],
          "FEAT_8000_0008_EBX": [0x80000008, 0], "FEAT_C000_0001_EDX": [0xC0000001, 0], "FEAT_SVM": [0x8000000A, 0],
          "FEAT_XSAVE": [0xD, 1]}
# and a feature that needs a leaf of its own (with full-cpuid-auto-level): intel-pt CPUID[0x14] (when
# x-intel-pt-auto-level), svm CPUID[0x8000000A], sgx CPUID[0x12]
AUTO_LEVEL_FEATURES = [{"feature": "intel-pt", "level": 0x14, "unless-off": "x-intel-pt-auto-level"},
                       {"feature": "svm", "xlevel": 0x8000000A},
                       {"feature": "sgx", "level": 0x12}]

# feature_dependencies, in QEMU 7.2's order: when the 'from' feature is off, the 'to' bits are cleared.
# 'to' is a word and a mask of its bits (all: None; or bit numbers).
DEPENDENCIES = [
    ("FEAT_7_0_EDX", "arch-capabilities", "FEAT_ARCH_CAPABILITIES", None),
    ("FEAT_7_0_EDX", "core-capability", "FEAT_CORE_CAPABILITY", None),
    ("FEAT_1_ECX", "pdcm", "FEAT_PERF_CAPABILITIES", None),
    ("FEAT_1_ECX", "vmx", "FEAT_VMX_PROCBASED_CTLS", None),
    ("FEAT_1_ECX", "vmx", "FEAT_VMX_PINBASED_CTLS", None),
    ("FEAT_1_ECX", "vmx", "FEAT_VMX_EXIT_CTLS", None),
    ("FEAT_1_ECX", "vmx", "FEAT_VMX_ENTRY_CTLS", None),
    ("FEAT_1_ECX", "vmx", "FEAT_VMX_MISC", None),
    ("FEAT_1_ECX", "vmx", "FEAT_VMX_BASIC", None),
    ("FEAT_8000_0001_EDX", "lm", "FEAT_VMX_ENTRY_CTLS", ["vmx-entry-ia32e-mode"]),
    ("FEAT_VMX_PROCBASED_CTLS", "vmx-secondary-ctls", "FEAT_VMX_SECONDARY_CTLS", None),
    ("FEAT_XSAVE", "xsaves", "FEAT_VMX_SECONDARY_CTLS", ["vmx-xsaves"]),
    ("FEAT_1_ECX", "rdrand", "FEAT_VMX_SECONDARY_CTLS", ["vmx-rdrand-exit"]),
    ("FEAT_7_0_EBX", "invpcid", "FEAT_VMX_SECONDARY_CTLS", ["vmx-invpcid-exit"]),
    ("FEAT_7_0_EBX", "mpx", "FEAT_VMX_EXIT_CTLS", ["vmx-exit-clear-bndcfgs"]),
    ("FEAT_7_0_EBX", "mpx", "FEAT_VMX_ENTRY_CTLS", ["vmx-entry-load-bndcfgs"]),
    ("FEAT_7_0_EBX", "rdseed", "FEAT_VMX_SECONDARY_CTLS", ["vmx-rdseed-exit"]),
    ("FEAT_7_0_EBX", "intel-pt", "FEAT_14_0_ECX", None),
    ("FEAT_8000_0001_EDX", "rdtscp", "FEAT_VMX_SECONDARY_CTLS", ["vmx-rdtscp-exit"]),
    ("FEAT_VMX_SECONDARY_CTLS", "vmx-ept", "FEAT_VMX_EPT_VPID_CAPS", "low"),
    ("FEAT_VMX_SECONDARY_CTLS", "vmx-ept", "FEAT_VMX_SECONDARY_CTLS", ["vmx-unrestricted-guest"]),
    ("FEAT_VMX_SECONDARY_CTLS", "vmx-vpid", "FEAT_VMX_EPT_VPID_CAPS", "high"),
    ("FEAT_VMX_SECONDARY_CTLS", "vmx-vmfunc", "FEAT_VMX_VMFUNC", None),
    ("FEAT_8000_0001_ECX", "svm", "FEAT_SVM", None),
    ("FEAT_7_0_EBX", "sgx", "FEAT_7_0_ECX", ["sgxlc"]),
    ("FEAT_7_0_EBX", "sgx", "FEAT_SGX_12_0_EAX", None),
    ("FEAT_7_0_EBX", "sgx", "FEAT_SGX_12_0_EBX", None),
    ("FEAT_7_0_EBX", "sgx", "FEAT_SGX_12_1_EAX", None),
]

# FeatureWord (target/i386/cpu.h), in the enum's order: x86_cpu_list_feature_names walks the words in this
# order (and each word's bits from 0), so query-cpu-definitions lists unavailable-features in it
FEATURE_WORD_ORDER = ["FEAT_1_EDX", "FEAT_1_ECX", "FEAT_7_0_EBX", "FEAT_7_0_ECX", "FEAT_7_0_EDX", "FEAT_7_1_EAX",
                      "FEAT_8000_0001_EDX", "FEAT_8000_0001_ECX", "FEAT_8000_0007_EDX", "FEAT_8000_0008_EBX",
                      "FEAT_C000_0001_EDX", "FEAT_KVM", "FEAT_KVM_HINTS", "FEAT_SVM", "FEAT_XSAVE", "FEAT_6_EAX",
                      "FEAT_XSAVE_XCR0_LO", "FEAT_XSAVE_XCR0_HI", "FEAT_ARCH_CAPABILITIES", "FEAT_CORE_CAPABILITY",
                      "FEAT_PERF_CAPABILITIES", "FEAT_VMX_PROCBASED_CTLS", "FEAT_VMX_SECONDARY_CTLS",
                      "FEAT_VMX_PINBASED_CTLS", "FEAT_VMX_EXIT_CTLS", "FEAT_VMX_ENTRY_CTLS", "FEAT_VMX_MISC",
                      "FEAT_VMX_EPT_VPID_CAPS", "FEAT_VMX_BASIC", "FEAT_VMX_VMFUNC", "FEAT_14_0_ECX",
                      "FEAT_SGX_12_0_EAX", "FEAT_SGX_12_0_EBX", "FEAT_SGX_12_1_EAX", "FEAT_XSAVE_XSS_LO",
                      "FEAT_XSAVE_XSS_HI"]

# query-cpu-definitions (arch_query_cpu_definitions): the CPU classes sorted as x86_cpu_list_compare sorts
# them (X86CPUClass.ordering, then the model name by strcmp), each prepended to the reply, so the reply is
# that order reversed. The classes without the default ordering 0 (x86_cpu_base/host/max_class_init):
CPU_LIST_ORDERING = {"base": 8, "host": 8, "max": 9}
# the classes that are neither a builtin_x86_defs model nor one of its versions; "host" is unavailable
# under TCG with the pseudo-feature "kvm" (x86_cpu_class_check_missing_features)
CPU_SPECIAL = {"base": {"static": True, "migration-safe": True},
               "host": {"static": False, "migration-safe": False, "unavailable-features": ["kvm"]},
               "max": {"static": False, "migration-safe": False}}

# x86_cpuid_version_set_family/model/stepping: the largest value each takes (family 0xff + 0xf)
RANGES = {"family": 0xff + 0xf, "model": 0xff, "stepping": 0xf}


def recorded():
    """The QEMU version line of the recording and its replies by message id."""
    with open(RECORDING) as f:
        qemu = json.loads(f.readline())["qemu"]
    return qemu, {m.get("id"): reply for m, reply in qemu_cpu_models.exchanges(RECORDING)}


def cpu_help():
    """name -> description of each model line of the recorded `-cpu help` (x86_cpu_list_entry's
    "x86 %-20s  %s")."""
    out = {}
    with open(CPU_HELP) as f:
        for line in f:
            if not line.startswith("x86 "):
                continue
            line = line.rstrip("\n")
            name = line[4:].split(" ")[0]
            out[name] = line[4 + max(20, len(name)) + 2:]
    return out


def prop_types():
    t = json.load(open(TYPES))["types"]
    out = {}
    for name in ("device", "cpu", "x86_64-cpu", "max-x86_64-cpu"):
        for p in t[name].get("qom-list-properties", []) + t[name].get("device-list-properties", []):
            out.setdefault(p["name"], p["type"])
    return out


# the releases whose CPU models are kept besides 7.2's (-cpu help, query-cpu-definitions when presented),
# each from its facts file tools/qemu-source/cpu-models-RELEASE.json (tools/qemu_cpu_models.py)
NEWER = ["8.2.2", "9.0.1", "9.2.4", "10.2.0"]


def typed_value(qom_type, text):
    """A model version's property value (the text builtin_x86_defs gives it) as the JSON value of its QOM type."""
    if qom_type == "bool":
        return text in ("on", "true", "yes")
    if qom_type.startswith(("int", "uint")):
        return int(text, 0)
    return text


def newer_output(release):
    return os.path.join(ROOT, "machines", "cpu", "qemu-%s-cpu-models.json" % release)


def generate_newer(release):
    """The text of machines/cpu/qemu-RELEASE-cpu-models.json: what -cpu help and query-cpu-definitions list
    when Machina presents RELEASE, in the shape of qemu72-cpu-expansion.json's keys of the same names
    (dev.machina.qmp.CpuExpansion lays them over 7.2's data: the TCG values, max and the property types stay
    those Machina's core answers with). Everything comes from the release's source as the facts file holds
    it: each model's definition, its versions (props, alias, note), the feature words' names, the
    FeatureWord order, feature_dependencies and base/host/max's model_description."""
    facts = json.load(open(os.path.join(HERE, "qemu-source", "cpu-models-%s.json" % release)))
    types = prop_types()
    words = facts["features"]
    names = {n for ns in words.values() for n in ns if n}
    models = {}
    for name, d in sorted(facts["models"].items()):
        versions = []
        for v in d.get("versions") or [{"version": 1, "props": []}]:
            props = {}
            for p, val, line in v["props"]:
                t = "bool" if p in names or p in facts["aliases"] else NEWER_TYPES.get(p) or types.get(p)
                if t is None:
                    raise SystemExit("gen_cpu_expansion: %s's version %d sets %s (%s:%d), whose type is unknown"
                                     % (name, v["version"], p, facts["file"], line))
                props[p] = typed_value(t, val)
            e = {"version": v["version"], "props": props}
            for k in ("alias", "note"):
                if v.get(k):
                    e[k] = v[k]
            versions.append(e)
        m = {"vendor": d["vendor"], "family": d["family"], "model": d["model"], "stepping": d["stepping"],
             "model-id": d["model-id"], "min-level": d.get("level", 0), "min-xlevel": d.get("xlevel", 0),
             "legacy-cache": not d["cache-info"], "features": sorted(d["features"]), "versions": versions,
             "source": "QEMU %s %s:%d builtin_x86_defs" % (facts["release"], facts["file"], d["line"])}
        if d.get("deprecation-note"):
            m["deprecation-note"] = d["deprecation-note"]
        models[name] = m
    descriptions = facts["model-descriptions"]
    special = {}
    for n, v in CPU_SPECIAL.items():
        special[n] = dict(v, description=descriptions[n]["text"])
    out = {
        "generated-by": "tools/gen_cpu_expansion.py",
        "release": "QEMU %s (%s)" % (facts["release"], "tools/qemu-source/cpu-models-%s.json" % release),
        "words": words,
        "aliases": facts["aliases"],
        "dependencies": [{"from": d["from"][1], "to": d["to"][1]} for d in facts["dependencies"]],
        "feature-word-order": [w for w in facts["feature-word-order"] if w in words],
        "cpu-definitions": {"source": "QEMU %s target/i386/cpu.c arch_query_cpu_definitions, x86_cpu_list_compare;"
                                      " target/i386/cpu.h FeatureWord" % facts["release"],
                            "ordering": CPU_LIST_ORDERING, "special": special,
                            "list-format": facts["list-entry"]["format"],
                            "list-format-source": "%s:%d x86_cpu_list_entry" % (facts["file"], facts["list-entry"]["line"]),
                            "descriptions": "base, host and max's model_description from %s" % ", ".join(
                                "%s:%d" % (v["file"], v["line"]) for _, v in sorted(descriptions.items()))},
        "models": models,
    }
    text = io.StringIO()
    json.dump(out, text, indent=1, sort_keys=True)
    return text.getvalue() + "\n"


# the types of the non-feature properties newer releases' version props set that QEMU 7.2's x86 CPU has not
# (target/i386/cpu.c of 10.2: DEFINE_PROP_UINT8("avx10-version", ...), DEFINE_PROP_BOOL("x-force-cpuid-0x1f", ...))
NEWER_TYPES = {"avx10-version": "uint8", "x-force-cpuid-0x1f": "bool"}


def check(path, text):
    rel = os.path.relpath(path, ROOT)
    with open(path) as f:
        if f.read() != text:
            print("%s is stale: it is not what tools/gen_cpu_expansion.py writes now (python3 tools/gen_cpu_expansion.py%s > %s)"
                  % (rel, "" if path == OUTPUT else " --release " + os.path.basename(path).split("-")[1], rel))
            return 1
    print("%s is up to date" % rel)
    return 0


def main():
    args = sys.argv[1:]
    if len(args) == 2 and args[0] == "--release" and args[1] in NEWER:
        sys.stdout.write(generate_newer(args[1]))
        return 0
    if args not in ([], ["--check"]):
        sys.stderr.write("usage: python3 tools/gen_cpu_expansion.py [--check | --release %s] (got %s)\n"
                         % ("|".join(NEWER), " ".join(args)))
        return 2
    text = generate()
    if args == ["--check"]:
        return max([check(OUTPUT, text)] + [check(newer_output(r), generate_newer(r)) for r in NEWER])
    sys.stdout.write(text)
    return 0


def generate():
    """The text of machines/cpu/qemu72-cpu-expansion.json."""
    facts = json.load(open(FACTS))
    qemu, rec = recorded()
    types = prop_types()
    names = set()
    words = {}
    for w, ns in facts["features"].items():
        words[w] = ns
        names.update(n for n in ns if n)
    aliases = facts["aliases"]
    base_full = rec["e-16"]["return"]["model"]["props"]
    max_static = rec["e-5"]["return"]["model"]["props"]
    max_full = rec["e-6"]["return"]["model"]["props"]
    properties = {}
    for p, v in sorted(base_full.items()):
        if p in names or p in aliases:
            continue
        properties[p] = {"type": types[p], "default": v}
    max_extra = {p: v for p, v in max_full.items() if p not in names and p not in aliases and p not in properties}
    for p, v in max_extra.items():
        properties.setdefault(p, {"type": types[p], "default": None})
    max_props = {p: v for p, v in max_full.items() if p in properties and properties[p]["default"] != v}
    for p in ("level", "xlevel", "xlevel2", "level-func7", "min-level", "min-xlevel", "min-xlevel2"):
        max_props.pop(p, None)  # computed by the expansion
    listing = cpu_help()
    seen = set()
    models = {}
    for name, d in sorted(facts["models"].items()):
        versions = []
        model_id = d["model-id"]
        assert listing.get(name) == "(alias configured by machine type)", (name, listing.get(name))
        seen.add(name)
        for v in d.get("versions") or [{"version": 1, "props": []}]:
            props = {}
            for p, val, _line in v["props"]:
                props[p] = typed_value(types.get(p, "bool"), val)
            e = {"version": v["version"], "props": props}
            if v.get("alias"):
                e["alias"] = v["alias"]
                assert listing.get(v["alias"]) == "(alias of %s-v%d)" % (name, v["version"]), v["alias"]
                seen.add(v["alias"])
            # x86_cpu_list_entry: the version's model-id (its props over the definition's), and its note
            model_id = props.get("model-id", model_id)
            vname = "%s-v%d" % (name, v["version"])
            desc = listing.get(vname)
            seen.add(vname)
            if desc != model_id:
                assert desc is not None and desc.startswith(model_id + " [") and desc.endswith("]"), (vname, desc, model_id)
                e["note"] = desc[len(model_id) + 2:-1]
            versions.append(e)
        models[name] = {"vendor": d["vendor"], "family": d["family"], "model": d["model"], "stepping": d["stepping"],
                        "model-id": d["model-id"], "min-level": d.get("level", 0), "min-xlevel": d.get("xlevel", 0),
                        "legacy-cache": not d["cache-info"], "features": sorted(d["features"]), "versions": versions,
                        "source": "QEMU %s %s:%d builtin_x86_defs" % (facts["release"], facts["file"], d["line"])}

    def bits(word, mask):
        ns = words[word]
        if mask is None:
            return [n for n in ns if n]
        if mask == "low":
            return [n for n in ns[:32] if n]
        if mask == "high":
            return [n for n in ns[32:] if n]
        for n in mask:
            assert n in ns, (word, n)
        return mask
    special = {}
    for n, v in CPU_SPECIAL.items():
        special[n] = dict(v, description=listing[n])  # model_description (x86_cpu_base/host/max_class_init)
        seen.add(n)
    assert seen == set(listing), "cpu-help.txt lists other models: %s" % sorted(set(listing) ^ seen)
    deps = []
    missing = sorted(set(words) - set(FEATURE_WORD_ORDER))
    assert not missing, "feature words not in FEATURE_WORD_ORDER: %s" % missing
    for fw, f, tw, mask in DEPENDENCIES:
        assert f in words[fw], (fw, f)
        deps.append({"from": f, "to": bits(tw, mask)})
    out = {
        "generated-by": "tools/gen_cpu_expansion.py",
        "release": "QEMU 7.2 (models: %s %s; TCG values: %s, %s)" % (
            facts["release"], facts["file"], qemu, os.path.relpath(RECORDING, ROOT)),
        "static-props": STATIC_PROPS,
        "words": words,
        "aliases": aliases,
        "properties": properties,
        "ranges": RANGES,
        "tcg-default-props": {p: v["value"] == "on" for p, v in facts["tcg-default-props"].items()},
        "hypervisor": "hypervisor",
        "auto-level": {"always": AUTO_LEVEL_ALWAYS, "full-cpuid-auto-level": AUTO_LEVEL, "leaves": LEAVES,
                       "features": AUTO_LEVEL_FEATURES},
        "dependencies": deps,
        "feature-word-order": [w for w in FEATURE_WORD_ORDER if w in words],
        "cpu-definitions": {"source": "QEMU 7.2 target/i386/cpu.c arch_query_cpu_definitions, x86_cpu_list_compare;"
                                      " target/i386/cpu.h FeatureWord",
                            "ordering": CPU_LIST_ORDERING, "special": special,
                            "descriptions": "base, host and max's model_description and each version's note as"
                                            " QEMU 7.2's -cpu help prints them (%s)" % os.path.relpath(CPU_HELP, ROOT)},
        "models": models,
        "max": {"source": "%s query-cpu-model-expansion of max under TCG (%s e-5, e-6)" % (qemu, os.path.basename(RECORDING)),
                "features": sorted(n for n in names if max_static.get(n) is True),
                # max sets no minimum level of its own: what its static expansion reports is what its
                # features raise it to (with full-cpuid-auto-level=off QEMU 7.2 reports min-level 7, from
                # FEAT_7_0_EBX alone, and min-xlevel 0: e-62)
                "identity": dict({p: max_static[p] for p in STATIC_PROPS if p != "lmce"}, **{"min-level": 0, "min-xlevel": 0}),
                "properties": max_props},
    }
    text = io.StringIO()
    json.dump(out, text, indent=1, sort_keys=True)
    return text.getvalue() + "\n"


if __name__ == "__main__":
    sys.exit(main())
