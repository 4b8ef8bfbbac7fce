; smc.asm -- self-modifying code: in real mode and in protected mode, code in RAM that is run,
; changed and run again; an instruction that changes the very next instruction (in the same
; block); a REP STOSB that overwrites code ahead; code written through a second (aliased) linear
; address with paging.
%define HAS_REAL_MAIN
%include "lib.inc"

CODE    equ 0x30000             ; code copied to RAM
PD      equ 0x100000
PT0     equ 0x101000

        bits 16
real_main:
        ; copy "mov ax, imm16; retf" to 3000:0000 and run it twice, patching the immediate between
        mov     ax, CODE >> 4
        mov     es, ax
        mov     byte [es:0], 0xB8       ; mov ax, 0x1111
        mov     word [es:1], 0x1111
        mov     byte [es:3], 0xCB       ; retf
        call    (CODE >> 4):0
        cmp     ax, 0x1111
        jne     .bad
        mov     word [es:1], 0x2222
        call    (CODE >> 4):0
        cmp     ax, 0x2222
        jne     .bad
        ret
.bad:   mov     al, 1
        out     EXITPORT, al
        hlt

        bits 32
main32:
        print   "real-mode SMC ok; "
        ; 1. run, patch, run again
        mov     esi, R(routine)
        mov     edi, CODE
        mov     ecx, routine_end - routine
        rep movsb
        mov     ecx, CODE
        call    ecx
        cmp     eax, 1
        expect  e, "first run"
        mov     dword [CODE + routine_imm - routine], 7
        mov     ecx, CODE
        call    ecx
        cmp     eax, 7
        expect  e, "patched immediate not seen"
        print   "patch "

        ; 2. an instruction that rewrites the next one (no branch between them)
        mov     esi, R(inblock)
        mov     edi, CODE + 0x100
        mov     ecx, inblock_end - inblock
        rep movsb
        mov     eax, 5
        mov     ecx, CODE + 0x100
        call    ecx
        cmp     eax, 0x42
        expect  e, "the next instruction ran with its old bytes"
        print   "same-block "

        ; 3. a loop that runs a routine, rewriting it between runs, many times (blocks re-decoded)
        mov     esi, R(routine)
        mov     edi, CODE + 0x200
        mov     ecx, routine_end - routine
        rep movsb
        xor     ebx, ebx
        mov     edx, 1
.loop:  mov     [CODE + 0x200 + routine_imm - routine], edx
        mov     ecx, CODE + 0x200
        call    ecx
        add     ebx, eax
        inc     edx
        cmp     edx, 1000
        jbe     .loop
        cmp     ebx, 500500
        expect  e, "sum over 1000 rewritten runs"
        print   "loop "

        ; 4. REP STOSB overwrites code ahead of itself with NOPs
        mov     esi, R(stosfill)
        mov     edi, CODE + 0x300
        mov     ecx, stosfill_end - stosfill
        rep movsb
        mov     ecx, CODE + 0x300
        call    ecx
        cmp     eax, 0x99
        expect  e, "code overwritten by REP STOSB still ran"
        print   "rep-stos "

        ; 5. with paging: write the code through an alias at 0x400000 + CODE, run it at CODE
        mov     edi, PT0
        mov     eax, 3
        mov     ecx, 1024
.pt:    stosd
        add     eax, 0x1000
        loop    .pt
        mov     edi, PD
        xor     eax, eax
        mov     ecx, 1024
        rep stosd
        mov     dword [PD], PT0 | 3
        mov     dword [PD + 4], PT0 | 3 ; 4-8 MiB maps onto 0-4 MiB too
        mov     eax, PD
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80000000
        mov     cr0, eax
        mov     ecx, CODE
        call    ecx
        cmp     eax, 7
        expect  e, "code before the aliased write"
        mov     dword [0x400000 + CODE + routine_imm - routine], 9
        mov     ecx, CODE
        call    ecx
        cmp     eax, 9
        expect  e, "a write through an alias was not seen"
        print   "alias "
        jmp     pass

routine:
        db      0xB8                    ; mov eax, imm32
routine_imm:
        dd      1
        ret
routine_end:

inblock:
        mov     byte [CODE + 0x100 + (.target - inblock) + 1], 0x42
.target:
        mov     al, 0x00                ; becomes mov al, 0x42
        ret
inblock_end:

stosfill:
        mov     edx, 0x99
        mov     edi, CODE + 0x300 + (.doomed - stosfill)
        mov     ecx, .end - .doomed
        mov     al, 0x90
        rep stosb
.doomed:
        mov     edx, 0x11               ; overwritten with NOPs before it runs
        mov     edx, 0x22
.end:   mov     eax, edx
        ret
stosfill_end:

%include "end.inc"
