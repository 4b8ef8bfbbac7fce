; sse41.asm -- SSE4.1 (SDM Vol. 2 for each instruction; 66 0F 38 10-41 and 66 0F 3A 08-42, Vol. 2D Tables
; A-4/A-5) against QEMU 7.2 with -cpu max (tests/guests/sse41-max.qemu.txt): all 47 instructions, memory
; and register sources, on ROUNDS rounds of pseudo-random operands (integer data steered to 00/FF/80/7F/01
; bytes, floating-point data to integral/halfway values, zeros, denormals, infinities and NaNs) with a
; random MXCSR rounding mode and DAZ (all exceptions masked), one checksum per instruction and immediate
; (the result, and the flags of PTEST or MXCSR of the floating-point forms); then a few results on fixed
; inputs, and #GP(0) for a misaligned m128 (PTEST/ROUNDPS/DPPS: SimdExtTest) (none for the m16/m32/m64 sources of PMOVSX/ZX, PINSR, INSERTPS).
; Recorded with: tools/build-guests --qemu (qemu-system-x86_64 -machine pc,accel=tcg -cpu max -bios sse41.bin
;   -device isa-debugcon,iobase=0x402,chardev=... -device isa-debug-exit,iobase=0xf4,iosize=4)
%include "lib.inc"
%include "simdx.inc"

%ifdef DEBUG
ROUNDS equ DEBUG
%else
ROUNDS equ 300
%endif
CELL    equ DATA + 0x80                 ; a dword PEXTR* and EXTRACTPS store into

%assign K 0
%macro next 0
        mov     esi, SUMS + K * 4
        call    fold
%assign K K + 1
%endmacro

; iop NAME[, IMM]: xmm1 = A; NAME xmm1, [B]; the register form on xmm3/xmm2 must agree
%macro iop 1-2
%if %0 > 1
        movdqa  xmm1, [OPA]
        %1      xmm1, [OPB], %2
        movdqa  xmm2, [OPB]
        movdqa  xmm3, [OPA]
        %1      xmm3, xmm2, %2
%else
        movdqa  xmm1, [OPA]
        %1      xmm1, [OPB]
        movdqa  xmm2, [OPB]
        movdqa  xmm3, [OPA]
        %1      xmm3, xmm2
%endif
        pxor    xmm3, xmm1
        movdqu  [RES], xmm1
        movd    [RES + 16], xmm3
        next
%endmacro
; fop NAME, IMM: a floating-point form under the round's MXCSR; the result and MXCSR (DE left out:
; QEMU 7.2 never sets it)
%macro fop 1-2
        ldmxcsr [MX]
        movdqa  xmm1, [OPA]
%if %0 > 1
        %1      xmm1, [OPB], %2
%else
        %1      xmm1, [OPB]
%endif
        movdqu  [RES], xmm1
        stmxcsr [RES + 16]
        and     dword [RES + 16], ~2
        ldmxcsr [R(mxdef)]
        next
%endmacro
; pmov NAME: from a register and from memory (8, 4 or 2 bytes at B + 8)
%macro pmov 1
        movdqa  xmm2, [OPB]
        %1      xmm1, xmm2
        movdqu  [RES], xmm1
        %1      xmm3, [OPB + 8]
        pxor    xmm3, [OPA]
        movd    [RES + 16], xmm3
        movdqu  xmm4, [OPA]
        movdqu  [RES + 8], xmm4                 ; (the high half of RES is the memory form xor A)
        movdqu  xmm4, [RES]
        movdqu  [RES], xmm1
        pxor    xmm3, [OPA]
        movq    [RES + 8], xmm3
        next
%endmacro
; extract NAME, IMM: to EAX and to memory
%macro extract 2
        movdqa  xmm1, [OPA]
        mov     eax, [OPB]
        mov     dword [CELL], 0xA5A5A5A5
        %1      eax, xmm1, %2
        %1      [CELL], xmm1, %2
        mov     [RES], eax
        mov     eax, [CELL]
        mov     [RES + 4], eax
        mov     dword [RES + 8], 0
        mov     dword [RES + 12], 0
        mov     dword [RES + 16], 0
        next
%endmacro
; insert NAME, IMM: from EAX (or XMM2 for INSERTPS) and from memory (B + 4)
%macro insert 2
        movdqa  xmm1, [OPA]
        movdqa  xmm3, [OPA]
        mov     eax, [OPB + 4]
%ifidni %1, insertps
        movdqa  xmm2, [OPB]
        %1      xmm1, xmm2, %2
%else
        %1      xmm1, eax, %2
