; sse4a.asm -- SSE4A (CPUID.80000001h:ECX.SSE4A[6], AMD APM Vol. 4): EXTRQ and INSERTQ in their immediate
; and register forms, MOVNTSS and MOVNTSD, against QEMU 7.2: fixed LENGTH/INDEX pairs (0 = 64 bits, fields
; that cross bit 63, immediates with bits 7:6 set) on ROUNDS pseudo-random XMM operands (the register
; forms' LENGTH/INDEX bytes kept to bits 5:0), each result printed as the whole XMM register; the stores
; to a misaligned address with the bytes around them; then the encodings that are #UD on every model
; (memory ModRM of EXTRQ xmm, xmm and INSERTQ, register MOVNTSS/MOVNTSD, 0F 79 without a prefix:
; VMWRITE). QEMU 7.2 runs EXTRQ's immediate form with a memory ModRM or ModRM.reg != 0 (the APM's
; /0 with a register): Machina raises #UD there (Sse4aOpsTest), left out of the guest. Without SSE4A (-cpu qemu32) every form is #UD.
; Recorded with tools/build-guests --qemu: -cpu qemu32 as tests/guests/sse4a.qemu.txt, -cpu max as
; tests/guests/sse4a-max.qemu.txt (qemu-system-x86_64 -machine pc,accel=tcg -bios sse4a.bin
;   -device isa-debugcon,iobase=0x402,chardev=... -device isa-debug-exit,iobase=0xf4,iosize=4)
%include "lib.inc"
%include "simdx.inc"

ROUNDS  equ 12
BUF     equ DATA + 0x200

; xform NAME, INSN: XMM0 = XMM1 = OPA, XMM2 = OPB, run INSN, print NAME and XMM1 (XMM0 for the
; EXTRQ immediate form: its register is ModRM.rm, which QEMU 7.2 takes from ModRM.reg, so the guest
; uses XMM0 with both fields 0; the rm form is checked in Sse4aOpsTest)
%macro xform 2+
        movdqa  xmm0, [OPA]
        movdqa  xmm1, [OPA]
        movdqa  xmm2, [OPB]
        try     {%2}
        movdqa  [RES], xmm1
        show128 %1, RES
%endmacro
%macro xform0 2+
        movdqa  xmm0, [OPA]
        movdqa  xmm1, [OPA]
        movdqa  xmm2, [OPB]
        try     {%2}
        movdqa  [RES], xmm0
        show128 %1, RES
%endmacro

; ud NAME, BYTES: an encoding that must be #UD (prints "#UD at ..." or "NAME ran")
%macro ud 2+
        mov     eax, BUF
        mov     dword [HITS], 0
        try     {%2}
        cmp     dword [HITS], 0
        jne     %%done
        print   %1
        print   " ran"
        call    newline
%%done:
%endmacro

        bits 32
main32: call    setup
        mov     ecx, ROUNDS
.round: push    ecx
        mov     edi, OPA
        call    ioperand
        mov     edi, OPB
        call    ioperand
        and     byte [OPB], 0x3F        ; EXTRQ xmm, xmm: LENGTH = byte 0, INDEX = byte 1
        and     byte [OPB + 1], 0x3F
        and     byte [OPB + 8], 0x3F    ; INSERTQ xmm, xmm: LENGTH = byte 8, INDEX = byte 9
        and     byte [OPB + 9], 0x3F
        show128 "a ", OPA
        show128 "b ", OPB
        xform0  "extrq 0,0 ", extrq xmm0, 0, 0
        xform0  "extrq 1,0 ", extrq xmm0, 1, 0
        xform0  "extrq 8,4 ", extrq xmm0, 8, 4
        xform0  "extrq 16,48 ", extrq xmm0, 16, 48
        xform0  "extrq 63,1 ", extrq xmm0, 63, 1
        xform0  "extrq 0,8 ", extrq xmm0, 0, 8
        xform0  "extrq 40,30 ", extrq xmm0, 40, 30
        xform0  "extrq c8,c4 ", db 0x66, 0x0F, 0x78, 0xC0, 0xC8, 0xC4
        xform   "extrq r ", extrq xmm1, xmm2
        xform   "insertq 0,0 ", insertq xmm1, xmm2, 0, 0
        xform   "insertq 1,0 ", insertq xmm1, xmm2, 1, 0
        xform   "insertq 8,4 ", insertq xmm1, xmm2, 8, 4
        xform   "insertq 16,48 ", insertq xmm1, xmm2, 16, 48
        xform   "insertq 63,1 ", insertq xmm1, xmm2, 63, 1
        xform   "insertq 0,8 ", insertq xmm1, xmm2, 0, 8
        xform   "insertq 40,30 ", insertq xmm1, xmm2, 40, 30
        xform   "insertq c8,c4 ", db 0xF2, 0x0F, 0x78, 0xCA, 0xC8, 0xC4
        xform   "insertq r ", insertq xmm1, xmm2
        pop     ecx
        dec     ecx
        jnz     .round

        ; MOVNTSS / MOVNTSD to a misaligned address
        mov     edi, OPA
        call    ioperand
        movdqa  xmm3, [OPA]
        show128 "a ", OPA
        pcmpeqb xmm0, xmm0
        movdqu  [BUF], xmm0
        try     {movntss [BUF + 3], xmm3}
        show128 "movntss ", BUF
        movdqu  [BUF], xmm0
        try     {movntsd [BUF + 5], xmm3}
        show128 "movntsd ", BUF
        mov     eax, BUF + 1
        movdqu  [BUF], xmm0
        try     {movntsd [eax], xmm3}
        show128 "movntsd eax ", BUF

        ; #UD on every model
        ud      "extrq m", db 0x66, 0x0F, 0x79, 0x08
        ud      "insertq m", db 0xF2, 0x0F, 0x79, 0x08
        ud      "insertq m imm", db 0xF2, 0x0F, 0x78, 0x08, 0x08, 0x04
        ud      "movntss r", db 0xF3, 0x0F, 0x2B, 0xC1
        ud      "movntsd r", db 0xF2, 0x0F, 0x2B, 0xC1
        ud      "0f 79", db 0x0F, 0x79, 0xC1
        ud      "f3 0f 79", db 0xF3, 0x0F, 0x79, 0xC1
        jmp     pass

%include "end.inc"
