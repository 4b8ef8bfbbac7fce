; minikernel.asm -- a bzImage of our own, the smallest that the Linux boot protocol loads
; (Documentation/arch/x86/boot.rst: setup header of protocol 2.15, LOADED_HIGH, one setup sector),
; for the tests of -kernel that need no Debian kernel (LinuxBootTest). Build:
;   nasm -f bin -o tests/linux/minikernel.bin tests/linux/minikernel.asm
; Its 16-bit setup (entered at setup+0x200 by an option ROM such as QEMU's linuxboot_dma.bin, with
; DS = the setup's segment) prints "setup16 " on COM1, enables A20, enters 32-bit protected mode and
; jumps to code32_start with ESI = the setup (whose header a loader filled in, as boot_params).
; Its 32-bit kernel (at 1 MiB; entered there directly by a 32-bit boot loader with ESI = boot_params)
; prints on COM1: "kernel32 " CMDLINE "|" INITRD "|" E820_ENTRIES "\n", where CMDLINE is the string at
; cmd_line_ptr, INITRD the NUL-terminated text at ramdisk_image (empty without one), E820_ENTRIES
; the count at boot_params 0x1E8 as one character ('0' + n); then it powers off through ACPI S5
; (PM1a_CNT at 0x604: SLP_EN, SLP_TYP 0, what QEMU's DSDT says for \_S5 with PMBASE 0x600).
        bits 16
        org 0
        times 0x1F1 db 0
        db 1                    ; 0x1F1 setup_sects
        dw 0                    ; 0x1F2 root_flags
        dd (kend - kstart + 15) / 16 ; 0x1F4 syssize
        dw 0                    ; 0x1F8 ram_size
        dw 0xFFFF               ; 0x1FA vid_mode
        dw 0                    ; 0x1FC root_dev
        dw 0xAA55               ; 0x1FE boot_flag
        jmp short start         ; 0x200 jump: 0x202 + this byte ends the header
        db "HdrS"               ; 0x202 header
        dw 0x020F               ; 0x206 version 2.15
        dd 0                    ; 0x208 realmode_swtch
        dw 0                    ; 0x20C start_sys_seg
        dw 0                    ; 0x20E kernel_version
        db 0                    ; 0x210 type_of_loader
        db 1                    ; 0x211 loadflags: LOADED_HIGH
        dw 0                    ; 0x212 setup_move_size
        dd 0x100000             ; 0x214 code32_start
        dd 0                    ; 0x218 ramdisk_image
        dd 0                    ; 0x21C ramdisk_size
        dd 0                    ; 0x220 bootsect_kludge
        dw 0                    ; 0x224 heap_end_ptr
        db 0, 0                 ; 0x226 ext_loader_ver, ext_loader_type
        dd 0                    ; 0x228 cmd_line_ptr
        dd 0x7FFFFFFF           ; 0x22C initrd_addr_max
        dd 0x100000             ; 0x230 kernel_alignment
        db 0, 0                 ; 0x234 relocatable_kernel, min_alignment
        dw 0                    ; 0x236 xloadflags
        dd 255                  ; 0x238 cmdline_size
        dd 0                    ; 0x23C hardware_subarch
        dq 0                    ; 0x240 hardware_subarch_data
        dd 0, 0                 ; 0x248 payload_offset, payload_length
        dq 0                    ; 0x250 setup_data
        dq 0x100000             ; 0x258 pref_address
        dd 0x10000              ; 0x260 init_size
        dd 0                    ; 0x264 handover_offset
start:                          ; 0x268: real mode, DS = ES = SS = the setup's segment
        cli
        mov     si, msg16
.puts:  lodsb
        test    al, al
        jz      .a20
        mov     dx, 0x3F8
        out     dx, al
        jmp     .puts
.a20:   in      al, 0x92
        or      al, 2
        and     al, 0xFE
        out     0x92, al
        xor     ebx, ebx
        mov     bx, ds
        shl     ebx, 4                  ; ebx = linear address of the setup
        lea     eax, [ebx + gdt]
        mov     [gdt_ptr + 2], eax
        lea     eax, [ebx + pm32]
        mov     [far_ptr], eax
        o32 lgdt [gdt_ptr]
        mov     eax, cr0
        or      al, 1
        mov     cr0, eax
        jmp     dword far [far_ptr]
        bits 32
pm32:   mov     ax, 0x18
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     fs, ax
        mov     gs, ax
        mov     esp, 0x9F000
        mov     esi, ebx
        jmp     [esi + 0x214]
msg16:  db "setup16 ", 0
        align 8
gdt:    dq 0, 0
        dq 0x00CF9B000000FFFF           ; 0x10 flat code
        dq 0x00CF93000000FFFF           ; 0x18 flat data
gdt_ptr: dw 31
        dd 0
far_ptr: dd 0
        dw 0x10
        times 1024 - ($ - $$) db 0

        section kernel vstart=0x100000
kstart:
        mov     ebx, msg32
        call    puts
        mov     ebx, [esi + 0x228]
        call    puts
        mov     al, '|'
        call    putc
        mov     ebx, [esi + 0x218]
        test    ebx, ebx
        jz      .noinitrd
        call    puts
.noinitrd:
        mov     al, '|'
        call    putc
        movzx   eax, byte [esi + 0x1E8]
        add     al, '0'
        call    putc
        mov     al, 10
        call    putc
        mov     dx, 0x604
        mov     ax, 0x2000
        out     dx, ax
.halt:  hlt
        jmp     .halt
putc:   mov     dx, 0x3F8
        out     dx, al
        ret
puts:   mov     al, [ebx]
        test    al, al
        jz      .done
        call    putc
        inc     ebx
        jmp     puts
.done:  ret
msg32:  db "kernel32 ", 0
kend:
