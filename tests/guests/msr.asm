; msr.asm -- RDMSR/WRMSR as QEMU 7.2 TCG answers them: each MSR's value (or #GP), then write/read
; round trips (what is kept, what is masked, what faults). The TSC is printed only as "counts" (QEMU
; 7.2 TCG ignores TSC writes; Machina sets the TSC as the SDM says: CpuBehaviourTest).
; Recorded on QEMU 7.2 (tests/guests/msr-MODEL.qemu.txt for qemu32, pentium3, n270) as the reference.
%include "lib.inc"

%macro rd 1
        mov     ecx, %1
        call    rdone
%endmacro
%macro wr 3
        mov     ecx, %1
        mov     edx, %2
        mov     eax, %3
        call    wrone
%endmacro

        bits 32
main32:
        mov     eax, 13
        mov     ebx, R(gp_handler)
        mov     dl, 0x8E
        call    set_gate
        ; the TSC counts
        rdtsc
        mov     esi, eax
        mov     ecx, 0x10
        rdmsr
        cmp     eax, esi
        je      .tsceq
        print   "tsc counts"
        jmp     .tscdone
.tsceq: print   "tsc stands still"
.tscdone:
        call    newline
        ; values after reset
        rd      0x17
        rd      0x1B
        rd      0x3A
        rd      0x8B
        rd      0xFE
        rd      0x174
        rd      0x175
        rd      0x176
        rd      0x179
        rd      0x17A
        rd      0x17B
        rd      0x1A0
        rd      0x1D9
        rd      0x200
        rd      0x201
        rd      0x20F
        rd      0x210
        rd      0x250
        rd      0x258
        rd      0x259
        rd      0x268
        rd      0x26F
        rd      0x277
        rd      0x2FF
        rd      0x400
        rd      0x401
        rd      0x800
        rd      0x802
        rd      0xC0000080
        rd      0xC0000081
        rd      0xC0000082
        rd      0xC0000100
        rd      0xC0000103
        rd      0x12345678
        ; write, then read back
        wr      0x174, 0x11112222, 0x33334444
        rd      0x174
        wr      0x175, 0x11112222, 0x33334444
        rd      0x175
        wr      0x176, 0x11112222, 0x33334444
        rd      0x176
        wr      0x277, 0x00070406, 0x00070106
        rd      0x277
        wr      0x2FF, 0, 0xC06
        rd      0x2FF
        wr      0x200, 0, 0x00000006
        rd      0x200
        wr      0x201, 0x0000000F, 0xF0000800
        rd      0x201
        wr      0x250, 0x06060606, 0x06060606
        rd      0x250
        wr      0xC0000080, 0xFFFFFFFF, 0xFFFFFFFF
        rd      0xC0000080
        wr      0xC0000080, 0, 0
        wr      0x1A0, 0, 0x00000081
        rd      0x1A0
        wr      0x1B, 0, 0xFEE00100
        rd      0x1B
        wr      0x1B, 0, 0xFEE00900
        rd      0x1B
        wr      0x12345678, 1, 2
        rd      0x12345678
        jmp     pass

; rdone: ECX = MSR; prints "rd MSR: EDX EAX" or "rd MSR: #GP"
rdone:  print   "rd "
        mov     eax, ecx
        call    puthex
        print   ":"
        mov     byte [gp_seen], 0
        rdmsr
        cmp     byte [gp_seen], 0
        jne     .gp
        print   " "
        push    eax
        mov     eax, edx
        call    puthex
        print   " "
        pop     eax
        call    puthex
        call    newline
        ret
.gp:    print   " #GP"
        call    newline
        ret

; wrone: ECX = MSR, EDX:EAX = value; prints "wr MSR: #GP" when the write faults
wrone:  mov     byte [gp_seen], 0
        wrmsr
        cmp     byte [gp_seen], 0
        je      .ok
        print   "wr "
        mov     eax, ecx
        call    puthex
        print   ": #GP"
        call    newline
.ok:    ret

; #GP from RDMSR/WRMSR (2 bytes): note it, skip the instruction, drop the error code
gp_handler:
        mov     byte [gp_seen], 1
        add     esp, 4
        add     dword [esp], 2
        iret

gp_seen: equ DATA
%include "end.inc"
