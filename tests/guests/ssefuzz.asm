; ssefuzz.asm -- SSE/SSE2 floating point on pseudo-random operands against QEMU 7.2
; (tests/guests/ssefuzz.qemu.txt): 3000 rounds; each round draws 128-bit operands (random bits, and
; values steered to zeros, denormals, infinities, NaNs, huge and tiny exponents), a rounding mode
; and DAZ/FZ, runs every arithmetic, compare and conversion form on them (the horizontal adds, whose
; lanes may both be NaNs, are in sse.asm) and folds the result and
; MXCSR (all exceptions masked; DE left out: QEMU 7.2 never sets it) into a checksum per instruction.
%include "lib.inc"

%ifdef DEBUG
ROUNDS equ DEBUG                ; nasm -DDEBUG=n: n rounds, every folded value printed
%else
ROUNDS equ 3000
%endif
SEED   equ DATA                 ; xorshift32 state
OPA    equ DATA + 0x10          ; 16-byte operands
OPB    equ DATA + 0x20
RES    equ DATA + 0x30
MX     equ DATA + 0x60          ; the round's MXCSR
MX2    equ DATA + 0x64          ; the same without DAZ
SUMS   equ DATA + 0x100         ; one dword per instruction

; the instructions, in checksum order
%macro each 1
        %1 addps
        %1 subps
        %1 mulps
        %1 divps
        %1 sqrtps
        %1 addss
        %1 subss
        %1 mulss
        %1 divss
        %1 sqrtss
        %1 addpd
        %1 subpd
        %1 mulpd
        %1 divpd
        %1 sqrtpd
        %1 addsd
        %1 subsd
        %1 mulsd
        %1 divsd
        %1 sqrtsd
        %1 cvtps2pd
        %1 cvtpd2ps
        %1 cvtss2sd
        %1 cvtsd2ss
        %1 cvtdq2ps
        %1 cvtps2dq
        %1 cvttps2dq
        %1 cvtdq2pd
        %1 cvtpd2dq
        %1 cvttpd2dq
        %1 addsubps
        %1 addsubpd
%endmacro
; MIN/MAX, without DAZ: under DAZ the SDM converts a denormal operand to zero before the operation
; (Vol. 1 10.2.3.4) and so returns that zero; QEMU 7.2 returns the denormal unchanged (SseTest)
%macro eachmm 1
        %1 minps
        %1 maxps
        %1 minss
        %1 maxss
        %1 minpd
        %1 maxpd
        %1 minsd
        %1 maxsd
%endmacro
; the one-operand forms again with the NaN-carrying operand A as the source
%macro each1 1
        %1 sqrtps
        %1 sqrtss
        %1 sqrtpd
        %1 sqrtsd
        %1 cvtps2pd
        %1 cvtpd2ps
        %1 cvtss2sd
        %1 cvtsd2ss
        %1 cvtps2dq
        %1 cvttps2dq
        %1 cvtpd2dq
        %1 cvttpd2dq
%endmacro

%assign NOPS 0
%macro count 1
%assign NOPS NOPS + 1
%endmacro
each count
each1 count
eachmm count

; run one: xmm0 = A, OP xmm0, [B], fold xmm0 and MXCSR into SUMS[k]
%assign K 0
%macro runop 1
        movdqu  xmm0, [OPA]
        ldmxcsr [MX]
        %1      xmm0, [OPB]
        movdqu  [RES], xmm0
        stmxcsr [RES + 16]
        and     dword [RES + 16], ~2
        mov     esi, SUMS + K * 4
        call    fold
%assign K K + 1
%endmacro

%macro runop1 1
        movdqu  xmm0, [OPB]
        ldmxcsr [MX]
        %1      xmm0, [OPA]
        movdqu  [RES], xmm0
        stmxcsr [RES + 16]
        and     dword [RES + 16], ~2
        mov     esi, SUMS + K * 4
        call    fold
%assign K K + 1
%endmacro

%macro runopnd 1
        movdqu  xmm0, [OPA]
        ldmxcsr [MX2]
        %1      xmm0, [OPB]
        movdqu  [RES], xmm0
        stmxcsr [RES + 16]
        and     dword [RES + 16], ~2
        mov     esi, SUMS + K * 4
        call    fold
%assign K K + 1
%endmacro

%macro cmpop 1
        movdqu  xmm0, [OPA]
        ldmxcsr [MX]
        cmpps   xmm0, [OPB], %1
        movdqu  [RES], xmm0
        stmxcsr [RES + 16]
        and     dword [RES + 16], ~2
        mov     esi, SUMS + (NOPS + %1) * 4
        call    fold
        movdqu  xmm0, [OPA]
        ldmxcsr [MX]
        cmppd   xmm0, [OPB], %1
        movdqu  [RES], xmm0
        stmxcsr [RES + 16]
        and     dword [RES + 16], ~2
        mov     esi, SUMS + (NOPS + 8 + %1) * 4
        call    fold
%endmacro

        bits 32
main32:
        mov     eax, cr4
        or      eax, 0x600
        mov     cr4, eax
        mov     dword [SEED], 0x12345678
        mov     edi, SUMS
        mov     ecx, NOPS + 16 + 4
        xor     eax, eax
        rep stosd
        mov     ebp, ROUNDS
