; mmx.asm -- the MMX instruction set of the Pentium MMX (SDM Vol. 1 chapter 9, Vol. 2 for each instruction) against QEMU 7.2
; (tests/guests/mmx.qemu.txt): every 0F 60-7F / D0-FF form of the original MMX set (the SSE
; and SSE2 additions on MMX registers are in sse.asm) on fixed inputs, the result as
; "name hex" lines, and the x87 state MMX sets (TOP 0, tags valid; EMMS empties the tags).
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
; binop MNEMONIC: mm0 = A, MNEMONIC mm0, [B] and (register form) mm1 = A, MNEMONIC mm1, mm2 (= B)
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
; shift MNEMONIC COUNT: by an immediate and by a register count
%macro shiftop 2
%defstr %%n %1
%defstr %%c %2
        movq    mm3, [R(va)]
        %1      mm3, %2
        movq    [RES], mm3
        show64  %%n, RES, {" ", %%c, " "}
        movq    mm3, [R(vb)]
        mov     dword [CNT], %2
        mov     dword [CNT + 4], 0
        %1      mm3, [CNT]
        movq    [RES], mm3
        show64  %%n, RES, {" m ", %%c, " "}
%endmacro

RES equ DATA
CNT equ DATA + 0x10
ENV equ DATA + 0x40

        bits 32
main32:
        fninit
        binop   paddb
        binop   paddw
        binop   paddd
        binop   psubb
        binop   psubw
        binop   psubd
        binop   paddsb
        binop   paddsw
        binop   paddusb
        binop   paddusw
        binop   psubsb
        binop   psubsw
        binop   psubusb
        binop   psubusw
        binop   pcmpeqb
        binop   pcmpeqw
        binop   pcmpeqd
        binop   pcmpgtb
        binop   pcmpgtw
        binop   pcmpgtd
        binop   pmullw
        binop   pmulhw
        binop   pmaddwd
        binop   pand
        binop   pandn
        binop   por
        binop   pxor
        binop   packsswb
        binop   packssdw
        binop   packuswb
        binop   punpcklbw
        binop   punpcklwd
        binop   punpckldq
        binop   punpckhbw
        binop   punpckhwd
        binop   punpckhdq
        shiftop psllw, 3
        shiftop psllw, 16
        shiftop pslld, 7
        shiftop pslld, 33
        shiftop psllq, 12
        shiftop psllq, 64
        shiftop psrlw, 5
        shiftop psrld, 9
        shiftop psrlq, 40
        shiftop psrlq, 255
        shiftop psraw, 4
        shiftop psraw, 200
        shiftop psrad, 31
        shiftop psrad, 13
        ; movd
        mov     eax, 0xCAFEF00D
        movd    mm5, eax
        movq    [RES], mm5
        show64  "movd in ", RES
        movq    mm5, [R(vb)]
        movd    eax, mm5
        show    "movd out ", eax
        movd    [RES + 8], mm5
        show    "movd m out ", [RES + 8]
        ; the x87 view: exponent of a written MMX register, TOP and the tag word
        fnstenv [ENV]
        movzx   eax, word [ENV + 4]
        show    "env sw ", eax
        movzx   eax, word [ENV + 8]
        show    "env tw ", eax
        ; (the exponent of a written MMX register: QEMU 7.2 leaves it, the SDM sets it to all ones: MmxTest)
        emms
        fnstenv [ENV]
        movzx   eax, word [ENV + 8]
        show    "emms tw ", eax
        fld1
        fnstenv [ENV]
        movzx   eax, word [ENV + 4]
        show    "fld1 sw ", eax
        movq    mm0, [R(va)]
        fnstenv [ENV]
        movzx   eax, word [ENV + 4]
        show    "movq after fld1 sw ", eax
        movzx   eax, word [ENV + 8]
        show    "movq after fld1 tw ", eax
        emms
        jmp     pass

        align 8
va:     dq      0x8001_7FFF_00FF_FF80
vb:     dq      0x7FFF_8000_FF01_0190
va2:    dq      0x0123_4567_89AB_CDEF
vb2:    dq      0xFEDC_BA98_7654_3210

%include "end.inc"
