; cacheline.asm -- CLFLUSHOPT (66 0F AE /7, CPUID.7:EBX[23]) and CLWB (66 0F AE /6, CPUID.7:EBX[24]) beside
; CLFLUSH against QEMU 7.2 TCG: each on a mapped byte, with 16-bit addressing and a segment override,
; "ok" or "UD"; the data around stays as it was; the CPUID bits. #UD on a model without them (qemu32).
; (QEMU checks no operand of the three, the SDM checks it as a byte load: only mapped operands here;
; CacheLineTest covers the #PF.) Recorded as bitcount.asm says, with -cpu qemu32 (cacheline.qemu.txt)
; and -cpu max (cacheline-max.qemu.txt).
%include "lib.inc"

RESUME  equ DATA
UDFLAG  equ DATA + 4
LINE    equ DATA + 0x40

%macro t 2
        mov     dword [RESUME], R(%%after)
        mov     dword [UDFLAG], 0
        %2
%%after:
        print   {" ", %1}
        cmp     dword [UDFLAG], 0
        je      %%ok
        print   " UD"
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
        xor     eax, eax
        cpuid
        xor     ebx, ebx
        cmp     eax, 7
        jb      .nol7
        mov     eax, 7
        xor     ecx, ecx
        cpuid
.nol7:  print   "cpuid7 "
        mov     eax, ebx
        and     eax, (1 << 23) | (1 << 24)
        call    puthex
        call    newline
        mov     dword [LINE], 0x12345678
        mov     ebx, LINE
        t       "clflush", {clflush [ebx]}
        t       "clflushopt", {clflushopt [ebx]}
        t       "clwb", {clwb [ebx + 1]}
        t       "clflushopt-fs", {clflushopt [fs:LINE + 63]}
        mov     esi, 0x40
        t       "clwb-a16", {a16 clwb [si]}
        t       "clflushopt-a16", {a16 clflushopt [si + 0x10]}
        call    newline
        cmp     dword [LINE], 0x12345678
        expect  e, "the flushed data changed"
        jmp     pass

ud_handler:
        mov     dword [UDFLAG], 1
        push    eax
        mov     eax, [RESUME]
        mov     [esp + 4], eax
        pop     eax
        iretd

%include "end.inc"
