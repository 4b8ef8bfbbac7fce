; idt.asm -- interrupts and exceptions: real-mode INT through the IVT, then in protected mode
; through IDT interrupt and trap gates: #DE, #UD, #GP with a selector error code, #NP, #SS, INT n,
; INT3, INTO, BOUND, #SS from a not-present stack segment, an INT beyond the IDT limit, a not-present gate, IF under interrupt and trap
; gates, and a double fault (#NP while delivering #GP).
%define HAS_REAL_MAIN
%macro gdt_extra 0
        dq 0x00CF12000000FFFF   ; 0x40 data, not present
        dq 0x00CF1A000000FFFF   ; 0x48 code, not present
%endmacro
%include "lib.inc"

REC_VEC equ DATA + 0x200
REC_ERR equ DATA + 0x204
REC_EIP equ DATA + 0x208
REC_CS  equ DATA + 0x20C
REC_FL  equ DATA + 0x210
REC_IF  equ DATA + 0x214
RECOVER equ DATA + 0x218
REAL_OK equ DATA + 0x21C

; run code that must raise vector %1 with error code %2 (-1: none), saved EIP = %3 label
%macro trap_expect 2
        cmp     dword [REC_VEC], %1
        expect  e, "wrong vector"
        cmp     dword [REC_ERR], %2
        expect  e, "wrong error code"
%endmacro

        bits 16
real_main:
        xor     ax, ax
        mov     es, ax
        mov     word [es:0x60 * 4], real_isr
        mov     word [es:0x60 * 4 + 2], cs
        mov     ax, DATA >> 4
        mov     es, ax
        mov     dword [es:REAL_OK - DATA], 0
        mov     ax, 0x1111
        pushf
        int     0x60
        popf
        cmp     ax, 0x2222
        jne     .bad
        cmp     dword [es:REAL_OK - DATA], 0x60
        jne     .bad
        ret
.bad:   mov     al, 1
        out     EXITPORT, al
        hlt
real_isr:
        push    bp
        mov     bp, sp
        test    word [bp + 6], 0x200    ; pushed FLAGS: IF was clear when INT ran
        jnz     .x
        pushf
        pop     bx
        test    bx, 0x300               ; IF and TF are clear in the handler
        jnz     .x
        mov     ax, 0x2222
        mov     dword [es:REAL_OK - DATA], 0x60
.x:     pop     bp
        iret

        bits 32
main32:
        print   "real-mode INT ok; "
        ; recording handlers for the vectors used below
%macro hook 2                           ; vector, type byte
        mov     eax, %1
        mov     ebx, R(rec_ %+ %1)
        mov     dl, %2
        call    set_gate
%endmacro
        hook    0, 0x8E
        hook    3, 0x8E
        hook    4, 0x8E
        hook    5, 0x8E
        hook    6, 0x8E
        hook    8, 0x8E
        hook    11, 0x8E
        hook    12, 0x8E
        hook    13, 0x8E
        hook    46, 0x8F                ; trap gate
        hook    47, 0x8E                ; interrupt gate

        ; #DE
        mov     dword [RECOVER], R(.a1)
        xor     ecx, ecx
.f1:    div     ecx
.a1:    trap_expect 0, -1
        cmp     dword [REC_EIP], R(.f1)
        expect  e, "#DE must point at the DIV"
        print   "#DE "

        ; #UD
        mov     dword [RECOVER], R(.a2)
.f2:    ud2
.a2:    trap_expect 6, -1
        cmp     dword [REC_EIP], R(.f2)
        expect  e, "#UD must point at UD2"
        print   "#UD "

        ; #GP(selector): a selector beyond the GDT limit
        mov     dword [RECOVER], R(.a3)
        mov     ax, 0x100
.f3:    mov     ds, ax
.a3:    trap_expect 13, 0x100
        cmp     dword [REC_EIP], R(.f3)
        expect  e, "#GP must point at the MOV"
        cmp     dword [REC_CS], SEL_CODE32
        expect  e, "pushed CS"
        print   "#GP "

        ; #NP(selector): a not-present data segment
        mov     dword [RECOVER], R(.a4)
        mov     ax, 0x40
        mov     es, ax
.a4:    trap_expect 11, 0x40
        mov     ax, SEL_DATA32
        mov     es, ax
        print   "#NP "

        ; #SS(selector): loading SS with a not-present segment
        mov     dword [RECOVER], R(.a5)
        mov     ax, 0x40
.f5:    mov     ss, ax
.a5:    trap_expect 12, 0x40
        cmp     dword [REC_EIP], R(.f5)
        expect  e, "#SS must point at the MOV"
        print   "#SS "

        ; INT n through an interrupt gate clears IF; through a trap gate keeps it
        mov     dword [RECOVER], R(.a6)
        sti
        int     47
.a6:    cli
        trap_expect 47, -1
        cmp     dword [REC_IF], 0
        expect  e, "IF set inside an interrupt gate handler"
        test    dword [REC_FL], 0x200
        expect  nz, "pushed EFLAGS lost IF"
        mov     dword [RECOVER], R(.a7)
        sti
        int     46
.a7:    cli
        trap_expect 46, -1
        cmp     dword [REC_IF], 0x200
        expect  e, "IF cleared inside a trap gate handler"
        print   "INT/IF "

        ; INT3 and INTO are traps: EIP after the instruction
        mov     dword [RECOVER], R(.a8)
        int3
.r8:
.a8:    trap_expect 3, -1
        cmp     dword [REC_EIP], R(.r8)
        expect  e, "INT3 return address"
        mov     dword [RECOVER], R(.a9)
        mov     al, 0x7F
        add     al, 1                   ; OF = 1
        into
.r9:
.a9:    trap_expect 4, -1
        cmp     dword [REC_EIP], R(.r9)
        expect  e, "INTO return address"
        mov     dword [REC_VEC], -1
        xor     eax, eax                ; OF = 0: INTO does nothing
        into
        cmp     dword [REC_VEC], -1
        expect  e, "INTO with OF clear raised #OF"
        print   "INT3/INTO "

        ; BOUND: #BR is a fault
        mov     dword [DATA + 0x300], 10
        mov     dword [DATA + 0x304], 20
        mov     eax, 15
        bound   eax, [DATA + 0x300]     ; in range: nothing
        mov     dword [RECOVER], R(.a10)
        mov     eax, 21
.f10:   bound   eax, [DATA + 0x300]
.a10:   trap_expect 5, -1
        cmp     dword [REC_EIP], R(.f10)
        expect  e, "#BR must point at BOUND"
        print   "#BR "

        ; INT beyond the IDT limit: #GP(vector*8 + 2)
        mov     dword [RECOVER], R(.a11)
        int     0x40
.a11:   trap_expect 13, 0x40 * 8 + 2
        ; a not-present gate: #NP(vector*8 + 2)
        and     byte [IDT_BASE + 45 * 8 + 5], 0x7F
        mov     dword [RECOVER], R(.a12)
        int     45
.a12:   trap_expect 11, 45 * 8 + 2
        print   "gate faults "

        ; double fault: #GP whose gate points at a not-present code segment → #NP during delivery → #DF(0)
        mov     word [IDT_BASE + 13 * 8 + 2], 0x48
        mov     dword [RECOVER], R(.a13)
        mov     ax, 0x100
        mov     ds, ax
.a13:   mov     ax, SEL_DATA32
        mov     ds, ax
        trap_expect 8, 0
        mov     word [IDT_BASE + 13 * 8 + 2], SEL_CODE32
        print   "#DF "
        jmp     pass

; recording handlers: vector, error code (-1 without one), EIP, CS, EFLAGS, IF inside; return to [RECOVER]
%macro recorder 2                       ; vector, has error code
rec_ %+ %1:
%if %2 == 0
        push    dword -1
%endif
        push    eax
        mov     dword [REC_VEC], %1
        mov     eax, [esp + 4]
        mov     [REC_ERR], eax
        mov     eax, [esp + 8]
        mov     [REC_EIP], eax
        mov     eax, [esp + 12]
        mov     [REC_CS], eax
        mov     eax, [esp + 16]
        mov     [REC_FL], eax
        pushfd
        pop     eax
        and     eax, 0x200
        mov     [REC_IF], eax
        mov     eax, [RECOVER]
        mov     [esp + 8], eax
        pop     eax
        add     esp, 4
        iret
%endmacro
        recorder 0, 0
        recorder 3, 0
        recorder 4, 0
        recorder 5, 0
        recorder 6, 0
        recorder 8, 1
        recorder 11, 1
        recorder 12, 1
        recorder 13, 1
        recorder 46, 0
        recorder 47, 0

%include "end.inc"
