#!/usr/bin/env python3
"""Declares the device types QEMU added after 7.2 that qemu-system-x86_64 builds and a user can create,
read from a QEMU release's source (issue 14 item 5: `-device help`, qom-list-types and `device show`
of the presented release know them). Declared is not emulated: no model binds them, so `run -device T`
refuses them as any type Machina has no model for.

    python3 tools/gen_added_device_types.py SOURCE_TREE          # write the outputs
    python3 tools/gen_added_device_types.py --check SOURCE_TREE  # exit 1 if they are not up to date

SOURCE_TREE: QEMU 10.2.0's source, unpacked (`git --git-dir=/work/.mirror/pderwin+qemu-10.2.0/repo archive
HEAD hw include configs scripts/minikconf.py Kconfig Kconfig.host accel target backends semihosting rust
system audio net meson.build | tar -x -C DIR`); its VERSION is checked.

The rule (each step reads the tree, nothing is typed in by hand but the host assumptions below):
1. Which Kconfig symbols qemu-system-x86_64 has: the tree's scripts/minikconf.py --defconfig on
   configs/devices/x86_64-softmmu/default.mak and Kconfig, as meson.build runs it, with the target's symbols
   (X86_64, TARGET_BIG_ENDIAN=n), the accelerators TCG and KVM (no Xen: Debian's QEMU 7.2, the recording
   Machina follows, has no xenfv machine) and HOST_KCONFIG: a Linux host with the usual libraries.
2. Which source files it compiles: a file is built when the meson.build statement naming it (in its
   directory or the nearest parent that names it) adds it to a source set whose `when:` symbols are all in
   that configuration, the set reaches system_ss/specific_ss/common_ss or i386's set through `add_all`
   statements whose conditions hold too, and every enclosing `if` holds (HOST_CONDITIONS decides the host
   ones; config_all_devices.has_key('CONFIG_X') is read from step 1). Another architecture's set is not built.
3. Which types: every TypeInfo (VirtioPCIDeviceTypeInfo as virtio_pci_types_register registers it) of those
   files that is a device, not abstract, and user-creatable (the nearest class_init in its ancestry that sets
   user_creatable decides; device_class_init sets it true, sysbus's false), not in QEMU 7.2's (its qom-list-types
   as recorded, tools/qemu72/all-types.json, and tools/qemu-source/defaults-7.2.0.json) and not declared by
   another machines/types file. Its desc and category: what the class_init functions of its ancestry set, root first
   (dc->desc, set_bit(DEVICE_CATEGORY_X, ...)), the category named as system/qdev-monitor.c names it.
4. The release: the oldest upstream tree held whose extraction (tools/qemu-source/defaults-R.json) has the type:
   8.2.2, 9.0.0, 9.2.4, then 10.2.0; so "8.2" means "added in 8.0, 8.1 or 8.2" and the 8.0 and 8.1 views do not list it
   (RELEASE_FACTS refines a type where a fact from elsewhere in the data says more).
5. Properties: the DEFINE_PROP entries its own class_init installs (tools/qemu-source/defaults-10.2.0.json,
   file:line) and, for a virtio PCI proxy, those of the virtio device its instance_init embeds
   (virtio_instance_init_common), which QEMU aliases onto it; defaults as that file has them.

Outputs: machines/types/devices-after-qemu72.yaml (the types, and the abstract parents Machina lacks) and the
"added" map of machines/qom/device-list-after-qemu72.json (release, category, desc, source).
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import qemu_source_defaults as qsd  # noqa: E402
from c_source import block_end  # noqa: E402

GENERATOR = "tools/gen_added_device_types.py"
RELEASE = "10.2.0"
YAML_OUT = os.path.join(ROOT, "machines", "types", "devices-after-qemu72.yaml")
JSON_OUT = os.path.join(ROOT, "machines", "qom", "device-list-after-qemu72.json")

# Kconfig.host's proxy symbols a Linux x86_64 build with its usual libraries sets (meson.build host_kconfig).
# Left out: FUZZ (a fuzzing build), HAVE_RUST (rust is off unless configured), VFIO_USER_SERVER_ALLOWED
# (off unless configured), MAC_PVG (macOS).
HOST_KCONFIG = ["LINUX", "TPM", "PIXMAN", "SPICE", "IVSHMEM", "OPENGL", "LIBCBOR", "GNUTLS", "X11", "FDT",
                "VHOST_USER", "VHOST_VDPA", "VHOST_KERNEL", "VIRTFS", "MULTIPROCESS_ALLOWED", "HV_BALLOON_POSSIBLE"]
ACCELERATORS = ["TCG", "KVM"]
# meson `if` conditions and `when:` dependencies that are not Kconfig symbols: true on that host or not.
# rutabaga (gfxstream's rutabaga_gfx) is not a library a distribution build has.
HOST_CONDITIONS = {"have_vhost": True, "have_vhost_user": True, "have_vhost_kernel": True, "have_vhost_vdpa": True,
                   "have_vhost_user_crypto": True, "have_system": True, "have_tpm": True, "pixman": True,
                   "opengl": True, "virgl": True, "rutabaga": False, "libcbor": True, "gnutls": True, "fdt": True,
                   "spice": True, "libudev": True, "libusb": True, "usbredir": True, "smartcard": True,
                   "libiscsi": True, "rdma": False, "have_rust": False, "xen": False, "libkeyutils": True,
                   "gio": True, "numa": True, "libpmem": True, "liburing": True, "seccomp": True, "linux_io_uring": True,
                   "sdl": True, "gtk": True, "vnc": True, "png": True, "jpeg": True, "sasl": True, "virgl_rutabaga": False,
                   "libdw": True, "keyutils": True, "have_ga": False, "enable_modules": True, "have_virtfs": True,
                   "libcbor_found": True, "igvm": False, "pvg": False, "hv_balloon": True}
ROOT_SETS = {"system_ss", "specific_ss", "common_ss", "i386_ss", "i386_system_ss", "hw_common_arch_ss", "stub_ss"}
OTHER_ARCHES = {"alpha", "arm", "avr", "hppa", "loongarch", "m68k", "microblaze", "mips", "openrisc", "ppc", "riscv",
                "rx", "s390x", "sh4", "sparc", "sparc64", "tricore", "xtensa"}
HELD = ["8.2.2", "9.0.0", "9.2.4", "10.2.0"]
# A release fact from elsewhere that is finer than the held trees' "by 9.0".
RELEASE_FACTS = {"igb": ("8.0", "machines/types/devices.yaml: QEMU 8.0 hw/net/igb.c (added after 7.2)")}
CATEGORIES = {"BRIDGE": "Controller/Bridge/Hub", "USB": "USB", "STORAGE": "Storage", "NETWORK": "Network",
              "INPUT": "Input", "DISPLAY": "Display", "SOUND": "Sound", "MISC": "Misc", "CPU": "CPU",
              "WATCHDOG": "Watchdog"}
KIND_TYPES = {"DEFINE_PROP_BOOL": "bool", "DEFINE_PROP_BIT": "bool", "DEFINE_PROP_BIT64": "bool", "DEFINE_PROP_BIT32": "bool",
              "DEFINE_PROP_UINT8": "uint8", "DEFINE_PROP_UINT16": "uint16", "DEFINE_PROP_UINT32": "uint32",
              "DEFINE_PROP_UINT64": "uint64", "DEFINE_PROP_INT32": "int32", "DEFINE_PROP_INT64": "int64",
              "DEFINE_PROP_SIZE": "size", "DEFINE_PROP_SIZE32": "size", "DEFINE_PROP_ON_OFF_AUTO": "OnOffAuto",
              "DEFINE_PROP_STRING": "str", "DEFINE_PROP_CHR": "str", "DEFINE_PROP_NETDEV": "str", "DEFINE_PROP_DRIVE": "str",
              "DEFINE_PROP_AUDIODEV": "str", "DEFINE_PROP_MACADDR": "str", "DEFINE_PROP_UUID": "str",
              "DEFINE_PROP_UUID_NODEFAULT": "str", "DEFINE_PROP_BLOCKDEV_ON_ERROR": "BlockdevOnError",
              "DEFINE_PROP_PCIE_LINK_SPEED": "PCIELinkSpeed", "DEFINE_PROP_PCIE_LINK_WIDTH": "PCIELinkWidth",
              "DEFINE_PROP_LOSTTICKPOLICY": "LostTickPolicy", "DEFINE_PROP_OFF_AUTO_PCIBAR": "OffAutoPCIBAR"}
AS_STR = "declared as a string: Machina has no type for QEMU's %s"


def fail(msg):
    sys.stderr.write("gen_added_device_types.py: %s\n" % msg)
    sys.exit(1)


def kconfig(tree):
    args = [sys.executable, os.path.join(tree, "scripts", "minikconf.py"), "--defconfig", os.devnull, os.devnull,
            os.path.join(tree, "configs/devices/x86_64-softmmu/default.mak"), os.path.join(tree, "Kconfig")]
    args += ["CONFIG_%s=y" % s for s in HOST_KCONFIG + ACCELERATORS + ["X86_64"]] + ["CONFIG_TARGET_BIG_ENDIAN=n"]
    r = subprocess.run(args, cwd=tree, capture_output=True, text=True)
    if r.returncode != 0:
        fail("minikconf failed: " + r.stderr.strip().splitlines()[-1])
    given = {"CONFIG_%s" % s for s in HOST_KCONFIG + ACCELERATORS + ["X86_64"]}
    return given | {l.split("=")[0] for l in r.stdout.splitlines() if l.endswith("=y")}


class Meson:
    """Which files of the tree qemu-system-x86_64 compiles (rule step 2)."""

    def __init__(self, tree, cfg):
        self.tree, self.cfg, self.cache = tree, cfg, {}

    def statements(self, rel):
        """(line, text, enclosing if-conditions) of each statement of meson.build rel."""
        if rel in self.cache:
            return self.cache[rel]
        out, ifs, buf, depth, start = [], [], "", 0, 0
        for ln, line in enumerate(open(os.path.join(self.tree, rel)).read().split("\n")):
            line = re.sub(r"#.*", "", line)
            s = line.strip()
            if depth == 0:
                m = re.match(r"(if|elif|else|endif)\b(.*)", s)
                if m:
                    k = m.group(1)
                    if k == "if":
                        ifs.append([m.group(2).strip()])
                    elif k in ("elif", "else"):
                        ifs[-1].append("else" if k == "else" else m.group(2).strip())
                    else:
                        ifs.pop()
                    continue
                buf, start = "", ln
            buf += line + "\n"
            depth += sum(line.count(c) for c in "([{") - sum(line.count(c) for c in ")]}")
            if depth <= 0:
                depth = 0
                if buf.strip():
                    out.append((start + 1, buf, [list(x) for x in ifs]))
                buf = ""
        self.cache[rel] = out
        return out

    def cond(self, c):
        """An if-condition or when-dependency: True/False, or a failure naming it."""
        c = c.strip()
        if c.startswith("(") and c.endswith(")"):
            return self.cond(c[1:-1])
        if " and " in c:
            return all(self.cond(x) for x in c.split(" and "))
        if c.startswith("not "):
            return not self.cond(c[4:])
        m = re.fullmatch(r"config_(?:all_devices|devices|target|all_accel)\.has_key\('(CONFIG_\w+)'\)", c)
        if m:
            return m.group(1) in self.cfg
        m = re.fullmatch(r"'(CONFIG_\w+)'", c)
        if m:
            return m.group(1) in self.cfg
        m = re.fullmatch(r"(\w+)(?:\.found\(\))?", c)
        if m and m.group(1) in HOST_CONDITIONS:
            return HOST_CONDITIONS[m.group(1)]
        fail("a meson condition the rule does not decide: %r (add it to HOST_CONDITIONS)" % c)

    def holds(self, stmt, ifs, name=None):
        """Whether statement stmt adds what it adds (name: the file, which may be in its if_false part)."""
        for chain in ifs:
            # inside the last branch of an if/elif/else chain: that branch's condition and no earlier one
            *earlier, last = chain
            if last != "else" and not self.cond(last):
                return False
            if any(self.cond(e) for e in earlier):
                return False
        w = re.search(r"when\s*:\s*(\[[^\]]*\]|'[^']*'|\w+(?:\.found\(\))?)", stmt)
        if w:
            items = [x.strip() for x in w.group(1).strip("[]").split(",") if x.strip()]
            when = all(self.cond(x) for x in items)
            f = stmt.find("if_false")
            if name is not None and f >= 0 and re.search(r"['\"]%s['\"]" % re.escape(name), stmt[f:]):
                return not when
            return when
        return True

    def set_reaches(self, rel, ss, seen=()):
        """Whether source set ss of meson.build rel is compiled into qemu-system-x86_64."""
        if ss in ROOT_SETS:
            return True
        if ss.endswith("_ss") and ss[:-3] in OTHER_ARCHES or ss in seen:
            return False
        d = os.path.dirname(rel)
        while True:
            for mb in self.meson_files(d):
                for _, s, ifs in self.statements(mb):
                    m = re.match(r"\s*(\w+)\.add_all\(", s)
                    if m and re.search(r"(?:if_true\s*:\s*|\(\s*)\[?\s*%s\b" % re.escape(ss), s):
                        if self.holds(s, ifs) and self.set_reaches(mb, m.group(1), seen + (ss,)):
                            return True
                    mm = re.search(r"hw_arch\s*\+=\s*\{\s*'(\w+)'\s*:\s*%s\s*\}" % re.escape(ss), s)
                    if mm:
                        return mm.group(1) == "i386"
                    if re.search(r"modules\s*\+=\s*\{[^}]*:\s*%s\b" % re.escape(ss), s) and self.holds(s, ifs):
                        return True
                    if re.search(r"'\w+'\s*:\s*%s\b" % re.escape(ss), s) and "modules" in s and self.holds(s, ifs):
                        return True
            if not d:
                return False
            d = os.path.dirname(d)

    def meson_files(self, d):
        mb = os.path.join(d, "meson.build") if d else "meson.build"
        return [mb] if os.path.exists(os.path.join(self.tree, mb)) else []

    def built(self, f):
        """(True/False, the meson.build:line that decides) for source file f."""
        d = os.path.dirname(f)
        while d:
            for mb in self.meson_files(d):
                relname = os.path.relpath(f, d)
                hits = [(ln, s, ifs) for ln, s, ifs in self.statements(mb)
                        if re.search(r"['\"]%s['\"]" % re.escape(relname), s)]
                if hits:
                    for ln, s, ifs in hits:
                        m = re.match(r"\s*(\w+)\.add\(", s) or re.match(r"\s*(\w+)\s*\+?=", s)
                        if m and self.holds(s, ifs, relname) and self.set_reaches(mb, m.group(1)):
                            return True, "%s:%d" % (mb, ln)
                    return False, "%s:%d" % (mb, hits[0][0])
            d = os.path.dirname(d)
        return False, "no meson.build names it"


def typeinfos(tree):
    """name -> {parent, abstract, class_init, file, line, embeds} of every TypeInfo of the tree."""
    fns = {}
    fn_def = re.compile(r"^(?:static\s+)?void\s+(\w+)\s*\(\s*ObjectClass\s*\*\s*\w+\s*,\s*(?:const\s+)?void\s*\*\s*\w+\s*\)\s*\{", re.M)
    inst_def = re.compile(r"^(?:static\s+)?void\s+(\w+)\s*\(\s*Object\s*\*\s*\w+\s*\)\s*\{", re.M)
    insts = {}
    for rel, text in tree.files.items():
        for m in fn_def.finditer(text):
            fns.setdefault(m.group(1), []).append((rel, text[m.end():block_end(text, m.end() - 1, strict=False)], tree.line(rel, m.end() - 1)))
        for m in inst_def.finditer(text):
            insts.setdefault((rel, m.group(1)), text[m.end():block_end(text, m.end() - 1, strict=False)])
    out = {}
    key = lambda c, k: re.search(r"\.%s\s*=\s*([^,\n]+)" % k, c)
    for rel, text in tree.files.items():
        for m in qsd.TYPEINFO.finditer(text):
            end = block_end(text, m.end() - 1, strict=False)
            body = text[m.end():end - 1]
            chunks = []
            if re.match(r"\s*\{", body):
                j = 0
                while True:
                    k = body.find("{", j)
                    if k < 0:
                        break
                    e = block_end(body, k, strict=False)
                    chunks.append(body[k:e])
                    j = e
            else:
                chunks = [body]
            line = tree.line(rel, m.start())
            for c in chunks:
                ci = key(c, "class_init")
                cls = ci.group(1).strip() if ci else None
                ii = key(c, "instance_init")
                embeds = None
                if ii and (rel, ii.group(1).strip()) in insts:
                    em = re.search(r"virtio_instance_init_common\s*\([^;]*?,\s*(TYPE_\w+|\"[^\"]+\")\s*\)", insts[(rel, ii.group(1).strip())])
                    if em:
                        embeds = tree.string(em.group(1), rel)
                n = key(c, "name")
                if n:
                    nm = tree.string(n.group(1), rel)
                    p = key(c, "parent")
                    ab = key(c, "abstract")
                    if nm:
                        out.setdefault(nm, {"parent": tree.string(p.group(1), rel) if p else None,
                                            "abstract": bool(ab and ab.group(1).strip() == "true"),
                                            "class_init": cls, "file": rel, "line": line, "embeds": embeds})
                    continue
                names = {k: tree.string(key(c, k).group(1), rel) for k in
                         ("base_name", "generic_name", "transitional_name", "non_transitional_name", "parent") if key(c, k)}
                names = {k: v for k, v in names.items() if v}
                if "generic_name" not in names and "base_name" not in names:
                    continue
                # virtio_pci_types_register: an abstract base (base_name, or "<generic>-base-type"), under it the
                # generic type and the transitional ones
                base = names.get("base_name") or names["generic_name"] + "-base-type"
                common = {"file": rel, "line": line, "embeds": embeds}
                out.setdefault(base, dict(common, parent=names.get("parent", "virtio-pci"), abstract=True, class_init=cls))
                for k in ("generic_name", "transitional_name", "non_transitional_name"):
                    if k in names:
                        out.setdefault(names[k], dict(common, parent=base, abstract=False, class_init=None))
    return out, fns


def class_facts(infos, fns, t, tree=None):
    """desc, category, user_creatable (and in where["bus"] the bus_type) of type t: its ancestry's class_init functions applied root first."""
    chain = []
    x = t
    while x and x in infos:
        chain.append(x)
        x = infos[x]["parent"]
    desc, cats, creatable, where = None, [], None, {}
    for x in reversed(chain):
        ci = infos[x]["class_init"]
        for frel, body, fline in fns.get(ci, []) if ci else []:
            if frel != infos[x]["file"] and any(r == infos[x]["file"] for r, _, _ in fns[ci]):
                continue
            body_nc = body
            dm = re.search(r"->desc\s*=\s*((?:\"(?:[^\"\\]|\\.)*\"\s*)+)\s*;", body_nc)
            if dm:
                desc = "".join(re.findall(r"\"((?:[^\"\\]|\\.)*)\"", dm.group(1)))
                where["desc"] = "%s:%d" % (frel, fline + body_nc[:dm.start()].count("\n"))
            for cm in re.finditer(r"set_bit\s*\(\s*DEVICE_CATEGORY_(\w+)", body_nc):
                cats.append(cm.group(1))
                where["category"] = "%s:%d" % (frel, fline + body_nc[:cm.start()].count("\n"))
            for cm in re.finditer(r"clear_bit\s*\(\s*DEVICE_CATEGORY_(\w+)", body_nc):
                cats = [c for c in cats if c != cm.group(1)]
            bm = re.search(r"->bus_type\s*=\s*(TYPE_\w+|\"[^\"]+\")", body_nc)
            if bm and tree is not None:
                where["bus"] = tree.string(bm.group(1), frel)
            um = list(re.finditer(r"->user_creatable\s*=\s*(true|false)", body_nc))
            if um:
                creatable = um[-1].group(1) == "true"
                where["user_creatable"] = "%s:%d" % (frel, fline + body_nc[:um[-1].start()].count("\n"))
            break
    return desc, cats, creatable, where, chain


