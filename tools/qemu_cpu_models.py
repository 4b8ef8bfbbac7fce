#!/usr/bin/env python3
"""What each x86 CPU model sets on its CPU object, as one QEMU release's source declares it.

Usage: python3 tools/qemu_cpu_models.py RELEASE SOURCE_TREE > tools/qemu-source/cpu-models-RELEASE.json
       python3 tools/qemu_cpu_models.py --repair FACTS.json RECORDING.jsonl   (see repair())

SOURCE_TREE is an unpacked QEMU source tree of that release (the upstream tree in Debian's qemu
source package for 7.2.0: `apt-get source --download-only qemu`, then the orig tarball). The script
reads C text only and compiles nothing:
  target/i386/cpu.c       builtin_x86_defs (each model's vendor, family, model, stepping, level,
                          xlevel, model_id, features[FEAT_*] and whether it has cache_info), the
                          feature-name table feature_word_info[].feat_names, the property aliases
                          x86_cpu_initfn adds (sse3 -> pni, ...), and x86_cpu_load_model's line that
                          sets CPUID_EXT_HYPERVISOR on every model
  target/i386/cpu.h       the CPUID_* / VMX_* / MSR_* bit constants and vendor strings
  target/i386/tcg/tcg-cpu.c  tcg_default_props (what a TCG CPU turns off at instance init)
  include/qemu/hw-version.h  QEMU_HW_VERSION (the "2.5+" of the qemu64 model id)

Output: {"release", "file", "load-model": {line of each special case}, "tcg-default-props": {prop:
{value, line}}, "aliases": {alias: target}, "features": {word: [names by bit]}, "models": {name: {"line",
"vendor", "family", "model", "stepping", "level", "xlevel", "model-id", "cache-info", "lines": {field:
line}, "features": {property: line}, "versions": [{version, alias, note, cache-info, props}]}},
"model-descriptions": {base|host|max: {text, file, line}}, "list-entry": {format (x86_cpu_list_entry's
qemu_printf), line}, "feature-word-order": [FeatureWord enum],
"dependencies": [{from: [word, [names]], to: [word, [names]], line}]}. The version notes, a version's
cache-info, deprecation notes, model-descriptions, list-entry, feature-word-order and dependencies were added for 10.2.0
(tools/gen_cpu_expansion.py --release); cpu-models-7.2.0.json predates them (its notes and descriptions come
from QEMU 7.2's recorded -cpu help) and is otherwise what this reads from 7.2.0 (no 7.2 tree at hand to rerun). Only the unversioned definition is read: it is what the
model's type (NAME-x86_64-cpu) loads for every machine type whose default CPU version is 1 or legacy,
which is every pc/q35 machine type of 7.2 (x86_cpu_apply_version_props adds nothing for version 1).

apply() is called by tools/gen_machines.py: it turns these facts into the property defaults of the
CPU model types in machines/types/cpu.yaml (see its docstring).
"""
import json
import os
import re
import sys

from c_source import block_end

HERE = os.path.dirname(os.path.abspath(__file__))
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def blank_comments(text):
    """Comments replaced by spaces of the same shape, so offsets and line numbers stay."""
    return COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def defines(*texts):
    out = {}
    for t in texts:
        for m in re.finditer(r"^#define\s+([A-Za-z0-9_]+)[ \t]+((?:[^\n]*\\\n)*[^\n]*)", t, re.M):
            out.setdefault(m.group(1), m.group(2).replace("\\\n", " ").strip())
    return out


def evaluate(expr, defs, depth=0):
    """The value of a C integer expression of constants (|, &, ~, <<, parentheses), or None."""
    if depth > 20:
        return None
    expr = expr.strip().rstrip(",")
    out = []
    for tok in re.findall(r"0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*|[A-Za-z_][A-Za-z0-9_]*|<<|>>|[|&~()+\-]|\S", expr):
        if re.match(r"0[xX]|\d", tok):
            out.append(str(int(tok.rstrip("uUlL"), 0)))
        elif re.match(r"[A-Za-z_]", tok):
            if tok not in defs:
                return None
            v = evaluate(defs[tok], defs, depth + 1)
            if v is None:
                return None
            out.append("(%d)" % v)
        elif tok in ("<<", ">>", "|", "&", "~", "(", ")", "+", "-"):
            out.append(tok)
        else:
            return None
    try:
        v = eval(" ".join(out), {"__builtins__": {}}, {})  # digits and operators only (checked above)
    except Exception:
        return None
    return v & ((1 << 64) - 1) if isinstance(v, int) else None


