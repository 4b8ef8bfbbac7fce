; cr8.asm -- cr8_legacy (CPUID.80000001h:ECX.CR8LEGACY[4], AMD APM vol. 3 MOV CRn): in 32-bit mode LOCK MOV CR0
; (F0 0F 20 /0, F0 0F 22 /0) reads and writes CR8, the local APIC's TPR bits 7:4, on -M pc (not on `cpu run`).
; Prints the CPUID bit; LOCK MOV EAX, CR0 after TPR writes through the MMIO page; LOCK MOV CR0, EAX with values
; whose low nibble is the new class (the TPR and PPR read back, CR0 unchanged); a self-IPI held off by a CR8 of
; its class and delivered when LOCK MOV CR0 lowers it; the mod bits ignored; LOCK with CR2/CR3 ("UD" where the
; instruction raised #UD). Without cr8legacy QEMU 7.2 TCG ignores the LOCK: LOCK MOV EAX, CR0 reads CR0 (no writes then).
; Recorded on QEMU 7.2 with -cpu max as cr8-max.qemu.txt and with -cpu qemu32 as cr8.qemu.txt:
;   qemu-system-x86_64 -M pc -cpu max -nodefaults -display none -bios cr8.bin -device isa-debug-exit,iobase=0xf4,iosize=4
;     -chardev file,id=d,path=cr8-max.qemu.txt -device isa-debugcon,iobase=0x402,chardev=d
%include "lib.inc"

LAPIC   equ 0xFEE00000
RESUME  equ DATA            ; where the #UD handler resumes
UDFLAG  equ DATA + 4        ; set by the #UD handler
CNT_I   equ DATA + 8        ; self-IPIs taken

; try INSN: run INSN; a #UD resumes after it with [UDFLAG] = 1
%macro try 1
        mov     dword [RESUME], R(%%after)
        mov     dword [UDFLAG], 0
        %1
%%after:
%endmacro

; show "name", expression: prints " name=XXXXXXXX"
%macro show 2
        print   %1
        print   "="
        mov     eax, %2
        call    puthex
%endmacro

; rdcr8 "name": " name=" and EAX after LOCK MOV EAX, CR0 (or UD)
%macro rdcr8 1
        print   %1
        mov     eax, 0xDEADBEEF
        try     {db 0xF0, 0x0F, 0x20, 0xC0}
        call    result
%endmacro

; wrcr8 "name", value: LOCK MOV CR0, EAX with EAX = value; " name" and " UD" when it faulted
%macro wrcr8 2
        print   %1
        mov     eax, %2
        try     {db 0xF0, 0x0F, 0x22, 0xC0}
        cmp     dword [UDFLAG], 0
        je      %%ok
        print   "=UD"
%%ok:
%endmacro

        bits 32
main32:
        mov     dword [CNT_I], 0
        mov     eax, 6
        mov     ebx, R(ud_handler)
        mov     dl, 0x8E
        call    set_gate
        mov     eax, 0x2C
        mov     ebx, R(h_ipi)
        call    set_gate
        mov     eax, 0x80000001
        cpuid
        mov     eax, ecx
        shr     eax, 4
        and     eax, 1
        print   "cr8legacy="
        call    puthex
        call    newline
        mov     [DATA + 12], eax
        mov     dword [LAPIC + 0xF0], 0x1FF
        ; reads: TPR written through the MMIO page
        mov     dword [LAPIC + 0x80], 0x00
        rdcr8   "tpr00"
        mov     dword [LAPIC + 0x80], 0x50
        rdcr8   " tpr50"
        mov     dword [LAPIC + 0x80], 0xAB
        rdcr8   " tprAB"
        mov     dword [LAPIC + 0x80], 0xF0
        rdcr8   " tprF0"
        call    newline
        ; without cr8legacy QEMU 7.2 ignores the LOCK (the reads above gave CR0): no writes then
        cmp     dword [DATA + 12], 0
        je      lockmod
        ; writes: the low nibble is the class; the TPR's low nibble becomes 0, CR0 is untouched
        mov     eax, cr0
        mov     esi, eax
        wrcr8   "cr8=7", 0x7
        show    " tpr", [LAPIC + 0x80]
        show    " ppr", [LAPIC + 0xA0]
        rdcr8   " cr8"
        wrcr8   " cr8=FFFFFFA3", 0xFFFFFFA3
        show    " tpr", [LAPIC + 0x80]
        rdcr8   " cr8"
        mov     eax, cr0
        xor     eax, esi
        show    " cr0changed", eax
        call    newline
        ; a self-IPI of class 2 held off by CR8 = 2 and taken when CR8 drops to 1
        wrcr8   "cr8=2", 2
        mov     dword [LAPIC + 0x300], 0x0004002C
        sti
        nop
        nop
        cli
        show    " ipi.held", [CNT_I]
        show    " irr1", [LAPIC + 0x210]
        wrcr8   " cr8=1", 1
        sti
        nop
        nop
        cli
        show    " ipi.taken", [CNT_I]
        show    " irr1", [LAPIC + 0x210]
        call    newline
lockmod:
        ; the mod bits are ignored (F0 0F 20 00 is LOCK MOV EAX, CR0 too); LOCK with CR2 and CR3
        mov     dword [LAPIC + 0x80], 0x90
        print   "mod0"
        mov     eax, 0xDEADBEEF
        try     {db 0xF0, 0x0F, 0x20, 0x00}
        call    result
        print   " lockcr2"
        mov     eax, 0xDEADBEEF
        try     {db 0xF0, 0x0F, 0x20, 0xD0}
        call    udonly
        print   " lockcr3"
        mov     eax, 0xDEADBEEF
        try     {db 0xF0, 0x0F, 0x20, 0xD8}
        call    udonly
        call    newline
        mov     dword [LAPIC + 0x80], 0
        jmp     pass

; result: "=EAX" or "=UD"
result: cmp     dword [UDFLAG], 0
        je      .ok
        print   "=UD"
        ret
.ok:    print   "="
        call    puthex
        ret

; udonly: "=UD" or "=ok" (the value read is the machine's, not compared)
udonly: cmp     dword [UDFLAG], 0
        je      .ok
        print   "=UD"
        ret
.ok:    print   "=ok"
        ret

h_ipi:  inc     dword [CNT_I]
        mov     dword [LAPIC + 0xB0], 0
        iretd

ud_handler:
        mov     dword [UDFLAG], 1
        push    eax
        mov     eax, [RESUME]
        mov     [esp + 4], eax
        pop     eax
        iretd

%include "end.inc"