def declared_names():
    names = set()
    d = os.path.join(ROOT, "machines", "types")
    for fn in sorted(os.listdir(d)):
        if fn.endswith(".yaml") and fn != os.path.basename(YAML_OUT):
            names |= set(re.findall(r"^  - name: (\S+)", open(os.path.join(d, fn)).read(), re.M))
    import gen_machines  # the types Java declares (TypeRegistry's core types)
    return {n.strip('"') for n in names} | set(gen_machines.BUILTIN)


def qemu72_types():
    a = json.load(open(os.path.join(HERE, "qemu72", "all-types.json")))
    q = json.load(open(os.path.join(ROOT, "machines", "qom", "qemu72-qom.json")))
    d72 = json.load(open(os.path.join(HERE, "qemu-source", "defaults-7.2.0.json")))["types"]
    return set(a["devices"]) | {x["name"] for x in q["types"]} | set(d72)


def scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    s = str(v)
    if re.fullmatch(r"[A-Za-z_][\w.-]*", s) and s not in ("on", "off", "yes", "no", "true", "false", "null", "y", "n"):
        return s
    return json.dumps(s)


def prop_lines(props, owner_note):
    out = []
    for name, p in sorted(props.items()):
        kind = p["kind"]
        src = "QEMU %s %s:%d %s%s" % (RELEASE, p["file"], p["line"], kind, owner_note)
        typ = KIND_TYPES.get(kind)
        fields = ["name: %s" % scalar(name)]
        if typ is None:
            fields.append("type: str")
            fields.append("description: %s" % json.dumps(AS_STR % kind))
        else:
            fields.append("type: %s" % typ)
            if kind in qsd.KINDS and qsd.KINDS[kind] is not None:
                if "default" in p:
                    fields.append("default: %s" % scalar(p["default"]))
                else:
                    fields.append("default-unknown: true")
        fields.append("source: %s" % json.dumps(src))
        out.append("      - {%s}" % ", ".join(fields))
    return out