def top_level_fields(body):
    """(offset, text) of each '.field = value' at depth 0 of a struct initializer body."""
    out = []
    depth, start = 0, 0
    for i, c in enumerate(body):
        if c in "{(":
            depth += 1
        elif c in "})":
            depth -= 1
        elif c == "," and depth == 0:
            out.append((start, body[start:i]))
            start = i + 1
    if body[start:].strip():
        out.append((start, body[start:]))
    return out


def versions_of(value, offset, text):
    """[{version, alias, props: [[name, value, line]]}] of a model's .versions list."""
    out = []
    o = value.index("{")
    body = value[o + 1:block_end(value, o) - 1]
    for off, entry in top_level_fields(body):
        e = entry.strip()
        if not e.startswith("{") or not re.search(r"\.version\s*=", e):
            continue
        v = {"version": int(re.search(r"\.version\s*=\s*(\d+)", e).group(1)), "props": []}
        a = re.search(r'\.alias\s*=\s*"([^"]+)"', e)
        if a:
            v["alias"] = a.group(1)
        n = re.search(r'\.note\s*=\s*((?:"(?:[^"\\]|\\.)*"\s*)+)', e)
        if n:  # x86_cpu_list_entry prints it as "MODEL-ID [NOTE]"
            v["note"] = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', n.group(1)))
        if re.search(r"\.cache_info\s*=", e):  # a version's own cache model (x86_cpu_get_versioned_cache_info)
            v["cache-info"] = True
        base = offset + o + 1 + off + (len(entry) - len(entry.lstrip()))
        # a prop may end with a comma: { "model-id", "Intel Core Processor (Haswell, no TSX)", }
        for m in re.finditer(r'\{\s*"([^"]+)",\s*((?:"(?:[^"\\]|\\.)*"\s*)+),?\s*\}', e):
            val = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2)))
            v["props"].append([m.group(1), val, line_of(text, base + m.start())])
        out.append(v)
    return out


def feat_names_list(initializer):
    """[name or None by bit] of one feat_names initializer's text: positional entries ("fpu", NULL, ...)
    and designated ones ([54] = "vmx-ins-outs"), which QEMU uses for the sparse 64-bit MSR words
    (FEAT_VMX_BASIC, FEAT_VMX_VMFUNC); a designated entry sets its bit and the next positional one
    follows it, as in C."""
    out = []
    pos = 0
    for piece in initializer.split(","):
        piece = piece.strip()
        if not piece:
            continue
        m = re.fullmatch(r'(?:\[(\d+)\]\s*=\s*)?(NULL|"([^"]*)")', piece)
        if not m:
            raise SystemExit("qemu_cpu_models: cannot read feat_names entry %r" % piece)
        if m.group(1) is not None:
            pos = int(m.group(1))
        while len(out) <= pos:
            out.append(None)
        out[pos] = m.group(3)
        pos += 1
    return out


def feature_names(cpu_c):
    """word -> [name or None by bit], from feature_word_info."""
    i = cpu_c.index("FeatureWordInfo feature_word_info[FEATURE_WORDS] = {")
    body = cpu_c[cpu_c.index("{", i) + 1:block_end(cpu_c, cpu_c.index("{", i)) - 1]
    out = {}
    for m in re.finditer(r"\[(FEAT_[A-Z0-9_]+)\] = \{", body):
        end = block_end(body, m.end() - 1)
        entry = body[m.end():end]
        n = re.search(r"\.feat_names = \{(.*?)\}", entry, re.S)
        if not n:
            continue
        out[m.group(1)] = feat_names_list(n.group(1))
    return out


def model_descriptions(cpu_c, host_c):
    """class -> {text, file, line}: the model_description x86_cpu_base_class_init, max_x86_cpu_class_init
    (target/i386/cpu.c) and host_cpu_class_init (target/i386/host-cpu.c) set, which -cpu help prints."""
    out = {}
    for name, fn, text, file in (("base", "x86_cpu_base_class_init", cpu_c, "target/i386/cpu.c"),
                                 ("max", "max_x86_cpu_class_init", cpu_c, "target/i386/cpu.c"),
                                 ("host", "host_cpu_class_init", host_c, "target/i386/host-cpu.c")):
        i = text.find("static void %s(" % fn) if text else -1
        if i < 0:
            continue
        m = re.compile(r'model_description\s*=\s*(?:g_strdup_printf\()?((?:"(?:[^"\\]|\\.)*"\s*)+)').search(
            text, i, block_end(text, text.index("{", i)))
        if m:
            out[name] = {"text": "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))), "file": file,
                         "line": line_of(text, m.start())}
    return out


