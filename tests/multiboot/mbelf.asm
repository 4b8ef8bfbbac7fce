; mbelf.asm -- a multiboot kernel of our own as an ELF32 executable (header flags without bit 16: the
; loader reads the ELF program headers), hand-made so that nasm alone builds it: one PT_LOAD segment
; holding the whole file at 2 MiB, with 8 KiB more in memory than in the file (zeroed: bss, stack).
; What it prints: mbinfo.inc. Build:
;   nasm -f bin -o tests/multiboot/mbelf.bin tests/multiboot/mbelf.asm
        bits 32
BASE    equ 0x200000
        org BASE
ehdr:   db 0x7F, "ELF", 1, 1, 1, 0      ; ELFCLASS32, little-endian, EV_CURRENT, System V
        times 8 db 0
        dw 2                    ; e_type: ET_EXEC
        dw 3                    ; e_machine: EM_386
        dd 1                    ; e_version
        dd entry                ; e_entry
        dd phdr - ehdr          ; e_phoff
        dd 0                    ; e_shoff: no sections
        dd 0                    ; e_flags
        dw 52                   ; e_ehsize
        dw 32                   ; e_phentsize
        dw 1                    ; e_phnum
        dw 40, 0, 0             ; e_shentsize, e_shnum, e_shstrndx
phdr:   dd 1                    ; p_type: PT_LOAD
        dd 0                    ; p_offset
        dd BASE                 ; p_vaddr
        dd BASE                 ; p_paddr
        dd file_end - BASE      ; p_filesz
        dd file_end - BASE + 8192 ; p_memsz
        dd 7                    ; p_flags: RWX
        dd 0x1000               ; p_align
        align 4
MB_FLAGS equ (1 << 0) | (1 << 1)
        dd 0x1BADB002
        dd MB_FLAGS
        dd -(0x1BADB002 + MB_FLAGS)
%include "mbinfo.inc"
file_end:
bss     equ file_end
bss_end equ bss + 4096
stack_top equ bss_end + 4096
