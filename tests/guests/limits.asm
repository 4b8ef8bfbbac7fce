; limits.asm -- protected-mode segment checks (SDM Vol. 3A 5.3 limit checking, 5.4 type checking):
; a byte-granular limit (#GP(0) for a dword that crosses it), a read-only data segment, an
; execute-only code segment (not loadable into DS; CS not writable), an expand-down segment (only
; offsets above the limit), a stack access beyond the SS limit (#SS(0)), a null selector used for
; an access (#GP(0)). QEMU TCG does not check data segment limits, so this guest's expected result
; is its own PASS, not a QEMU recording.
%macro gdt_extra 0
        dq 0x00409202_0000_0FFF ; 0x40 data RW, base 0x20000, limit 0xFFF, byte granular
        dq 0x00409002_0000_0FFF ; 0x48 data read-only, base 0x20000, limit 0xFFF
        dq 0x00CF98000000FFFF   ; 0x50 code execute-only, flat
        dq 0x00409600_0000_0FFF ; 0x58 data RW expand-down, limit 0xFFF, B=1: offsets 0x1000..0xFFFFFFFF
        dq 0x00409200_0000_1FFF ; 0x60 data RW, base 0, limit 0x1FFF, B=1 (a small stack)
        dq 0x00009600_0000_0FFF ; 0x68 data RW expand-down, limit 0xFFF, B=0: offsets 0x1000..0xFFFF
        dq 0x00409600_0000_7FFF ; 0x70 data RW expand-down, limit 0x7FFF, B=1: a stack at 0x8000 and up
        dq 0x00CF960F_0000_FFFE ; 0x78 data RW expand-down, G=1, limit 0xFFFFE (0xFFFFEFFF), base 0: offsets 0xFFFFF000 and up
%endmacro
%include "lib.inc"

REC_VEC equ DATA + 0x800
REC_ERR equ DATA + 0x804
RECOVER equ DATA + 0x808

; run one instruction that must fault with vector %1 and error code %2
%macro must_fault 4                     ; vector, error code, instruction, message
        mov     dword [REC_VEC], -1
        mov     dword [RECOVER], R(%%after)
        %3
%%after:
        cmp     dword [REC_VEC], %1
        expect  e, %4
        cmp     dword [REC_ERR], %2
        expect  e, %4
%endmacro

        bits 32
main32:
        mov     eax, 12
        mov     ebx, R(ss_handler)
        mov     dl, 0x8E
        call    set_gate
        mov     eax, 13
        mov     ebx, R(gp_handler)
        call    set_gate
        print   "limits: "
        mov     ax, 0x40
        mov     es, ax
        mov     eax, [es:0xFFC]         ; last whole dword: fine
        must_fault 13, 0, {mov eax, [es:0xFFD]}, "a dword crossing the limit"
        must_fault 13, 0, {mov byte [es:0x1000], 1}, "a byte beyond the limit"
        print   "limit "
        mov     ax, 0x48
        mov     es, ax
        mov     eax, [es:0x10]
        must_fault 13, 0, {mov [es:0x10], eax}, "a write to a read-only segment"
        print   "read-only "
        mov     ax, 0x50
        must_fault 13, 0x50, {mov ds, ax}, "loading an execute-only segment into DS"
        must_fault 13, 0, {mov [cs:DATA], eax}, "a write through CS"
        print   "code "
        mov     ax, 0x58
        mov     es, ax
        mov     eax, [es:0x1000]        ; just above the limit: fine in an expand-down segment
        must_fault 13, 0, {mov eax, [es:0xFFE]}, "an expand-down access below the limit"
        mov     ax, 0x68
        mov     es, ax
        mov     eax, [es:0xFFFC]        ; the last dword below the 64 KiB upper bound of a B=0 segment
        mov     eax, [es:0x1000]
        must_fault 13, 0, {mov eax, [es:0xFFFD]}, "an expand-down (B=0) dword crossing offset 0xFFFF"
        must_fault 13, 0, {mov al, [es:0x10000]}, "an expand-down (B=0) byte above offset 0xFFFF"
        must_fault 13, 0, {mov al, [es:0xFFF]}, "an expand-down (B=0) byte at the limit"
        mov     ax, 0x78
        mov     es, ax
        mov     eax, [es:0xFFFFF000]    ; granular: the limit is 0xFFFFEFFF, so this is just above it
        must_fault 13, 0, {mov eax, [es:0xFFFFEFFC]}, "an expand-down (G=1) access at the scaled limit"
        print   "expand-down "
        mov     ax, 0x70
        mov     ss, ax
        mov     esp, 0x9000
        mov     ebp, 0x8000
        mov     eax, [ebp]              ; the lowest valid offset of the stack
        must_fault 12, 0, {mov eax, [ebp - 4]}, "an access below the limit of an expand-down stack"
        mov     ax, SEL_DATA32
        mov     ss, ax
        mov     esp, STACK_TOP
        print   "expand-down-stack "
        mov     ax, 0x60
        mov     ss, ax
        mov     esp, 0x1000
        push    eax
        pop     eax
        must_fault 12, 0, {mov eax, [esp + 0x1000]}, "a stack access beyond the SS limit"
        mov     ax, SEL_DATA32
        mov     ss, ax
        mov     esp, STACK_TOP
        print   "stack "
        xor     ax, ax
        mov     es, ax                  ; loading a null selector is fine
        must_fault 13, 0, {mov eax, [es:0]}, "an access through a null selector"
        print   "null "
        jmp     pass

gp_handler:
        push    eax
        mov     dword [REC_VEC], 13
        jmp     record
ss_handler:
        push    eax
        mov     dword [REC_VEC], 12
record: mov     eax, [esp + 4]
        mov     [REC_ERR], eax
        mov     eax, [RECOVER]
        mov     [esp + 8], eax
        mov     ax, SEL_DATA32
        mov     ds, ax
        pop     eax
        add     esp, 4
        iret

%include "end.inc"
