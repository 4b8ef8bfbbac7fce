; repfault.asm -- REP string instructions that fault midway and resume: the #PF is taken with EIP at
; the (prefixed) instruction and ECX/ESI/EDI telling how far it got; the handler maps the page and
; returns; the instruction finishes the rest. Forward MOVSB, forward STOSD, backward MOVSB.
%include "lib.inc"

PD      equ 0x100000
PT0     equ 0x101000
SRC     equ 0x300000            ; two present pages of source data
PF_CNT  equ DATA + 0x500
PF_CR2  equ DATA + 0x504
PF_EIP  equ DATA + 0x508
PF_ECX  equ DATA + 0x50C
PF_ESI  equ DATA + 0x510
PF_EDI  equ DATA + 0x514

%macro absent 1                 ; make a page not present
        and     dword [PT0 + ((%1) >> 12) * 4], ~1
%endmacro

        bits 32
main32:
        print   "rep fault: "
        ; source pattern
        mov     edi, SRC
        xor     ecx, ecx
.fill:  mov     al, cl
        xor     al, 0x5A
        stosb
        inc     ecx
        cmp     ecx, 0x2000
        jb      .fill
        ; identity paging, with the destination pages absent
        mov     edi, PT0
        mov     eax, 3
        mov     ecx, 1024
.pt:    stosd
        add     eax, 0x1000
        loop    .pt
        absent  0x303000
        absent  0x305000
        absent  0x306000
        mov     edi, PD
        xor     eax, eax
        mov     ecx, 1024
        rep stosd
        mov     dword [PD], PT0 | 3
        mov     eax, PD
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80000000
        mov     cr0, eax
        mov     eax, 14
        mov     ebx, R(pf_handler)
        mov     dl, 0x8E
        call    set_gate
        mov     dword [PF_CNT], 0

        ; 1. forward MOVSB from SRC to 0x302800: 0x800 bytes fit, then 0x303000 is absent
        cld
        mov     esi, SRC
        mov     edi, 0x302800
        mov     ecx, 0x1000
.m1:    rep movsb
        cmp     dword [PF_CNT], 1
        expect  e, "MOVSB: expected one #PF"
        cmp     dword [PF_EIP], R(.m1)
        expect  e, "MOVSB: #PF must point at the REP prefix"
        cmp     dword [PF_CR2], 0x303000
        expect  e, "MOVSB: CR2"
        cmp     dword [PF_ECX], 0x800
        expect  e, "MOVSB: ECX at the fault"
        cmp     dword [PF_ESI], SRC + 0x800
        expect  e, "MOVSB: ESI at the fault"
        cmp     dword [PF_EDI], 0x303000
        expect  e, "MOVSB: EDI at the fault"
        test    ecx, ecx
        expect  z, "MOVSB: ECX after resuming"
        cmp     edi, 0x303800
        expect  e, "MOVSB: EDI after resuming"
        mov     esi, SRC
        mov     edi, 0x302800
        mov     ecx, 0x1000
        repe cmpsb
        expect  e, "MOVSB: the copy differs from the source"
        print   "MOVSB "

        ; 2. forward STOSD into 0x304F00.., 0x305000 absent: 0x40 dwords, fault, 0xC0 more
        mov     eax, 0x11223344
        mov     edi, 0x304F00
        mov     ecx, 0x100
.m2:    rep stosd
        cmp     dword [PF_CNT], 2
        expect  e, "STOSD: expected a second #PF"
        cmp     dword [PF_EIP], R(.m2)
        expect  e, "STOSD: #PF must point at the REP prefix"
        cmp     dword [PF_ECX], 0xC0
        expect  e, "STOSD: ECX at the fault"
        cmp     dword [PF_EDI], 0x305000
        expect  e, "STOSD: EDI at the fault"
        cmp     edi, 0x305300
        expect  e, "STOSD: EDI after resuming"
        mov     edi, 0x304F00
        mov     ecx, 0x100
        repe scasd
        expect  e, "STOSD: stored values differ"
        print   "STOSD "

        ; 3. backward MOVSB: EDI from 0x307010 down, 0x306000 absent → fault at 0x306FFF after 17 bytes
        std
        mov     esi, SRC + 0xFFF
        mov     edi, 0x307010
        mov     ecx, 0x20
.m3:    rep movsb
        cld
        cmp     dword [PF_CNT], 3
        expect  e, "backward MOVSB: expected a third #PF"
        cmp     dword [PF_CR2], 0x306FFF
        expect  e, "backward MOVSB: CR2"
        cmp     dword [PF_ECX], 0x20 - 17
        expect  e, "backward MOVSB: ECX at the fault"
        cmp     dword [PF_ESI], SRC + 0xFFF - 17
        expect  e, "backward MOVSB: ESI at the fault"
        cmp     edi, 0x307010 - 0x20
        expect  e, "backward MOVSB: EDI after resuming"
        mov     al, [0x306FF1]
        cmp     al, [SRC + 0xFFF - 0x1F]
        expect  e, "backward MOVSB: last byte"
        print   "backward "

        ; 4. REP with ECX = 0 does nothing, and faults on nothing
        mov     esi, 0x400000 - 4
        mov     edi, 0xFFFFFFF0
        xor     ecx, ecx
        rep movsd
        cmp     dword [PF_CNT], 3
        expect  e, "REP with ECX = 0 faulted"
        print   "ECX=0 "
        jmp     pass

; #PF: record the registers of the interrupted instruction, map the page, retry
pf_handler:
        inc     dword [PF_CNT]
        push    eax
        mov     eax, cr2
        mov     [PF_CR2], eax
        mov     eax, [esp + 8]          ; EIP (above the error code)
        mov     [PF_EIP], eax
        mov     [PF_ECX], ecx
        mov     [PF_ESI], esi
        mov     [PF_EDI], edi
        mov     eax, cr2
        shr     eax, 12
        or      dword [PT0 + eax * 4], 1
        mov     eax, cr2
        invlpg  [eax]
        pop     eax
        add     esp, 4
        iret

%include "end.inc"
