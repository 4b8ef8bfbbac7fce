#!/usr/bin/env python3
"""Property defaults of QOM types as one QEMU release's source declares them (DEFINE_PROP_* tables).

Usage: python3 tools/qemu_source_defaults.py RELEASE SOURCE_TREE > tools/qemu-source/defaults-RELEASE.json

SOURCE_TREE is an unpacked QEMU source tree of that release (hw/, include/, target/i386/, migration/,
...). The script reads C text only; it compiles nothing. For every TypeInfo it finds the class_init
function, the Property arrays that function installs (device_class_set_props), and each
DEFINE_PROP_* entry's default argument, with the file and line of the entry. Macros are resolved from
the tree's simple #defines (TYPE_* names, constants such as VTD_HOST_ADDRESS_WIDTH) and property-list
macros (DEFINE_VIRTIO_COMMON_FEATURES, DEFINE_BLOCK_PROPERTIES, ...) are expanded.

Output: {"release": ..., "types": {type: {"parent": p, "file": f, "properties": {name:
{"kind": DEFINE_PROP_X, "expr": C text, "default": value or absent, "file": f, "line": n}}}}}.
A default the script cannot evaluate keeps its "expr" and has no "default": never a guess.

Read by tools/versioned_defaults.py, which turns the per-release facts into the versioned defaults of
machines/types/*.yaml.
"""
import json
import os
import re
import sys

from c_source import block_end

SUBDIRS = ("hw", "include", "target/i386", "migration", "net", "block", "backends", "softmmu", "system",
           "chardev", "qom", "accel", "util")

# DEFINE_PROP_* -> index of the default argument (None: the property has no default value)
KINDS = {
    "DEFINE_PROP_BOOL": 3, "DEFINE_PROP_UINT8": 3, "DEFINE_PROP_UINT16": 3, "DEFINE_PROP_UINT32": 3,
    "DEFINE_PROP_INT32": 3, "DEFINE_PROP_UINT64": 3, "DEFINE_PROP_INT64": 3, "DEFINE_PROP_SIZE": 3,
    "DEFINE_PROP_SIZE32": 3, "DEFINE_PROP_INT8": 3, "DEFINE_PROP_INT16": 3,
    "DEFINE_PROP_BIT": 4, "DEFINE_PROP_BIT64": 4, "DEFINE_PROP_ON_OFF_AUTO": 3,
    "DEFINE_PROP_LOSTTICKPOLICY": 3, "DEFINE_PROP_PCI_DEVFN": 3, "DEFINE_PROP_BIOS_CHS_TRANS": 3,
    "DEFINE_PROP_BLOCKDEV_ON_ERROR": 3, "DEFINE_PROP_FDC_DRIVE_TYPE": 3, "DEFINE_PROP_PCIE_LINK_SPEED": 3,
    "DEFINE_PROP_PCIE_LINK_WIDTH": 3, "DEFINE_PROP_MULTIFD_COMPRESSION": 3, "DEFINE_PROP_OFF_AUTO_PCIBAR": 3,
    "DEFINE_PROP_GRANULE_MODE": 3, "DEFINE_PROP_ZERO_PAGE_DETECTION": 3, "DEFINE_PROP_SIGNED": 3,
    "DEFINE_PROP_UNSIGNED": 3, "DEFINE_PROP_SIGNED_NODEFAULT": None, "DEFINE_PROP_UNSIGNED_NODEFAULT": None,
    "DEFINE_PROP_STRING": None, "DEFINE_PROP_CHR": None, "DEFINE_PROP_DRIVE": None, "DEFINE_PROP_DRIVE_IOTHREAD": None,
    "DEFINE_PROP_NETDEV": None, "DEFINE_PROP_MACADDR": None, "DEFINE_PROP_LINK": None, "DEFINE_PROP_ARRAY": None,
    "DEFINE_PROP_UUID": None, "DEFINE_PROP_UUID_NODEFAULT": None, "DEFINE_PROP_AUDIODEV": None,
    "DEFINE_PROP_RESERVED_REGION": None, "DEFINE_PROP_PCI_HOST_DEVADDR": None, "DEFINE_PROP_BIT32": 4,
    "DEFINE_PROP_IOTHREAD_VQ_MAPPING_LIST": None, "DEFINE_PROP_ENDIAN": 3, "DEFINE_PROP_ENDIAN_NODEFAULT": None,
    "DEFINE_PROP_CPUS390ENTITLEMENT": 3, "DEFINE_PROP_S390_CPU_ENTITLEMENT": 3,
    "DEFINE_PROP_VMAPPLE_VIRTIO_BLK_VARIANT": 3,
}
BOOL_KINDS = {"DEFINE_PROP_BOOL", "DEFINE_PROP_BIT", "DEFINE_PROP_BIT64", "DEFINE_PROP_BIT32"}
INT_KINDS = {"DEFINE_PROP_UINT8", "DEFINE_PROP_UINT16", "DEFINE_PROP_UINT32", "DEFINE_PROP_INT32",
             "DEFINE_PROP_UINT64", "DEFINE_PROP_INT64", "DEFINE_PROP_SIZE", "DEFINE_PROP_SIZE32",
             "DEFINE_PROP_INT8", "DEFINE_PROP_INT16", "DEFINE_PROP_PCI_DEVFN", "DEFINE_PROP_SIGNED",
             "DEFINE_PROP_UNSIGNED"}