def feature_word_order(cpu_h):
    """The FeatureWord enum's words in order (x86_cpu_list_feature_names walks them so)."""
    i = cpu_h.index("typedef enum FeatureWord {")
    body = cpu_h[i:cpu_h.index("}", i)]
    return [w for w in re.findall(r"\b(FEAT_[A-Z0-9_]+)\b", body)]


def feature_dependencies(cpu_c, defs, names):
    """feature_dependencies[]: [{from: [word, [names]], to: [word, [names]], line}] (x86_cpu_expand_features
    clears the 'to' bits when none of the 'from' bits is on)."""
    i = cpu_c.index("feature_dependencies[] = {")
    end = block_end(cpu_c, cpu_c.index("{", i))
    out = []
    for m in re.finditer(r"\.from\s*=\s*\{\s*(FEAT_[A-Z0-9_]+),\s*([^}]*)\},\s*\.to\s*=\s*\{\s*(FEAT_[A-Z0-9_]+),\s*([^}]*)\}",
                         cpu_c[i:end]):
        fw, fmask, tw, tmask = m.group(1), evaluate(m.group(2), defs), m.group(3), evaluate(m.group(4), defs)
        at = line_of(cpu_c, i + m.start())
        if fmask is None or tmask is None:
            raise SystemExit("qemu_cpu_models: cannot read feature_dependencies entry (cpu.c:%d)" % at)
        bits = lambda w, mask: [n for b, n in enumerate(names.get(w, [])) if n and mask >> b & 1]
        out.append({"from": [fw, bits(fw, fmask)], "to": [tw, bits(tw, tmask)], "line": at})
    return out