def generate(tree_dir):
    version = open(os.path.join(tree_dir, "VERSION")).read().strip() if os.path.exists(os.path.join(tree_dir, "VERSION")) else None
    if version != RELEASE:
        fail("%s: VERSION is %r, not %s" % (tree_dir, version, RELEASE))
    cfg = kconfig(tree_dir)
    meson = Meson(tree_dir, cfg)
    tree = qsd.Tree(tree_dir)
    infos, fns = typeinfos(tree)
    defaults = {r: json.load(open(os.path.join(HERE, "qemu-source", "defaults-%s.json" % r)))["types"] for r in HELD}
    old = qemu72_types()
    declared = declared_names()
    added, emit, abstract = {}, {}, {}
    for t in sorted(infos):
        i = infos[t]
        if t in old or i["abstract"]:
            continue
        desc, cats, creatable, where, chain = class_facts(infos, fns, t, tree)
        if "device" not in chain or chain[-1] != "object" and "device" not in chain:
            continue
        if creatable is False or "CPU" in cats:
            continue
        ok, why = meson.built(i["file"])
        if not ok:
            continue
        cat = CATEGORIES[cats[-1]] if cats else "Uncategorized"
        rel = next((r for r in HELD if t in defaults[r]), RELEASE)
        release = ".".join(rel.split(".")[:2])
        src = "QEMU %s %s:%d TypeInfo (parent %s)" % (RELEASE, i["file"], i["line"], i["parent"])
        if "desc" in where:
            src += ", desc %s" % where["desc"]
        if "category" in where:
            src += ", category %s" % where["category"]
        src += "; built for x86_64: %s" % why
        if t in RELEASE_FACTS:
            release, fact = RELEASE_FACTS[t]
            src += "; new in %s (%s)" % (release, fact)
        else:
            prev = HELD[HELD.index(rel) - 1] if HELD.index(rel) > 0 else "7.2.0"
            src += "; not in QEMU %s's, in %s's: added after %s, by %s" % (prev, rel, ".".join(prev.split(".")[:2]), release)
        e = {"release": release, "category": cat}
        if where.get("bus"):
            e["bus"] = where["bus"]
        if desc is not None:
            e["desc"] = desc
        e["source"] = src
        added[t] = e
        # the type and its ancestors Machina does not declare
        for x in chain:
            if x in declared:
                break
            emit[x] = infos[x]
            if x != t:  # an abstract parent joins the type lists with the first release that has one of its types
                r0 = abstract.get(x)
                abstract[x] = release if r0 is None or ver(release) < ver(r0) else r0
    abstract = {k: v for k, v in abstract.items() if k not in added}
    return added, abstract, emit, defaults["10.2.0"]


