; ring3.asm -- privilege changes: IRET to ring 3; INT from ring 3 through a DPL-3 interrupt gate
; switches to the ring-0 stack from the TSS (checked from the pushed frame); IRET back; privileged
; instructions in ring 3 raise #GP(0); the TSS I/O bitmap lets ring 3 use the debug port only; user/supervisor paging raises #PF with U=1; a far CALL
; through a call gate copies a parameter to the inner stack and RETF 4 returns to ring 3.
%macro gdt_extra 0
        ; 0x40: 32-bit call gate, DPL 3, one dword parameter, to SEL_CODE32:gate_target
        dw (gate_target - $$ + ROMBASE) & 0xFFFF, SEL_CODE32
        db 1, 0xEC
        dw (gate_target - $$ + ROMBASE) >> 16
%endmacro
%include "lib.inc"

SEL_GATE equ 0x40 | 3
USTACK  equ 0x80000
PD      equ 0x100000
PT0     equ 0x101000
SUPER_PAGE equ 0x300000         ; present, supervisor only
RO_PAGE equ 0x301000            ; present, user, read-only
RECOVER equ DATA + 0x400
GP_ERR  equ DATA + 0x404
GP_CS   equ DATA + 0x408
GP_CNT  equ DATA + 0x40C
PF_ERR  equ DATA + 0x410
PF_CR2  equ DATA + 0x414
SYS_OK  equ DATA + 0x418

        bits 32
main32:
        print   "ring 3: "
        ; TSS: ring-0 stack; I/O bitmap denying every port but the debug console
        mov     edi, TSS_BASE
        xor     eax, eax
        mov     ecx, 0x68 / 4
        rep stosd
        mov     dword [TSS_BASE + 4], KSTACK
        mov     dword [TSS_BASE + 8], SEL_DATA32
        mov     word [TSS_BASE + 0x66], 0x68
        mov     edi, TSS_BASE + 0x68
        mov     al, 0xFF
        mov     ecx, 8192 + 1
        rep stosb
        and     byte [TSS_BASE + 0x68 + (DEBUGCON >> 3)], ~(1 << (DEBUGCON & 7))
        mov     ax, SEL_TSS
        ltr     ax
        ; paging: identity 0-4 MiB, user pages, one supervisor page, one read-only user page
        mov     edi, PT0
        mov     eax, 0x007             ; P | RW | US
        mov     ecx, 1024
.pt:    stosd
        add     eax, 0x1000
        loop    .pt
        and     dword [PT0 + (SUPER_PAGE >> 12) * 4], ~4
        and     dword [PT0 + (RO_PAGE >> 12) * 4], ~2
        mov     edi, PD
        xor     eax, eax
        mov     ecx, 1024
        rep stosd
        mov     dword [PD], PT0 | 7
        mov     eax, PD
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80010000
        mov     cr0, eax
        ; gates: INT 47 from ring 3 (interrupt gate, DPL 3), #GP and #PF handlers
        mov     eax, 47
        mov     ebx, R(syscall)
        mov     dl, 0xEE
        call    set_gate
        mov     eax, 13
        mov     ebx, R(gp_handler)
        mov     dl, 0x8E
        call    set_gate
        mov     eax, 14
        mov     ebx, R(pf_handler)
        call    set_gate
        mov     dword [GP_CNT], 0
        mov     dword [SYS_OK], 0
        ; to ring 3: SS, ESP, EFLAGS (IOPL 0, IF 0), CS, EIP
        push    dword SEL_DATA3
        push    dword USTACK
        push    dword 0x002
        push    dword SEL_CODE3
        push    dword R(user)
        iret

; ---------------- ring 3 ----------------
user:
        mov     ax, cs
        and     ax, 3
        cmp     ax, 3
        jne     .bad_nods
        mov     ax, ds                  ; DS held a DPL-0 selector: IRET to ring 3 made it null
        test    ax, ax
        jnz     .bad_nods
        mov     ax, SEL_DATA3
        mov     ds, ax
        mov     es, ax
        print   "CPL3 "
        ; system call through the DPL-3 interrupt gate
        mov     ebx, esp
        mov     eax, 0x1234
        int     47
        cmp     eax, 0x5678
        expect  e, "system call result"
        cmp     esp, ebx
        expect  e, "ESP not restored after IRET to ring 3"
        mov     ax, cs
        cmp     ax, SEL_CODE3
        expect  e, "CS after IRET to ring 3"
        cmp     dword [SYS_OK], 1
        expect  e, "the ring-0 handler's checks"
        print   "INT/IRET "
        ; privileged instructions: #GP(0), handled in ring 0, resumed in ring 3
