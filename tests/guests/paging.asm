; paging.asm -- 32-bit paging: 4 KiB and 4 MiB pages, #PF with CR2 and the error code, a handler
; that maps the page and retries, CR0.WP, accessed and dirty bits, CR3 reload and INVLPG.
%include "lib.inc"

PD      equ 0x100000            ; page directory
PT0     equ 0x101000            ; page table for 0-4 MiB (identity)
NP_PAGE equ 0x300000            ; starts not present
RO_PAGE equ 0x301000            ; read-only
SW_PAGE equ 0x302000            ; remapped to other frames during the test
WP_PAGE equ 0x305000            ; read-only, written with CR0.WP clear
PF_CR2  equ DATA + 0x100
PF_ERR  equ DATA + 0x104
PF_CNT  equ DATA + 0x108

%macro pte_of 1                 ; EAX = address of the PTE of a page in 0-4 MiB
        mov     eax, PT0 + ((%1) >> 12) * 4
%endmacro

        bits 32
main32:
        print   "paging: "
        ; frames with known contents, written before paging is on
        mov     dword [NP_PAGE + 0x10], 0xA1A1A1A1
        mov     dword [0x302000], 0x22222222
        mov     dword [0x303000], 0x33333333
        mov     dword [0x304000], 0x44444444
        ; identity page table, supervisor read/write, present
        mov     edi, PT0
        mov     eax, 0x003             ; P | RW
        mov     ecx, 1024
.pt:    stosd
        add     eax, 0x1000
        loop    .pt
        pte_of  NP_PAGE
        and     dword [eax], ~1        ; not present
        pte_of  RO_PAGE
        and     dword [eax], ~2        ; read-only
        pte_of  WP_PAGE
        and     dword [eax], ~2
        ; page directory: PDE0 → PT0; PDE1 = 4 MiB page 0x400000 (identity); PDE2 = 4 MiB page → 0x400000 (alias)
        mov     edi, PD
        xor     eax, eax
        mov     ecx, 1024
        rep stosd
        mov     dword [PD + 0], PT0 | 0x003
        mov     dword [PD + 4], 0x400000 | 0x083   ; PS | RW | P
        mov     dword [PD + 8], 0x400000 | 0x083
        mov     dword [PF_CNT], 0
        mov     eax, 14
        mov     ebx, R(pf_handler)
        mov     dl, 0x8E
        call    set_gate
        mov     eax, cr4
        or      eax, 0x10              ; CR4.PSE
        mov     cr4, eax
        mov     eax, PD
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80010000        ; PG | WP
        mov     cr0, eax
        jmp     .on                    ; (a branch after enabling paging, as the SDM asks)
.on:
        ; identity mapping works
        mov     dword [DATA], 0x600D600D
        cmp     dword [DATA], 0x600D600D
        expect  e, "identity-mapped RAM"

        ; read of a page that is not present: #PF, error 0, CR2, the handler maps it, the read is retried
        mov     eax, [NP_PAGE + 0x10]
        cmp     eax, 0xA1A1A1A1
        expect  e, "value after the not-present fault"
        cmp     dword [PF_CNT], 1
        expect  e, "expected one #PF"
        cmp     dword [PF_CR2], NP_PAGE + 0x10
        expect  e, "CR2 of the not-present fault"
        cmp     dword [PF_ERR], 0
        expect  e, "error code of a supervisor read of a not-present page (want 0)"
        print   "not-present "

        ; accessed set by the read, dirty still clear; a write sets dirty
        pte_of  NP_PAGE
        test    dword [eax], 0x20
        expect  nz, "accessed bit not set"
        test    dword [eax], 0x40
        expect  z, "dirty bit set by a read"
        mov     dword [NP_PAGE + 0x20], 1
        pte_of  NP_PAGE
        test    dword [eax], 0x40
        expect  nz, "dirty bit not set by a write"
        print   "accessed/dirty "

        ; write to a read-only page with CR0.WP=1: #PF, error P|W = 3
        mov     dword [RO_PAGE], 0xBEEF
        cmp     dword [PF_CNT], 2
        expect  e, "expected a #PF for the read-only page"
        cmp     dword [PF_ERR], 3
        expect  e, "error code of a supervisor write to a read-only page (want 3)"
        cmp     dword [PF_CR2], RO_PAGE
        expect  e, "CR2 of the read-only fault"
        cmp     dword [RO_PAGE], 0xBEEF
        expect  e, "the write was not retried"
        print   "write-protect "

        ; CR0.WP=0: supervisor writes to read-only pages are allowed
        mov     eax, cr0
        and     eax, ~0x10000
        mov     cr0, eax
        mov     dword [WP_PAGE], 0x5150
        cmp     dword [PF_CNT], 2
        expect  e, "a #PF with CR0.WP clear"
        mov     eax, cr0
        or      eax, 0x10000
        mov     cr0, eax
        print   "WP=0 "

        ; 4 MiB pages: linear 0x800123 (PDE2) and 0x400123 (PDE1) are the same frame
        mov     dword [0x800123], 0x4D4D4D4D
        cmp     dword [0x400123], 0x4D4D4D4D
        expect  e, "4 MiB alias"
        test    dword [PD + 8], 0x40
        expect  nz, "dirty bit of a 4 MiB page"
        print   "4M "

        ; remapping: the TLB holds the old frame until CR3 is reloaded or INVLPG
        cmp     dword [SW_PAGE], 0x22222222
        expect  e, "first frame"
        pte_of  SW_PAGE
        mov     dword [eax], 0x303000 | 3
        mov     eax, cr3
        mov     cr3, eax
        cmp     dword [SW_PAGE], 0x33333333
        expect  e, "new frame after a CR3 reload"
        pte_of  SW_PAGE
        mov     dword [eax], 0x304000 | 3
        invlpg  [SW_PAGE]
        cmp     dword [SW_PAGE], 0x44444444
        expect  e, "new frame after INVLPG"
        print   "CR3/INVLPG "

        ; a fault in the handler's absence of a mapping: an unmapped 4 MiB region
        mov     eax, [0xC00000]
        cmp     dword [PF_CR2], 0xC00000
        expect  e, "CR2 of the fault on an unmapped directory entry"
        cmp     dword [PF_ERR], 0
        expect  e, "error code for a missing directory entry"
        print   "PDE "
        jmp     pass

; #PF: record CR2 and the error code, then make the access possible and return to retry it
pf_handler:
        push    eax
        push    ebx
        mov     eax, cr2
        mov     [PF_CR2], eax
        mov     ebx, [esp + 8]         ; error code
        mov     [PF_ERR], ebx
        inc     dword [PF_CNT]
        cmp     eax, 0xC00000
        jae     .bigmap
        shr     eax, 12
        or      dword [PT0 + eax * 4], 3   ; present and writable
        mov     eax, cr2
        invlpg  [eax]
        jmp     .done
.bigmap:                               ; map the 4 MiB region at 0xC00000 onto 0x400000
        mov     dword [PD + 12], 0x400000 | 0x083
.done:  pop     ebx
        pop     eax
        add     esp, 4                 ; drop the error code
        iret

%include "end.inc"