def ver(r):
    return tuple(int(x) for x in r.split("."))


def yaml_text(emit, d102, added):
    lines = ["# Generated by %s from QEMU %s's source (pderwin/qemu-10.2.0) and tools/qemu-source/defaults-%s.json." % (GENERATOR, RELEASE, RELEASE),
             "# Do not edit by hand: change the generator or its inputs and run `python3 %s SOURCE_TREE`." % GENERATOR,
             "kind: device-types",
             "# Device types QEMU added after 7.2 that qemu-system-x86_64 builds and a user can create (the rule is the",
             "# generator's docstring), with the abstract parents Machina does not declare otherwise. Declared, not emulated.",
             "# Each property: a DEFINE_PROP entry of the type's class_init (or of the virtio device a PCI proxy embeds), file:line.",
             "types:"]
    for t in sorted(emit, key=str.lower):
        i = emit[t]
        lines.append("  - name: %s" % scalar(t))
        lines.append("    parent: %s" % scalar(i["parent"]))
        if i["abstract"]:
            lines.append("    abstract: true")
        if t in added and "desc" in added[t]:
            lines.append("    description: %s" % json.dumps(added[t]["desc"]))
        lines.append("    source: %s" % json.dumps("QEMU %s %s:%d" % (RELEASE, i["file"], i["line"])))
        props = dict(d102.get(t, {}).get("properties", {}))
        plines = prop_lines(props, "")
        if not i["abstract"] and i.get("embeds") and i["embeds"] in d102:
            own = set(props)
            extra = {n: p for n, p in d102[i["embeds"]].get("properties", {}).items() if n not in own}
            plines += prop_lines(extra, " (%s's, which %s aliases)" % (i["embeds"], t))
        if plines:
            lines.append("    properties:")
            lines += plines
        else:
            lines.append("    properties: []")
    return "\n".join(lines) + "\n"


