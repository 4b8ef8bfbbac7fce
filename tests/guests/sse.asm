; sse.asm -- SSE, SSE2 and SSE3 (SDM Vol. 1 chapters 10-12, Vol. 2 for each instruction) against
; QEMU 7.2 (tests/guests/sse.qemu.txt): the SSE/SSE2 integer forms on MMX and XMM registers, the
; floating-point arithmetic, compares, conversions and moves on fixed inputs (normal values, zeros,
; infinities, NaNs, denormals) with MXCSR after each, the four rounding modes, DAZ/FZ, FXSAVE of the
; XMM state and #GP for a misaligned operand.
%include "lib.inc"

%macro show 2
        print   %1
        mov     eax, %2
        call    puthex
        call    newline
%endmacro
%macro show64 2-3 ""
        print   {%1, %3}
        mov     eax, [%2 + 4]
        call    puthex
        mov     eax, [%2]
        call    puthex
        call    newline
%endmacro
; show128 NAME, ADDR[, SUFFIX]: the 128 bits at ADDR, then MXCSR (whose flags are then cleared)
%macro show128 2-3 ""
        print   {%1, %3}
        mov     eax, [%2 + 12]
        call    puthex
        mov     eax, [%2 + 8]
        call    puthex
        mov     eax, [%2 + 4]
        call    puthex
        mov     eax, [%2]
        call    puthex
        call    mxshow
%endmacro
; binop MNEMONIC (MMX form): mm0 = A, MNEMONIC mm0, [B]; register form on va2/vb2
%macro binop 1
%defstr %%n %1
        movq    mm0, [R(va)]
        %1      mm0, [R(vb)]
        movq    [RES], mm0
        show64  %%n, RES, " "
        movq    mm1, [R(vb2)]
        movq    mm2, [R(va2)]
        %1      mm1, mm2
        movq    [RES], mm1
        show64  %%n, RES, " reg "
%endmacro
; xop MNEMONIC A B: xmm0 = [A], MNEMONIC xmm0, [B] (16-byte aligned), result and MXCSR
%macro xop 3
%defstr %%n %1
%defstr %%a %2
%defstr %%b %3
        movdqu  xmm0, [R(%2)]
        %1      xmm0, [R(%3)]
        movdqu  [RES], xmm0
        show128 %%n, RES, {" ", %%a, " ", %%b, " "}
%endmacro
; xopr MNEMONIC A B: the register form
%macro xopr 3
%defstr %%n %1
%defstr %%a %2
%defstr %%b %3
        movdqu  xmm0, [R(%2)]
        movdqu  xmm7, [R(%3)]
        %1      xmm0, xmm7
        movdqu  [RES], xmm0
        show128 %%n, RES, {" r ", %%a, " ", %%b, " "}
%endmacro
; xopi MNEMONIC A B IMM
%macro xopi 4
%defstr %%n %1
%defstr %%i %4
        movdqu  xmm0, [R(%2)]
        %1      xmm0, [R(%3)], %4
        movdqu  [RES], xmm0
        show128 %%n, RES, {" ", %%i, " "}
%endmacro
; xshift MNEMONIC IMM: by an immediate and by an XMM count
%macro xshift 2
%defstr %%n %1
%defstr %%i %2
        movdqu  xmm1, [R(ia)]
        %1      xmm1, %2
        movdqu  [RES], xmm1
        show128 %%n, RES, {" ", %%i, " "}
%endmacro
%macro xshiftr 2
%defstr %%n %1
%defstr %%i %2
        movdqu  xmm1, [R(ia)]
        mov     dword [CNT], %2
        mov     dword [CNT + 4], 0
        mov     dword [CNT + 8], 0xFFFFFFFF
        mov     dword [CNT + 12], 0xFFFFFFFF
        movdqu  xmm2, [CNT]
        %1      xmm1, xmm2
        movdqu  [RES], xmm1
        show128 %%n, RES, {" x ", %%i, " "}
