; adx.asm -- ADCX (66 0F 38 F6 /r) and ADOX (F3 0F 38 F6 /r), CPUID.(7,0):EBX.ADX[19], against QEMU 7.2 TCG:
; for fixed and pseudo-random operands and incoming flags, the register and the memory forms, each as
; result and the whole of OSZAPC after it (ADCX adds CF and writes only CF; ADOX adds OF and writes only
; OF; the other flags keep their incoming values); "UD" where the instruction raised #UD. Without adx
; every form is #UD. 0F 38 F6 without a prefix and with F2 (MULX is VEX only) are #UD on every model;
; the rows "66f3", "f366" and "lock" show what QEMU does with both prefixes and with LOCK.
; Recorded (tools/build-guests --qemu) with
;   qemu-system-x86_64 -nodefaults -display none -no-reboot -machine pc,accel=tcg -cpu qemu32 -bios adx.bin
;     -chardev file,id=d,path=LOG -device isa-debugcon,iobase=0x402,chardev=d -device isa-debug-exit,iobase=0xf4,iosize=4
; as tests/guests/adx.qemu.txt, and with -cpu max as tests/guests/adx-max.qemu.txt.
%include "lib.inc"

RESUME  equ DATA            ; where the #UD handler resumes
UDFLAG  equ DATA + 4        ; set by the #UD handler
FLG     equ DATA + 8        ; EFLAGS after the instruction
MEMV    equ DATA + 12       ; the memory operand
INFL    equ DATA + 16       ; the incoming EFLAGS
SEED    equ DATA + 20

; one INSN: EBX = EDI (first operand), ECX = [MEMV] = ESI, EFLAGS = [INFL]; print " result:flags" or " UD"
%macro one 1
        mov     ebx, edi
        mov     ecx, esi
        mov     [MEMV], esi
        mov     dword [RESUME], R(%%after)
        mov     dword [UDFLAG], 0
        push    dword [INFL]
        popfd
        %1
%%after:
        pushfd
        pop     dword [FLG]
        call    report
%endmacro

        bits 32
main32:
        mov     eax, 6
        mov     ebx, R(ud_handler)
        mov     dl, 0x8E
        call    set_gate
        ; the encodings that are #UD on every model, and the prefix mixes
        mov     edi, 0x80000001
        mov     esi, 0x7FFFFFFF
        mov     dword [INFL], 0x0D7     ; CF set, OF clear: ADCX gives 00000001 and CF, ADOX 00000000 and OF
        print   "noprefix"
        one     {db 0x0F, 0x38, 0xF6, 0xD9}
        print   " f2"
        one     {db 0xF2, 0x0F, 0x38, 0xF6, 0xD9}
        print   " 66f3"
        one     {db 0x66, 0xF3, 0x0F, 0x38, 0xF6, 0xD9}
        print   " f366"
        one     {db 0xF3, 0x66, 0x0F, 0x38, 0xF6, 0xD9}
        print   " lock"
        one     {db 0xF0, 0x66, 0x0F, 0x38, 0xF6, 0x1D}
        dd      MEMV
        call    newline
        ; fixed operands, each with every incoming CF/OF pair and the other flags set or clear
        mov     ebp, R(fixed)
.fix:   mov     edi, [ebp]
        mov     esi, [ebp + 4]
        mov     dword [INFL], 0x002
        call    row
        mov     dword [INFL], 0x003
        call    row
        mov     dword [INFL], 0x802
        call    row
        mov     dword [INFL], 0x8D7
        call    row
        mov     dword [INFL], 0x0D6
        call    row
        add     ebp, 8
        cmp     ebp, R(fixed_end)
        jb      .fix
        ; pseudo-random operands and incoming flags
        mov     dword [SEED], 0x2545F491
        mov     ebp, 48
.rnd:   call    rand
        mov     edi, eax
        call    rand
        mov     esi, eax
        call    rand
        and     eax, 0x8D5
        or      eax, 2
        mov     [INFL], eax
        call    row
        dec     ebp
        jnz     .rnd
        jmp     pass

rand:   mov     eax, [SEED]
        imul    eax, eax, 1103515245
        add     eax, 12345
        mov     [SEED], eax
        ror     eax, 7
        ret

; row: EDI, ESI = operands, [INFL] = flags; prints them and every form's result
row:    mov     eax, edi
        call    puthex
        print   " "
        mov     eax, esi
        call    puthex
        print   " "
        mov     eax, [INFL]
        call    puthex
        print   " adcx"
        one     {adcx ebx, ecx}
        one     {adcx ebx, [MEMV]}
        print   " adox"
        one     {adox ebx, ecx}
        one     {adox ebx, [MEMV]}
        call    newline
        ret

; report: EBX = result; the arithmetic flags after it
report: cmp     dword [UDFLAG], 0
        je      .ok
        print   " UD"
        ret
.ok:    print   " "
        mov     eax, ebx
        call    puthex
        print   ":"
        mov     eax, [FLG]
        and     eax, 0x8D5
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
fixed:  dd 0, 0, 0xFFFFFFFF, 0, 0xFFFFFFFF, 1, 0x7FFFFFFF, 1, 0x80000000, 0x80000000, 0x12345678, 0x9ABCDEF0
        dd 0xFFFFFFFF, 0xFFFFFFFF, 0x00000001, 0xFFFFFFFE
fixed_end:

%include "end.inc"
