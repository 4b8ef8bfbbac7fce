; bitcount.asm -- POPCNT (F3 0F B8, CPUID.1:ECX.POPCNT) and LZCNT (F3 0F BD, CPUID.80000001h:ECX.ABM)
; against QEMU 7.2 TCG: for fixed and pseudo-random inputs, the 32-bit and 16-bit register forms and
; the memory form, each as result and flags (EFLAGS set to all-ones OSZAPC before; printed masked to
; the flags the SDM defines: all six for POPCNT, CF and ZF for LZCNT, ZF where F3 0F BD is BSR);
; "UD" where the instruction raised #UD. Without POPCNT every form is #UD; without ABM, F3 0F BD is
; BSR. 0F B8 without F3 (JMPE), F2 0F B8 and LOCK F3 0F B8 are #UD on every model.
; Recorded (tools/build-guests --qemu) with
;   qemu-system-x86_64 -nodefaults -display none -no-reboot -machine pc,accel=tcg -cpu qemu32 -bios bitcount.bin
;     -chardev file,id=d,path=LOG -device isa-debugcon,iobase=0x402,chardev=d -device isa-debug-exit,iobase=0xf4,iosize=4
; as tests/guests/bitcount.qemu.txt, and with -cpu max as tests/guests/bitcount-max.qemu.txt.
%include "lib.inc"

RESUME  equ DATA            ; where the #UD handler resumes
UDFLAG  equ DATA + 4        ; set by the #UD handler
FLG     equ DATA + 8        ; EFLAGS after the instruction
MEMV    equ DATA + 12       ; the memory operand
LZMASK  equ DATA + 16       ; flags printed for F3 0F BD
SEED    equ DATA + 20

; try INSN: run INSN with all OSZAPC flags set; EFLAGS after it in FLG; a #UD resumes after it
%macro try 1
        mov     dword [RESUME], R(%%after)
        mov     dword [UDFLAG], 0
        push    dword 0x8D7
        popfd
        %1
%%after:
        pushfd
        pop     dword [FLG]
%endmacro

; one INSN MASK: EBX = DEADBEEF, ECX = [MEMV] = input ESI; print " result:flags" or " UD"
%macro one 2
        mov     ebx, 0xDEADBEEF
        mov     ecx, esi
        mov     [MEMV], esi
        try     {%1}
        mov     edx, %2
        call    report
%endmacro

        bits 32
main32:
        mov     eax, 6
        mov     ebx, R(ud_handler)
        mov     dl, 0x8E
        call    set_gate
        mov     eax, 0x80000000
        cpuid
        mov     dword [LZMASK], 0x40
        cmp     eax, 0x80000001
        jb      .noabm
        mov     eax, 0x80000001
        cpuid
        test    ecx, 1 << 5
        jz      .noabm
        mov     dword [LZMASK], 0x41
.noabm:
        ; the encodings that are #UD on every model
        mov     esi, 0x12345678
        print   "jmpe"
        one     {db 0x0F, 0xB8, 0xD9}, 0x8D5
        print   " f2"
        one     {db 0xF2, 0x0F, 0xB8, 0xD9}, 0x8D5
        print   " lock"
        one     {db 0xF0, 0xF3, 0x0F, 0xB8, 0xD9}, 0x8D5
        call    newline
        ; fixed inputs, then pseudo-random ones
        mov     edi, R(fixed)
.fix:   mov     esi, [edi]
        call    row
        add     edi, 4
        cmp     edi, R(fixed_end)
        jb      .fix
        mov     dword [SEED], 0x2545F491
        mov     edi, 40
.rnd:   mov     eax, [SEED]
        imul    eax, eax, 1103515245
        add     eax, 12345
        mov     [SEED], eax
        mov     esi, eax
        ; vary the number of leading zeros: shift right by bits 27-31 of another step
        imul    eax, eax, 1103515245
        add     eax, 12345
        mov     [SEED], eax
        mov     ecx, eax
        shr     ecx, 27
        shr     esi, cl
        call    row
        dec     edi
        jnz     .rnd
        jmp     pass

; row: ESI = input; prints the input and every form's result
row:    mov     eax, esi
        call    puthex
        print   " popcnt"
        one     {popcnt ebx, ecx}, 0x8D5
        one     {popcnt bx, cx}, 0x8D5
        one     {popcnt ebx, [MEMV]}, 0x8D5
        one     {popcnt bx, [MEMV]}, 0x8D5
        print   " lzcnt"
        one     {lzcnt ebx, ecx}, [LZMASK]
        one     {lzcnt bx, cx}, [LZMASK]
        one     {lzcnt ebx, [MEMV]}, [LZMASK]
        one     {lzcnt bx, [MEMV]}, [LZMASK]
        call    newline
        ret

; report: EBX = result, EDX = flag mask
report: cmp     dword [UDFLAG], 0
        je      .ok
        print   " UD"
        ret
.ok:    print   " "
        mov     eax, ebx
        call    puthex
        print   ":"
        mov     eax, [FLG]
        and     eax, edx
        call    puthex
        ret

ud_handler:
        mov     dword [UDFLAG], 1
        push    eax
        mov     eax, [RESUME]
        mov     [esp + 4], eax
        pop     eax
        iretd

        align 4
fixed:  dd 0, 1, 2, 3, 0x80000000, 0xFFFFFFFF, 0x0000FFFF, 0xFFFF0000, 0x00008000, 0x00007FFF, 0x00010000
        dd 0x12345678, 0x55555555, 0xAAAAAAAA, 0x0F0F0F0F, 0x00000100, 0x40000000, 0x00FF00FF
fixed_end:

%include "end.inc"
