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
        mov     eax, [HITS]
        try     {%2}
        cmp     eax, [HITS]
        jne     %%done
        print   "ok"
        call    newline
%%done:
%endmacro

        bits 32
main32:
        call    setup
        mov     ebx, OPA
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
