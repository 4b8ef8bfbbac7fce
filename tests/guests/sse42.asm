; sse42.asm -- SSE4.2 (PCMPGTQ, PCMPESTRI/ESTRM/ISTRI/ISTRM, CRC32), MOVBE, PCLMULQDQ and AES-NI (SDM Vol. 2
; for each instruction, Vol. 2B 4.1 for the string compares) against QEMU 7.2 with -cpu max
; (tests/guests/sse42-max.qemu.txt): ROUNDS rounds of pseudo-random operands (strings of a small alphabet
; with zeros for the implicit lengths, EAX/EDX lengths in -20..20 and some large), every string compare
; with each of the 128 values of imm8[6:0] (one checksum per instruction and imm8[3:0]: data format and
; aggregation; ECX or XMM0 and CF ZF SF OF AF PF), CRC32 of each source size from registers and memory,
; MOVBE loads and stores, PCLMULQDQ's four halves, each AES round form; then fixed values (the FIPS 197
; appendix B first round, a CRC-32C check value) and the alignment rules (the string compares take a
; misaligned m128, PCMPGTQ #GP(0); PCLMULQDQ/AES: SimdExtTest).
; Recorded with: tools/build-guests --qemu (qemu-system-x86_64 -machine pc,accel=tcg -cpu max -bios sse42.bin
;   -device isa-debugcon,iobase=0x402,chardev=... -device isa-debug-exit,iobase=0xf4,iosize=4)
%include "lib.inc"
%include "simdx.inc"

%ifdef DEBUG
ROUNDS equ DEBUG
%else
ROUNDS equ 60
%endif
LENA    equ DATA + 0x90
LENB    equ DATA + 0x94
CELL    equ DATA + 0x98

%assign K 0
%macro next 0
        mov     esi, SUMS + K * 4
        call    fold
%assign K K + 1
%endmacro

; strcmp NAME, IMM, SUM: one string compare into sums[SUM]: ECX or XMM0, and the flags
%macro strcmp 3
        movdqa  xmm1, [OPA]
        movdqa  xmm2, [OPB]
        pcmpeqb xmm0, xmm0
        mov     eax, [LENA]
        mov     edx, [LENB]
        mov     ecx, 0x5A5A5A5A
        push    dword 0x8D5
        popfd
        %1      xmm1, xmm2, %2
        pushfd
        pop     eax
        and     eax, 0x8D5
        mov     [RES + 16], eax
        mov     [RES + 12], ecx
        movdqu  [RES], xmm0
        mov     esi, SUMS + (%3) * 4
        call    fold
%endmacro
%macro strall 2
%assign J 0
%rep 128
        strcmp  %1, J, %2 + (J & 15)
%assign J J + 1
%endrep
%endmacro

; xop NAME[, IMM]: xmm1 = A; NAME xmm1, [B]; the register form on xmm3/xmm2 must agree
%macro xop 1-2
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

%macro xops 1
        %1 pcmpgtq
        %1 pclmulqdq, 0x00
        %1 pclmulqdq, 0x01
        %1 pclmulqdq, 0x10
        %1 pclmulqdq, 0x11
        %1 pclmulqdq, 0xEE
        %1 aesenc
        %1 aesenclast
        %1 aesdec
        %1 aesdeclast
        %1 aesimc
        %1 aeskeygenassist, 0x00
        %1 aeskeygenassist, 0x01
        %1 aeskeygenassist, 0x36
        %1 aeskeygenassist, 0xFF
%endmacro

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
; the 16 names of a string compare: NAME and imm8[3:0]
%macro strnames 1
%defstr %%n %1
%assign J 0
%rep 16
%defstr %%j J
        db      %%n, " imm&15=", %%j, 0
%assign J J + 1
%endrep
%endmacro

        bits 32
main32:
        call    setup
        mov     ebp, ROUNDS
.round:
        mov     edi, OPA
        call    soperand
        mov     edi, OPB
        call    soperand
        call    length
        mov     [LENA], eax
        call    length
        mov     [LENB], eax
        strall  pcmpestri, 0
        strall  pcmpestrm, 16
        strall  pcmpistri, 32
        strall  pcmpistrm, 48
%assign K 64
        mov     edi, OPA
        call    ioperand
        mov     edi, OPB
        call    ioperand
        xops    xop
        ; CRC32 of each size, register and memory sources
        mov     eax, [OPA]
        mov     ebx, [OPB]
        crc32   eax, bl
        crc32   eax, bh
        crc32   eax, bx
        crc32   eax, ebx
        mov     [RES], eax
        mov     eax, [OPA + 4]
        crc32   eax, byte [OPB + 5]
        crc32   eax, word [OPB + 6]
        crc32   eax, dword [OPB + 9]
        mov     [RES + 4], eax
        mov     dword [RES + 8], 0
        mov     dword [RES + 12], 0
        mov     dword [RES + 16], 0
        next
        ; MOVBE
        mov     eax, [OPA + 8]
        movbe   ebx, [OPB + 1]
        movbe   ax, [OPB + 6]
        mov     [RES], ebx
        mov     [RES + 4], eax
        mov     dword [CELL], 0xA5A5A5A5
        mov     eax, [OPA + 12]
        movbe   [CELL], ax
        mov     ebx, [CELL]
        mov     [RES + 8], ebx
        movbe   [CELL], eax
        mov     ebx, [CELL]
        mov     [RES + 12], ebx
        next
        dec     ebp
        jnz     .round
        mov     esi, R(names)
        mov     ecx, K
        call    printsums
        ; ---- fixed inputs ----
        movdqa  xmm1, [R(aes_in)]
        pxor    xmm1, [R(aes_key)]
        aesenc  xmm1, [R(aes_rk1)]
        movdqu  [RES], xmm1
        show128 "aesenc fips197 round 1 ", RES
        aesdec  xmm1, [R(aes_rk1)]
        movdqu  [RES], xmm1
        show128 "aesdec of it ", RES
        aeskeygenassist xmm1, [R(aes_key)], 0x01
        movdqu  [RES], xmm1
        show128 "aeskeygenassist key 01 ", RES
        mov     eax, 0xFFFFFFFF
        mov     esi, R(digits)
        mov     ecx, 9
.crc:   crc32   eax, byte [esi]
        inc     esi
        loop    .crc
        not     eax
        print   "crc32c 123456789 "
        call    puthex
        call    newline
        movdqa  xmm1, [R(needle)]
        mov     ebx, R(hay)
        pcmpistri xmm1, [ebx + 1], 0x0C         ; equal ordered, unsigned bytes; a misaligned m128
        print   "pcmpistri needle hay+1 "
        mov     eax, ecx
        call    puthex
        call    newline
        ; ---- exceptions ----
        mov     ebx, OPA + 4
        try     {pcmpestrm xmm1, [ebx], 0x00}   ; no alignment for the string compares
        try     {pcmpgtq xmm1, [ebx]}           ; misaligned m128: #GP(0)
        ; (PCLMULQDQ and the AES forms of a misaligned m128 are #GP(0) too, as the SDM says; QEMU 7.2 does
        ; not check their alignment: SimdExtTest)
        try     {movbe eax, [ebx + 1]}
        mov     eax, [HITS]
        print   "faults "
        call    puthex
        call    newline
        jmp     pass

; soperand: 16 bytes at EDI from the alphabet of alpha (zeros, 'a' 'b' 'c', 80h, FFh)
soperand:
        push    ecx
        mov     ecx, 16
.b:     call    rand
        shr     eax, 20
        and     eax, 7
        mov     al, [R(alpha) + eax]
        stosb
        loop    .b
        pop     ecx
        ret
alpha:  db      0, 'a', 'b', 'c', 0x80, 0xFF, 'a', 'b'
; length: EAX = a random explicit length: -20 .. 20, or (1 in 8) a large one
length: call    rand
        test    eax, 0x7000000
        jz      .big
        and     eax, 63
        sub     eax, 31
        cmp     eax, 20
        jle     .ok
        sub     eax, 11
.ok:    ret
.big:   or      eax, 0x100
        ret

names:  strnames pcmpestri
        strnames pcmpestrm
        strnames pcmpistri
        strnames pcmpistrm
        xops    name
        db      "crc32", 0
        db      "movbe", 0

        align 16
aes_in:  db     0x32, 0x43, 0xF6, 0xA8, 0x88, 0x5A, 0x30, 0x8D, 0x31, 0x31, 0x98, 0xA2, 0xE0, 0x37, 0x07, 0x34
aes_key: db     0x2B, 0x7E, 0x15, 0x16, 0x28, 0xAE, 0xD2, 0xA6, 0xAB, 0xF7, 0x15, 0x88, 0x09, 0xCF, 0x4F, 0x3C
aes_rk1: db     0xA0, 0xFA, 0xFE, 0x17, 0x88, 0x54, 0x2C, 0xB1, 0x23, 0xA3, 0x39, 0x39, 0x2A, 0x6C, 0x76, 0x05
needle: db      "abc", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
hay:    db      "xxabxabcabc", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
digits: db      "123456789"

%include "end.inc"
