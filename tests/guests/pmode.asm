; pmode.asm -- protected-mode entry and exit: real mode → 32-bit protected mode → 16-bit protected
; mode → real mode → protected mode again, checking CR0.PE, the selectors and that memory written
; in one mode is seen at the same linear address in the others.
%define HAS_REAL_MAIN
%include "lib.inc"

        bits 16
real_main:
        mov     ax, 0x2000              ; real mode: 2000:0000 = linear 0x20000
        mov     es, ax
        mov     dword [es:0], 0x1234ABCD
        mov     ax, cs                  ; still at the reset CS
        cmp     ax, 0xF000
        jne     .bad
        ret
.bad:   mov     dx, DEBUGCON
        mov     al, '!'
        out     dx, al
        mov     al, 1
        out     EXITPORT, al
        hlt

        bits 32
main32:
        print   "protected mode: "
        mov     eax, cr0
        test    al, 1
        expect  nz, "CR0.PE clear"
        mov     ax, cs
        cmp     ax, SEL_CODE32
        expect  e, "CS is not 08"
        cmp     dword [DATA], 0x1234ABCD
        expect  e, "value written in real mode not at 0x20000"
        print   "entered "
        ; down to 16-bit protected mode, then real mode
        jmp     SEL_CODE16:pm16

        bits 16
pm16:   mov     ax, SEL_DATA16
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     eax, cr0
        and     al, 0xFE
        mov     cr0, eax
        jmp     0xF000:real_again
real_again:
        mov     ax, 0x2000
        mov     ds, ax
        mov     ss, ax
        mov     sp, 0x8000
        mov     eax, cr0
        test    al, 1
        jnz     .bad
        mov     dword [4], 0x5A5AC3C3   ; linear 0x20004
        push    word 0x7777
        pop     bx
        cmp     bx, 0x7777
        jne     .bad
        mov     ax, cs
        mov     ds, ax
        o32 lgdt [gdtr]
        mov     eax, cr0
        or      al, 1
        mov     cr0, eax
        jmp     dword SEL_CODE32:R(again32)
.bad:   mov     al, 1
        out     EXITPORT, al
        hlt

        bits 32
again32:
        mov     ax, SEL_DATA32
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     esp, STACK_TOP
        cmp     dword [DATA + 4], 0x5A5AC3C3
        expect  e, "value written in real mode (second time) not at 0x20004"
        print   "left and re-entered: "
        jmp     pass

%include "end.inc"
