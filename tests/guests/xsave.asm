; xsave.asm -- the XSAVE feature set for x87 and SSE state against QEMU 7.2 TCG: CPUID.1:ECX XSAVE/OSXSAVE
; before and after CR4.OSXSAVE, CPUID.(0Dh,0):EAX bits 0-1 and (0Dh,1):EAX bits 0 and 2; XGETBV (ECX 0, 1, 2);
; XSETBV with valid and invalid values; XSAVE and XSAVEOPT of a known x87/SSE state into a pre-filled area
; (the 576 bytes printed) with all components and with one; XRSTOR round trip (state saved again and
; printed, the x87 pointer fields masked: see dmask), XRSTOR of components in their initial state (XSTATE_BV clear), the #GP cases (misaligned area,
; XSTATE_BV beyond XCR0, XCOMP_BV or header bytes 16-23 set), #UD with CR4.OSXSAVE clear
; and with a LOCK or 66 prefix. On a model without xsave (qemu32) every instruction is #UD.
; Recorded as bitcount.asm says, with -cpu qemu32 (xsave.qemu.txt) and -cpu max (xsave-max.qemu.txt).
%include "lib.inc"

RESUME  equ DATA
LAST_VEC equ DATA + 4
AREA1   equ DATA + 0x1000       ; 64-byte aligned
AREA2   equ DATA + 0x1400
AREA3   equ DATA + 0x1800

%macro try 1
        mov     dword [RESUME], R(%%after)
        mov     dword [LAST_VEC], 0
        %1
%%after:
%endmacro
%macro t 2
        try     {%2}
        print   {" ", %1}
        call    report
%endmacro
; fill AREA, DWORD
%macro fill 2
        mov     edi, %1
        mov     eax, %2
        mov     ecx, 576 / 4
        rep stosd
%endmacro
; dump AREA: the 576 bytes as 8 dwords a line
%macro dump 1
        mov     esi, %1
        call    dumparea
%endmacro

        bits 32
main32:
        mov     eax, 6
        mov     ebx, R(ud_handler)
        mov     dl, 0x8E
        call    set_gate
        mov     eax, 13
        mov     ebx, R(gp_handler)
        call    set_gate
        mov     eax, 7
        mov     ebx, R(nm_handler)
        call    set_gate
        ; SSE on (CR4.OSFXSR, OSXMMEXCPT), x87 native errors
        mov     eax, cr0
        and     eax, ~0xC               ; EM, TS
        or      eax, 0x22               ; MP, NE
        mov     cr0, eax
        mov     eax, cr4
        or      eax, 0x600
        mov     cr4, eax
        mov     eax, 1
        cpuid
        mov     ebx, ecx
        print   "cpuid1 "
        mov     eax, ebx
        and     eax, 3 << 26
        call    puthex
        test    ebx, 1 << 26
        jnz     .has
        ; no xsave: all #UD (CR4.OSXSAVE is not offered and not written)
        print   ":"
        t       "xgetbv", {xgetbv}
        t       "xsetbv", {xsetbv}
        mov     ebx, AREA1
        t       "xsave", {xsave [ebx]}
        t       "xrstor", {xrstor [ebx]}
        t       "xsaveopt", {xsaveopt [ebx]}
        call    newline
        jmp     pass
