#!/usr/bin/env python3
"""Broken multiboot kernels made from our own test kernels, one per check of QEMU 7.2's
hw/i386/multiboot.c: python3 bad-kernels.py DIR OUT writes OUT/CASE.bin for each case below.
MultibootTest makes the same files (the same patches) and compares Machina's message with QEMU's
line recorded by tools/guest-kit/record-multiboot in qemu72/bad.txt."""
import os
import struct
import sys

# header words of mbaout.bin (the header is at offset 0): 0 magic, 1 flags, 2 checksum, 3 header_addr,
# 4 load_addr, 5 load_end_addr, 6 bss_end_addr, 7 entry_addr
AOUT = {
    "load-above-header": {4: 0x100004},          # load_addr > header_addr
    "header-before-file": {4: 0x0FF000},         # header_addr - load_addr > the header's offset
    "load-end-below-load": {5: 0x1000},          # load_end_addr < load_addr
    "bss-below-load-end": {6: 0x100004},         # bss_end_addr < the loaded end
    "load-end-past-file": {5: 0x200000},         # more bytes than the file has (the bss check comes first)
    "load-end-past-file-no-bss": {5: 0x200000, 6: 0},  # more bytes than the file has, no bss
    "no-addresses-not-elf": {1: 0x00000003},     # flags without bit 16, and not an ELF file
}
# ELF header fields of mbelf.bin: e_machine at 18 (u16)
ELF = {
    "elf-x86-64": 62,                            # EM_X86_64
    "elf-arm": 40,                               # EM_ARM
}


def words(b, n):
    return list(struct.unpack_from("<%dI" % n, b, 0))


def main(src, out):
    aout = bytearray(open(os.path.join(src, "mbaout.bin"), "rb").read())
    for name, patch in AOUT.items():
        b = bytearray(aout)
        w = words(b, 8)
        for k, v in patch.items():
            w[k] = v
        w[2] = (-(w[0] + w[1])) & 0xFFFFFFFF   # a valid checksum: the header is found, then refused
        struct.pack_into("<8I", b, 0, *w)
        open(os.path.join(out, name + ".bin"), "wb").write(b)
    elf = bytearray(open(os.path.join(src, "mbelf.bin"), "rb").read())
    for name, machine in ELF.items():
        b = bytearray(elf)
        struct.pack_into("<H", b, 18, machine)
        open(os.path.join(out, name + ".bin"), "wb").write(b)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
