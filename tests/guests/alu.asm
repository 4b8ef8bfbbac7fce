; alu.asm -- 32/16/8-bit arithmetic, logic, shifts/rotates, multiply/divide, bit, BCD and data
; movement instructions run on pseudo-random operands and random incoming flags; per instruction
; it prints a checksum of the registers and of the flags the SDM defines for it (undefined flags
; are masked out). The guest cannot judge itself: its output is compared with what QEMU prints
; (tests/guests/alu.qemu.txt, recorded by tools/build-guests --qemu).
%include "lib.inc"

N       equ 1000                ; iterations per instruction
COUNT   equ DATA + 0x600
MEM     equ DATA + 0x610
F_ALL   equ 0x8D5               ; O S Z A P C
F_LOGIC equ 0x8C5               ; O S Z P C (AF undefined)
F_SZPC  equ 0x0C5
F_OC    equ 0x801
F_C     equ 0x001
F_Z     equ 0x040

; T "name", {instructions}, flag mask, count mask for ECX
%macro T 4
        jmp     %%go
%%name: db      %1, 0
%%go:   mov     dword [COUNT], N
        xor     edi, edi
%%loop: call    rand
        mov     ebx, eax
        call    rand
        mov     ecx, eax
        and     ecx, %4
        call    rand
        mov     edx, eax
        call    rand
        mov     [MEM], edx
        push    eax
        call    rand
        and     eax, F_ALL
        or      eax, 2
        push    eax
        popfd
        pop     eax
        %2
        pushfd
        and     dword [esp], %3
        rol     edi, 5
        xor     edi, eax
        rol     edi, 5
        xor     edi, ebx
        rol     edi, 5
        xor     edi, ecx
        rol     edi, 5
        xor     edi, edx
        rol     edi, 5
        xor     edi, [MEM]
        rol     edi, 3
        xor     edi, [esp]
        add     esp, 4
        dec     dword [COUNT]
        jnz     %%loop
        mov     esi, R(%%name)
        call    puts
        print   " "
        mov     eax, edi
        call    puthex
        call    newline
        mov     esi, [SEED]
%endmacro

SEED    equ DATA + 0x620

; multi-instruction bodies
%macro m_incmax 0
        mov eax, 0x7FFFFFFF
        inc eax
%endmacro
%macro m_cmpxchgeq 0
        mov eax, ebx
        cmpxchg ebx, edx
%endmacro
%macro m_div32 0
        xor edx, edx
        or ebx, 1
        div ebx
%endmacro
%macro m_idiv32 0
        cdq
        or ebx, 1
        idiv ebx
%endmacro
%macro m_div16 0
        and edx, 0x7FFF
        or bx, 0x8000
        div bx
%endmacro
%macro m_idiv8 0
        cbw
        or bl, 1
        idiv bl
%endmacro
%macro m_bsf 0
        or ebx, 0x10000
        bsf eax, ebx
%endmacro
%macro m_bsr 0
        or ebx, 1
        bsr eax, ebx
%endmacro
%macro m_movzx 0
        movzx eax, bl
        movzx edx, cx
%endmacro
%macro m_movsx 0
        movsx eax, bl
        movsx edx, cx
%endmacro
%macro m_cwde 0
        cwde
        cdq
%endmacro
%macro m_cbw 0
        cbw
        cwd
%endmacro
%macro m_setcc 0
        setb al
        setle ah
        setp bl
        seto bh
        setnz cl
        setns ch
        seta dl
%endmacro
%macro m_cmov 0
        cmovl eax, ebx
        cmovbe ecx, edx
        cmovp edx, ebx
        cmovno ebx, [MEM]
%endmacro
%macro m_sahf 0
        mov ah, bl
        sahf
        lahf
%endmacro

        bits 32
