; apic.asm -- the PC's interrupt controllers as a guest sees them on -M pc (not on `cpu run`): CPUID.APIC
; and IA32_APIC_BASE, the local APIC's reset registers, a self-IPI held off by TPR (IRR, ISR, PPR), the
; LAPIC timer one-shot and periodic, the 8254's IRQ 0 through the I/O APIC (GSI 2), the HPET in legacy
; replacement mode (timer 0 -> GSI 2), the 8259 through LINT0 as ExtINT, an NMI self-IPI, and the APIC
; globally disabled through the MSR (CPUID.APIC then reads 0, as QEMU does). Recorded on QEMU 7.2 as apic.qemu.txt:
;   qemu-system-x86_64 -M pc -nodefaults -display none -bios apic.bin -device isa-debug-exit,iobase=0xf4,iosize=4
;     -chardev file,id=d,path=apic.qemu.txt -device isa-debugcon,iobase=0x402,chardev=d
%include "lib.inc"

LAPIC   equ 0xFEE00000
IOAPIC  equ 0xFEC00000
HPET    equ 0xFED00000
CNT_T   equ DATA + 0x300    ; LAPIC timer interrupts
CNT_I   equ DATA + 0x304    ; self-IPIs
CNT_P   equ DATA + 0x308    ; IOAPIC (8254) interrupts
CNT_H   equ DATA + 0x30C    ; HPET interrupts
CNT_X   equ DATA + 0x310    ; 8259 (ExtINT) interrupts
CNT_N   equ DATA + 0x314    ; NMIs
ISR_IN  equ DATA + 0x318    ; ISR word 1 seen inside the IPI handler
PPR_IN  equ DATA + 0x31C    ; PPR seen inside the IPI handler

; show "name", expression: prints "name=XXXXXXXX"
%macro show 2
        print   %1
        print   "="
        mov     eax, %2
        call    puthex
        call    newline
%endmacro

%macro gate 2
        mov     eax, %1
        mov     ebx, R(%2)
        mov     dl, 0x8E
        call    set_gate
%endmacro

; ioapic_entry pin, low dword (high dword 0: destination APIC ID 0)
%macro ioapic_entry 2
        mov     dword [IOAPIC], 0x10 + 2 * %1 + 1
        mov     dword [IOAPIC + 0x10], 0
        mov     dword [IOAPIC], 0x10 + 2 * %1
        mov     dword [IOAPIC + 0x10], %2
%endmacro

        bits 32