# enum-valued kinds: the C constant's prefix, lower-cased rest is the QAPI name
ENUM_PREFIX = {
    "DEFINE_PROP_ON_OFF_AUTO": "ON_OFF_AUTO_", "DEFINE_PROP_LOSTTICKPOLICY": "LOST_TICK_POLICY_",
    "DEFINE_PROP_BIOS_CHS_TRANS": "BIOS_ATA_TRANSLATION_", "DEFINE_PROP_BLOCKDEV_ON_ERROR": "BLOCKDEV_ON_ERROR_",
    "DEFINE_PROP_FDC_DRIVE_TYPE": "FLOPPY_DRIVE_TYPE_", "DEFINE_PROP_MULTIFD_COMPRESSION": "MULTIFD_COMPRESSION_",
    "DEFINE_PROP_OFF_AUTO_PCIBAR": "OFF_AUTO_PCIBAR_", "DEFINE_PROP_GRANULE_MODE": "GRANULE_MODE_",
    "DEFINE_PROP_ZERO_PAGE_DETECTION": "ZERO_PAGE_DETECTION_", "DEFINE_PROP_PCIE_LINK_SPEED": "PCIE_LINK_SPEED_",
    "DEFINE_PROP_PCIE_LINK_WIDTH": "PCIE_LINK_WIDTH_",
}
# QAPI enum names that do not follow "lower-case the rest"
ENUM_SPECIAL = {"FLOPPY_DRIVE_TYPE_144": "144", "FLOPPY_DRIVE_TYPE_288": "288", "FLOPPY_DRIVE_TYPE_120": "120",
                "PCIE_LINK_SPEED_2_5": "2_5", "GRANULE_MODE_4K": "4k", "GRANULE_MODE_8K": "8k",
                "GRANULE_MODE_16K": "16k", "GRANULE_MODE_64K": "64k"}
# macros whose value the C preprocessor builds from pieces this script does not follow
FIXED = {"TYPE_X86_CPU": '"x86_64-cpu"', "X86_CPU_TYPE_SUFFIX": '"-x86_64-cpu"', "TYPE_VIRTIO_NET": '"virtio-net-device"'}

UNSIGNED_BITS = {"DEFINE_PROP_UINT8": 8, "DEFINE_PROP_UINT16": 16, "DEFINE_PROP_UINT32": 32, "DEFINE_PROP_UINT64": 64,
                 "DEFINE_PROP_SIZE": 64, "DEFINE_PROP_SIZE32": 32}
C_LIMITS = {"UINT8_MAX": 0xff, "UINT16_MAX": 0xffff, "UINT32_MAX": 0xffffffff, "UINT64_MAX": (1 << 64) - 1,
            "INT32_MAX": (1 << 31) - 1, "INT64_MAX": (1 << 63) - 1, "UINT_MAX": 0xffffffff, "INT_MAX": (1 << 31) - 1}

COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def strip_comments(text):
    """Comments replaced by blanks of the same shape, so that offsets and line numbers stay; so are
    the lines of #ifdef CONFIG_USER_ONLY branches (qemu-system-x86_64 is not a user-mode build)."""
    text = COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    lines = text.split("\n")
    stack = []  # per open #if: True while its current branch is user-only
    for i, ln in enumerate(lines):
        d = re.match(r"\s*#\s*(ifdef|ifndef|if|elif|else|endif)\b\s*(.*)", ln)
        if d:
            kw, cond = d.group(1), d.group(2).strip()
            if kw in ("ifdef", "if", "ifndef"):
                user = (kw == "ifdef" and cond == "CONFIG_USER_ONLY") or (kw == "if" and cond == "defined(CONFIG_USER_ONLY)")
                stack.append([user, kw == "ifndef" and cond == "CONFIG_USER_ONLY"])
            elif kw in ("else", "elif") and stack:
                top = stack[-1]
                top[0], top[1] = top[1], top[0] if kw == "else" else False
            elif kw == "endif" and stack:
                stack.pop()
            continue
        if any(s[0] for s in stack):
            lines[i] = ""
    return "\n".join(lines)


def split_args(s):
    """Top-level comma-separated arguments of a call's argument text."""
    out, depth, cur, q = [], 0, [], None
    for ch in s:
        if q:
            cur.append(ch)
            if ch == q and (len(cur) < 2 or cur[-2] != "\\"):
                q = None
            continue
        if ch in "\"'":
            q = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append("".join(cur).strip())
            cur = []
            continue
        cur.append(ch)
    if "".join(cur).strip():
        out.append("".join(cur).strip())
    return out


def call_end(text, open_paren):
    """Index just past the parenthesis matching text[open_paren]."""
    depth, i, q = 0, open_paren, None
    while i < len(text):
        ch = text[i]
        if q:
            if ch == "\\":
                i += 2
                continue
            if ch == q:
                q = None
        elif ch in "\"'":
            q = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)


class Tree:
    def __init__(self, root):
        self.root = root
        self.files = {}
        for sub in SUBDIRS:
            base = os.path.join(root, sub)
            for dirpath, _, names in os.walk(base):
                for n in names:
                    if n.endswith((".c", ".h", ".c.inc", ".h.inc")):
                        p = os.path.join(dirpath, n)
                        rel = os.path.relpath(p, root)
                        with open(p, encoding="utf-8", errors="replace") as fh:
                            self.files[rel] = strip_comments(fh.read())
        self.defines = {}       # name -> [(file, value text)]
        self.fn_macros = {}     # name -> (params, body, file)
        define = re.compile(r"^[ \t]*#[ \t]*define[ \t]+(\w+)(\(([^)]*)\))?[ \t]*((?:[^\n\\]|\\\n|\\.)*)", re.M)
        for rel, text in self.files.items():
            for m in define.finditer(text):
                body = m.group(4).replace("\\\n", " ").strip()
                if m.group(2):
                    params = [p.strip() for p in m.group(3).split(",") if p.strip()]
                    self.fn_macros.setdefault(m.group(1), (params, body, rel))
                else:
                    self.defines.setdefault(m.group(1), []).append((rel, body))
        # enum constants: NAME = value, or the previous value plus one
        for rel, text in self.files.items():
            for m in re.finditer(r"\benum\b[^{;()]*\{([^{}]*)\}", text):
                prev = None
                for item in m.group(1).split(","):
                    item = item.strip()
                    em = re.fullmatch(r"([A-Za-z_]\w*)\s*(?:=\s*(.+))?", item, re.S)
                    if not em:
                        prev = None
                        continue
                    if em.group(2) is not None:
                        val = em.group(2).strip()
                    elif prev is not None:
                        val = "(%s) + 1" % prev
                    else:
                        val = "0"
                    self.defines.setdefault(em.group(1), []).append((rel, val))
                    prev = em.group(1)

    def line(self, rel, offset):
        return self.files[rel].count("\n", 0, offset) + 1

    def macro(self, name, rel=None):
        if name in FIXED:
            return FIXED[name]
        vals = self.defines.get(name)
        if not vals:
            return None
        mine = [v for f, v in vals if f == rel]
        if mine:
            return mine[0]
        distinct = {v for _, v in vals}
        if len(distinct) == 1:
            return vals[0][1]
        # prefer a definition in a header over one in a C file of another target
        headers = {v for f, v in vals if f.endswith(".h") and "/arm" not in f}
        return headers.pop() if len(headers) == 1 else None

    def string(self, expr, rel, depth=0):
        """A C string expression (literal, TYPE_* macro, concatenation) as text, or None."""
        expr = expr.strip()
        if depth > 8:
            return None
        parts = re.findall(r'"((?:[^"\\]|\\.)*)"|(\w+)', expr)
        if not parts:
            return None
        out = []
        for lit, ident in parts:
            if ident:
                v = self.macro(ident, rel)
                if v is None:
                    return None
                s = self.string(v, rel, depth + 1)
                if s is None:
                    return None
                out.append(s)
            else:
                out.append(lit)
        return "".join(out)

    def number(self, expr, rel, depth=0):
        """An integer C expression (literals, macros, + - * << | ~, KiB/MiB/GiB), or None."""
        e = expr.strip()
        if depth > 10:
            return None

        def sub(m):
            name = m.group(0)
            if name in ("KiB", "MiB", "GiB", "TiB"):
                return str(1 << {"KiB": 10, "MiB": 20, "GiB": 30, "TiB": 40}[name])
            if re.fullmatch(r"0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*", name):
                return re.sub(r"[uUlL]+$", "", name)
            if name in ("true", "false", "TRUE", "FALSE"):
                return "1" if name in ("true", "TRUE") else "0"
            if name in C_LIMITS:
                return str(C_LIMITS[name])
            v = self.macro(name, rel)
            if v is None:
                raise LookupError(name)
            n = self.number(v, rel, depth + 1)
            if n is None:
                raise LookupError(name)
            return "(%d)" % n
        try:
            py = re.sub(r"\b(0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*|[A-Za-z_]\w*)\b", sub, e)
            py = re.sub(r"\((?:uint\d+_t|int\d+_t|unsigned|int|long|unsigned long|size_t)\)", "", py)
            if not re.fullmatch(r"[0-9xXa-fA-F()+\-*/<>|&~ ]*", py):
                return None
            py = py.replace("/", "//")
            return int(eval(py, {"__builtins__": {}}, {}))
        except (LookupError, SyntaxError, TypeError, ValueError, ZeroDivisionError):
            return None

    def value(self, kind, expr, rel):
        e = expr.strip()
        if kind in ("DEFINE_PROP_SIGNED", "DEFINE_PROP_UNSIGNED"):
            for k, prefix in ENUM_PREFIX.items():
                if e.startswith(prefix):
                    return self.value(k, e, rel)
        if kind in BOOL_KINDS:
            if e in ("true", "false", "TRUE", "FALSE"):
                return e in ("true", "TRUE")
            n = self.number(e, rel)
            return None if n is None else bool(n)
        if kind in INT_KINDS:
            n = self.number(e, rel)
            bits = UNSIGNED_BITS.get(kind)
            return n % (1 << bits) if n is not None and bits else n
        if kind in ENUM_PREFIX:
            name = e
            seen = 0
            while name and not name.startswith(ENUM_PREFIX[kind]) and seen < 5:
                name = (self.macro(name, rel) or "").strip()
                seen += 1
            if not name.startswith(ENUM_PREFIX[kind]):
                return None
            if name in ENUM_SPECIAL:
                return ENUM_SPECIAL[name]
            v = name[len(ENUM_PREFIX[kind]):].lower()
            return v
        return None


