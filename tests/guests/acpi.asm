; acpi.asm -- the ACPI feature (CPUID.1:EDX bit 22: thermal monitor and software-controlled clock) as QEMU 7.2
; TCG answers it: the CPUID bit, then RDMSR of IA32_CLOCK_MODULATION (19Ah), IA32_THERM_INTERRUPT (19Bh) and
; IA32_THERM_STATUS (19Ch), each after WRMSR of a value (what is kept, what faults). QEMU 7.2 TCG has no such
; MSRs (helper_rdmsr/helper_wrmsr: an MSR it does not know reads 0 and ignores writes); this records that.
; Recorded (tools/build-guests --qemu) with -cpu qemu32 as acpi.qemu.txt and -cpu max as acpi-max.qemu.txt:
;   qemu-system-x86_64 -nodefaults -display none -no-reboot -machine pc,accel=tcg -cpu max -bios acpi.bin
;     -chardev file,id=d,path=LOG -device isa-debugcon,iobase=0x402,chardev=d -device isa-debug-exit,iobase=0xf4,iosize=4
%include "lib.inc"

%macro rd 1
        mov     ecx, %1
        call    rdone
%endmacro
%macro wr 3
        mov     ecx, %1
        mov     edx, %2
        mov     eax, %3
        call    wrone
%endmacro

        bits 32
main32:
        mov     eax, 13
        mov     ebx, R(gp_handler)
        mov     dl, 0x8E
        call    set_gate
        mov     eax, 1
        cpuid
        mov     eax, edx
        shr     eax, 22
        and     eax, 1
        print   "acpi="
        call    puthex
        call    newline
        rd      0x19A
        rd      0x19B
        rd      0x19C
        wr      0x19A, 0, 0x1A          ; on-demand clock modulation enabled, duty cycle 5
        rd      0x19A
        wr      0x19B, 0, 0x1F
        rd      0x19B
        wr      0x19C, 0, 0xA
        rd      0x19C
        wr      0x19A, 0xFFFFFFFF, 0xFFFFFFFF
        rd      0x19A
        jmp     pass

; rdone: ECX = MSR; prints "rd MSR: EDX EAX" or "rd MSR: #GP"
rdone:  print   "rd "
        mov     eax, ecx
        call    puthex
        print   ":"
        mov     byte [gp_seen], 0
        rdmsr
        cmp     byte [gp_seen], 0
        jne     .gp
        print   " "
        push    eax
        mov     eax, edx
        call    puthex
        print   " "
        pop     eax
        call    puthex
        call    newline
        ret
.gp:    print   " #GP"
        call    newline
        ret

; wrone: ECX = MSR, EDX:EAX = value; prints "wr MSR: #GP" when the write faults
wrone:  mov     byte [gp_seen], 0
        wrmsr
        cmp     byte [gp_seen], 0
        je      .ok
        print   "wr "
        mov     eax, ecx
        call    puthex
        print   ": #GP"
        call    newline
.ok:    ret

; #GP from RDMSR/WRMSR (2 bytes): note it, skip the instruction, drop the error code
gp_handler:
        mov     byte [gp_seen], 1
        add     esp, 4
        add     dword [esp], 2
        iret

gp_seen: equ DATA
%include "end.inc"
