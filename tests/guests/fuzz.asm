; fuzz.asm -- a guest that writes garbage everywhere a PC guest can: every I/O port (bytes, words,
; dwords, and reads), the local APIC's page (0xFEE00000), the I/O APIC's index and data (0xFEC00000,
; 0xFEC00010) and the HPET's registers (0xFED00000), with values from a xorshift32 generator, with
; interrupts enabled. It does not check anything itself: GuestFuzzTest runs it on -M pc, q35 and
; isapc with an instruction budget and asserts that the emulator never throws, whatever the
; devices do (the run ends at the budget, in a reset loop, a shutdown or a halt).
;
; The loop runs from RAM (copied to LOOP_AT), with the GDT and the IDT in RAM too, so that garbage
; written to the chipset's PAM registers (which may take away the ROM at 0xF0000) or to the BIOS
; alias does not take away the code. Every vector (exceptions and whatever the garbage makes the
; APICs deliver) goes to one handler that resets the stack and continues the loop. The generator's
; state lives in RAM, which survives a reset, so a reset continues the sequence instead of
; repeating it. Assemble with tools/build-guests (nasm); not run on QEMU (no expected output).
%include "lib.inc"

STATE     equ DATA + 0x800          ; magic, xorshift state, iterations
MAGIC     equ 0x46555A5A            ; "ZZUF"
LOOP_AT   equ 0x30000               ; where the loop runs (RAM)
GDT_AT    equ 0x2F000               ; the GDT's copy (RAM)
LAPIC     equ 0xFEE00000
IOAPIC    equ 0xFEC00000
HPET      equ 0xFED00000

        bits 32
main32:
        cmp     dword [STATE], MAGIC
        je      .seeded
        mov     dword [STATE], MAGIC
        mov     dword [STATE + 4], 0x2545F491   ; seed
        mov     dword [STATE + 8], 0
.seeded:
        ; GDT to RAM
        mov     esi, R(gdt)
        mov     edi, GDT_AT
        mov     ecx, gdt_end - gdt
        rep movsb
        mov     word [GDT_AT - 6], gdt_end - gdt - 1
        mov     dword [GDT_AT - 4], GDT_AT
        lgdt    [GDT_AT - 6]
        ; the loop to RAM
        mov     esi, R(loop_start)
        mov     edi, LOOP_AT
        mov     ecx, loop_end - loop_start
        rep movsb
        ; all 256 vectors to the handler's copy
        xor     ecx, ecx
.gates: mov     eax, ecx
        mov     ebx, LOOP_AT + (handler - loop_start)
        mov     dl, 0x8E
        call    set_gate
        inc     ecx
        cmp     ecx, 256
        jb      .gates
        mov     word [GDT_AT - 16], 256 * 8 - 1
        mov     dword [GDT_AT - 14], IDT_BASE
        lidt    [GDT_AT - 16]
        mov     eax, LOOP_AT            ; absolute: the image is assembled at 0 and runs at 0xF0000
        jmp     eax

; position-independent from here to loop_end: it runs at LOOP_AT
loop_start:
handler:
        mov     esp, STACK_TOP
        mov     ax, SEL_DATA32
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        sti
next:
        inc     dword [STATE + 8]
        call    rand
        mov     ebx, eax                ; action and operands
        call    rand                    ; EAX = value
        mov     edx, ebx
        shr     edx, 8                  ; DX = port
        mov     ecx, ebx
        and     ecx, 7
        cmp     ecx, 0
        je      .outb
        cmp     ecx, 1
        je      .outw
        cmp     ecx, 2
        je      .outd
        cmp     ecx, 3
        je      .in
        cmp     ecx, 4
        je      .lapic
        cmp     ecx, 5
        je      .ioapic
        cmp     ecx, 6
        je      .hpet
        ; 7: a byte to a low port (0x00-0xFF: the PC's own devices, more often)
        and     edx, 0xFF
.outb:  out     dx, al
        jmp     next
.outw:  out     dx, ax
        jmp     next
.outd:  out     dx, eax
        jmp     next
.in:    test    bl, 0x10
        jz      .inb
        in      eax, dx
        jmp     next
.inb:   in      al, dx
        jmp     next
.lapic: and     edx, 0xFF0              ; a register of the APIC page
        test    bl, 0x10
        jz      .lapic32
        mov     [LAPIC + edx], al       ; an access size the APIC ignores or refuses
        jmp     next
.lapic32:
        mov     [LAPIC + edx], eax
        mov     eax, [LAPIC + edx]
        jmp     next
.ioapic:
        mov     [IOAPIC], dl            ; IOREGSEL
        mov     [IOAPIC + 0x10], eax    ; IOWIN
        mov     eax, [IOAPIC + 0x10]
        jmp     next
.hpet:  and     edx, 0x3F8
        test    bl, 0x10
        jz      .hpet32
        mov     [HPET + edx + 4], eax
        jmp     next
.hpet32:
        mov     [HPET + edx], eax
        mov     eax, [HPET + edx]
        jmp     next

; rand: EAX = the next xorshift32 value of [STATE + 4]
rand:   mov     eax, [STATE + 4]
        mov     ecx, eax
        shl     ecx, 13
        xor     eax, ecx
        mov     ecx, eax
        shr     ecx, 17
        xor     eax, ecx
        mov     ecx, eax
        shl     ecx, 5
        xor     eax, ecx
        mov     [STATE + 4], eax
        ret
loop_end:

%include "end.inc"
