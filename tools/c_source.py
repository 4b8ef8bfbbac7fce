"""What the tools that read QEMU's C source share (tools/qemu_cpu_models.py, tools/qemu_source_defaults.py)."""


def block_end(text, open_brace, strict=True):
    """The offset just past the brace block opening at text[open_brace] == '{' (braces counted, nothing
    else parsed). An unbalanced block raises ValueError, or with strict=False ends at the end of text."""
    depth = 0
    for i in range(open_brace, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    if strict:
        raise ValueError("unbalanced braces")
    return len(text)