PROP_ARRAY = re.compile(r"(?:static\s+)?(?:const\s+)?Property\s+(\w+)\s*\[\s*\]\s*=\s*\{")
TYPEINFO = re.compile(r"TypeInfo\s+\w+(?:\s*\[\s*\])?\s*=\s*\{")
NAMED = re.compile(r"\.name\s*=\s*([^,\n]+)")
PARENT = re.compile(r"\.parent\s*=\s*([^,\n]+)")
CLASS_INIT = re.compile(r"\.class_init\s*=\s*(\w+)")
SET_PROPS = re.compile(r"(?:device_class_set_props(?:_n)?\s*\(\s*\w+\s*,\s*(\w+)|->props(?:_)?\s*=\s*(\w+)\s*;)")


def expand_entries(tree, rel, body, base_offset, depth=0):
    """(kind, args, offset) of every DEFINE_PROP_* in a Property array body, list macros expanded.
    An expanded macro's entries take the line of the macro's use."""
    out = []
    i = 0
    call = re.compile(r"\b([A-Z][A-Z0-9_]*)\s*\(")
    while True:
        m = call.search(body, i)
        if not m:
            break
        name = m.group(1)
        end = call_end(body, m.end() - 1)
        args = split_args(body[m.end():end - 1])
        if name in KINDS:
            out.append((name, args, base_offset + m.start()))
        elif name == "DEFINE_PROP_END_OF_LIST":
            pass
        elif name in tree.fn_macros and depth < 4:
            params, mbody, _ = tree.fn_macros[name]
            text = mbody
            for p, a in zip(params, args):
                text = re.sub(r"##\s*\b%s\b|\b%s\b\s*##|\b%s\b" % (p, p, p), a, text)
            text = text.replace("##", "")
            for k, a, _ in expand_entries(tree, rel, text, 0, depth + 1):
                out.append((k, a, base_offset + m.start()))
        i = end
    return out


