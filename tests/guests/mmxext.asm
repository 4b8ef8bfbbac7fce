; mmxext.asm -- AMD's MMX extensions (CPUID.80000001h:EDX.MmxExt[22], AMD APM Vol. 5): the integer instructions
; SSE added on MMX registers (PAVGB, PAVGW, PMINUB, PMAXUB, PMINSW, PMAXSW, PMULHUW, PSADBW, PSHUFW, PEXTRW,
; PINSRW, PMOVMSKB, MASKMOVQ, MOVNTQ, PREFETCHNTA/T0/T1/T2) on a model with MMX and MmxExt but no SSE: ROUNDS
; rounds of pseudo-random operands, register and memory forms, each result printed. CR4.OSFXSR stays clear
; (none of these needs it). SFENCE is left out: QEMU 7.2 gives it only with SSE, the APM also with MmxExt
; (Machina follows the APM: SimdMmxExtTest).
; Recorded with tools/build-guests --qemu: -cpu pentium2,+mmxext as tests/guests/mmxext-pentium2+mmxext.qemu.txt
; and -cpu max as tests/guests/mmxext-max.qemu.txt (qemu-system-x86_64 -machine pc,accel=tcg -bios mmxext.bin
;   -device isa-debugcon,iobase=0x402,chardev=... -device isa-debug-exit,iobase=0xf4,iosize=4)
%include "lib.inc"

SEED    equ DATA
RESUME  equ DATA + 4
OPA     equ DATA + 0x10
OPB     equ DATA + 0x18
RES     equ DATA + 0x20
BUF     equ DATA + 0x40
ROUNDS  equ 10

; show64 NAME, ADDR: "NAME" and the 64 bits at ADDR
%macro show64 2
        print   %1
        mov     eax, [%2 + 4]
        call    puthex
        mov     eax, [%2]
        call    puthex
        call    newline
%endmacro

; mm NAME, INSN: MM0 = OPA, MM1 = OPB, run INSN, print NAME and MM0
%macro mm 2+
        movq    mm0, [OPA]
        movq    mm1, [OPB]
        mov     dword [RESUME], R(%%after)
        %2
%%after:
        movq    [RES], mm0
        show64  %1, RES
%endmacro

; gpr NAME, INSN: MM1 = OPB, EBX = 0xDEADBEEF, run INSN, print NAME and EBX
%macro gpr 2+
        movq    mm1, [OPB]
        mov     ebx, 0xDEADBEEF
        mov     dword [RESUME], R(%%after)
        %2
%%after:
        print   %1
        mov     eax, ebx
        call    puthex
        call    newline
%endmacro

        bits 32
main32: mov     eax, 6
        mov     ebx, R(ud_handler)
        mov     dl, 0x8E
        call    set_gate
        fninit
        mov     dword [SEED], 0x2545F491
        mov     ecx, ROUNDS
.round: push    ecx
        mov     edi, OPA
        call    rand
        stosd
        call    rand
        stosd
        call    rand
        stosd
        call    rand
        stosd
        show64  "a ", OPA
        show64  "b ", OPB
        mm      "pavgb ", pavgb mm0, mm1
        mm      "pavgw ", pavgw mm0, mm1
        mm      "pminub ", pminub mm0, mm1
        mm      "pmaxub ", pmaxub mm0, mm1
        mm      "pminsw ", pminsw mm0, mm1
        mm      "pmaxsw ", pmaxsw mm0, mm1
        mm      "pmulhuw ", pmulhuw mm0, mm1
        mm      "psadbw ", psadbw mm0, mm1
        mm      "pavgb m ", pavgb mm0, [OPB]
        mm      "pminsw m ", pminsw mm0, [OPB]
        mm      "pmulhuw m ", pmulhuw mm0, [OPB]
        mm      "psadbw m ", psadbw mm0, [OPB]
        mm      "pshufw 1b ", pshufw mm0, mm1, 0x1B
        mm      "pshufw e4 ", pshufw mm0, mm1, 0xE4
        mm      "pshufw m 9c ", pshufw mm0, [OPB], 0x9C
        mm      "pinsrw 0 ", pinsrw mm0, [OPB], 0
        mm      "pinsrw 3 ", pinsrw mm0, [OPB + 2], 3
        mov     esi, [OPB + 4]
        mm      "pinsrw r 1 ", pinsrw mm0, esi, 1
        mm      "pinsrw r 6 ", pinsrw mm0, esi, 6
        gpr     "pextrw 0 ", pextrw ebx, mm1, 0
        gpr     "pextrw 3 ", pextrw ebx, mm1, 3
        gpr     "pextrw 5 ", pextrw ebx, mm1, 5
        gpr     "pmovmskb ", pmovmskb ebx, mm1
        ; MASKMOVQ mm0 (data) under mm1's byte sign bits to DS:EDI; MOVNTQ
        mov     dword [BUF], 0x11111111
        mov     dword [BUF + 4], 0x22222222
        mov     edi, BUF
        mm      "maskmovq ", maskmovq mm0, mm1
        show64  "buf ", BUF
        mm      "movntq ", movntq [BUF], mm1
        show64  "buf ", BUF
        mm      "prefetch ", prefetchnta [BUF]
        mm      "prefetch ", prefetcht0 [BUF]
        mm      "prefetch ", prefetcht1 [BUF]
        mm      "prefetch ", prefetcht2 [BUF]
        pop     ecx
        dec     ecx
        jnz     .round
        ; the x87 state after the MMX forms: TOP 0, all tags valid
        fnstenv [BUF]
        movzx   eax, word [BUF + 4]     ; (the upper halves are reserved: QEMU 0, Machina FFFF)
        print   "sw "
        call    puthex
        movzx   eax, word [BUF + 8]
        print   " tw "
        call    puthex
        call    newline
        jmp     pass

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
