; forms.asm -- 32-bit instruction forms the single-step data (286, 16-bit) and alu.asm do not reach:
; stack frames (ENTER with nesting levels, LEAVE, PUSHA/POPA, PUSHF/POPF, CALL/RET imm, PUSH/POP of
; segment registers and memory), loops (LOOP/LOOPE/LOOPNE/JECXZ), XLAT, string instructions with
; REP/REPE/REPNE in both directions and with 16-bit addressing, and memory operands of
; BT/BTS/BTR/BTC (incl. negative bit offsets), SHLD/SHRD, IMUL, MOVZX/MOVSX, SETcc, CMOVcc, XCHG,
; INC/DEC/NEG/NOT, ADC/SBB. Each test starts from pseudo-random registers and a pseudo-random
; 256-byte window; its checksum covers the registers, the defined flags and the window. Compared
; with QEMU (tests/guests/forms.qemu.txt).
%include "lib.inc"

N       equ 200
COUNT   equ DATA + 0x900
SEED    equ DATA + 0x904
SAVESP  equ DATA + 0x908
WIN     equ 0x8000              ; the memory window (256 bytes, ESI/EDI/EBP point into it; below 64 KiB for 16-bit addressing)
FRAME   equ 0x48000             ; stack for the tests
F_ALL   equ 0x8D5

%macro T 3                      ; "name", body macro, flag mask
        jmp     %%go
%%name: db      %1, 0
%%go:   mov     dword [COUNT], N
        xor     eax, eax
        mov     [CK], eax
%%loop: call    setup
        mov     [SAVESP], esp
        mov     esp, FRAME
        %2
        pushfd
        and     dword [esp], %3
        pop     dword [FLG]
        mov     esp, [SAVESP]
        call    mix
        dec     dword [COUNT]
        jnz     %%loop
        mov     esi, R(%%name)
        call    puts
        print   " "
        mov     eax, [CK]
        call    puthex
        call    newline
%endmacro

CK      equ DATA + 0x910
FLG     equ DATA + 0x914
REGS    equ DATA + 0x920            ; 8 dwords

; ---------------- test bodies ----------------
%macro b_enter0 0
        enter   24, 0
        mov     [ebp - 4], eax
        leave
%endmacro
%macro b_enter3 0
        mov     ebp, FRAME - 64
        mov     dword [ebp - 4], 0x1111
        mov     dword [ebp - 8], 0x2222
        enter   16, 3
        mov     ebx, [ebp - 4]
        mov     ecx, [ebp - 8]
        mov     edx, [ebp - 12]
        leave
%endmacro
%macro b_enter16 0
        o16 enter 8, 2
        o16 leave
%endmacro
%macro b_pusha 0
        pusha
        mov     eax, [esp + 12]
        add     dword [esp + 4], 5
        popa
%endmacro
%macro b_pushf 0
        pushfd
        pop     eax
        and     eax, F_ALL
        xor     eax, 0x801
        push    eax
        popfd
        pushf
        pop     bx
%endmacro
%macro b_callret 0
        push    eax
        push    ebx
        call    sub_ret8
        mov     edx, esp
%endmacro
%macro b_pushseg 0
        push    es                          ; 32-bit: the upper half of the slot is undefined (SDM PUSH)
        o16 push ds                         ; (nasm ignores "word" on PUSH Sreg: o16 makes the 16-bit form)
        pop     bx
        pop     ecx
        movzx   ecx, cx
        push    dword [WIN + 8]
        pop     dword [WIN + 16]
%endmacro
%macro b_loop 0
        and     ecx, 63
        inc     ecx
        xor     eax, eax
%%l:    add     eax, ecx
        loop    %%l
%endmacro
%macro b_loope 0
        and     ecx, 31
        inc     ecx
        mov     edi, WIN
%%l:    inc     edi
        cmp     byte [edi], 0x80
        loopne  %%l
%endmacro
%macro b_jecxz 0
        and     ecx, 1
        mov     eax, 1
        jecxz   %%z
        mov     eax, 2
%%z:
%endmacro
%macro b_xlat 0
        mov     ebx, WIN
        xlatb
%endmacro
%macro b_movsd 0
        mov     esi, WIN
        mov     edi, WIN + 100
        and     ecx, 15
        rep movsd
%endmacro
%macro b_movsb_back 0
        std
        mov     esi, WIN + 60
        mov     edi, WIN + 200
        and     ecx, 31
        rep movsb
        cld
%endmacro
%macro b_cmpsb 0
        mov     esi, WIN
        mov     edi, WIN + 128
        mov     ecx, 64
        repe cmpsb
%endmacro
%macro b_scasw 0
        mov     edi, WIN
        mov     ecx, 100
        repne scasw
%endmacro
%macro b_stosw 0
        mov     edi, WIN + 3
        and     ecx, 31
        rep stosw
%endmacro
%macro b_lodsd 0
        mov     esi, WIN + 16
        mov     ecx, 5
        rep lodsd
%endmacro
%macro b_movs16 0
        mov     esi, 0x12340000 + WIN
        mov     edi, 0x56780000 + WIN + 64
        mov     ecx, 0x9ABC0000 + 9
        a16 rep movsb                       ; 16-bit address size: SI, DI, CX move, their high halves stay