def extract(release, tree):
    rd = lambda p: open(os.path.join(tree, p), encoding="utf-8", errors="replace").read()
    cpu_c_raw = rd("target/i386/cpu.c")
    cpu_c = blank_comments(cpu_c_raw)
    cpu_h = blank_comments(rd("target/i386/cpu.h"))
    tcg_c = blank_comments(rd("target/i386/tcg/tcg-cpu.c"))
    hwv = rd("include/qemu/hw-version.h")
    defs = defines(cpu_h, cpu_c)
    strings = {k: v.strip('"') for k, v in defs.items() if re.fullmatch(r'"[^"]*"', v)}
    strings["QEMU_HW_VERSION"] = re.search(r'#define QEMU_HW_VERSION "([^"]*)"', hwv).group(1)
    names = feature_names(cpu_c)

    aliases = {}
    for m in re.finditer(r'object_property_add_alias\(obj, "([^"]+)", obj, "([^"]+)"\)', cpu_c):
        aliases[m.group(1)] = m.group(2)

    lm = cpu_c.index("static void x86_cpu_load_model(")
    hyp = cpu_c.index("env->features[FEAT_1_ECX] |= CPUID_EXT_HYPERVISOR;", lm)
    # 7.2: "= !def->cache_info;"; 10.2 also takes a version's cache_info (x86_cpu_get_versioned_cache_info)
    lc = re.compile(r"cpu->legacy_cache = !(?:def->cache_info|x86_cpu_get_versioned_cache_info\(cpu, model\));").search(cpu_c, lm).start()
    load_model = {"function-line": line_of(cpu_c, lm), "hypervisor": line_of(cpu_c, hyp), "legacy-cache": line_of(cpu_c, lc)}

    tcg = {}
    t = tcg_c.index("tcg_default_props[] = {")
    for m in re.finditer(r'\{ "([^"]+)", "([^"]+)" \}', tcg_c[t:tcg_c.index("};", t)]):
        tcg[m.group(1)] = {"value": m.group(2), "line": line_of(tcg_c, t + m.start())}

    start = cpu_c.index("builtin_x86_defs[] = {")
    arr_open = cpu_c.index("{", start)
    arr_end = block_end(cpu_c, arr_open)
    models = {}
    i = arr_open + 1
    while True:
        j = cpu_c.find("{", i, arr_end - 1)
        if j < 0:
            break
        end = block_end(cpu_c, j)
        body = cpu_c[j + 1:end - 1]
        d = {"features": {}, "lines": {}, "cache-info": False}
        for off, field in top_level_fields(body):
            m = re.match(r"\s*\.([a-z_]+)(?:\[(FEAT_[A-Z0-9_]+)\])?\s*=\s*(.*)", field, re.S)
            if not m:
                continue
            key, word, value = m.group(1), m.group(2), m.group(3).strip()
            at = line_of(cpu_c, j + 1 + off + (len(field) - len(field.lstrip())))
            if key == "name":
                d["name"] = value.strip('"')
                d["line"] = at
            elif key in ("level", "family", "model", "stepping", "xlevel"):
                v = evaluate(value, defs)
                if v is None:
                    raise SystemExit("qemu_cpu_models: cannot evaluate .%s = %s (cpu.c:%d)" % (key, value, at))
                d[key] = v
                d["lines"][key] = at
            elif key == "vendor":
                d["vendor"] = strings[value]
                d["lines"]["vendor"] = at
            elif key == "model_id":
                d["model-id"] = "".join(x.group(1) if x.group(2) is None else strings[x.group(2)]
                                        for x in re.finditer(r'"((?:[^"\\]|\\.)*)"|([A-Z_]+)', value))
                d["lines"]["model-id"] = at
            elif key == "deprecation_note":
                d["deprecation-note"] = value.strip('"')
            elif key == "cache_info":
                d["cache-info"] = True
            elif key == "versions":
                d["versions"] = versions_of(value, j + 1 + off + field.index(value), cpu_c)
            elif key == "features":
                v = evaluate(value, defs)
                if v is None:
                    raise SystemExit("qemu_cpu_models: cannot evaluate .features[%s] (cpu.c:%d)" % (word, at))
                wn = names.get(word)
                if wn is None:
                    raise SystemExit("qemu_cpu_models: no feature names for %s (cpu.c:%d)" % (word, at))
                for bit in range(64):
                    if v >> bit & 1:
                        if bit >= len(wn) or wn[bit] is None:
                            continue  # a bit QEMU gives no name (not a property)
                        d["features"][wn[bit]] = at
        if "name" in d:
            models[d["name"]] = d
        i = end
    le = cpu_c.index("static void x86_cpu_list_entry(")
    fmt = re.compile(r'qemu_printf\("((?:[^"\\]|\\.)*)",\s*name,\s*desc\)').search(cpu_c, le, block_end(cpu_c, cpu_c.index("{", le)))
    list_entry = {"format": fmt.group(1).encode().decode("unicode_escape"), "line": line_of(cpu_c, fmt.start())}
    host_path = os.path.join(tree, "target/i386/host-cpu.c")
    host_c = blank_comments(rd("target/i386/host-cpu.c")) if os.path.exists(host_path) else ""
    return {"release": release, "file": "target/i386/cpu.c", "load-model": load_model,
            "model-descriptions": model_descriptions(cpu_c, host_c), "list-entry": list_entry, "feature-word-order": feature_word_order(cpu_h),
            "dependencies": feature_dependencies(cpu_c, defs, names),
            "tcg-default-props": tcg, "tcg-file": "target/i386/tcg/tcg-cpu.c", "aliases": aliases,
            "features": names, "models": models}


# ---------------------------------------------------------------------------------------------
# tools/gen_machines.py: the facts as property defaults of machines/types/cpu.yaml

# The CPU models machine types build by default (their graphs have one): every feature property of
# these gets its default, false ones too. The other model types get the values their definition sets
# (true features, identity) and those of every property a compat array names for them; the rest of
# their feature properties keep default-unknown.
FULL = {"qemu64", "486"}
FACTS = os.path.join(HERE, "qemu-source", "cpu-models-7.2.0.json")


def load():
    with open(FACTS) as fh:
        return json.load(fh)


def at(facts, line, what, file=None):
    return "QEMU %s %s:%d %s" % (facts["release"], file or facts["file"], line, what)


