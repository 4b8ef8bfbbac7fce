; rdrand.asm -- RDRAND (0F C7 /6, CPUID.1:ECX.RDRAND) against QEMU 7.2 TCG: what a guest can rely on,
; not the values (QEMU's come from the host): CF = 1 and OF/SF/ZF/AF/PF = 0 after it (EFLAGS all-ones
; OSZAPC before), that 16 successive 32-bit values are not all equal, that the 16-bit form keeps the
; upper half of the register; #UD for the memory form (VMPTRLD without VMX), with an F3 or F2 prefix,
; and for every form on a model without rdrand. Recorded as bitcount.asm says, with -cpu qemu32
; (tests/guests/rdrand.qemu.txt) and -cpu max (tests/guests/rdrand-max.qemu.txt).
%include "lib.inc"

RESUME  equ DATA
UDFLAG  equ DATA + 4
FLG     equ DATA + 8
MEMV    equ DATA + 12

%macro try 1
        mov     dword [RESUME], R(%%after)
        mov     dword [UDFLAG], 0
        push    dword 0x8D7
        popfd
        %1
%%after:
        pushfd
        pop     dword [FLG]
%endmacro

; flags NAME: " NAME UD" or " NAME flags=XXXXXXXX" (OSZAPC)
%macro flags 1
        cmp     dword [UDFLAG], 0
        je      %%ok
        print   {" ", %1, " UD"}
        jmp     %%done
%%ok:   print   {" ", %1, " flags="}
        mov     eax, [FLG]
        and     eax, 0x8D5
        call    puthex
%%done:
%endmacro

        bits 32
main32:
        mov     eax, 6
        mov     ebx, R(ud_handler)
        mov     dl, 0x8E
        call    set_gate
        mov     ebx, 0xDEADBEEF
        try     {rdrand ebx}
        flags   "r32"
        mov     ebx, 0xDEADBEEF
        try     {rdrand bx}
        flags   "r16"
        cmp     dword [UDFLAG], 0
        jne     .no16
        shr     ebx, 16
        cmp     ebx, 0xDEAD
        expect  e, "rdrand bx changed the upper half"
        print   " upper kept"
.no16:  try     {rdrand eax}
        flags   "eax"
        try     {db 0x0F, 0xC7, 0x35, MEMV & 0xFF, (MEMV >> 8) & 0xFF, (MEMV >> 16) & 0xFF, MEMV >> 24}
        flags   "mem"
        try     {db 0xF3, 0x0F, 0xC7, 0xF3}
        flags   "f3"
        try     {db 0xF2, 0x0F, 0xC7, 0xF3}
        flags   "f2"
        try     {db 0xF0, 0x0F, 0xC7, 0xF3}
        flags   "lock"
        call    newline
        ; 16 values: not all the same (only where RDRAND runs)
        try     {rdrand esi}
        cmp     dword [UDFLAG], 0
        jne     .done
        mov     ecx, 15
        xor     edi, edi
.l:     rdrand  eax
        cmp     eax, esi
        je      .same
        inc     edi
.same:  loop    .l
        test    edi, edi
        expect  nz, "16 RDRAND values all equal"
        print   "values vary"
        call    newline
.done:  jmp     pass

ud_handler:
        mov     dword [UDFLAG], 1
        push    eax
        mov     eax, [RESUME]
        mov     [esp + 4], eax
        pop     eax
        iretd

%include "end.inc"