%endmacro
%macro b_btmem 0
        mov     esi, WIN + 128
        and     ecx, 1023
        sub     ecx, 512
        bts     [esi], ecx
        btr     dword [esi + 4], 3
        btc     [esi], edx
        bt      word [esi], cx
%endmacro
%macro b_shldm 0
        and     ecx, 31
        shld    [WIN + 8], ebx, cl
        shrd    [WIN + 12], edx, 13
        shld    word [WIN + 20], bx, 3
%endmacro
%macro b_imulm 0
        imul    eax, [WIN + 4]
        imul    ebx, [WIN + 8], 37
        imul    dword [WIN + 12]
%endmacro
%macro b_movxm 0
        movzx   eax, byte [WIN + 5]
        movsx   ebx, word [WIN + 6]
        movsx   cx, byte [WIN + 7]
%endmacro
%macro b_setcm 0
        cmp     eax, ebx
        setl    [WIN]
        setbe   [WIN + 1]
        setnp   [WIN + 2]
        cmovg   edx, [WIN + 4]
        cmovnc  ecx, [WIN + 8]
%endmacro
%macro b_xchgm 0
        xchg    [WIN + 4], eax
        xchg    [WIN + 9], bx
        xchg    [WIN + 11], cl
%endmacro
%macro b_unm 0
        inc     word [WIN + 2]
        dec     byte [WIN + 3]
        neg     dword [WIN + 4]
        not     word [WIN + 8]
        adc     [WIN + 12], eax
        sbb     byte [WIN + 16], bl
%endmacro
%macro b_cmpxm 0
        cmpxchg [WIN + 4], ebx
        cmpxchg [WIN + 9], cl
        xadd    [WIN + 12], edx
%endmacro

        bits 32
main32:
        mov     dword [SEED], 0x1234567
        T "enter0", b_enter0, F_ALL
        T "enter3", b_enter3, F_ALL
        T "enter16", b_enter16, F_ALL
        T "pusha", b_pusha, F_ALL
        T "pushf", b_pushf, F_ALL
        T "callret", b_callret, F_ALL
        T "pushseg", b_pushseg, F_ALL
        T "loop", b_loop, F_ALL
        T "loopne", b_loope, F_ALL
        T "jecxz", b_jecxz, F_ALL
        T "xlat", b_xlat, F_ALL
        T "movsd", b_movsd, F_ALL
        T "movsb-back", b_movsb_back, F_ALL
        T "cmpsb", b_cmpsb, F_ALL
        T "scasw", b_scasw, F_ALL
        T "stosw", b_stosw, F_ALL
        T "lodsd", b_lodsd, F_ALL
        T "movs-a16", b_movs16, F_ALL
        T "bt-mem", b_btmem, 0x001
        T "shld-mem", b_shldm, 0x0C5
        T "imul-mem", b_imulm, 0x801
        T "movx-mem", b_movxm, F_ALL
        T "setcc-mem", b_setcm, F_ALL
        T "xchg-mem", b_xchgm, F_ALL
        T "unary-mem", b_unm, F_ALL
        T "cmpxchg-mem", b_cmpxm, F_ALL
        jmp     pass

sub_ret8:
        mov     eax, [esp + 4]
        ret     8

; xorshift32 state in SEED → EAX
rand:   push    edx
        mov     eax, [SEED]
        mov     edx, eax
        shl     edx, 13
        xor     eax, edx
        mov     edx, eax
        shr     edx, 17
        xor     eax, edx
        mov     edx, eax
        shl     edx, 5
        xor     eax, edx
        mov     [SEED], eax
        pop     edx
        ret

; random window, random registers (ESI/EDI/EBP into the window), random flags
setup:  mov     ecx, 64
        mov     edi, WIN
.w:     call    rand
        stosd
        loop    .w
        call    rand
        and     eax, F_ALL
        or      eax, 2
        push    eax
        popfd
        call    rand
        mov     ebx, eax
        call    rand
        mov     ecx, eax
        call    rand
        mov     edx, eax
        call    rand
        and     eax, 0x7C
        lea     esi, [WIN + eax]
        call    rand
        and     eax, 0x7C
        lea     edi, [WIN + 0x80 + eax]
        mov     ebp, FRAME - 16
        call    rand
        ret

; checksum: registers, FLG, window
mix:    mov     [REGS], eax
        mov     [REGS + 4], ebx
        mov     [REGS + 8], ecx
        mov     [REGS + 12], edx
        mov     [REGS + 16], esi
        mov     [REGS + 20], edi
        mov     [REGS + 24], ebp
        mov     eax, [FLG]
        mov     [REGS + 28], eax
        mov     eax, [CK]
        mov     esi, REGS
        mov     ecx, 8
.r:     rol     eax, 7
        xor     eax, [esi]
        add     esi, 4
        loop    .r
        mov     esi, WIN
        mov     ecx, 64
.m:     rol     eax, 5
        xor     eax, [esi]
        add     esi, 4
        loop    .m
        mov     [CK], eax
        ret

%include "end.inc"