def model_defaults(facts, name, declared, named):
    """property -> (value, source) for the CPU model `name`: what x86_cpu_load_model sets from its
    definition (min-level, min-xlevel, family, model, stepping, model-id, vendor, the feature words,
    legacy-cache), with CPUID_EXT_HYPERVISOR, and what a TCG CPU's instance init turns off
    (tcg_default_props). `declared` is the set of bool properties x86_64-cpu declares (feature names and
    their aliases); `named` the properties compat arrays name for this model."""
    d = facts["models"][name]
    lines = d["lines"]
    why = "builtin_x86_defs %s" % name
    out = {
        "min-level": (d.get("level", 0), at(facts, lines.get("level", d["line"]), why)),
        "min-xlevel": (d.get("xlevel", 0), at(facts, lines.get("xlevel", d["line"]), why)),
        "family": (d.get("family", 0), at(facts, lines.get("family", d["line"]), why)),
        "model": (d.get("model", 0), at(facts, lines.get("model", d["line"]), why)),
        "stepping": (d.get("stepping", 0), at(facts, lines.get("stepping", d["line"]), why)),
        "model-id": (d.get("model-id", ""), at(facts, lines.get("model-id", d["line"]), why)),
        "vendor": (d["vendor"], at(facts, lines["vendor"], why)),
        "legacy-cache": (not d["cache-info"], at(facts, facts["load-model"]["legacy-cache"], "x86_cpu_load_model (%s%s)"
                                               % (name, " has cache_info" if d["cache-info"] else " has no cache_info"))),
    }
    on = dict(d["features"])
    hyp = facts["load-model"]["hypervisor"]
    features = {}
    for f, line in on.items():
        features[f] = (True, d["recorded"][f] if f in d.get("recorded", {}) else at(facts, line, why))
    features["hypervisor"] = (True, at(facts, hyp, "x86_cpu_load_model (every model)"))
    for p, pv in facts["tcg-default-props"].items():
        v = pv["value"] in ("on", "true", "yes")
        features[p] = (v, at(facts, pv["line"], "tcg_default_props (a TCG CPU's instance init)", facts["tcg-file"]))
    all_names = {n for ws in facts["features"].values() for n in ws if n}
    for n in all_names:
        if n not in features:
            features[n] = (False, at(facts, d["line"], why + " (not in its feature words)"))
    for alias, target in facts["aliases"].items():
        if target in features:
            features[alias] = features[target]
    for p, v in features.items():
        if p in declared and (name in FULL or v[0] or p in named):
            out[p] = v
    return out


def versions(facts, name):
    """A model's versions as x86_cpu_def_get_versions gives them: its .versions list, or version 1 alone
    (with no props) for a definition that has none."""
    return facts["models"][name].get("versions") or [{"version": 1, "props": []}]


def version_values(facts, name, upto, types):
    """property -> (value, source) that x86_cpu_apply_version_props adds for version `upto` of model
    `name` (every version's props up to and including that one, in order); `upto` is a version number
    or the name of the alias a version carries."""
    out = {}
    for v in versions(facts, name):
        label = "%s-v%d" % (name, v["version"]) if isinstance(upto, int) else upto
        for p, val, line in v["props"]:
            t = types.get(p)
            if t == "bool":
                value = val in ("on", "true", "yes")
            elif t in ("int64", "uint32", "uint64", "int32", "uint8", "uint16"):
                value = int(val, 0)
            else:
                value = val
            out[p] = (value, at(facts, line, "builtin_x86_defs %s version %d props (%s)" % (name, v["version"], label)))
        if v["version"] == upto or v.get("alias") == upto:
            return out
    raise KeyError(upto)


