#!/usr/bin/env python3
"""Record QEMU 7.2's behaviour of devices qtest cannot reach (the local APIC answers only its own
CPU) by running the scenario as a tiny bare-metal guest on QEMU 7.2 (TCG) and reading what it
prints on the debug console.

    tools/qtest/guest_record.py [SCENARIO.gq ...]   (default: every tools/qtest/scenarios/*.gq)

A scenario (.gq) is a list of operations, one a line, '#' comments:
    readl ADDR                  32-bit load, prints "OK 0x%016x"
    writel ADDR VALUE           32-bit store, prints "OK"
    rdmsr MSR                   prints "OK 0x%016x" (EDX:EAX)
    wrmsr MSR VALUE64           prints "OK"
    sti_window                  STI, two NOPs, CLI: every interrupt taken prints "INT 0xVV" first
    spin N                      a loop of N iterations (lets a timer in QEMU's main loop fire)
    wait_irr VECTOR             polls the APIC's IRR until VECTOR is requested (prints OK, or TIMEOUT)
Header lines:  #! machine: pc,hpet=off     #! args: more QEMU arguments

The guest starts at the reset vector, enters 32-bit flat protected mode with an IDT whose every
vector prints its number and returns (no EOI: the scenario says when), masks both 8259s, and runs
the operations with interrupts off. The transcript (tests/qtest/NAME.txt, the same format as
record.py's, "INT 0xVV" lines before the operation that let the interrupt in) replays with
dev.machina.hw.QtestReplay. Needs nasm and qemu-system-i386.
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCEN_DIR = os.path.join(ROOT, "tools", "qtest", "scenarios")
OUT_DIR = os.path.join(ROOT, "tests", "qtest")
QEMU = "qemu-system-i386"

PROLOGUE = r"""
        bits 16
        org 0
ROMBASE equ 0xF0000
%define R(x) (ROMBASE + (x))
IDT     equ 0x10000
start16:
        cli
        cld
        mov     ax, cs
        mov     ds, ax
        xor     ax, ax
        mov     ss, ax
        mov     sp, 0x7000
        o32 lgdt [gdtr]
        mov     eax, cr0
        or      al, 1
        mov     cr0, eax
        jmp     dword 0x08:R(pm)
        bits 32
pm:     mov     ax, 0x10
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     esp, 0x9F000
        ; IDT: vector n -> stub n
        xor     ecx, ecx
.gate:  mov     eax, ecx
        imul    eax, eax, 16
        add     eax, R(stubs)
        mov     edi, ecx
        shl     edi, 3
        add     edi, IDT
        mov     [edi], ax
        mov     word [edi + 2], 0x08
        mov     word [edi + 4], 0x8E00
        shr     eax, 16
        mov     [edi + 6], ax
        inc     ecx
        cmp     ecx, 256
        jne     .gate
        lidt    [R(idtr)]
        ; both 8259s masked, so only the APIC interrupts
        mov     al, 0xFF
        out     0x21, al
        out     0xA1, al
"""

EPILOGUE = r"""
        mov     dx, 0xF4
        xor     eax, eax
        out     dx, eax
        hlt
        jmp     $

; print "INT 0xVV\n" for the vector on the stack, return without EOI
on_int: push    eax
        push    edx
        mov     esi, R(s_int)
        call    puts
        mov     eax, [esp + 8]
        call    hex2
        call    nl
        pop     edx
        pop     eax
        add     esp, 4
        iret
; "OK 0x" + EDX:EAX as 16 hex digits
okhex:  push    eax
        push    edx
        mov     esi, R(s_ok)
        call    puts
        pop     eax
        call    hex8
        pop     eax
        call    hex8
        jmp     nl
ok:     mov     esi, R(s_okn)
        jmp     puts
hex8:   push    ecx
        mov     ecx, 8
.l:     rol     eax, 4
        call    digit
        loop    .l
        pop     ecx
        ret
hex2:   shl     eax, 24
        push    ecx
        mov     ecx, 2
        jmp     .l2
.l2:    rol     eax, 4
        call    digit
        loop    .l2
        pop     ecx
        ret
digit:  push    eax
        and     al, 15
        add     al, '0'
        cmp     al, '9'
        jbe     .d
        add     al, 'a' - '0' - 10
.d:     mov     dx, 0x402
        out     dx, al
        pop     eax
        ret
nl:     mov     al, 10
        mov     dx, 0x402
        out     dx, al
        ret
puts:   push    eax
.p:     lodsb
        test    al, al
        jz      .e
        mov     dx, 0x402
        out     dx, al
        jmp     .p
.e:     pop     eax
        ret
s_ok:   db "OK 0x", 0
s_okn:  db "OK", 10, 0
s_int:  db "INT 0x", 0
s_to:   db "TIMEOUT", 10, 0
        align 16
