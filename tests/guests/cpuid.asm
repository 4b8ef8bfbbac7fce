; cpuid.asm -- prints CPUID leaves (basic, the deterministic cache leaf's subleaves, beyond the
; maximum, hypervisor range, extended, brand, then leaves 6-0xD and 80000006h-8000000Ah) as "leaf.subleaf: EAX EBX ECX EDX" lines. Recorded on
; QEMU 7.2 with each -cpu of machines/cpu/cpu-models.yaml (tests/guests/cpuid-MODEL.qemu.txt) to check
; the CPU models.
%include "lib.inc"

%macro leaf 2
        mov     eax, %1
        mov     ecx, %2
        call    dump
%endmacro

        bits 32
main32:
        leaf    0, 0
        leaf    1, 0
        leaf    2, 0
        leaf    3, 0
        leaf    4, 0
        leaf    4, 1
        leaf    4, 2
        leaf    4, 3
        leaf    4, 4
        leaf    5, 0
        leaf    0x40000000, 0
        leaf    0x40000001, 0
        leaf    0x80000000, 0
        leaf    0x80000001, 0
        leaf    0x80000002, 0
        leaf    0x80000003, 0
        leaf    0x80000004, 0
        leaf    0x80000005, 0
        leaf    0x80000006, 0
        leaf    0x80000007, 0
        leaf    0x80000008, 0
        leaf    0x8000000A, 0
        leaf    6, 0
        leaf    7, 0
        leaf    0xA, 0
        leaf    0xD, 0
        leaf    0xD, 1
        jmp     pass

dump:   call    puthex
        push    eax
        print   "."
        mov     eax, ecx
        call    puthex
        print   ":"
        pop     eax
        cpuid
        print   " "
        call    puthex
        print   " "
        mov     eax, ebx
        call    puthex
        print   " "
        mov     eax, ecx
        call    puthex
        print   " "
        mov     eax, edx
        call    puthex
        call    newline
        ret

%include "end.inc"