def apply(decls, compat, compact=frozenset()):
    """Sets each CPU model type's defaults (replacing default-unknown), declaring on the model type the
    properties it inherits from x86_64-cpu. Returns the model types it set.

    A type in `compact` (the model types only -cpu names, not compat arrays or default graphs) says
    once, as its own source, where its definition's defaults come from; only the values its version
    props set keep a source of their own (the line of each). This keeps the 130 model types' data
    near the size of the rest of the catalog."""
    facts = load()
    base = decls["x86_64-cpu"]["properties"]
    declared = {p["name"] for p in base if p["type"] == "bool"}
    types = {p["name"]: p["type"] for p in base}
    named = {}
    for arr, s in compat.items():
        if arr.startswith("_"):
            continue
        for e in s.get("entries") or []:
            named.setdefault(e["driver"], set()).add(e["property"])
    done = []
    # NAME (version 1: the default CPU version of every 7.2 machine type, pc_machine_class_init's
    # default_cpu_version, and -machine none's), NAME-vN and the alias each version may have
    targets = [(name, name, 1) for name in sorted(facts["models"])]
    for name in sorted(facts["models"]):
        for v in versions(facts, name):
            targets.append(("%s-v%d" % (name, v["version"]), name, v["version"]))
            if v.get("alias"):
                targets.append((v["alias"], name, v["alias"]))
    for type_name, name, upto in targets:
        t = type_name + "-x86_64-cpu"
        if t not in decls:
            continue
        values = model_defaults(facts, name, declared, named.get(t, set()))
        extra = version_values(facts, name, upto, types)
        values.update({p: v for p, v in extra.items() if p in types})
        props = {p["name"]: p for p in decls[t]["properties"]}
        if t in compact:
            d = facts["models"][name]
            decls[t]["source"] = ("QEMU %s %s:%d builtin_x86_defs %s%s: its defaults are the definition's (feature words,"
                                  " identity, legacy-cache), CPUID_EXT_HYPERVISOR (x86_cpu_load_model, line %d) and"
                                  " tcg_default_props (%s)%s" % (
                                      facts["release"], facts["file"], d["line"], name,
                                      "" if type_name == name else ", " + ("version %d" % upto if isinstance(upto, int) else "alias " + upto),
                                      facts["load-model"]["hypervisor"], facts["tcg-file"],
                                      "" if not extra else "; a value its version props set names its line"))
        for p, (v, src) in values.items():
            if p not in props:
                if p not in types:
                    raise KeyError("qemu_cpu_models: x86_64-cpu declares no %s" % p)
                props[p] = {"name": p, "type": types[p]}
                decls[t]["properties"].append(props[p])
            props[p].pop("default-unknown", None)
            props[p]["default"] = v
            if t in compact and p not in extra:
                props[p].pop("source", None)
            else:
                props[p]["source"] = src
        decls[t]["properties"].sort(key=lambda x: x["name"])
        done.append(t)
    return done


def repair(facts, recording):
    """Mends a facts file made before feat_names_list read designated initializers, without the source
    tree: the old reader split '[54] = "vmx-ins-outs"' at commas and kept it, less its closing quote, as
    the word's next name, so the index and name are still in the text and feat_names_list reads them
    again. The model bits such a word held were dropped (the bit had no name), so they are taken from
    QEMU 7.2 itself: RECORDING (tools/qmp/record.py of tools/qmp/cpu-models-vmx.json) is each model's
    static expansion, version 1, with vmx=on (without vmx QEMU clears every VMX word, x86_cpu_expand_features'
    feature_dependencies); a repaired word's names true there are the model's, noted in "recorded"."""
    fixed = {}
    for word, names in facts["features"].items():
        if any(n is not None and n.startswith("[") for n in names):
            text = ",".join("NULL" if n is None else (n + '"' if n.startswith("[") else '"%s"' % n) for n in names)
            facts["features"][word] = feat_names_list(text)
            fixed[word] = [n for n in facts["features"][word] if n]
    mangled = {}
    for word, names in fixed.items():
        for n in names:
            mangled['[%d] = "%s' % (facts["features"][word].index(n), n)] = n
    sent = {}
    for m, reply in exchanges(recording):
        if m.get("execute") == "query-cpu-model-expansion":
            sent[m["arguments"]["model"]["name"]] = reply["return"]["model"]["props"]
    qemu = recorded_release(recording)
    for name, d in facts["models"].items():
        feats = d["features"]
        for old, new in mangled.items():
            if old in feats:
                feats[new] = feats.pop(old)
        props = sent[name + "-v1"]
        for word, names in fixed.items():
            for n in names:
                if props[n] and n not in feats:
                    feats[n] = d["line"]
                    d.setdefault("recorded", {})[n] = "%s query-cpu-model-expansion static %s-v1 vmx=on (%s)" % (
                        qemu, name, os.path.basename(recording))
    return facts


def exchanges(recording):
    """The messages of a record.py transcript, each with the line QEMU answered it with: a list of
    (message sent, reply received), in order."""
    lines = open(recording).read().splitlines()
    out = []
    for i, l in enumerate(lines):
        r = json.loads(l)
        if "send" in r:
            out.append((json.loads(r["send"]), json.loads(lines[i + 1])["recv"]))
    return out


def recorded_release(recording):
    """The QEMU release a record.py transcript names on its first line."""
    with open(recording) as f:
        return json.loads(f.readline())["qemu"].split(" (")[0].replace("QEMU emulator version", "QEMU")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--repair":
        with open(sys.argv[2]) as f:
            facts = repair(json.load(f), sys.argv[3])
        with open(sys.argv[2], "w") as f:
            json.dump(facts, f, indent=1, sort_keys=True)
            f.write("\n")
        sys.exit(0)
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    json.dump(extract(sys.argv[1], sys.argv[2]), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
