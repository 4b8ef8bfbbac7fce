; simdud.asm -- which instructions of the 0F 38 / 0F 3A maps a CPU model offers, against QEMU 7.2:
; every form runs once; "NAME ok" when it ran, "NAME #UD at EIP" when it raised #UD. Recorded with
; -cpu qemu32 (tests/guests/simdud.qemu.txt: every one is #UD, as the model offers none of these
; features) and -cpu max (simdud-max.qemu.txt: each runs); the prefixes and slots the SDM leaves
; empty are #UD on both.
; Recorded with: tools/build-guests --qemu
%include "lib.inc"
%include "simdx.inc"

; ud NAME, INSN...: runs INSN, then "NAME ok" or (from the #UD handler) "NAME #UD at EIP"
%macro ud 2+
        print   %1
        print   " "
        mov     edi, [HITS]
        try     {%2}
        cmp     edi, [HITS]
        jne     %%done
        print   "ok"
        call    newline
%%done:
%endmacro

        bits 32
main32:
        call    setup
        mov     ebx, OPA
        xor     eax, eax
        pxor    xmm0, xmm0
        pxor    xmm1, xmm1
        pxor    xmm2, xmm2
        ; ---- SSSE3 ----
        ud      "pshufb mm", {pshufb mm0, mm1}
        ud      "pshufb x", {pshufb xmm0, [ebx]}
        ud      "phaddw", {phaddw xmm0, xmm1}
        ud      "phaddd", {phaddd mm0, [ebx]}
        ud      "phaddsw", {phaddsw xmm0, xmm1}
        ud      "pmaddubsw", {pmaddubsw xmm0, xmm1}
        ud      "phsubw", {phsubw xmm0, xmm1}
        ud      "phsubd", {phsubd xmm0, xmm1}
        ud      "phsubsw", {phsubsw mm0, mm1}
        ud      "psignb", {psignb xmm0, xmm1}
        ud      "psignw", {psignw xmm0, xmm1}
        ud      "psignd", {psignd xmm0, xmm1}
        ud      "pmulhrsw", {pmulhrsw xmm0, xmm1}
        ud      "pabsb", {pabsb xmm0, xmm1}
        ud      "pabsw", {pabsw mm0, mm1}
        ud      "pabsd", {pabsd xmm0, xmm1}
        ud      "palignr mm", {palignr mm0, mm1, 3}
        ud      "palignr x", {palignr xmm0, [ebx], 3}
        ; ---- SSE4.1 ----
        ud      "pblendvb", {pblendvb xmm1, xmm2}
        ud      "blendvps", {blendvps xmm1, xmm2}
        ud      "blendvpd", {blendvpd xmm1, xmm2}
        ud      "ptest", {ptest xmm1, xmm2}
        ud      "pmovsxbw", {pmovsxbw xmm1, [ebx]}
        ud      "pmovsxbd", {pmovsxbd xmm1, xmm2}
        ud      "pmovsxbq", {pmovsxbq xmm1, xmm2}
        ud      "pmovsxwd", {pmovsxwd xmm1, xmm2}
        ud      "pmovsxwq", {pmovsxwq xmm1, xmm2}
        ud      "pmovsxdq", {pmovsxdq xmm1, xmm2}
        ud      "pmuldq", {pmuldq xmm1, xmm2}
        ud      "pcmpeqq", {pcmpeqq xmm1, xmm2}
        ud      "movntdqa", {movntdqa xmm1, [ebx]}
        ud      "packusdw", {packusdw xmm1, xmm2}
        ud      "pmovzxbw", {pmovzxbw xmm1, xmm2}
        ud      "pmovzxbd", {pmovzxbd xmm1, xmm2}
        ud      "pmovzxbq", {pmovzxbq xmm1, xmm2}
        ud      "pmovzxwd", {pmovzxwd xmm1, xmm2}
        ud      "pmovzxwq", {pmovzxwq xmm1, xmm2}
        ud      "pmovzxdq", {pmovzxdq xmm1, xmm2}
        ud      "pminsb", {pminsb xmm1, xmm2}
        ud      "pminsd", {pminsd xmm1, xmm2}
        ud      "pminuw", {pminuw xmm1, xmm2}
        ud      "pminud", {pminud xmm1, xmm2}
        ud      "pmaxsb", {pmaxsb xmm1, xmm2}
        ud      "pmaxsd", {pmaxsd xmm1, xmm2}
        ud      "pmaxuw", {pmaxuw xmm1, xmm2}
        ud      "pmaxud", {pmaxud xmm1, xmm2}
        ud      "pmulld", {pmulld xmm1, xmm2}
        ud      "phminposuw", {phminposuw xmm1, xmm2}
        ud      "roundps", {roundps xmm1, xmm2, 0}
        ud      "roundpd", {roundpd xmm1, xmm2, 0}
        ud      "roundss", {roundss xmm1, xmm2, 0}
        ud      "roundsd", {roundsd xmm1, xmm2, 0}
        ud      "blendps", {blendps xmm1, xmm2, 5}
        ud      "blendpd", {blendpd xmm1, xmm2, 1}
        ud      "pblendw", {pblendw xmm1, xmm2, 5}
        ud      "pextrb", {pextrb eax, xmm1, 1}
        ud      "pextrw m16", {pextrw [ebx], xmm1, 1}
        ud      "pextrd", {pextrd eax, xmm1, 1}
        ud      "extractps", {extractps eax, xmm1, 1}
        ud      "pinsrb", {pinsrb xmm1, eax, 1}
        ud      "insertps", {insertps xmm1, xmm2, 0x10}
        ud      "pinsrd", {pinsrd xmm1, eax, 1}
        ud      "dpps", {dpps xmm1, xmm2, 0xFF}
        ud      "dppd", {dppd xmm1, xmm2, 0x33}
        ud      "mpsadbw", {mpsadbw xmm1, xmm2, 0}
        ud      "movntdqa reg", {db 0x66, 0x0F, 0x38, 0x2A, 0xCA}
        ud      "pminsb no 66", {db 0x0F, 0x38, 0x38, 0xCA}
        ud      "roundps no 66", {db 0x0F, 0x3A, 0x08, 0xCA, 0x00}
        ; ---- SSE4.2, MOVBE, PCLMULQDQ, AES ----
        ud      "pcmpgtq", {pcmpgtq xmm1, xmm2}
        ud      "pcmpestrm", {pcmpestrm xmm1, xmm2, 0}
        ud      "pcmpestri", {pcmpestri xmm1, xmm2, 0}
        ud      "pcmpistrm", {pcmpistrm xmm1, xmm2, 0}
        ud      "pcmpistri", {pcmpistri xmm1, xmm2, 0}
        ud      "crc32 r8", {crc32 eax, cl}
        ud      "crc32 r16", {crc32 eax, cx}
        ud      "crc32 m32", {crc32 eax, dword [ebx]}
        ud      "movbe load", {movbe eax, [ebx]}
        ud      "movbe store", {movbe [ebx], ax}
        ud      "movbe reg", {db 0x0F, 0x38, 0xF0, 0xC1}
        ud      "F3 0F 38 F0", {db 0xF3, 0x0F, 0x38, 0xF0, 0x03}
        ud      "pclmulqdq", {pclmulqdq xmm1, xmm2, 0x11}
        ud      "aesenc", {aesenc xmm1, xmm2}
        ud      "aesenclast", {aesenclast xmm1, xmm2}
        ud      "aesdec", {aesdec xmm1, xmm2}
        ud      "aesdeclast", {aesdeclast xmm1, xmm2}
        ud      "aesimc", {aesimc xmm1, xmm2}
        ud      "aeskeygenassist", {aeskeygenassist xmm1, xmm2, 1}
        ud      "aesenc no 66", {db 0x0F, 0x38, 0xDC, 0xCA}
        ; ---- prefixes and slots without an instruction ----
        ud      "F3 0F 38 00", {db 0xF3, 0x0F, 0x38, 0x00, 0xC1}
        ud      "F2 0F 38 01", {db 0xF2, 0x0F, 0x38, 0x01, 0xC1}
        ud      "66 0F 38 12", {db 0x66, 0x0F, 0x38, 0x12, 0xC1}
        ud      "0F 38 FF", {db 0x0F, 0x38, 0xFF, 0xC1}
        ud      "F3 0F 3A 0F", {db 0xF3, 0x0F, 0x3A, 0x0F, 0xC1, 0x01}
        ud      "0F 3A 00", {db 0x66, 0x0F, 0x3A, 0x00, 0xC1, 0x01}
        ud      "0F 3A FF", {db 0x0F, 0x3A, 0xFF, 0xC1, 0x01}
        emms
        jmp     pass

%include "end.inc"
