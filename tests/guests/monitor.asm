; monitor.asm -- MONITOR / MWAIT (0F 01 C8/C9, CPUID.1:ECX.MONITOR[3]) against QEMU 7.2 TCG: the CPUID bit,
; MONITOR with ECX 0 (32-bit and 16-bit addressing, a segment override) and #GP(0) with ECX 1, MWAIT #GP(0)
; with ECX 1; #UD for both on a model without monitor (qemu32). MWAIT halting (as HLT) is MonitorTest's: a
; halted guest records nothing. Recorded as bitcount.asm says, with -cpu qemu32 (monitor.qemu.txt) and
; -cpu max (monitor-max.qemu.txt).
%include "lib.inc"

RESUME  equ DATA
LAST_VEC equ DATA + 4

%macro t 2
        mov     dword [RESUME], R(%%after)
        mov     dword [LAST_VEC], 0
        %2
%%after:
        print   {" ", %1}
        cmp     dword [LAST_VEC], 0
        je      %%ok
        print   " #"
        push    eax
        mov     eax, [LAST_VEC]
        call    puthex
        pop     eax
        jmp     %%done
%%ok:   print   " ok"
%%done:
%endmacro

        bits 32
main32:
        mov     eax, 6
        mov     ebx, R(ud_handler)
        mov     dl, 0x8E
        call    set_gate
        mov     eax, 13
        mov     ebx, R(gp_handler)
        call    set_gate
        mov     eax, 1
        cpuid
        print   "cpuid1 "
        mov     eax, ecx
        and     eax, 8
        call    puthex
        mov     eax, DATA + 0x100
        xor     ecx, ecx
        xor     edx, edx
        t       "monitor", {monitor}
        mov     ecx, 1
        t       "monitor-ecx1", {monitor}
        xor     ecx, ecx
        mov     eax, DATA + 0x140
        t       "monitor-fs", {fs monitor}
        mov     eax, 0x1234
        t       "monitor-a16", {a16 monitor}
        mov     ecx, 1
        xor     eax, eax
        t       "mwait-ecx1", {mwait}
        call    newline
        jmp     pass

gp_handler:
        add     esp, 4
        mov     dword [LAST_VEC], 13
        jmp     resume
ud_handler:
        mov     dword [LAST_VEC], 6
resume: push    eax
        mov     eax, [RESUME]
        mov     [esp + 4], eax
        pop     eax
        iretd

%include "end.inc"