%endmacro
; toint MNEMONIC SRC: a conversion to a 32-bit register
%macro toint 2
%defstr %%n %1
%defstr %%s %2
        %1      eax, [R(%2)]
        print   {%%n, " ", %%s, " "}
        call    puthex
        call    mxshow
%endmacro
; comi MNEMONIC A B: the arithmetic flags after it
%macro comi 3
%defstr %%n %1
%defstr %%a %2
%defstr %%b %3
        movdqu  xmm0, [R(%2)]
        mov     eax, 0x8D5
        push    eax
        popfd
        %1      xmm0, [R(%3)]
        pushfd
        pop     eax
        and     eax, 0x8D5
        print   {%%n, " ", %%a, " ", %%b, " "}
        call    puthex
        call    mxshow
%endmacro

RES equ DATA
CNT equ DATA + 0x20
MX  equ DATA + 0x40
FX  equ DATA + 0x100              ; 16-byte aligned FXSAVE area
HIT equ DATA + 0x80

        bits 32
main32:
        mov     eax, cr4
        or      eax, 0x600                      ; OSFXSR, OSXMMEXCPT
        mov     cr4, eax
        mov     eax, 19
        mov     ebx, R(xm_handler)
        mov     dl, 0x8E
        call    set_gate
        mov     eax, 6
        mov     ebx, R(ud_handler)
        call    set_gate
        mov     eax, 13
        mov     ebx, R(gp_handler)
        call    set_gate
        fninit
        ldmxcsr [R(mxdef)]
        ; ---- the SSE and SSE2 additions on MMX registers ----
        binop   paddq
        binop   psubq
        binop   pmuludq
        binop   pavgb
        binop   pavgw
        binop   pminub
        binop   pmaxub
        binop   pminsw
        binop   pmaxsw
        binop   psadbw
        pshufw  mm4, [R(va)], 0x1B
        movq    [RES], mm4
        show64  "pshufw 1b ", RES
        movq    mm4, [R(vb)]
        mov     eax, 0x12345678
        pinsrw  mm4, eax, 2
        movq    [RES], mm4
        show64  "pinsrw 2 ", RES
        pextrw  eax, mm4, 3
        show    "pextrw 3 ", eax
        pmovmskb eax, mm4
        show    "pmovmskb ", eax
        binop   pmulhuw
        mov     dword [RES], 0x11111111
        mov     dword [RES + 4], 0x22222222
        movq    mm6, [R(va)]
        movq    mm7, [R(vb)]
        mov     edi, RES
        maskmovq mm6, mm7
        show64  "maskmovq ", RES
        movq    mm6, [R(va)]
        movntq  [RES], mm6
        show64  "movntq ", RES
        emms
        ; ---- SSE2 integer on XMM registers ----
        xop     paddb, ia, ib
        xop     paddw, ia, ib
        xop     paddd, ia, ib
        xop     paddq, ia, ib
        xop     psubb, ia, ib
        xop     psubw, ia, ib
        xop     psubd, ia, ib
        xop     psubq, ia, ib
        xop     paddsb, ia, ib
        xop     paddsw, ia, ib
        xop     paddusb, ia, ib
        xop     paddusw, ia, ib
        xop     psubsb, ia, ib
        xop     psubsw, ia, ib
        xop     psubusb, ia, ib
        xop     psubusw, ia, ib
        xop     pcmpeqb, ia, ib
        xop     pcmpeqw, ia, ib
        xop     pcmpeqd, ia, ib
        xop     pcmpgtb, ia, ib
        xop     pcmpgtw, ia, ib
        xop     pcmpgtd, ia, ib
        xop     pmullw, ia, ib
        xop     pmulhw, ia, ib
        xop     pmulhuw, ia, ib
        xop     pmaddwd, ia, ib
        xop     pmuludq, ia, ib
        xop     pand, ia, ib
        xop     pandn, ia, ib
        xop     por, ia, ib
        xop     pxor, ia, ib
        xop     pavgb, ia, ib
        xop     pavgw, ia, ib
        xop     pminub, ia, ib
        xop     pmaxub, ia, ib
        xop     pminsw, ia, ib
        xop     pmaxsw, ia, ib
        xop     psadbw, ia, ib
        xop     packsswb, ia, ib
        xop     packssdw, ia, ib
        xop     packuswb, ia, ib
        xop     punpcklbw, ia, ib
        xop     punpcklwd, ia, ib
        xop     punpckldq, ia, ib
        xop     punpcklqdq, ia, ib
        xop     punpckhbw, ia, ib
        xop     punpckhwd, ia, ib
        xop     punpckhdq, ia, ib
        xop     punpckhqdq, ia, ib
        xopr    paddw, ib, ia
        xopr    punpckhbw, ib, ia
        xshift  psllw, 3
        xshift  psllw, 17
        xshift  pslld, 5
        xshift  psllq, 33
        xshift  psllq, 64
        xshift  psrlw, 7
        xshift  psrld, 31
        xshift  psrlq, 1
        xshift  psraw, 9
        xshift  psraw, 16
        xshift  psrad, 3
        xshift  psrad, 40
        xshift  pslldq, 3
        xshift  pslldq, 16
        xshift  psrldq, 5
        xshift  psrldq, 200
        xshiftr psllw, 3
        xshiftr pslld, 33
        xshiftr psllq, 12
        xshiftr psrlw, 15
        xshiftr psrld, 2
        xshiftr psrlq, 63
        xshiftr psraw, 1
        xshiftr psrad, 32
        xopi    pshufd, ia, ib, 0x1B
        xopi    pshufhw, ia, ib, 0xE4
        xopi    pshuflw, ia, ib, 0x4E
        movdqu  xmm3, [R(ia)]
        pmovmskb eax, xmm3
        show    "pmovmskb x ", eax
        pextrw  eax, xmm3, 5
        show    "pextrw x 5 ", eax
        mov     eax, 0xBEEF
        pinsrw  xmm3, eax, 6
        movdqu  [RES], xmm3
        show128 "pinsrw x 6 ", RES
        mov     eax, 0x89ABCDEF
        movd    xmm4, eax
        movdqu  [RES], xmm4
        show128 "movd x in ", RES
        movd    eax, xmm3
        show    "movd x out ", eax
        movq    xmm4, [R(ib)]
        movdqu  [RES], xmm4
        show128 "movq x in ", RES
        movdqu  xmm4, [R(ia)]
        movq    xmm5, xmm4
        movdqu  [RES], xmm5
        show128 "movq x x ", RES
        movq    mm0, [R(va)]
        movq2dq xmm5, mm0
        movdqu  [RES], xmm5
        show128 "movq2dq ", RES
        movdq2q mm1, xmm4
        movq    [RES], mm1
        show64  "movdq2q ", RES
        emms
        mov     edi, RES
        pcmpeqb xmm6, xmm6
        movdqu  [RES], xmm6
        movdqu  xmm6, [R(ia)]
        movdqu  xmm7, [R(ib)]
        maskmovdqu xmm6, xmm7
        show128 "maskmovdqu ", RES
        movntdq [RES], xmm7
        show128 "movntdq ", RES
        mov     dword [RES], 0x5555AAAA
        movnti  [RES], eax
        show    "movnti ", [RES]
        ; ---- floating point: arithmetic ----
        xop     addps, fa, fb
        xop     addps, fc, fd
        xop     addps, fd, fc
        xop     addps, fe, ff
        xop     subps, fa, fb
        xop     subps, fc, fd
        xop     subps, fd, fc
        xop     subps, fe, ff
        xop     mulps, fa, fb
        xop     mulps, fc, fd
        xop     mulps, fd, fc
        xop     mulps, fe, ff
        xop     divps, fa, fb
        xop     divps, fc, fd
        xop     divps, fd, fc
        xop     divps, fe, ff
        xop     minps, fa, fb
        xop     minps, fc, fd
        xop     minps, fd, fc
        xop     minps, fe, ff
        xop     maxps, fa, fb
        xop     maxps, fc, fd
        xop     maxps, fd, fc
        xop     maxps, fe, ff
        xop     sqrtps, fa, fb
        xop     sqrtps, fc, fd
        xop     sqrtps, fd, fc
        xop     sqrtps, fe, ff
        xop     addss, fa, fb
        xop     addss, fc, fd
        xop     addss, fe, ff
        xop     subss, fa, fb
        xop     subss, fc, fd
        xop     subss, fe, ff
        xop     mulss, fa, fb
        xop     mulss, fc, fd
        xop     mulss, fe, ff
        xop     divss, fa, fb
        xop     divss, fc, fd
        xop     divss, fe, ff
        xop     minss, fa, fb
        xop     minss, fc, fd
        xop     minss, fe, ff
        xop     maxss, fa, fb
        xop     maxss, fc, fd
        xop     maxss, fe, ff
        xop     sqrtss, fa, fb
        xop     sqrtss, fc, fd
        xop     sqrtss, fe, ff
        xopr    addss, fb, fa
        xopr    divps, fe, fa
        xop     addpd, da, db
        xop     addpd, dc, dn
        xop     addpd, dn, dc
        xop     addpd, de, df
        xop     subpd, da, db
        xop     subpd, dc, dn
        xop     subpd, dn, dc
        xop     subpd, de, df
        xop     mulpd, da, db
        xop     mulpd, dc, dn
        xop     mulpd, dn, dc
        xop     mulpd, de, df
        xop     divpd, da, db
        xop     divpd, dc, dn
        xop     divpd, dn, dc
        xop     divpd, de, df
        xop     minpd, da, db
        xop     minpd, dc, dn
        xop     minpd, dn, dc
        xop     minpd, de, df
        xop     maxpd, da, db
        xop     maxpd, dc, dn
        xop     maxpd, dn, dc
        xop     maxpd, de, df
        xop     sqrtpd, da, db
        xop     sqrtpd, dc, dn
        xop     sqrtpd, dn, dc
        xop     sqrtpd, de, df
        xop     addsd, da, db
        xop     addsd, dc, dn
        xop     addsd, de, df
        xop     subsd, da, db
        xop     subsd, dc, dn
        xop     subsd, de, df
        xop     mulsd, da, db
        xop     mulsd, dc, dn
        xop     mulsd, de, df
        xop     divsd, da, db
        xop     divsd, dc, dn
        xop     divsd, de, df
        xop     minsd, da, db
        xop     minsd, dc, dn
        xop     minsd, de, df
        xop     maxsd, da, db
        xop     maxsd, dc, dn
        xop     maxsd, de, df
        xop     sqrtsd, da, db
        xop     sqrtsd, dc, dn
        xop     sqrtsd, de, df
        xopr    mulsd, db, da
        xop     rcpps, fa, fb
        xop     rsqrtps, fa, fb
        xop     rcpss, fa, fb
        xop     rsqrtss, fa, fb
        xop     andps, fa, fb
        xop     andnps, fa, fb
        xop     orps, fa, fb
        xop     xorps, fa, fb
        xop     andpd, fa, fb
        xop     andnpd, fa, fb
        xop     orpd, fa, fb
        xop     xorpd, fa, fb
        xop     unpcklps, fa, fb
        xop     unpckhps, fa, fb
        xop     unpcklpd, fa, fb
        xop     unpckhpd, fa, fb
        xopi    cmpps, fa, fc, 0
        xopi    cmpss, fc, fd, 0
        xopi    cmppd, da, dc, 0
        xopi    cmpsd, dc, dn, 0
        xopi    cmpps, fa, fc, 1
        xopi    cmpss, fc, fd, 1
        xopi    cmppd, da, dc, 1
        xopi    cmpsd, dc, dn, 1
        xopi    cmpps, fa, fc, 2
        xopi    cmpss, fc, fd, 2
        xopi    cmppd, da, dc, 2
        xopi    cmpsd, dc, dn, 2
        xopi    cmpps, fa, fc, 3
        xopi    cmpss, fc, fd, 3
        xopi    cmppd, da, dc, 3
        xopi    cmpsd, dc, dn, 3
        xopi    cmpps, fa, fc, 4
        xopi    cmpss, fc, fd, 4
        xopi    cmppd, da, dc, 4
        xopi    cmpsd, dc, dn, 4
        xopi    cmpps, fa, fc, 5
        xopi    cmpss, fc, fd, 5
        xopi    cmppd, da, dc, 5
        xopi    cmpsd, dc, dn, 5
        xopi    cmpps, fa, fc, 6
        xopi    cmpss, fc, fd, 6
        xopi    cmppd, da, dc, 6
        xopi    cmpsd, dc, dn, 6
        xopi    cmpps, fa, fc, 7
        xopi    cmpss, fc, fd, 7
        xopi    cmppd, da, dc, 7
        xopi    cmpsd, dc, dn, 7
        xopi    shufps, fa, fb, 0x1B
        xopi    shufps, fa, fb, 0xB1
        xopi    shufpd, da, db, 1
        xopi    shufpd, da, db, 2
        comi    comiss, fa, fb
        comi    comiss, fb, fa
        comi    comiss, fa, fa
        comi    comiss, fc, fd
        comi    ucomiss, fc, fd
        comi    ucomiss, fd, fc
        comi    comisd, da, db
        comi    comisd, db, da
        comi    comisd, dc, dn
        comi    ucomisd, dc, dn
        comi    ucomisd, dn, dc
        comi    ucomisd, da, da
        ; ---- conversions ----
        xop     cvtps2pd, fa, fc
        xop     cvtps2pd, fc, fa
        xop     cvtpd2ps, da, db
        xop     cvtpd2ps, dc, dn
        xop     cvtpd2ps, de, df
        xop     cvtss2sd, fa, fc
        xop     cvtss2sd, fa, fd
        xop     cvtsd2ss, da, db
        xop     cvtsd2ss, da, dc
        xop     cvtsd2ss, da, de
        xop     cvtdq2ps, fa, ia
        xop     cvtdq2ps, fa, ic
        xop     cvtps2dq, fa, fa
        xop     cvtps2dq, fa, fr
        xop     cvttps2dq, fa, fr
        xop     cvtps2dq, fa, fc
        xop     cvtdq2pd, fa, ic
        xop     cvtpd2dq, fa, dr
        xop     cvttpd2dq, fa, dr
        xop     cvtpd2dq, fa, dc
        xop     cvtpd2dq, fa, db
        toint   cvtss2si, fr
        toint   cvttss2si, fr
        toint   cvtss2si, fb
        toint   cvtss2si, fc
        toint   cvtsd2si, dr
        toint   cvttsd2si, dr
        toint   cvtsd2si, db
        toint   cvtsd2si, dn
        mov     eax, 0x7FFFFFFF
        cvtsi2ss xmm1, eax
        movdqu  [RES], xmm1
        show128 "cvtsi2ss ", RES
        cvtsi2sd xmm1, [R(ic)]
        movdqu  [RES], xmm1
        show128 "cvtsi2sd ", RES
        movdqu  xmm1, [R(fa)]
        cvtpi2ps xmm1, [R(ic)]
        movdqu  [RES], xmm1
        show128 "cvtpi2ps ", RES
        cvtpi2pd xmm1, [R(ic)]
        movdqu  [RES], xmm1
        show128 "cvtpi2pd ", RES
        cvtps2pi mm0, [R(fr)]
        movq    [RES], mm0
        show64  "cvtps2pi ", RES
        cvttps2pi mm0, [R(fr)]
        movq    [RES], mm0
        show64  "cvttps2pi ", RES
        cvtpd2pi mm0, [R(dr)]
        movq    [RES], mm0
        show64  "cvtpd2pi ", RES
        cvttpd2pi mm0, [R(dr)]
        movq    [RES], mm0
        show64  "cvttpd2pi ", RES
        emms
        ; ---- the four rounding modes ----
        xor     ecx, ecx
