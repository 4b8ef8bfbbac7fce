; mbaout.asm -- a multiboot kernel of our own in the a.out kludge form (header flags bit 16: the load
; addresses are in the header; the file is a flat image), for the tests of -kernel with a multiboot
; image (MultibootTest). What it prints: mbinfo.inc. Build:
;   nasm -f bin -o tests/multiboot/mbaout.bin tests/multiboot/mbaout.asm
        bits 32
        org 0x100000
MB_FLAGS equ (1 << 0) | (1 << 1) | (1 << 16)   ; modules page-aligned, memory info, addresses here
header: dd 0x1BADB002
        dd MB_FLAGS
        dd -(0x1BADB002 + MB_FLAGS)
        dd header               ; header_addr
        dd 0x100000             ; load_addr: the file's first byte
        dd load_end             ; load_end_addr
        dd bss_end              ; bss_end_addr
        dd entry                ; entry_addr
%include "mbinfo.inc"
load_end:
        ; not in the file: what the loader must clear, then the stack
bss     equ load_end
bss_end equ bss + 4096
stack_top equ bss_end + 4096