stubs:
%assign v 0
%rep 256
        push    dword v
        jmp     near on_int
        align 16
%assign v v+1
%endrep
        align 8
gdt:    dq 0
        dq 0x00CF9A000000FFFF
        dq 0x00CF92000000FFFF
gdtr:   dw 23
        dd R(gdt)
idtr:   dw 256 * 8 - 1
        dd IDT
        times 0xFFF0 - ($ - $$) db 0xF4
        bits 16
        jmp     0xF000:start16
        times 0x10000 - ($ - $$) db 0xF4
"""


def op_asm(words):
    op = words[0]
    if op == "readl":
        return "        mov eax, [%s]\n        xor edx, edx\n        call okhex\n" % words[1]
    if op == "writel":
        return "        mov dword [%s], %s\n        call ok\n" % (words[1], words[2])
    if op == "rdmsr":
        return "        mov ecx, %s\n        rdmsr\n        call okhex\n" % words[1]
    if op == "wrmsr":
        v = int(words[2], 0)
        return "        mov ecx, %s\n        mov eax, 0x%x\n        mov edx, 0x%x\n        wrmsr\n        call ok\n" % (
            words[1], v & 0xFFFFFFFF, v >> 32)
    if op == "sti_window":
        return "        sti\n        nop\n        nop\n        cli\n        call ok\n"
    if op == "wait_irr":
        v = int(words[1], 0)
        addr = 0xFEE00200 + 0x10 * (v >> 5)
        return ("        mov ecx, 100000000\n%%%%l: test dword [0x%x], 0x%x\n        jnz %%%%d\n        loop %%%%l\n"
                "        mov esi, R(s_to)\n        call puts\n        jmp %%%%e\n%%%%d: call ok\n%%%%e:\n") % (addr, 1 << (v & 31))
    if op == "spin":
        return "        mov ecx, %s\n%%%%l: loop %%%%l\n        call ok\n" % words[1]
    raise SystemExit("unknown operation: " + " ".join(words))


def parse(path):
    machine, extra, ops = "pc,hpet=off", [], []
    with open(path) as f:
        for raw in f:
            line = raw.strip()
            if line.startswith("#! machine:"):
                machine = line.split(":", 1)[1].strip()
            elif line.startswith("#! args:"):
                extra = line.split(":", 1)[1].split()
            elif line and not line.startswith("#"):
                ops.append(line.split("#", 1)[0].strip())
    return machine, extra, ops


def record(path):
    name = os.path.splitext(os.path.basename(path))[0]
    machine, extra, ops = parse(path)
    src = PROLOGUE
    for i, o in enumerate(ops):
        body = op_asm(o.split())
        for lbl in "lde":
            body = body.replace("%%" + lbl, ".op%d%s" % (i, lbl))
        src += "        ; %s\n" % o + body
    src += EPILOGUE
    with tempfile.TemporaryDirectory() as tmp:
        asm, rom, out = (os.path.join(tmp, n) for n in ("g.asm", "g.bin", "out.txt"))
        with open(asm, "w") as f:
            f.write(src)
        subprocess.run(["nasm", "-f", "bin", "-o", rom, asm], check=True)
        argv = [QEMU, "-M", machine, "-nodefaults", "-display", "none", "-bios", rom,
                "-chardev", "file,id=d,path=" + out, "-device", "isa-debugcon,iobase=0x402,chardev=d",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=4"] + extra
        subprocess.run(argv, timeout=60)
        printed = open(out).read().splitlines()
    version = subprocess.run([QEMU, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    shown = " ".join(a if "path=" not in a else re.sub(r"path=\S+", "path=LOG", a) for a in argv)
    lines = ["# recorded by tools/qtest/guest_record.py from tools/qtest/scenarios/%s.gq" % name,
             "# %s" % version, "# %s" % shown.replace(rom, "GUEST.bin"),
             "# the guest's prologue masks both 8259s:", "outb 0x21 0xff => OK", "outb 0xa1 0xff => OK", ""]
    it = iter(printed)
    for o in ops:
        while True:
            resp = next(it, None)
            if resp is None:
                raise SystemExit("%s: the guest stopped before '%s'" % (path, o))
            if resp.startswith("INT "):
                lines.append(resp)
                continue
            break
        lines.append("%s => %s" % (o, resp))
    os.makedirs(OUT_DIR, exist_ok=True)
    dest = os.path.join(OUT_DIR, name + ".txt")
    with open(dest, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("recorded %s (%d operations)" % (os.path.relpath(dest, ROOT), len(ops)))


def main():
    files = sys.argv[1:] or sorted(os.path.join(SCEN_DIR, f) for f in os.listdir(SCEN_DIR) if f.endswith(".gq"))
    for f in files:
        record(f)


if __name__ == "__main__":
    main()
