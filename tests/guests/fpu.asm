; fpu.asm -- the x87 FPU against QEMU 7.2 (tests/guests/fpu.qemu.txt): results stored to memory and
; the status word after each step, as "name: value" lines. Values chosen to be exact or correctly
; rounded in double precision (Machina computes in double precision; see X87.java).
%include "lib.inc"

%macro show 2
        print   %1
        mov     eax, %2
        call    puthex
        call    newline
%endmacro
%macro show64 2
        print   %1
        mov     eax, [%2 + 4]
        call    puthex
        mov     eax, [%2]
        call    puthex
        call    newline
%endmacro
%macro sw 1
        fnstsw  ax
        movzx   eax, ax
        show    %1, eax
%endmacro
; after a compare C1 is masked: the SDM clears it, QEMU 7.2 leaves it as it was
%macro swc 1
        fnstsw  ax
        movzx   eax, ax
        and     eax, ~0x200
        show    %1, eax
%endmacro

M  equ DATA
M2 equ DATA + 0x40
SAVE equ DATA + 0x100
FX equ DATA + 0x400

        bits 32
main32:
        mov     eax, 16
        mov     ebx, R(mf_handler)
        mov     dl, 0x8E
        call    set_gate
        fninit
        sw      "after fninit sw "
        fnstcw  [M]
        movzx   eax, word [M]
        show    "after fninit cw ", eax
        ; constants and arithmetic
        fld1
        fld1
        faddp   st1, st0
        fsqrt
        fstp    qword [M]
        show64  "sqrt(2) ", M
        fldpi
        fstp    qword [M]
        show64  "pi ", M
        fldl2e
        fstp    tword [M]
        show64  "l2e tword lo ", M
        movzx   eax, word [M + 8]
        show    "l2e tword hi ", eax
        mov     dword [M], 7
        fild    dword [M]
        mov     dword [M], 2
        fidiv   dword [M]
        fstp    qword [M]
        show64  "7/2 ", M
        ; rounding control with fistp
        mov     dword [M2], 0x40200000           ; 2.5f
        fld     dword [M2]
        fistp   dword [M]
        show    "fistp 2.5 nearest ", [M]
        mov     dword [M2], 0xC0600000           ; -3.5f
        fld     dword [M2]
        fistp   dword [M]
        show    "fistp -3.5 nearest ", [M]
        fnstcw  [M]
        or      word [M], 0x0C00                 ; toward zero
        fldcw   [M]
        fld     dword [M2]
        fistp   dword [M]
        show    "fistp -3.5 chop ", [M]
        fninit
        ; 64-bit integers go through exactly
        mov     dword [M], 0x89ABCDEF
        mov     dword [M + 4], 0x01234567
        fild    qword [M]
        fistp   qword [M2]
        show64  "fild/fistp qword ", M2
        ; FPREM: 10.5 rem 3 = 1.5, quotient 3 (C1 = 1, C3 = 1, C0 = 0)
        mov     dword [M], 3
        fild    dword [M]
        mov     dword [M2], 0x41280000           ; 10.5f
        fld     dword [M2]
        fprem
        sw      "fprem sw "
        fstp    qword [M]
        show64  "fprem 10.5 3 ", M
        fstp    st0
        ; compares
        fld1
        fldz
        fcom    st1
        swc     "fcom 0 1 sw "
        fcompp
        swc     "after fcompp sw "
        fldz
        ftst
        swc     "ftst 0 sw "
        fxam
        swc     "fxam 0 sw "
        fstp    st0
        fxam
        swc     "fxam empty sw "
        ; fcomi
        fld1
        fldz
        fcomi   st0, st1
        pushfd
        pop     eax
        and     eax, 0x45                        ; ZF PF CF (QEMU 7.2 keeps OF SF AF, the SDM clears them)
        show    "fcomi 0 1 eflags ", eax
        fcompp
        ; masked exceptions: zero divide, invalid, stack underflow
        fninit
        fld1
        fldz
        fdivp   st1, st0
        sw      "1/0 sw "
        fstp    qword [M]
        show64  "1/0 ", M
        fninit
        fldz
        fldz
        fdivp   st1, st0
        sw      "0/0 sw "
        fstp    qword [M]
        show64  "0/0 ", M
        ; (stack underflow: QEMU 7.2 raises nothing; the SDM's IE|SF is checked in X87Test)
        fninit
        ; FBSTP
        mov     dword [M], 1234567
        fild    dword [M]
        fbstp   [M2]
        show    "fbstp lo ", [M2]
        show    "fbstp mid ", [M2 + 4]
        ; FNSAVE / FRSTOR round trip
        fninit
        fld1
        fldpi
        fnsave  [SAVE]
        movzx   eax, word [SAVE + 4]
        show    "fnsave sw ", eax
        movzx   eax, word [SAVE + 8]
        show    "fnsave tw ", eax
        sw      "after fnsave sw "
        frstor  [SAVE]
        fstp    qword [M]
        show64  "frstor st0 ", M
        ; FXSAVE
        fninit
        fld1
        fxsave  [FX]
        movzx   eax, word [FX]
        show    "fxsave cw ", eax
        movzx   eax, word [FX + 2]
        show    "fxsave sw ", eax
        movzx   eax, byte [FX + 4]
        show    "fxsave ftw ", eax
        show    "fxsave mxcsr ", [FX + 24]
        show    "fxsave st0 hi ", [FX + 32 + 4]
        movzx   eax, word [FX + 32 + 8]
        show    "fxsave st0 exp ", eax
        fninit
        fxrstor [FX]
        fstp    qword [M]
        show64  "fxrstor st0 ", M
        ; unmasked zero divide with CR0.NE: #MF at the next waiting instruction
        mov     eax, cr0
        or      eax, 0x20
        mov     cr0, eax
        fninit
        fnstcw  [M]
        and     word [M], ~4                     ; unmask ZE
        fldcw   [M]
        fld1
        fldz
        fdivp   st1, st0
        sw      "unmasked 1/0 sw "
        mov     dword [DATA + 0x200], 0
        fwait
        show    "mf taken ", [DATA + 0x200]
        fnclex
        sw      "after fnclex sw "
        jmp     pass

mf_handler:
        mov     dword [DATA + 0x200], 1
        fnclex
        iret

%include "end.inc"