.rc:    mov     eax, ecx
        shl     eax, 13
        or      eax, 0x1F80
        mov     [MX], eax
        ldmxcsr [MX]
        show    "rc ", ecx
        xop     divps, fo, ft
        xop     divpd, do, dt
        xop     addps, fo, fsm
        xop     addpd, do, dsm
        xop     mulps, fo, fm
        xop     sqrtps, fo, ft
        xop     sqrtpd, dt, dt
        xop     cvtps2dq, fa, fr
        xop     cvtpd2dq, fa, dr
        xop     cvtpd2ps, fa, dt
        xop     cvtdq2ps, fa, ic
        ldmxcsr [MX]
        toint   cvtss2si, fr
        ldmxcsr [MX]
        toint   cvtsd2si, dr
        ldmxcsr [MX]
        xop     mulps, fb, fb
        ldmxcsr [MX]
        xop     mulpd, de, de
        inc     ecx
        cmp     ecx, 4
        jb      .rc
        ; DAZ and FZ
        mov     dword [MX], 0x1F80 | 0x8040
        ldmxcsr [MX]
        xop     addps, fe, ff
        mov     dword [MX], 0x1F80 | 0x8040
        ldmxcsr [MX]
        xop     mulpd, de, df
        mov     dword [MX], 0x1F80 | 0x8040
        ldmxcsr [MX]
        xop     mulps, fm, fe
        ; ---- moves ----
        movdqu  xmm0, [R(fa)]
        movss   xmm0, [R(fb)]
        movdqu  [RES], xmm0
        show128 "movss m ", RES
        movdqu  xmm0, [R(fa)]
        movdqu  xmm1, [R(fb)]
        movss   xmm0, xmm1
        movdqu  [RES], xmm0
        show128 "movss r ", RES
        movsd   xmm0, [R(db)]
        movdqu  [RES], xmm0
        show128 "movsd m ", RES
        movdqu  xmm0, [R(fa)]
        movsd   xmm0, xmm1
        movdqu  [RES], xmm0
        show128 "movsd r ", RES
        movdqu  xmm0, [R(fa)]
        movlps  xmm0, [R(fb)]
        movdqu  [RES], xmm0
        show128 "movlps ", RES
        movhps  xmm0, [R(fc)]
        movdqu  [RES], xmm0
        show128 "movhps ", RES
        movhlps xmm0, xmm1
        movdqu  [RES], xmm0
        show128 "movhlps ", RES
        movlhps xmm0, xmm1
        movdqu  [RES], xmm0
        show128 "movlhps ", RES
        movhps  [RES], xmm1
        movlps  [RES + 8], xmm1
        show128 "movhps/movlps st ", RES
        movaps  xmm2, [R(fd)]
        movups  [RES], xmm2
        show128 "movaps/movups ", RES
        movapd  [RES], xmm1
        show128 "movapd st ", RES
        movupd  xmm2, [R(fe)]
        movntps [RES], xmm2
        show128 "movupd/movntps ", RES
        movmskps eax, xmm2
        show    "movmskps ", eax
        movmskpd eax, xmm2
        show    "movmskpd ", eax
        movdqa  xmm3, [R(ib)]
        movdqa  [RES], xmm3
        show128 "movdqa ", RES
        ; ---- SSE3 ----
        xop     haddps, fa, fb
        xop     hsubps, fa, fb
        xop     addsubps, fa, fb
        xop     haddpd, da, db
        xop     hsubpd, da, db
        xop     addsubpd, da, db
        xop     movsldup, fa, fb
        xop     movshdup, fa, fb
        xop     movddup, fa, db
        lddqu   xmm0, [R(fb) + 4]
        movdqu  [RES], xmm0
        show128 "lddqu ", RES
        fld     qword [R(dr)]
        fisttp  dword [RES]
        show    "fisttp ", [RES]
        fld     qword [R(dr) + 8]
        fisttp  word [RES]
        movzx   eax, word [RES]
        show    "fisttp w ", eax
        ; ---- FXSAVE: MXCSR and the XMM registers ----
        mov     dword [MX], 0x3F80 | 0x20
        ldmxcsr [MX]
        movdqu  xmm7, [R(ib)]
        fxsave  [FX]
        show    "fxsave mxcsr ", [FX + 24]
        show    "fxsave mxcsr_mask ", [FX + 28]
        show128 "fxsave xmm7 ", FX + 160 + 7 * 16
        ldmxcsr [R(mxdef)]
        pxor    xmm7, xmm7
        fxrstor [FX]
        movdqu  [RES], xmm7
        show128 "fxrstor xmm7 ", RES
        ; ---- exceptions ----
        ; (an unmasked exception is #XM, or #UD without CR4.OSXMMEXCPT: QEMU 7.2 raises neither, SseTest)
        mov     ebx, R(fa) + 4
        movaps  xmm0, [ebx]                     ; misaligned: #GP(0), the handler skips it (3 bytes)
        show    "gp hits ", [HIT]
        ; (LDMXCSR of a reserved bit is #GP(0): QEMU 7.2 loads it, SseTest)
        jmp     pass

mxshow: push    eax
        stmxcsr [MX]
        print   " mx "
        mov     eax, [MX]
        and     eax, ~2                         ; DE: QEMU 7.2 never sets it, the SDM does (SseTest)
        call    puthex
        call    newline
        ldmxcsr [R(mxdef)]
        pop     eax
        ret

xm_handler:
        print   "#XM"
        call    mxshow
        jmp     fail
ud_handler:
        print   "#UD"
        call    mxshow
        jmp     fail
gp_handler:
        inc     dword [HIT]
        print   "#GP "
        mov     eax, [esp]
        call    puthex
        call    newline
        add     esp, 4
        add     dword [esp], 3                  ; skips the faulting movaps xmm0, [ebx] (0F 28 03)
        iret

        align 16
mxdef:  dd      0x1F80
        align 16
va:     dq      0x8001_7FFF_00FF_FF80
vb:     dq      0x7FFF_8000_FF01_0190
va2:    dq      0x0123_4567_89AB_CDEF
vb2:    dq      0xFEDC_BA98_7654_3210
ia:     dq      0x8001_7FFF_00FF_FF80, 0x0123_4567_89AB_CDEF
ib:     dq      0x7FFF_8000_FF01_0190, 0xFEDC_BA98_7654_3210
ic:     dd      -7, 0x7FFFFFFF, 123456789, -2147483648
fa:     dd      1.5, -2.0, 1.0e30, 3.0
fb:     dd      0.75, 3.0, 1.0e30, 7.0
fc:     dd      0x7F800000, 0x7FC00001, 0x7F800001, 0x00000001
fd:     dd      0xFF800000, 1.0, 2.0, 1.0
fe:     dd      0x00400000, -0.0, 1.0e-30, -1.0e-20
ff:     dd      0x80200000, 0.0, 1.0e-10, 1.0e20
fr:     dd      2.5, -2.5, 1.5, -0.5
fo:     dd      1.0, -1.0, 2.0, -2.0
ft:     dd      3.0, 3.0, 3.0, 3.0
fsm:     dd      0x33000001, 0x33000001, 0xB3000001, 0xB3000001
fm:     dd      1.1, -1.1, 0x3F800001, 0xBF800001
fz:     dd      0.0, 1.0, 1.0, 1.0
da:     dq      1.5, 1.0e300
db:     dq      3.0, 1.0e300
dc:     dq      0x7FF0000000000000, 0x7FF0000000000001
dn:     dq      0xFFF0000000000000, 0x0000000000000001
de:     dq      0x0008000000000000, 1.0e-300
df:     dq      -0.0, 1.0e-20
dr:     dq      2.5, -3.5
do:     dq      1.0, -1.0
dt:     dq      3.0, 3.0
dsm:     dq      0x3CA0000000000001, 0xBCA0000000000001

%include "end.inc"
