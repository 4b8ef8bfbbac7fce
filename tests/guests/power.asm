; power.asm -- the PC's reset and power-off paths on -M pc: the first boot resets through the PIIX3
; reset control register (0xCF9 = 0x06), the second through the i8042 (command 0xFE: pulse the reset
; line), the third sends itself an INIT IPI (the local APIC's ICR, shorthand "self": the CPU alone restarts
; at the reset vector), the fourth powers off through ACPI S5 (PIIX4 PM: PMBA = 0x600, PM1_CNT = SLP_EN | SLP_TYP 0).
; RAM survives a reset, so a counter in it says which boot this is. Recorded on QEMU 7.2 as
; power.qemu.txt (QEMU exits with status 0 at the power-off):
;   qemu-system-x86_64 -M pc -nodefaults -display none -bios power.bin
;     -chardev file,id=d,path=power.qemu.txt -device isa-debugcon,iobase=0x402,chardev=d
; With -no-reboot QEMU exits at the first reset, after "boot 00000000".
%include "lib.inc"

MAGIC   equ DATA + 0x400
COUNT   equ DATA + 0x404

        bits 32
main32:
        cmp     dword [MAGIC], 0x12345678
        je      .counted
        mov     dword [MAGIC], 0x12345678
        mov     dword [COUNT], 0
.counted:
        mov     ebx, [COUNT]
        inc     dword [COUNT]
        print   "boot "
        mov     eax, ebx
        call    puthex
        call    newline
        cmp     ebx, 0
        je      cf9
        cmp     ebx, 1
        je      kbd
        cmp     ebx, 2
        je      init
        cmp     ebx, 3
        je      s5
        print   "too many boots"
        jmp     fail

cf9:    mov     dx, 0xCF9
        mov     al, 0x06
        out     dx, al
        jmp     stuck

kbd:    mov     al, 0xFE
        out     0x64, al
        jmp     stuck

init:   mov     dword [0xFEE00300], 0x00044500
        jmp     stuck

s5:     mov     dx, 0xCF8               ; PIIX4 PM (00:01.3) PMBA = 0x600
        mov     eax, 0x80000B40
        out     dx, eax
        mov     dx, 0xCFC
        mov     eax, 0x601
        out     dx, eax
        mov     dx, 0xCF8               ; PMREGMISC: PM I/O space enable
        mov     eax, 0x80000B80
        out     dx, eax
        mov     dx, 0xCFC
        mov     al, 1
        out     dx, al
        mov     dx, 0x604               ; PM1_CNT: SLP_EN, SLP_TYP 0 (the DSDT's \_S5)
        mov     ax, 0x2000
        out     dx, ax
stuck:  cli                             ; the reset or power-off takes effect at once
        hlt
        jmp     stuck

%include "end.inc"
