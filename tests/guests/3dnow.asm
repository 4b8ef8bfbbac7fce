; 3dnow.asm -- 3DNow! (CPUID.80000001h:EDX bit 31) and its extensions (bit 30), AMD APM Vol. 5: every 0F 0F /r ib
; operation (PI2FW PI2FD PF2IW PF2ID PFNACC PFPNACC PFCMPGE PFMIN PFRCP PFRSQRT PFSUB PFADD PFCMPGT PFMAX PFRCPIT1
; PFRSQIT1 PFSUBR PFACC PFCMPEQ PFMUL PFRCPIT2 PMULHRW PSWAPD PAVGUSB) and FEMMS, against QEMU 7.2: ROUNDS rounds
; of pseudo-random MMX operands (singles with exponents -12..39 and either sign, so that every result is a
; normal number and PF2ID/PF2IW saturate; every fourth round the second operand's low single equals the
; first's, for the compares), register and memory (disp32) forms; each result printed. PFRCP/PFRSQRT print
; QEMU 7.2's values (1/x and 1/sqrt|x| in single precision; the PFRxIT steps copy). Then an undefined
; suffix byte (#UD) and the x87 tags after FEMMS. Without 3DNow! (-cpu qemu32) every form is #UD.
; Recorded with tools/build-guests --qemu: -cpu qemu32 as tests/guests/3dnow.qemu.txt, -cpu max as
; tests/guests/3dnow-max.qemu.txt (qemu-system-x86_64 -machine pc,accel=tcg -bios 3dnow.bin
;   -device isa-debugcon,iobase=0x402,chardev=... -device isa-debug-exit,iobase=0xf4,iosize=4)
%include "lib.inc"

SEED    equ DATA
RESUME  equ DATA + 4
CNT     equ DATA + 8
OPA     equ DATA + 0x10
OPB     equ DATA + 0x18
RES     equ DATA + 0x20
BUF     equ DATA + 0x40
ROUNDS  equ 16

%macro show64 2
        print   %1
        mov     eax, [%2 + 4]
        call    puthex
        mov     eax, [%2]
        call    puthex
        call    newline
%endmacro

; op NAME, SUFFIX: mm0 = OPA, mm1 = OPB; "0F 0F C1 SUFFIX" (mm0, mm1) and "0F 0F 05 [OPB] SUFFIX" (mm0, m64)
%macro op 2
        movq    mm0, [OPA]
        movq    mm1, [OPB]
        mov     dword [RESUME], R(%%a)
        db      0x0F, 0x0F, 0xC1, %2
%%a:    movq    [RES], mm0
        show64  %1, RES
        movq    mm0, [OPA]
        mov     dword [RESUME], R(%%b)
        db      0x0F, 0x0F, 0x05
        dd      OPB
        db      %2
%%b:    movq    [RES], mm0
        show64  " m ", RES
%endmacro

        bits 32
main32: mov     eax, 6
        mov     ebx, R(ud_handler)
        mov     dl, 0x8E
        call    set_gate
        fninit
        mov     dword [SEED], 0x2545F491
        mov     dword [CNT], 0
.round: mov     edi, OPA
        call    single
        call    single
        call    single
        call    single
        test    dword [CNT], 3
        jnz     .keep
        mov     eax, [OPA]
        mov     [OPB], eax
.keep:  show64  "a ", OPA
        show64  "b ", OPB
        op      "pi2fw ", 0x0C
        op      "pi2fd ", 0x0D
        op      "pf2iw ", 0x1C
        op      "pf2id ", 0x1D
        op      "pfnacc ", 0x8A
        op      "pfpnacc ", 0x8E
        op      "pfcmpge ", 0x90
        op      "pfmin ", 0x94
        op      "pfrcp ", 0x96
        op      "pfrsqrt ", 0x97
        op      "pfsub ", 0x9A
        op      "pfadd ", 0x9E
        op      "pfcmpgt ", 0xA0
        op      "pfmax ", 0xA4
        op      "pfrcpit1 ", 0xA6
        op      "pfrsqit1 ", 0xA7
        op      "pfsubr ", 0xAA
        op      "pfacc ", 0xAE
        op      "pfcmpeq ", 0xB0
        op      "pfmul ", 0xB4
        op      "pfrcpit2 ", 0xB6
        op      "pmulhrw ", 0xB7
        op      "pswapd ", 0xBB
        op      "pavgusb ", 0xBF
        inc     dword [CNT]
        cmp     dword [CNT], ROUNDS
        jb      .round
        ; an undefined suffix byte
        mov     dword [RESUME], R(.u)
        db      0x0F, 0x0F, 0xC1, 0x00
.u:     mov     dword [RESUME], R(.v)
        db      0x0F, 0x0F, 0xC1, 0xB5
.v:     ; FEMMS: the x87 tags all empty after it
        movq    mm0, [OPA]
        mov     dword [RESUME], R(.w)
        femms
.w:     fnstenv [BUF]
        movzx   eax, word [BUF + 4]
        print   "femms sw "
        call    puthex
        movzx   eax, word [BUF + 8]
        print   " tw "
        call    puthex
        call    newline
        jmp     pass

; single: a pseudo-random single at EDI (exponent -12..39, either sign), EDI += 4
single: call    rand
        mov     ebx, eax
        and     ebx, 0x807FFFFF
        shr     eax, 23
        and     eax, 63
        xor     edx, edx
        mov     ecx, 52
        div     ecx
        add     edx, 127 - 12
        shl     edx, 23
        or      ebx, edx
        mov     [edi], ebx
        add     edi, 4
        ret

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

ud_handler:
        print   "#UD at "
        mov     eax, [esp]
        call    puthex
        call    newline
        mov     eax, [RESUME]
        mov     [esp], eax
        iretd

%include "end.inc"
