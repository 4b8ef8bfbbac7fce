; misc.asm -- the rest of the system instructions an OS relies on: the x87 detection and set-up
; sequence (FNINIT, FNSTSW, FNSTCW, FLDCW, FWAIT) and #NM under CR0.EM/TS, CLTS; RDMSR/WRMSR of
; SYSENTER_CS read back; RDTSC counting up;
; CMPXCHG8B both ways; SMSW/LMSW; CPUID's vendor.
%include "lib.inc"

NM_CNT  equ DATA + 0x700
GP_CNT  equ DATA + 0x704
RECOVER equ DATA + 0x708
CW      equ DATA + 0x710
SW      equ DATA + 0x714
Q       equ DATA + 0x720

        bits 32
main32:
        mov     dword [NM_CNT], 0
        mov     dword [GP_CNT], 0
        mov     eax, 7
        mov     ebx, R(nm_handler)
        mov     dl, 0x8E
        call    set_gate
        mov     eax, 13
        mov     ebx, R(gp_handler)
        call    set_gate
        print   "misc: "
        ; x87 detection as an OS does it
        mov     word [SW], 0x5A5A
        fninit
        fnstsw  [SW]
        cmp     word [SW], 0
        expect  e, "FNSTSW after FNINIT"
        fnstcw  [CW]
        mov     ax, [CW]
        and     ax, 0x103F
        cmp     ax, 0x003F
        expect  e, "FNSTCW after FNINIT"
        mov     word [CW], 0x027F
        fldcw   [CW]
        mov     word [CW], 0
        fnstcw  [CW]
        cmp     word [CW], 0x027F
        expect  e, "FLDCW/FNSTCW round trip"
        mov     ax, 0xFFFF
        fnstsw  ax
        test    ax, ax
        expect  z, "FNSTSW AX"
        fwait
        print   "x87 "
        ; CR0.TS: x87 instructions and (with MP) WAIT raise #NM; CLTS clears TS
        mov     eax, cr0
        or      eax, 0x0A               ; TS | MP
        mov     cr0, eax
        mov     dword [RECOVER], R(.r1)
        fninit
.r1:    mov     dword [RECOVER], R(.r2)
        fwait
.r2:    cmp     dword [NM_CNT], 2
        expect  e, "#NM from FNINIT and FWAIT with CR0.TS"
        clts
        fninit
        cmp     dword [NM_CNT], 2
        expect  e, "#NM after CLTS"
        mov     eax, cr0
        or      eax, 0x04               ; EM
        mov     cr0, eax
        mov     dword [RECOVER], R(.r3)
        fnstsw  ax
.r3:    cmp     dword [NM_CNT], 3
        expect  e, "#NM with CR0.EM"
        mov     eax, cr0
        and     eax, ~0x0E
        mov     cr0, eax
        print   "#NM "
        ; SMSW shows PE and ET; LMSW sets TS
        smsw    ax
        and     ax, 0x11
        cmp     ax, 0x11
        expect  e, "SMSW: PE and ET"
        smsw    ax
        or      ax, 8
        lmsw    ax
        mov     eax, cr0
        test    eax, 8
        expect  nz, "LMSW did not set TS"
        clts
        print   "MSW "
        ; MSRs
        mov     ecx, 0x174              ; IA32_SYSENTER_CS
        mov     eax, 0x1234
        xor     edx, edx
        wrmsr
        xor     eax, eax
        rdmsr
        cmp     eax, 0x1234
        expect  e, "SYSENTER_CS read back"
        rdtsc
        mov     ebx, eax
        mov     esi, edx
        rdtsc
        sub     eax, ebx
        sbb     edx, esi
        expect  ns, "TSC went backwards"
        or      eax, edx
        expect  nz, "TSC did not count up"
        print   "MSR/TSC "
        ; CMPXCHG8B
        mov     dword [Q], 0x11111111
        mov     dword [Q + 4], 0x22222222
        mov     eax, 0x11111111
        mov     edx, 0x22222222
        mov     ebx, 0x33333333
        mov     ecx, 0x44444444
        cmpxchg8b [Q]
        expect  z, "CMPXCHG8B equal: ZF"
        cmp     dword [Q + 4], 0x44444444
        expect  e, "CMPXCHG8B equal: stored"
        cmpxchg8b [Q]
        expect  nz, "CMPXCHG8B different: ZF"
        cmp     eax, 0x33333333
        expect  e, "CMPXCHG8B different: EAX loaded"
        print   "CX8 "
        ; vendor string
        xor     eax, eax
        cpuid
        cmp     ebx, 'Genu'
        expect  e, "vendor"
        print   "CPUID "
        jmp     pass

nm_handler:
        inc     dword [NM_CNT]
        push    eax
        mov     eax, [RECOVER]
        mov     [esp + 4], eax
        pop     eax
        iret

gp_handler:
        inc     dword [GP_CNT]
        push    eax
        mov     eax, [RECOVER]
        mov     [esp + 8], eax
        pop     eax
        add     esp, 4
        iret

%include "end.inc"