%endif
        %1      xmm3, [OPB + 4], %2
        movdqu  [RES], xmm1
        pxor    xmm3, xmm1
        movd    [RES + 16], xmm3
        next
%endmacro

; the instructions, in checksum order (the names table is made from the same lists)
%macro intops 1
        %1 pmuldq
        %1 pcmpeqq
        %1 packusdw
        %1 pminsb
        %1 pminsd
        %1 pminuw
        %1 pminud
        %1 pmaxsb
        %1 pmaxsd
        %1 pmaxuw
        %1 pmaxud
        %1 pmulld
        %1 phminposuw
        %1 pblendvb
        %1 blendvps
        %1 blendvpd
%endmacro
%macro immops 1
        %1 blendps, 0x0
        %1 blendps, 0x5
        %1 blendps, 0xA
        %1 blendps, 0xF
        %1 blendpd, 0x1
        %1 blendpd, 0x2
        %1 pblendw, 0x00
        %1 pblendw, 0x5A
        %1 pblendw, 0xC3
        %1 pblendw, 0xFF
%assign J 0
%rep 8
        %1 mpsadbw, J
%assign J J + 1
%endrep
%endmacro
%macro fpops 1
%assign J 0
%rep 16
        %1 roundps, J
        %1 roundpd, J
        %1 roundss, J
        %1 roundsd, J