.round:
        mov     edi, OPA
        call    operand
        mov     edi, OPB
        call    operand
        ; no lane has a NaN in both operands: the SSE rule takes the first operand's, QEMU 7.2 the one
        ; with the larger significand (the x87 rule); B is made NaN-free (single and double)
        mov     ecx, 4
        mov     esi, OPB
.nonan: mov     eax, [esi]
        and     eax, 0x7FFFFFFF
        cmp     eax, 0x7F800000
        jbe     .ok
        and     dword [esi], ~0x40000000
.ok:    add     esi, 4
        loop    .nonan
        call    rand                            ; RC, DAZ, FZ; all exceptions masked
        mov     ebx, eax
        and     eax, 3 << 13
        or      eax, 0x1F80
        test    ebx, 0x100
        jz      .nodaz
        or      eax, 0x40
.nodaz: test    ebx, 0x200
        jz      .nofz
        or      eax, 0x8000
.nofz:  mov     [MX], eax
%ifdef DEBUG
        mov     esi, OPA
        mov     ecx, 9
.po:    lodsd
        call    puthex
        mov     al, ' '
        mov     dx, DEBUGCON
        out     dx, al
        loop    .po
        call    newline
%endif
        each    runop
        each1   runop1
        mov     eax, [MX]
        and     eax, ~0x40
        mov     [MX2], eax
        eachmm  runopnd
        cmpop   0
        cmpop   1
        cmpop   2
        cmpop   3
        cmpop   4
        cmpop   5
        cmpop   6
        cmpop   7
        ; comiss / ucomisd flags
        movdqu  xmm0, [OPA]
        ldmxcsr [MX]
        comiss  xmm0, [OPB]
        pushfd
        pop     eax
        and     eax, 0x8D5
        mov     [RES], eax
        ucomisd xmm0, [OPB]
        pushfd
        pop     eax
        and     eax, 0x8D5
        mov     [RES + 4], eax
        cvtss2si eax, [OPB]
        mov     [RES + 8], eax
        cvttsd2si eax, [OPB]
        mov     [RES + 12], eax
        stmxcsr [RES + 16]
        and     dword [RES + 16], ~2
        mov     esi, SUMS + (NOPS + 16) * 4
        call    fold
        dec     ebp
        jnz     .round
        ; print
        mov     esi, SUMS
        mov     ecx, NOPS + 17
.pr:    lodsd
        call    puthex
        call    newline
        loop    .pr
        jmp     pass

; fold: SUMS dword at ESI = rol(SUMS, 5) xor each of the 5 dwords at RES
fold:   push    eax
        push    ecx
        push    edx
%ifdef DEBUG
        mov     eax, esi
        call    puthex
        xor     ecx, ecx
.p:     mov     al, ' '
        mov     dx, DEBUGCON
        out     dx, al
        mov     eax, [RES + ecx * 4]
        call    puthex
        inc     ecx
        cmp     ecx, 5
        jb      .p
        call    newline
%endif
        mov     edx, [esi]
        xor     ecx, ecx
.f:     rol     edx, 5
        xor     edx, [RES + ecx * 4]
        add     edx, 0x9E3779B9
        inc     ecx
        cmp     ecx, 5
        jb      .f
        mov     [esi], edx
        pop     edx
        pop     ecx
        pop     eax
        ret

; rand: EAX = next xorshift32
rand:   mov     eax, [SEED]
        mov     edx, eax
        shl     edx, 13
        xor     eax, edx
        mov     edx, eax
        shr     edx, 17
        xor     eax, edx
        mov     edx, eax
        shl     edx, 5
        xor     eax, edx
        mov     [SEED], eax
        ret

; operand: 16 bytes at EDI, each dword steered by a random class
operand:
        push    ecx
        mov     ecx, 4
.d:     call    rand
        mov     ebx, eax
        call    rand
        shr     ebx, 28                         ; class 0..15
        cmp     ebx, 2
        jb      .store                          ; random bits
        cmp     ebx, 3
        ja      .n1
        and     eax, 0x807FFFFF                 ; zero or denormal single
        test    ebx, 1
        jz      .store
        and     eax, 0x80000000
        jmp     .store
.n1:    cmp     ebx, 5
        ja      .n2
        or      eax, 0x7F800000                 ; NaN or infinity (single)
        test    ebx, 1
        jz      .store
        and     eax, 0xFF800000
        jmp     .store
.n2:    cmp     ebx, 7
        ja      .n3
        and     eax, 0x80FFFFFF                 ; tiny exponents (single)
        or      eax, 0x00800000
        jmp     .store
.n3:    cmp     ebx, 9
        ja      .n4
        or      eax, 0x7E000000                 ; huge exponents (single)
        and     eax, 0xFF7FFFFF
        jmp     .store
.n4:    cmp     ebx, 11
        ja      .n5
        and     eax, 0x803FFFFF                 ; near 1.0 (single)
        or      eax, 0x3F800000
        jmp     .store
.n5:    cmp     ebx, 13
        ja      .n6
        and     eax, 0x800FFFFF                 ; double-precision high dwords: tiny / near 1 / huge
        test    ebx, 1
        jz      .store
        or      eax, 0x3FF00000
        jmp     .store
.n6:    and     eax, 0x8000FFFF                 ; small integers (for the integer conversions)
        test    ebx, 1
        jz      .store
        or      eax, 0x7FE00000
.store: stosd
        dec     ecx
        jnz     .d
        pop     ecx
        ret

%include "end.inc"