.has:   mov     eax, 0xD
        xor     ecx, ecx
        cpuid
        print   " d0 "
        and     eax, 3
        call    puthex
        mov     eax, 0xD
        mov     ecx, 1
        cpuid
        print   " d1 "
        and     eax, 5
        call    puthex
        call    newline
        ; before CR4.OSXSAVE
        print   "osxsave=0"
        xor     ecx, ecx
        t       "xgetbv", {xgetbv}
        xor     ecx, ecx
        xor     edx, edx
        mov     eax, 3
        t       "xsetbv", {xsetbv}
        mov     ebx, AREA1
        t       "xsave", {xsave [ebx]}
        t       "xrstor", {xrstor [ebx]}
        call    newline
        mov     eax, cr4
        or      eax, 1 << 18
        mov     cr4, eax
        mov     eax, 1
        cpuid
        print   "cpuid1 "
        mov     eax, ecx
        and     eax, 3 << 26
        call    puthex
        call    newline
        ; XGETBV / XSETBV
        print   "xcr0"
        xor     ecx, ecx
        call    getbv
        mov     ecx, 1
        call    getbv
        mov     ecx, 2
        call    getbv
        call    newline
        print   "xsetbv"
        xor     ecx, ecx
        xor     edx, edx
        xor     eax, eax
        t       "0", {xsetbv}
        mov     eax, 2
        t       "2", {xsetbv}
        mov     eax, 1
        mov     edx, 1
        t       "1_00000001", {xsetbv}
        xor     edx, edx
        mov     eax, 3
        mov     ecx, 1
        t       "ecx1", {xsetbv}
        xor     ecx, ecx
        t       "3", {xsetbv}
        call    newline
        print   "xcr0"
        xor     ecx, ecx
        call    getbv
        call    newline
        ; a known state: x87 stack 1, pi, -2.5 (ST0), control word 027F, MXCSR 1FA0 + flags, XMM0-7 patterns
        call    setstate
        fill    AREA1, 0xA5A5A5A5
        mov     edi, AREA1 + 512        ; a clean header (XSTATE_BV, XCOMP_BV 0)
        xor     eax, eax
        mov     ecx, 16
        rep stosd
        mov     ebx, AREA1
        mov     eax, -1
        mov     edx, -1
        print   "xsave all"
        t       "", {xsave [ebx]}
        call    newline
        dump    AREA1
        ; one component each
        fill    AREA2, 0x5A5A5A5A
        mov     dword [AREA2 + 512], 0
        mov     dword [AREA2 + 516], 0
        mov     ebx, AREA2
        mov     eax, 1
        xor     edx, edx
        print   "xsave x87"
        t       "", {xsave [ebx]}
        call    newline
        dump    AREA2
        fill    AREA2, 0x5A5A5A5A
        mov     ebx, AREA2
        mov     eax, 2
        xor     edx, edx
        print   "xsaveopt sse"
        t       "", {xsaveopt [ebx]}
        call    newline
        dump    AREA2
        ; XRSTOR round trip: clobber the state, restore everything, save again
        fninit
        pxor    xmm0, xmm0
        pxor    xmm3, xmm3
        pxor    xmm7, xmm7
        mov     dword [DATA + 0x10], 0x1F80
        ldmxcsr [DATA + 0x10]
        mov     ebx, AREA1
        mov     eax, -1
        mov     edx, -1
        print   "xrstor all"
        t       "", {xrstor [ebx]}
        fill    AREA3, 0
        mov     ebx, AREA3
        mov     eax, 3
        xor     edx, edx
        t       "resave", {xsave [ebx]}
        call    newline
        dump    AREA3
        ; components in their initial state: XSTATE_BV 0 in a copy of AREA1
        mov     esi, AREA1
        mov     edi, AREA2
        mov     ecx, 576 / 4
        rep movsd
        mov     dword [AREA2 + 512], 0
        mov     dword [AREA2 + 24], 0x1F81    ; MXCSR is loaded even so
        mov     ebx, AREA2
        mov     eax, 3
        xor     edx, edx
        print   "xrstor init"
        t       "", {xrstor [ebx]}
        fill    AREA3, 0
        mov     ebx, AREA3
        mov     eax, 3
        xor     edx, edx
        t       "resave", {xsave [ebx]}
        call    newline
        dump    AREA3
        ; the faults
        print   "faults"
        call    setstate
        mov     eax, 3
        xor     edx, edx
        mov     ebx, AREA1 + 16
        t       "xsave+16", {xsave [ebx]}
        t       "xrstor+16", {xrstor [ebx]}
        mov     ebx, AREA1 + 32
        t       "xsave+32", {xsave [ebx]}
        mov     ebx, AREA2
        mov     dword [AREA2 + 512], 4         ; XSTATE_BV bit 2 (YMM), not in XCR0
        t       "bv4", {xrstor [ebx]}
        mov     dword [AREA2 + 512], 3
        mov     dword [AREA2 + 520], 1         ; XCOMP_BV
        t       "comp1", {xrstor [ebx]}
        mov     dword [AREA2 + 520], 0
        mov     dword [AREA2 + 524], 0x80000000 ; XCOMP_BV[63]: compacted
        t       "comp63", {xrstor [ebx]}
        mov     dword [AREA2 + 524], 0
        mov     dword [AREA2 + 528], 1         ; header bytes 16-23
        t       "hdr16", {xrstor [ebx]}
        mov     dword [AREA2 + 528], 0
        ; (a reserved MXCSR bit: #GP(0) as the SDM says, as FXRSTOR here; QEMU 7.2 loads it: not compared)
        mov     dword [AREA2 + 24], 0x10000
        mov     eax, 1                          ; not loaded without SSE in RFBM
        t       "mxcsr-x87", {xrstor [ebx]}
        mov     dword [AREA2 + 24], 0x1F80
        mov     eax, 3
        t       "ok", {xrstor [ebx]}
        t       "lock", {db 0xF0, 0x0F, 0xAE, 0x23}
        t       "66", {db 0x66, 0x0F, 0xAE, 0x23}
        t       "f3", {db 0xF3, 0x0F, 0xAE, 0x2B}
        call    newline
        jmp     pass

; setstate: the known x87 and SSE state
setstate:
        fninit
        mov     word [DATA + 0x10], 0x027F
        fldcw   [DATA + 0x10]
        fld1
        fldpi
        mov     dword [DATA + 0x10], 0xC0200000 ; -2.5f
        fld     dword [DATA + 0x10]
        mov     dword [DATA + 0x10], 0x1FA0 | 0x21
        ldmxcsr [DATA + 0x10]
        mov     esi, R(pattern)
        movdqu  xmm0, [esi]
        movdqu  xmm1, [esi + 16]
        movdqu  xmm2, [esi + 32]
        movdqu  xmm3, [esi + 48]
        pshufd  xmm4, xmm0, 0x1B
        pshufd  xmm5, xmm1, 0x4E
        pshufd  xmm6, xmm2, 0xB1
        pxor    xmm7, xmm7
        pcmpeqd xmm7, xmm7
        ret

; getbv: " ECX=" and EDX:EAX of XGETBV, or its fault
getbv:  push    ecx
        print   " "
        mov     eax, ecx
        add     eax, '0'
        mov     dx, DEBUGCON
        out     dx, al
        pop     ecx
        try     {xgetbv}
        cmp     dword [LAST_VEC], 0
        jne     .f
        print   "="
        push    eax
        mov     eax, edx
        call    puthex
        pop     eax
        call    puthex
        ret
.f:     call    report
        ret

; dumparea: ESI = area; 18 lines of 8 dwords, the first 160 bytes masked by dmask
dumparea:
        push    ebx
        mov     ebx, R(dmask)
        mov     ecx, 18
.l:     push    ecx
        mov     ecx, 8
.w:     lodsd
        cmp     ebx, R(dmask_end)
        jae     .p
        and     eax, [ebx]
        add     ebx, 4
.p:     call    puthex
        print   " "
        loop    .w
        call    newline
        pop     ecx
        loop    .l
        pop     ebx
        ret

; what the x87 part of the dump shows: not FOP, FIP, FCS, FDP, FDS (bytes 6-23) nor bytes 10-15 of each
; register slot. QEMU 7.2 writes no FOP, zeros for FIP/FCS/FDP/FDS and 10 bytes a slot (as its FXSAVE);
; Machina writes them as the SDM says (as its FXSAVE does). The restored state is compared in full below.
        align 4
dmask:  dd -1, 0x0000FFFF, 0, 0, 0, 0, -1, -1
%rep 8
        dd -1, -1, 0x0000FFFF, 0
%endrep
dmask_end:

; report: " ok" or " #VEC" (registers kept)
report: cmp     dword [LAST_VEC], 0
        jne     .f
        print   " ok"
        ret
.f:     print   " #"
        push    eax
        mov     eax, [LAST_VEC]
        call    puthex
        pop     eax
        ret

gp_handler:
        add     esp, 4
        mov     dword [LAST_VEC], 13
        jmp     resume
nm_handler:
        mov     dword [LAST_VEC], 7
        jmp     resume
ud_handler:
        mov     dword [LAST_VEC], 6
resume: push    eax
        mov     eax, [RESUME]
        mov     [esp + 4], eax
        pop     eax
        iretd

        align 16
pattern: dd 0x00112233, 0x44556677, 0x8899AABB, 0xCCDDEEFF, 0x01234567, 0x89ABCDEF, 0xFEDCBA98, 0x76543210
        dd 0xDEADBEEF, 0xCAFEBABE, 0x0BADF00D, 0x12345678, 0x3F800000, 0x40490FDB, 0xBF800000, 0x7F800000

%include "end.inc"