def extract(release, root):
    tree = Tree(root)
    arrays = {}  # (file, name) -> [(prop name, kind, expr, line)]
    for rel, text in tree.files.items():
        for m in PROP_ARRAY.finditer(text):
            end = block_end(text, m.end() - 1, strict=False)
            entries = []
            for kind, args, off in expand_entries(tree, rel, text[m.end():end - 1], m.end()):
                if not args:
                    continue
                pname = tree.string(args[0], rel)
                if pname is None:
                    continue
                idx = KINDS[kind]
                expr = args[idx] if idx is not None and idx < len(args) else None
                entries.append((pname, kind, expr, tree.line(rel, off)))
            arrays[(rel, m.group(1))] = entries
    # class_init function bodies: name -> (file, text)
    fns = {}
    fn_def = re.compile(r"^(?:static\s+)?void\s+(\w+)\s*\(\s*ObjectClass\s*\*\s*\w+\s*,\s*(?:const\s+)?void\s*\*\s*\w+\s*\)\s*\{", re.M)
    for rel, text in tree.files.items():
        for m in fn_def.finditer(text):
            end = block_end(text, m.end() - 1, strict=False)
            fns.setdefault(m.group(1), []).append((rel, text[m.end():end]))
    types = {}
    for rel, text in tree.files.items():
        for m in TYPEINFO.finditer(text):
            end = block_end(text, m.end() - 1, strict=False)
            body = text[m.end():end - 1]
            # an array of TypeInfo: each inner { } is one type
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
            for c in chunks:
                names = []  # (type name, parent)
                n = NAMED.search(c)
                p = PARENT.search(c)
                if n:
                    names.append((tree.string(n.group(1), rel), tree.string(p.group(1), rel) if p else None))
                else:
                    # VirtioPCIDeviceTypeInfo: virtio_pci_types_register makes a base type and up to
                    # three concrete ones from it, all with the same class_init
                    base = None
                    for key in ("base_name", "generic_name", "transitional_name", "non_transitional_name"):
                        km = re.search(r"\.%s\s*=\s*([^,\n]+)" % key, c)
                        if km:
                            nm = tree.string(km.group(1), rel)
                            if key == "base_name":
                                base = nm
                                names.append((nm, tree.string(p.group(1), rel) if p else "virtio-pci"))
                            else:
                                names.append((nm, base or "virtio-pci"))
                for tname, parent in names:
                    if tname:
                        add_type(tree, fns, arrays, types, rel, tree.line(rel, m.start()), c, tname, parent)
    return {"release": release, "types": dict(sorted(types.items()))}


def add_type(tree, fns, arrays, types, rel, line_no, c, tname, parent):
    """One TypeInfo's entry: its parent and the defaults of the Property arrays its class_init installs."""
    if True:
        if True:
            if True:
                ci = CLASS_INIT.search(c)
                props = {}
                if ci:
                    for frel, ftext in fns.get(ci.group(1), []):
                        if frel != rel and any(r == rel for r, _ in fns[ci.group(1)]):
                            continue
                        for sm in SET_PROPS.finditer(ftext):
                            arr = sm.group(1) or sm.group(2)
                            entries = arrays.get((frel, arr))
                            if entries is None:
                                cands = [v for (f, a), v in arrays.items() if a == arr]
                                entries = cands[0] if len(cands) == 1 else []
                                src_file = next((f for (f, a) in arrays if a == arr), frel)
                            else:
                                src_file = frel
                            for pname, kind, expr, line in entries:
                                x = {"kind": kind, "file": src_file, "line": line}
                                if expr is not None:
                                    x["expr"] = re.sub(r"\s+", " ", expr)
                                    v = tree.value(kind, expr, src_file)
                                    if v is not None:
                                        x["default"] = v
                                props.setdefault(pname, x)
                        break
                t = {"parent": parent, "file": rel, "line": line_no}
                if props:
                    t["properties"] = dict(sorted(props.items()))
                types.setdefault(tname, t)



def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        sys.exit(2)
    json.dump(extract(sys.argv[1], sys.argv[2]), sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
