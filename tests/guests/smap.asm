; smap.asm -- CR4.SMEP, CR4.SMAP with STAC/CLAC and EFLAGS.AC, CR4.UMIP (SDM Vol. 3A 2.5, 4.6, 4.7)
; against QEMU 7.2 TCG: which CR4 bits a MOV accepts (#GP where CPUID.7 lacks the feature);
; supervisor reads, writes and REP MOVSB on a user page with AC = 0 / 1 (#PF error code and CR2);
; a supervisor jump to a user page under SMEP (#PF with I/D), also after the page was read (the TLB
; must not make it executable); SGDT/SIDT/SLDT/STR/SMSW at CPL 0 and CPL 3 under UMIP; STAC/CLAC
; at CPL 3 (#UD); and the same accesses allowed again once CR4 is cleared. On -cpu qemu32 the CR4
; writes are #GP, STAC/CLAC #UD and every access allowed.
; Recorded as bitcount.asm says, with -cpu qemu32 (smap.qemu.txt) and -cpu max (smap-max.qemu.txt).
%include "lib.inc"

PD        equ 0x100000
PT0       equ 0x101000
UPAGE     equ 0x300000          ; user data page
UCODE     equ 0x301000          ; user code page (the ring-3 part is copied here)
USTACK    equ 0x303000          ; top of the user stack page 0x302000
UJMP      equ UCODE + 0x800     ; "jmp ebx" on the user code page
U_RESUME  equ UPAGE + 0x10
U_VEC     equ UPAGE + 0x14
U_BUF     equ UPAGE + 0x20
U_RES     equ UPAGE + 0x40
RESUME    equ DATA
LAST_VEC  equ DATA + 4
LAST_ERR  equ DATA + 8
LAST_CR2  equ DATA + 12
SAVED_ESP equ DATA + 16

; try INSN: run INSN at CPL 0; LAST_VEC/ERR/CR2 say what it raised (0: nothing); resumes after it
%macro try 1
        mov     dword [RESUME], R(%%after)
        mov     dword [LAST_VEC], 0
        %1
%%after:
%endmacro
; t NAME, INSN: try and print " NAME" and the outcome
%macro t 2
        try     {%2}
        print   {" ", %1}
        call    report
%endmacro
; acset / acclr: EFLAGS.AC by POPFD (on every model)
%macro acset 0
        pushfd
        or      dword [esp], 0x40000
        popfd
%endmacro
%macro acclr 0
        pushfd
        and     dword [esp], ~0x40000
        popfd
%endmacro

        bits 32
main32:
        mov     eax, 13
        mov     ebx, R(gp_handler)
        mov     dl, 0x8E
        call    set_gate
        mov     eax, 14
        mov     ebx, R(pf_handler)
        call    set_gate
        mov     eax, 6
        mov     ebx, R(ud_handler)
        call    set_gate
        mov     eax, 47
        mov     ebx, R(back)
        mov     dl, 0xEE
        call    set_gate
        ; TSS: the ring-0 stack
        mov     dword [TSS_BASE + 4], KSTACK
        mov     dword [TSS_BASE + 8], SEL_DATA32
        mov     word [TSS_BASE + 0x66], 0x68
        mov     ax, SEL_TSS
        ltr     ax
        ; CPUID.7: smep, smap (EBX 7, 20), umip (ECX 2)
        xor     eax, eax
        cpuid
        xor     ebx, ebx
        xor     ecx, ecx
        cmp     eax, 7
        jb      .nol7
        mov     eax, 7
        xor     ecx, ecx
        cpuid
.nol7:  mov     [DATA + 0x20], ebx
        mov     [DATA + 0x24], ecx
        print   "cpuid7 "
        mov     eax, ebx
        and     eax, (1 << 7) | (1 << 20)
        call    puthex
        print   " "
        mov     eax, ecx
        and     eax, 1 << 2
        call    puthex
        call    newline
        ; pages: 0-4 MiB identity, supervisor; UPAGE, UCODE and the user stack page user
        mov     edi, PT0
        mov     eax, 0x003
        mov     ecx, 1024
.pt:    stosd
        add     eax, 0x1000
        loop    .pt
        or      dword [PT0 + (UPAGE >> 12) * 4], 4
        or      dword [PT0 + (UCODE >> 12) * 4], 4
        or      dword [PT0 + ((USTACK - 0x1000) >> 12) * 4], 4
        mov     edi, PD
        xor     eax, eax
        mov     ecx, 1024
        rep stosd
        mov     dword [PD], PT0 | 7
        ; the ring-3 code and the jmp ebx stub on the user code page
        mov     esi, R(ustart)
        mov     edi, UCODE
        mov     ecx, uend - ustart
        rep movsb
        mov     word [UJMP], 0xE3FF
        mov     dword [UPAGE], 0x11223344
        mov     eax, PD
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80010000
        mov     cr0, eax
        jmp     .on
.on:
        ; CR4: each bit, kept where accepted
        ; (only the bits CPUID offers: QEMU 7.2 TCG runs a MOV CR4 that sets an unsupported SMEP bit
        ; again and again, never completing it nor raising #GP)
        print   "cr4"
        test    dword [DATA + 0x20], 1 << 7
        jz      .nosmep
        mov     eax, cr4
        or      eax, 1 << 20
        t       "smep", {mov cr4, eax}
.nosmep:
        test    dword [DATA + 0x20], 1 << 20
        jz      .nosmap
        mov     eax, cr4
        or      eax, 1 << 21
        t       "smap", {mov cr4, eax}
.nosmap:
        test    dword [DATA + 0x24], 1 << 2
        jz      .noumip
        mov     eax, cr4
        or      eax, 1 << 11
        t       "umip", {mov cr4, eax}
.noumip:
        print   " ="
        mov     eax, cr4
        call    puthex
        call    newline
        ; SMAP: supervisor data accesses to the user page
        print   "smap"
        acclr
        t       "rd", {mov eax, [UPAGE]}
        t       "wr", {mov dword [UPAGE + 4], 0x55}
        acset
        t       "rd-ac", {mov eax, [UPAGE]}
        t       "wr-ac", {mov dword [UPAGE + 4], 0x66}
        acclr
        t       "rd-again", {mov eax, [UPAGE]}
        t       "wr-again", {mov dword [UPAGE + 4], 0x77}
        mov     esi, UPAGE
        mov     edi, DATA + 0x100
        mov     ecx, 8
        cld
        t       "movsb", {rep movsb}
        print   " ecx="
        mov     eax, ecx
        call    puthex
        call    newline
        print   "stac/clac"
        acclr
        t       "stac", {stac}
        t       "rd", {mov eax, [UPAGE]}
        t       "clac", {clac}
        t       "rd", {mov eax, [UPAGE]}
        call    newline
        ; SMEP: a supervisor jump to the user code page, after reading it with AC = 1
        print   "smep"
        call    jmpuser
        acset
        t       "rd", {mov eax, [UJMP]}
        call    jmpuser
        acclr
        call    newline
        ; UMIP at CPL 0: allowed
        print   "umip cpl0"
        t       "sgdt", {sgdt [DATA + 0x200]}
        t       "sidt", {sidt [DATA + 0x200]}
        t       "sldt", {sldt eax}
        t       "str", {str eax}
        t       "smsw", {smsw eax}
        call    newline
        ; ring 3 (IOPL 0, IF 0); comes back through INT 47
        mov     [SAVED_ESP], esp
        push    dword SEL_DATA3
        push    dword USTACK
        push    dword 0x002
        push    dword SEL_CODE3
        push    dword UCODE
        iretd
after3: print   "cpl3"
        acset
        mov     esi, U_RES
        mov     edi, R(unames)
        mov     ecx, 7
.r3:    print   " "
        push    esi
        mov     esi, edi
        call    puts
        pop     esi
        add     edi, 6
        mov     eax, [esi]
        mov     [LAST_VEC], eax
        mov     dword [LAST_ERR], 0
        mov     dword [LAST_CR2], 0
        call    report
        add     esi, 4
        loop    .r3
        acclr
        call    newline
        ; CR4 cleared: every access allowed again
        print   "cr4=0"
        mov     eax, cr4
        and     eax, ~((1 << 20) | (1 << 21) | (1 << 11))
        mov     cr4, eax
        t       "rd", {mov eax, [UPAGE]}
        t       "wr", {mov dword [UPAGE + 4], 0x88}
        call    jmpuser
        call    newline
        jmp     pass

; jmpuser: " jmp" and the outcome of a CPL-0 jump to the user page's "jmp ebx" (which comes back)
jmpuser:
        mov     ebx, R(.ret)
        mov     eax, UJMP
        try     {jmp eax}
.ret:   print   " jmp"
        call    report
        ret

; report: " ok" or " #VEC err ERR cr2 CR2"
report: cmp     dword [LAST_VEC], 0
        jne     .f
        print   " ok"
        ret
.f:     print   " #"
        mov     eax, [LAST_VEC]
        call    puthex
        cmp     dword [LAST_VEC], 6
        je      .e
        print   " err "
        mov     eax, [LAST_ERR]
        call    puthex
        cmp     dword [LAST_VEC], 14
        jne     .e
        print   " cr2 "
        mov     eax, [LAST_CR2]
        call    puthex
.e:     ret

gp_handler:
        pop     dword [LAST_ERR]
        mov     dword [LAST_VEC], 13
        jmp     resume
pf_handler:
        pop     dword [LAST_ERR]
        mov     dword [LAST_VEC], 14
        push    eax
        mov     eax, cr2
        mov     [LAST_CR2], eax
        pop     eax
        jmp     resume
ud_handler:
        mov     dword [LAST_VEC], 6
; [esp] = EIP, [esp + 4] = CS: back to RESUME (CPL 0) or to U_RESUME with the vector in U_VEC (CPL 3)
resume: test    byte [esp + 4], 3
        jnz     .user
        push    eax
        mov     eax, [RESUME]
        mov     [esp + 4], eax
        pop     eax
        iretd
.user:  push    eax
        acset                           ; the user page under SMAP (IRET restores the guest's AC)
        mov     eax, [LAST_VEC]
        mov     [U_VEC], eax
        mov     eax, [U_RESUME]
        mov     [esp + 4], eax
        pop     eax
        iretd

; INT 47 from ring 3: back to CPL 0's stack and after3
back:   mov     ax, SEL_DATA32
        mov     ds, ax
        mov     es, ax
        mov     esp, [SAVED_ESP]
        jmp     after3

unames: db "sgdt", 0, 0, "sidt", 0, 0, "sldt", 0, 0, "str", 0, 0, 0, "smsw", 0, 0, "stac", 0, 0, "clac", 0, 0

; ---- ring 3, run at UCODE ----
%define U(x) (UCODE + (x) - ustart)
%macro utry 2
        mov     dword [U_RESUME], U(%%after)
        mov     dword [U_VEC], 0
        %2
%%after:
        mov     eax, [U_VEC]
        mov     [U_RES + 4 * %1], eax
%endmacro
ustart:
        mov     ax, SEL_DATA3
        mov     ds, ax
        mov     es, ax
        utry    0, {sgdt [U_BUF]}
        utry    1, {sidt [U_BUF]}
        utry    2, {sldt eax}
        utry    3, {str eax}
        utry    4, {smsw eax}
        utry    5, {stac}
        utry    6, {clac}
        int     47
uend:

%include "end.inc"