main32:
        mov     dword [SEED], 0x2545F491
        mov     esi, [SEED]
        T "add32", {add eax, ebx}, F_ALL, -1
        T "adc32", {adc eax, ebx}, F_ALL, -1
        T "sub32", {sub eax, ebx}, F_ALL, -1
        T "sbb32", {sbb eax, ebx}, F_ALL, -1
        T "cmp32", {cmp eax, ebx}, F_ALL, -1
        T "neg32", {neg eax}, F_ALL, -1
        T "and32", {and eax, ebx}, F_LOGIC, -1
        T "or32", {or eax, ebx}, F_LOGIC, -1
        T "xor32", {xor eax, ebx}, F_LOGIC, -1
        T "test32", {test eax, ebx}, F_LOGIC, -1
        T "not32", {not eax}, F_ALL, -1
        T "inc32", {inc eax}, F_ALL, -1
        T "dec32", {dec eax}, F_ALL, -1
        T "incmax", m_incmax, F_ALL, -1
        T "addi32", {add eax, 0x12345678}, F_ALL, -1
        T "subi8s", {sub eax, -3}, F_ALL, -1
        T "add16", {add ax, bx}, F_ALL, -1
        T "adc16", {adc ax, bx}, F_ALL, -1
        T "sbb16", {sbb ax, bx}, F_ALL, -1
        T "inc16", {inc ax}, F_ALL, -1
        T "neg16", {neg bx}, F_ALL, -1
        T "add8", {add al, bl}, F_ALL, -1
        T "adc8h", {adc ah, bh}, F_ALL, -1
        T "sbb8", {sbb al, ch}, F_ALL, -1
        T "cmp8", {cmp dh, bl}, F_ALL, -1
        T "dec8", {dec bh}, F_ALL, -1
        T "addmem", {add [MEM], eax}, F_ALL, -1
        T "subm16", {sub word [MEM + 1], bx}, F_ALL, -1
        T "xchgm", {xchg [MEM], ebx}, F_ALL, -1
        T "xadd32", {xadd eax, ebx}, F_ALL, -1
        T "xaddm8", {xadd [MEM], cl}, F_ALL, -1
        T "cmpxchg32", {cmpxchg ebx, edx}, F_ALL, -1
        T "cmpxchgeq", m_cmpxchgeq, F_ALL, -1
        T "cmpxchgm16", {cmpxchg [MEM], cx}, F_ALL, -1
        T "shl1", {shl eax, 1}, F_LOGIC, -1
        T "shr1", {shr eax, 1}, F_LOGIC, -1
        T "sar1", {sar eax, 1}, F_LOGIC, -1
        T "shl32", {shl eax, cl}, F_SZPC, 31
        T "shr32", {shr eax, cl}, F_SZPC, 31
        T "sar32", {sar eax, cl}, F_SZPC, 31
        T "shl16", {shl ax, cl}, F_SZPC, 15
        T "sar16", {sar bx, cl}, F_SZPC, 15
        T "shr8", {shr al, cl}, F_SZPC, 7
        T "shlimm", {shl ebx, 7}, F_SZPC, -1
        T "rol1", {rol eax, 1}, F_OC, -1
        T "ror1", {ror eax, 1}, F_OC, -1
        T "rcl1", {rcl eax, 1}, F_OC, -1
        T "rcr1", {rcr eax, 1}, F_OC, -1
        T "rol32", {rol eax, cl}, F_C, 31
        T "ror32", {ror ebx, cl}, F_C, 31
        T "rcl32", {rcl eax, cl}, F_C, 31
        T "rcr32", {rcr edx, cl}, F_C, 31
        T "rol8", {rol al, cl}, F_C, 31
        T "rcl16", {rcl ax, cl}, F_C, 15
        T "rcr8", {rcr bl, cl}, F_C, 7
        T "shld32", {shld eax, ebx, cl}, F_SZPC, 31
        T "shrd32", {shrd eax, ebx, cl}, F_SZPC, 31
        T "shld16", {shld ax, bx, cl}, F_SZPC, 15
        T "shrdimm", {shrd edx, eax, 9}, F_SZPC, -1
        T "mul32", {mul ebx}, F_OC, -1
        T "imul32", {imul ebx}, F_OC, -1
        T "mul16", {mul bx}, F_OC, -1
        T "imul8", {imul bl}, F_OC, -1
        T "imul2", {imul eax, ebx}, F_OC, -1
        T "imul3", {imul eax, ebx, -77}, F_OC, -1
        T "imul16", {imul ax, bx, 1000}, F_OC, -1
        T "div32", m_div32, 0, -1
        T "idiv32", m_idiv32, 0, -1
        T "div16", m_div16, 0, -1
        T "idiv8", m_idiv8, 0, -1
        T "bt", {bt eax, ecx}, F_C, 31
        T "bts", {bts eax, ecx}, F_C, 31
        T "btr", {btr ebx, ecx}, F_C, 31
        T "btc", {btc eax, ecx}, F_C, 31
        T "btimm", {btc eax, 13}, F_C, -1
        T "btmem", {bts [MEM], ecx}, F_C, 31
        T "bsf", m_bsf, F_Z, -1
        T "bsr", m_bsr, F_Z, -1
        T "bswap", {bswap eax}, F_ALL, -1
        T "movzx", m_movzx, F_ALL, -1
        T "movsx", m_movsx, F_ALL, -1
        T "cwde", m_cwde, F_ALL, -1
        T "cbw", m_cbw, F_ALL, -1
        T "lea", {lea eax, [ebx + ecx * 4 + 0x1234]}, F_ALL, -1
        T "lea16", {lea ax, [ebx + ecx * 8 - 5]}, F_ALL, -1
        T "setcc", m_setcc, F_ALL, -1
        T "cmov", m_cmov, F_ALL, -1
        T "sahf", m_sahf, F_ALL, -1
        T "daa", {daa}, 0x0D5, -1
        T "das", {das}, 0x0D5, -1
        T "aaa", {aaa}, 0x011, -1
        T "aas", {aas}, 0x011, -1
        T "aam", {aam 10}, 0x0C4, -1
        T "aad", {aad 7}, 0x0C4, -1
        T "salc", {salc}, F_ALL, -1
        jmp     pass

; xorshift32 in ESI → EAX
rand:   mov     eax, esi
        shl     eax, 13
        xor     esi, eax
        mov     eax, esi
        shr     eax, 17
        xor     esi, eax
        mov     eax, esi
        shl     eax, 5
        xor     esi, eax
        mov     [SEED], esi
        mov     eax, esi
        ret

%include "end.inc"
