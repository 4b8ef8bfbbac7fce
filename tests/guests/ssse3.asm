; ssse3.asm -- SSSE3 (SDM Vol. 2 for each instruction; opcodes 0F 38 00-0B, 1C-1E and 0F 3A 0F, Vol. 2D
; Tables A-4/A-5) against QEMU 7.2 with -cpu max (tests/guests/ssse3-max.qemu.txt): every instruction
; in its MMX (no prefix) and XMM (66) form, memory and register sources, first on fixed inputs (the
; results printed), then ROUNDS rounds of pseudo-random inputs steered to 00/FF/80/7F/01 bytes (one
; checksum per instruction and form); PALIGNR with immediates across and beyond the operand; #GP(0)
; for a misaligned 16-byte operand (the MMX form reads 8 bytes without alignment).
; Recorded with: tools/build-guests --qemu (qemu-system-x86_64 -machine pc,accel=tcg -cpu max -bios ssse3.bin
;   -device isa-debugcon,iobase=0x402,chardev=... -device isa-debug-exit,iobase=0xf4,iosize=4)
%include "lib.inc"
%include "simdx.inc"

%ifdef DEBUG
ROUNDS equ DEBUG                ; nasm -DDEBUG=n: n rounds, every folded value printed
%else
ROUNDS equ 400
%endif

%macro each 1
        %1 pshufb
        %1 phaddw
        %1 phaddd
        %1 phaddsw
        %1 pmaddubsw
        %1 phsubw
        %1 phsubd
        %1 phsubsw
        %1 psignb
        %1 psignw
        %1 psignd
        %1 pmulhrsw
        %1 pabsb
        %1 pabsw
        %1 pabsd
%endmacro
%macro eachimm 2
        %1 %2, 0
        %1 %2, 1
        %1 %2, 5
        %1 %2, 8
        %1 %2, 12
        %1 %2, 15
        %1 %2, 16
        %1 %2, 17
        %1 %2, 24
        %1 %2, 31
        %1 %2, 32
        %1 %2, 255
%endmacro

; the XMM form (memory source, then register source) and the MMX form (the same) into RES
%macro xform 1-2
%if %0 > 1
        movdqa  xmm0, [OPA]
        %1      xmm0, [OPB], %2
        movdqa  xmm3, [OPB]
        movdqa  xmm5, [OPA]
        %1      xmm5, xmm3, %2
%else
        movdqa  xmm0, [OPA]
        %1      xmm0, [OPB]
        movdqa  xmm3, [OPB]
        movdqa  xmm5, [OPA]
        %1      xmm5, xmm3
%endif
        pxor    xmm5, xmm0                      ; memory and register forms agree: zero
        movdqu  [RES], xmm0
        movd    [RES + 16], xmm5
%endmacro
%macro mform 1-2
%if %0 > 1
        movq    mm0, [OPA]
        %1      mm0, [OPB + 8], %2
        movq    [RES], mm0
        movq    mm1, [OPA + 8]
        movq    mm2, [OPB]
        %1      mm1, mm2, %2
%else
        movq    mm0, [OPA]
        %1      mm0, [OPB + 8]
        movq    [RES], mm0
        movq    mm1, [OPA + 8]
        movq    mm2, [OPB]
        %1      mm1, mm2
%endif
        movq    [RES + 8], mm1
        mov     dword [RES + 16], 0
%endmacro

%assign K 0
%macro fuzz 1-2
        xform   %{1:-1}
        mov     esi, SUMS + K * 4
        call    fold
%assign K K + 1
        mform   %{1:-1}
        mov     esi, SUMS + K * 4
        call    fold
%assign K K + 1
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
%macro fixed 1-2
        label   %{1:-1}
        xform   %{1:-1}
        %strcat %%t NAME, " x "
        show128 %%t, RES
        print   "  reg-mem "
        mov     eax, [RES + 16]
        call    puthex
        call    newline
        mform   %{1:-1}
        %strcat %%u NAME, " mm "
        show128 %%u, RES
%endmacro
%macro name 1-2
        label   %{1:-1}
        db      NAME, " x", 0, NAME, " mm", 0
%endmacro

        bits 32
main32:
        call    setup
        ; ---- fixed inputs ----
        movdqa  xmm7, [R(fa)]
        movdqa  [OPA], xmm7
        movdqa  xmm7, [R(fb)]
        movdqa  [OPB], xmm7
        each    fixed
        eachimm fixed, palignr
        movdqa  xmm7, [R(fc)]
        movdqa  [OPA], xmm7
        movdqa  xmm7, [R(fd)]
        movdqa  [OPB], xmm7
        each    fixed
        ; ---- pseudo-random inputs ----
        mov     ebp, ROUNDS
.round:
        mov     edi, OPA
        call    ioperand
        mov     edi, OPB
        call    ioperand
        each    fuzz
        eachimm fuzz, palignr
        dec     ebp
        jnz     .round
        mov     esi, R(names)
        mov     ecx, K
        call    printsums
        ; ---- exceptions ----
        mov     ebx, OPA + 4
        try     {pshufb xmm0, [ebx]}            ; misaligned m128: #GP(0)
        try     {palignr xmm0, [ebx], 3}
        try     {pabsw xmm0, [ebx + 8]}
        try     {pshufb mm0, [ebx]}             ; m64: no alignment
        try     {phaddd mm0, [ebx + 3]}
        mov     eax, [HITS]
        print   "faults "
        call    puthex
        call    newline
        emms
        jmp     pass

names:  each    name
        eachimm name, palignr

        align 16
fa:     dq      0x8001_7FFF_00FF_FF80, 0x0123_4567_89AB_CDEF
fb:     dq      0x7FFF_8000_FF01_0190, 0xFEDC_BA98_7654_3210
fc:     dq      0x8000_8000_7FFF_7FFF, 0x8000_0000_7FFF_FFFF
fd:     dq      0x8000_7FFF_8000_0001, 0x0000_0000_FFFF_FFFF

%include "end.inc"