def json_text(added, abstract):
    d = json.load(open(JSON_OUT))
    d["about"] = re.sub(r" Types QEMU added after 7\.2 that Machina's registry does not declare are not listed in any view \(Machina cannot create them\)\.",
                        "", d["about"])
    if GENERATOR not in d.get("about", ""):
        d["about"] += (" The \"added\" map (and \"added-abstract\", their abstract parents, with the release that has one of"
                       " their types first) is generated by %s from QEMU %s's source: every device type qemu-system-x86_64"
                       " builds and a user can create that QEMU 7.2 lacks (machines/types/devices-after-qemu72.yaml declares"
                       " them); do not edit it by hand." % (GENERATOR, RELEASE))
    d["added"] = added
    d["added-abstract"] = dict(sorted(abstract.items()))
    return json.dumps(d, indent=1, ensure_ascii=False) + "\n"


def main():
    args = sys.argv[1:]
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    if len(args) != 1:
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        sys.exit(2)
    added, abstract, emit, d102 = generate(args[0])
    outs = {YAML_OUT: yaml_text(emit, d102, added), JSON_OUT: json_text(added, abstract)}
    stale = [p for p, text in outs.items() if not os.path.exists(p) or open(p).read() != text]
    if check:
        for p in stale:
            print("%s is not up to date (run python3 %s SOURCE_TREE)" % (os.path.relpath(p, ROOT), GENERATOR))
        sys.exit(1 if stale else 0)
    for p, text in outs.items():
        with open(p, "w") as fh:
            fh.write(text)
    print("%d types added after 7.2 (%d declared here)" % (len(added), len(emit)))


if __name__ == "__main__":
    main()
