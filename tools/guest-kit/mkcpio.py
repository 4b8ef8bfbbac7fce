#!/usr/bin/env python3
"""Writes a gzip-compressed newc ("070701") cpio archive, the initramfs format Linux unpacks
(Documentation/driver-api/early-userspace/buffer-format.rst), from a list of entries given on stdin.

  mkcpio.py OUT.cpio.gz < LIST

Each LIST line is one entry, tab-separated:
  dir   PATH MODE                 a directory (MODE octal, e.g. 755)
  file  PATH MODE HOSTFILE        a regular file copied from HOSTFILE
  link  PATH TARGET               a symbolic link
  node  PATH MODE c|b MAJOR MINOR a device node
Every entry is owned by root; mtimes are 0 so the same input gives the same bytes. The archive is
written to OUT.tmp and renamed, so a reader never sees half of one.
"""
import gzip
import os
import stat
import sys


def header(ino, mode, nlink, size, devmajor, devminor, name):
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, devmajor, devminor, len(name) + 1, 0]
    return b"070701" + b"".join(b"%08X" % f for f in fields)


def pad4(n):
    return b"\0" * ((4 - n % 4) % 4)


def entry(out, ino, mode, data=b"", name="", nlink=1, rdev=(0, 0)):
    head = header(ino, mode, nlink, len(data), rdev[0], rdev[1], name) + name.encode() + b"\0"
    out.write(head + pad4(len(head)))
    out.write(data + pad4(len(data)))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: mkcpio.py OUT.cpio.gz < LIST")
    target = sys.argv[1]
    tmp = target + ".tmp"
    ino = 1
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as out:
        for lineno, line in enumerate(sys.stdin, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            f = line.split("\t")
            kind, path = f[0], f[1].lstrip("/")
            try:
                if kind == "dir":
                    entry(out, ino, stat.S_IFDIR | int(f[2], 8), name=path, nlink=2)
                elif kind == "file":
                    with open(f[3], "rb") as h:
                        entry(out, ino, stat.S_IFREG | int(f[2], 8), h.read(), path)
                elif kind == "link":
                    entry(out, ino, stat.S_IFLNK | 0o777, f[2].encode(), path)
                elif kind == "node":
                    kbit = stat.S_IFCHR if f[3] == "c" else stat.S_IFBLK
                    entry(out, ino, kbit | int(f[2], 8), name=path, rdev=(int(f[4]), int(f[5])))
                else:
                    raise ValueError("unknown kind '%s' (dir, file, link or node)" % kind)
            except (IndexError, ValueError, OSError) as e:
                os.unlink(tmp)
                sys.exit("mkcpio.py: stdin:%d: %s" % (lineno, e))
            ino += 1
        entry(out, 0, 0, name="TRAILER!!!")
    os.replace(tmp, target)


if __name__ == "__main__":
    main()
