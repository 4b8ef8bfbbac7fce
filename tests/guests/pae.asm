; pae.asm -- PAE paging with execute-disable (SDM Vol. 3A 4.4, 4.6, 4.7): a 2 MiB identity page for
; the code, 4 KiB pages at 40000000h through the second PDPTE; accessed/dirty bits, an XD page that
; faults on fetch (I/D in the error code) but not on read, a not-present page, a reserved bit, XD
; without NXE. Each fault prints "name: code CR2". Recorded on QEMU 7.2 with -cpu n270 (PAE, NX).
%include "lib.inc"

PDPT  equ 0x100000
PD0   equ 0x101000
PT    equ 0x102000
PD1   equ 0x103000
LIN   equ 0x40000000
RESUME equ DATA + 0x800
SAVESP equ DATA + 0x804
FAULTS equ DATA + 0x808

; try NAME: run the next instructions; a #PF prints NAME, its error code and CR2, and resumes at NAME_done
%macro try 1
        mov     dword [RESUME], R(%%done)
        mov     [SAVESP], esp
        mov     dword [FAULTS], 0
        jmp     %%body
%%name: db      %1, 0
%%body:
%define TRYNAME %%name
%define TRYDONE %%done
%endmacro
%macro endtry 0
TRYDONE:
        cmp     dword [FAULTS], 0
        jne     %%f
        mov     esi, R(TRYNAME)
        call    puts
        print   ": no fault"
        call    newline
        jmp     %%e
%%f:    mov     esi, R(TRYNAME)
        call    puts
        print   ": #PF "
        mov     eax, [DATA + 0x810]
        test    al, 8                            ; RSVD: P masked (the SDM sets it, 4.7; QEMU 7.2 does not)
        jz      %%c
        and     al, ~1
%%c:
        call    puthex
        print   " "
        mov     eax, [DATA + 0x814]
        call    puthex
        call    newline
%%e:
%endmacro

        bits 32
main32:
        mov     eax, 14
        mov     ebx, R(pf_handler)
        mov     dl, 0x8E
        call    set_gate
        ; clear the tables
        mov     edi, PDPT
        mov     ecx, 0x4000 / 4
        xor     eax, eax
        rep stosd
        mov     dword [PDPT], PD0 | 1
        mov     dword [PDPT + 8], PD1 | 1
        mov     dword [PD0], 0 | 0x83            ; 2 MiB page at 0, present, writable
        mov     dword [PD1], PT | 3
        mov     dword [PT], 0x20000 | 3          ; LIN+0000 -> 20000h
        mov     dword [PT + 8], 0x21000 | 3      ; LIN+1000 -> 21000h, XD
        mov     dword [PT + 12], 0x80000000
        ; PT + 16: LIN+2000 not present
        mov     dword [PT + 24], 0x22000 | 3     ; LIN+3000 with a reserved bit (62)
        mov     dword [PT + 28], 0x40000000
        mov     byte [0x21000], 0xC3             ; ret
        mov     eax, PDPT
        mov     cr3, eax
        mov     eax, cr4
        or      eax, 0x20                        ; PAE
        mov     cr4, eax
        mov     ecx, 0xC0000080
        rdmsr
        or      eax, 0x800                       ; NXE
        wrmsr
        mov     eax, cr0
        or      eax, 0x80000000
        mov     cr0, eax
        jmp     .paged
.paged:
        try     "write through the 4 KiB page"
        mov     dword [LIN + 0x10], 0x12345678
        endtry
        mov     eax, [0x20010]
        print   "phys 20010 "
        call    puthex
        call    newline
        mov     eax, [PT]
        print   "pte0 "
        call    puthex
        call    newline
        mov     eax, [PD1]
        print   "pde "
        call    puthex
        call    newline
        try     "read the XD page"
        mov     eax, [LIN + 0x1000]
        endtry
        try     "fetch from the XD page"
        mov     eax, LIN + 0x1000
        call    eax
        endtry
        try     "read a not-present page"
        mov     eax, [LIN + 0x2000]
        endtry
        try     "write a not-present page"
        mov     dword [LIN + 0x2004], 1
        endtry
        try     "read through a reserved bit"
        mov     eax, [LIN + 0x3000]
        endtry
        ; XD without NXE is a reserved bit
        mov     ecx, 0xC0000080
        rdmsr
        and     eax, ~0x800
        wrmsr
        invlpg  [LIN + 0x1000]                  ; an EFER write need not flush the TLB
        try     "read the XD page without NXE"
        mov     eax, [LIN + 0x1000]
        endtry
        mov     dword [PT + 12], 0
        invlpg  [LIN + 0x1000]
        try     "fetch after clearing XD"
        mov     eax, LIN + 0x1000
        call    eax
        endtry
        jmp     pass

pf_handler:
        pop     eax
        mov     [DATA + 0x810], eax
        mov     eax, cr2
        mov     [DATA + 0x814], eax
        mov     dword [FAULTS], 1
        mov     eax, [RESUME]
        mov     esp, [SAVESP]
        jmp     eax

%include "end.inc"
