; sysenter.asm -- SYSEXIT to ring 3 and SYSENTER back (SDM Vol. 2B): the selectors, stack and flags
; each loads, printed as "name value" lines. SYSENTER_CS = 18h puts ring 0 at 18h/20h and ring 3 at
; 2Bh/33h (lib.inc's ring-3 descriptors). Recorded on QEMU 7.2 (sysenter.qemu.txt).
%include "lib.inc"

%macro show 2
        print   %1
        mov     eax, %2
        call    puthex
        call    newline
%endmacro

        bits 32
main32:
        mov     ecx, 0x174
        xor     edx, edx
        mov     eax, 0x18
        wrmsr
        mov     ecx, 0x175
        mov     eax, KSTACK
        wrmsr
        mov     ecx, 0x176
        mov     eax, R(kentry)
        wrmsr
        mov     ecx, 0x174
        rdmsr
        show    "sysenter_cs ", eax
        ; to ring 3 with interrupts on (ring 3 may not print: it only collects)
        sti
        mov     ecx, DATA + 0x1000
        mov     edx, R(user)
        sysexit
user:   mov     ebx, cs
        mov     esi, ss
        mov     edi, esp
        pushfd
        pop     ebp
        sysenter
kentry: mov     [DATA], ebx
        mov     [DATA + 4], esi
        mov     [DATA + 8], edi
        mov     [DATA + 12], ebp
        mov     eax, cs
        mov     [DATA + 16], eax
        mov     eax, ss
        mov     [DATA + 20], eax
        mov     [DATA + 24], esp
        pushfd
        pop     eax
        mov     [DATA + 28], eax
        mov     ax, SEL_DATA32
        mov     ds, ax
        mov     es, ax
        show    "user cs ", [DATA]
        show    "user ss ", [DATA + 4]
        show    "user esp ", [DATA + 8]
        show    "user eflags ", [DATA + 12]
        show    "kernel cs ", [DATA + 16]
        show    "kernel ss ", [DATA + 20]
        show    "kernel esp ", [DATA + 24]
        show    "kernel eflags ", [DATA + 28]
        ; SYSEXIT from ring 3 faults: checked by CpuBehaviourTest (this guest stays simple)
        jmp     pass
%include "end.inc"