%assign J J + 1
%endrep
%endmacro
; (DPPS/DPPD on operands without infinities and NaNs: where two NaNs meet in a sum, the SDM takes the
; first operand's and QEMU 7.2 the one with the larger significand, as in ssefuzz.asm)
%macro dpops 1
        %1 dpps, 0xFF
        %1 dpps, 0xF1
        %1 dpps, 0x31
        %1 dpps, 0x7C
        %1 dpps, 0x1F
        %1 dpps, 0xA5
        %1 dpps, 0x00
        %1 dppd, 0x33
        %1 dppd, 0x31
        %1 dppd, 0x12
        %1 dppd, 0x23
        %1 dppd, 0x03
%endmacro
%macro pmovops 1
        %1 pmovsxbw
        %1 pmovsxbd
        %1 pmovsxbq
        %1 pmovsxwd
        %1 pmovsxwq
        %1 pmovsxdq
        %1 pmovzxbw
        %1 pmovzxbd
        %1 pmovzxbq
        %1 pmovzxwd
        %1 pmovzxwq
        %1 pmovzxdq
%endmacro
%macro extops 1
        %1 pextrb, 0
        %1 pextrb, 7
        %1 pextrb, 9
        %1 pextrb, 31
        %1 pextrd, 0
        %1 pextrd, 3
        %1 pextrd, 6
        %1 extractps, 1
        %1 extractps, 2
%endmacro
%macro insops 1
        %1 pinsrb, 0
        %1 pinsrb, 6
        %1 pinsrb, 15
        %1 pinsrb, 0x33
        %1 pinsrd, 0
        %1 pinsrd, 1
        %1 pinsrd, 3
        %1 insertps, 0x00
        %1 insertps, 0x1D
        %1 insertps, 0x6A
        %1 insertps, 0xF0
        %1 insertps, 0x93
        %1 insertps, 0x4F
%endmacro

; NAME: the mnemonic and its immediate, if any
%macro label 1-2
%if %0 > 1
%defstr %%n %1
%defstr %%i %2
%strcat NAME %%n, " ", %%i
%else
%defstr %%n %1
%strcat NAME %%n
%endif
%endmacro
%macro name 1-2
        label   %{1:-1}
        db      NAME, 0
%endmacro

        bits 32
main32:
        call    setup
        ldmxcsr [R(mxdef)]
        mov     ebp, ROUNDS
.round:
        mov     edi, OPA
        call    ioperand
        mov     edi, OPB
        call    ioperand
        mov     edi, OPC
        call    ioperand
        movdqa  xmm0, [OPC]                     ; the blend mask of PBLENDVB/BLENDVPS/BLENDVPD
        intops  iop
        immops  iop
        ; PTEST: ZF and CF (OF SF AF PF cleared)
        movdqa  xmm1, [OPA]
        movdqa  xmm2, [OPC]
        pand    xmm2, [OPB]                     ; (more zero results)
        mov     eax, 0x8D5
        push    eax
        popfd
        ptest   xmm1, xmm2
        pushfd
        pop     eax
        and     eax, 0x8D5
        mov     [RES], eax
        xor     eax, eax
        push    eax
        popfd
        ptest   xmm1, [OPB]
        pushfd
        pop     eax
        and     eax, 0x8D5
        mov     [RES + 4], eax
        mov     dword [RES + 8], 0
        mov     dword [RES + 12], 0
        mov     dword [RES + 16], 0
        next
        pmovops pmov
        extops  extract
        ; the 66 0F 3A 15 form of PEXTRW (a register destination: the assemblers pick 66 0F C5)
        movdqa  xmm1, [OPA]
        mov     eax, 0xA5A5A5A5
        db      0x66, 0x0F, 0x3A, 0x15, 0xC8, 5  ; pextrw eax, xmm1, 5
        mov     [RES], eax
        mov     dword [CELL], 0xA5A5A5A5
        pextrw  [CELL], xmm1, 10
        mov     eax, [CELL]
        mov     [RES + 4], eax
        next
        insops  insert
        movntdqa xmm1, [OPB]
        movdqu  [RES], xmm1
        next
        ; the floating-point forms: new operands, a random RC and DAZ
        mov     edi, OPA
        mov     bl, 0
        call    foperand
        mov     edi, OPB
        call    foperand
        call    rand
        and     eax, 0x6040                     ; RC, DAZ
        or      eax, 0x1F80
        mov     [MX], eax
        fpops   fop
        mov     edi, OPA
        mov     bl, 1
        call    foperand
        mov     edi, OPB
        call    foperand
        dpops   fop
        dec     ebp
        jnz     .round
        mov     esi, R(names)
        mov     ecx, K
        call    printsums
        ; ---- fixed inputs ----
        movdqa  xmm1, [R(fr)]
        roundps xmm1, xmm1, 0
        movdqu  [RES], xmm1
        show128 "roundps fr 0 ", RES
        movdqa  xmm1, [R(fr)]
        roundps xmm1, xmm1, 1
        movdqu  [RES], xmm1
        show128 "roundps fr 1 ", RES
        movdqa  xmm1, [R(fr)]
        roundps xmm1, xmm1, 2
        movdqu  [RES], xmm1
        show128 "roundps fr 2 ", RES
        movdqa  xmm1, [R(fr)]
        roundps xmm1, xmm1, 3
        movdqu  [RES], xmm1
        show128 "roundps fr 3 ", RES
        stmxcsr [RES]
        print   "mxcsr "
        mov     eax, [RES]
        call    puthex
        call    newline
        ldmxcsr [R(mxdef)]
        movdqa  xmm1, [R(fsn)]
        roundps xmm1, xmm1, 8
        movdqu  [RES], xmm1
        show128 "roundps snan 8 ", RES
        stmxcsr [RES]
        print   "mxcsr "
        mov     eax, [RES]
        call    puthex
        call    newline
        ldmxcsr [R(mxdef)]
        movdqa  xmm1, [R(fr)]
        movdqa  xmm2, [R(fo)]
        dpps    xmm1, xmm2, 0xF3
        movdqu  [RES], xmm1
        show128 "dpps fr fo f3 ", RES
        movdqa  xmm1, [R(fr)]
        phminposuw xmm1, xmm1
        movdqu  [RES], xmm1
        show128 "phminposuw fr ", RES
        ; ---- exceptions ----
        mov     ebx, OPA + 4
        try     {pminsb xmm1, [ebx]}            ; misaligned m128: #GP(0)
        ; (PTEST, ROUNDPS and DPPS of a misaligned m128 are #GP(0) too, as the SDM says; QEMU 7.2 does not
        ; check their alignment: SimdExtTest)
        try     {pblendvb xmm1, [ebx]}
        try     {movntdqa xmm1, [ebx]}
        try     {mpsadbw xmm1, [ebx], 0}
        try     {pmovsxbw xmm1, [ebx + 1]}      ; m64, m32, m16: no alignment
        try     {pmovzxbq xmm1, [ebx + 1]}
        try     {roundss xmm1, [ebx + 1], 0}
        try     {roundsd xmm1, [ebx], 0}
        try     {pinsrd xmm1, [ebx + 1], 1}
        try     {insertps xmm1, [ebx + 1], 0x10}
        try     {pextrd [ebx + 1], xmm1, 1}
        mov     eax, [HITS]
        print   "faults "
        call    puthex
        call    newline
        jmp     pass

names:  intops  name
        immops  name
        db      "ptest", 0
        pmovops name
        extops  name
        db      "pextrw 0F3A15", 0
        insops  name
        db      "movntdqa", 0
        fpops   name
        dpops   name

        align 16
mxdef:  dd      0x1F80
        align 16
fr:     dd      2.5, -2.5, 1.5, -0.5
fo:     dd      1.0, -1.0, 2.0, -2.0
fsn:    dd      0x7F800001, 0xFF800000, 0x00000001, 1.0e10

%include "end.inc"