main32:
        xor     eax, eax
        mov     edi, CNT_T
        mov     ecx, 8
        rep stosd
        gate    0x02, h_nmi
        gate    0x20, h_pic
        gate    0x28, h_timer
        gate    0x29, h_ipi
        gate    0x2A, h_ioapic
        gate    0x2B, h_hpet

        ; --- CPUID and the APIC base MSR
        mov     eax, 1
        cpuid
        and     edx, 1 << 9
        show    "cpuid.1.edx.apic", edx
        mov     ecx, 0x1B
        rdmsr
        show    "apic_base", eax
        show    "apic_base.hi", edx

        ; --- local APIC registers after reset
        show    "id", [LAPIC + 0x20]
        show    "version", [LAPIC + 0x30]
        show    "tpr", [LAPIC + 0x80]
        show    "ppr", [LAPIC + 0xA0]
        show    "ldr", [LAPIC + 0xD0]
        show    "dfr", [LAPIC + 0xE0]
        show    "svr", [LAPIC + 0xF0]
        show    "lvt_timer", [LAPIC + 0x320]
        show    "lvt_lint0", [LAPIC + 0x350]
        show    "lvt_lint1", [LAPIC + 0x360]
        show    "lvt_error", [LAPIC + 0x370]
        show    "divide", [LAPIC + 0x3E0]

        ; --- software enable, then a self-IPI (vector 0x29) held off by TPR 0x20
        mov     dword [LAPIC + 0xF0], 0x1FF
        show    "svr.enabled", [LAPIC + 0xF0]
        mov     dword [LAPIC + 0x80], 0x20
        mov     dword [LAPIC + 0x300], 0x00040029
        sti
        nop
        nop
        cli
        show    "ipi.blocked.count", [CNT_I]
        show    "ipi.blocked.irr1", [LAPIC + 0x210]
        show    "ipi.blocked.ppr", [LAPIC + 0xA0]
        mov     dword [LAPIC + 0x80], 0
        sti
        nop
        cli
        show    "ipi.count", [CNT_I]
        show    "ipi.isr1.in_handler", [ISR_IN]
        show    "ipi.ppr.in_handler", [PPR_IN]
        show    "ipi.isr1.after", [LAPIC + 0x110]
        show    "ipi.irr1.after", [LAPIC + 0x210]
        show    "icr", [LAPIC + 0x300]

        ; --- LAPIC timer: one-shot, then periodic
        mov     dword [LAPIC + 0x3E0], 0xB          ; divide by 1
        mov     dword [LAPIC + 0x320], 0x28
        mov     dword [LAPIC + 0x380], 10000000
        mov     eax, [LAPIC + 0x390]
        cmp     eax, 0
        setne   al
        movzx   eax, al
        show    "timer.counting", eax
        sti
        hlt
        cli
        show    "timer.oneshot.count", [CNT_T]
        show    "timer.oneshot.current", [LAPIC + 0x390]
        mov     dword [LAPIC + 0x320], 0x20028      ; periodic
        mov     dword [LAPIC + 0x380], 2000000
        sti
        hlt
        hlt
        cli
        mov     dword [LAPIC + 0x320], 0x10028      ; masked
        mov     dword [LAPIC + 0x380], 0
        show    "timer.periodic.count", [CNT_T]

        ; --- I/O APIC: the 8254's IRQ 0 arrives at pin 2
        mov     dword [IOAPIC], 1
        show    "ioapic.version", [IOAPIC + 0x10]
        mov     dword [IOAPIC], 0x14
        show    "ioapic.redir2.reset", [IOAPIC + 0x10]
        mov     al, 0xFF
        out     0x21, al
        out     0xA1, al
        ioapic_entry 2, 0x2A
        mov     al, 0x34                            ; 8254 channel 0, mode 2, about 1 ms
        out     0x43, al
        mov     al, 0xA9
        out     0x40, al
        mov     al, 0x04
        out     0x40, al
        sti
        hlt
        cli
        ioapic_entry 2, 0x1002A
        show    "ioapic.pit.count", [CNT_P]

        ; --- the 8259 through LINT0 (ExtINT)
        call    pic_init
        mov     dword [LAPIC + 0x350], 0x700
        sti
        hlt
        cli
        mov     al, 0xFF
        out     0x21, al
        mov     dword [LAPIC + 0x350], 0x10700
        show    "extint.count", [CNT_X]

        ; --- an NMI self-IPI
        mov     dword [LAPIC + 0x300], 0x00044400
        nop
        nop
        show    "nmi.count", [CNT_N]

        ; --- HPET: legacy replacement routes timer 0 to GSI 0 (pin 2) and cuts the 8254 off
        show    "hpet.cap", [HPET]
        show    "hpet.period", [HPET + 4]
        show    "hpet.t0.cfg", [HPET + 0x100]
        show    "hpet.t0.cap", [HPET + 0x104]
        mov     dword [HPET + 0xF0], 0
        mov     dword [HPET + 0xF4], 0
        mov     dword [HPET + 0x108], 10000         ; 100 us at 100 MHz
        mov     dword [HPET + 0x10C], 0
        mov     dword [HPET + 0x100], 4             ; enabled, edge, one-shot
        mov     dword [HPET + 0x10], 3              ; ENABLE_CNF | LEG_RT_CNF
        ioapic_entry 2, 0x2B
        sti
        hlt
        cli
        ioapic_entry 2, 0x1002B
        mov     dword [HPET + 0x10], 0
        show    "hpet.count", [CNT_H]

        ; --- global disable (QEMU 7.2 then drops the 8259's INTR while LINT0 is masked: not tested here)
        mov     ecx, 0x1B
        rdmsr
        and     eax, ~(1 << 11)
        wrmsr
        rdmsr
        show    "apic_base.disabled", eax
        show    "svr.disabled", [LAPIC + 0xF0]
        mov     eax, 1
        cpuid
        and     edx, 1 << 9
        show    "cpuid.1.edx.apic.disabled", edx
        jmp     pass

pic_init:
        mov     al, 0x11
        out     0x20, al
        out     0xA0, al
        mov     al, 0x20
        out     0x21, al
        mov     al, 0x28
        out     0xA1, al
        mov     al, 0x04
        out     0x21, al
        mov     al, 0x02
        out     0xA1, al
        mov     al, 0x01
        out     0x21, al
        out     0xA1, al
        mov     al, 0xFE
        out     0x21, al
        mov     al, 0xFF
        out     0xA1, al
        ret

pit_start:
        mov     al, 0x34
        out     0x43, al
        mov     al, 0xA9
        out     0x40, al
        mov     al, 0x04
        out     0x40, al
        ret

h_nmi:  inc     dword [CNT_N]
        iret

h_pic:  push    eax
        inc     dword [CNT_X]
        mov     al, 0x20
        out     0x20, al
        pop     eax
        iret

h_timer:
        inc     dword [CNT_T]
        mov     dword [LAPIC + 0xB0], 0
        iret

h_ipi:  push    eax
        inc     dword [CNT_I]
        mov     eax, [LAPIC + 0x110]
        mov     [ISR_IN], eax
        mov     eax, [LAPIC + 0xA0]
        mov     [PPR_IN], eax
        mov     dword [LAPIC + 0xB0], 0
        pop     eax
        iret

h_ioapic:
        inc     dword [CNT_P]
        mov     dword [LAPIC + 0xB0], 0
        iret

h_hpet: inc     dword [CNT_H]
        mov     dword [LAPIC + 0xB0], 0
        iret

%include "end.inc"