%macro priv 1
        mov     dword [RECOVER], R(%%r)
        %1
%%r:
%endmacro
        priv    cli
        priv    hlt
        priv    {mov eax, cr0}
        priv    {out 0x80, al}
        cmp     dword [GP_CNT], 4
        expect  e, "expected four #GP from privileged instructions"
        cmp     dword [GP_ERR], 0
        expect  e, "#GP error code"
        cmp     dword [GP_CS], SEL_CODE3
        expect  e, "#GP frame CS"
        print   "#GP "
        ; paging: a supervisor page read from ring 3 → #PF(P|U = 5); a read-only write → #PF(7)
        mov     dword [RECOVER], R(.r1)
        mov     eax, [SUPER_PAGE]
.r1:    cmp     dword [PF_ERR], 5
        expect  e, "#PF error code for a user read of a supervisor page (want 5)"
        cmp     dword [PF_CR2], SUPER_PAGE
        expect  e, "CR2"
        mov     eax, [RO_PAGE]          ; reading is fine
        mov     dword [RECOVER], R(.r2)
        mov     dword [RO_PAGE], 1
.r2:    cmp     dword [PF_ERR], 7
        expect  e, "#PF error code for a user write to a read-only page (want 7)"
        print   "U/S "
        ; call gate: one parameter copied to the ring-0 stack; RETF 4 back
        mov     ebx, esp
        push    dword 0xCAFE
        call    SEL_GATE:0
        cmp     esp, ebx
        expect  e, "ESP after RETF 4 to ring 3"
        cmp     eax, 0xCAFE
        expect  e, "parameter seen by the gate target"
        mov     ax, cs
        cmp     ax, SEL_CODE3
        expect  e, "CS after RETF to ring 3"
        print   "call gate "
        mov     eax, 0                  ; done: ask ring 0 to finish
        int     47
.bad_nods:
        mov     dx, DEBUGCON
        mov     al, '?'
        out     dx, al                  ; (#GP: handled as a failure below)
        jmp     $

; ---------------- ring 0 ----------------
syscall:                                ; frame: EIP, CS, EFLAGS, ESP, SS (ring 3)
        mov     ecx, SEL_DATA32
        mov     ds, cx
        test    eax, eax
        jz      .finish
        cmp     esp, KSTACK - 20
        jne     .bad
        cmp     dword [esp + 4], SEL_CODE3
        jne     .bad
        cmp     dword [esp + 12], ebx   ; the ring-3 ESP
        jne     .bad
        cmp     dword [esp + 16], SEL_DATA3
        jne     .bad
        mov     cx, cs
        cmp     cx, SEL_CODE32
        jne     .bad
        mov     cx, ss
        cmp     cx, SEL_DATA32
        jne     .bad
        mov     dword [SYS_OK], 1
.bad:   mov     eax, 0x5678
        mov     ecx, SEL_DATA3
        mov     ds, cx
        iret
.finish:
        mov     ax, SEL_DATA32
        mov     es, ax
        mov     ss, ax
        mov     esp, STACK_TOP
        jmp     pass

gp_handler:                             ; frame: error, EIP, CS, EFLAGS, ESP, SS
        push    eax
        mov     ax, SEL_DATA32
        mov     ds, ax
        cmp     dword [esp + 12], SEL_CODE3
        jne     .fatal
        inc     dword [GP_CNT]
        mov     eax, [esp + 4]
        mov     [GP_ERR], eax
        mov     eax, [esp + 12]
        mov     [GP_CS], eax
        mov     eax, [RECOVER]
        mov     [esp + 8], eax
        mov     ax, SEL_DATA3
        mov     ds, ax
        pop     eax
        add     esp, 4
        iret
.fatal: print   "#GP in ring 0, error "
        mov     eax, [esp + 4]
        call    puthex
        print   " at "
        mov     eax, [esp + 8]
        call    puthex
        jmp     fail

pf_handler:
        push    eax
        mov     ax, SEL_DATA32
        mov     ds, ax
        mov     eax, [esp + 4]
        mov     [PF_ERR], eax
        mov     eax, cr2
        mov     [PF_CR2], eax
        mov     eax, [RECOVER]
        mov     [esp + 8], eax
        mov     ax, SEL_DATA3
        mov     ds, ax
        pop     eax
        add     esp, 4
        iret

gate_target:                            ; ring 0 via the call gate: EIP, CS, param, ESP, SS
        cmp     esp, KSTACK - 20
        jne     .bad
        mov     eax, [esp + 8]
        cmp     dword [esp + 4], SEL_CODE3
        jne     .bad
        retf    4
.bad:   xor     eax, eax
        retf    4

%include "end.inc"
