"""Chinese punctuation (标点符号用法, GB/T 15834): finds and fixes half-width ASCII
punctuation beside Chinese characters.

Chinese text takes the full-width marks ，：；？！（） beside Chinese characters.
`ascii_beside_cjk` finds the ASCII , : ; ( ) ? ! that touch a CJK character; the
typography tests run it over the rendered public pages, the PDFs and the message
catalogue. `to_full_width` turns them into their full-width forms, leaving format
placeholders (``%(name)s``, ``{}``), times, numbers, URLs and English untouched.
"""

import re

# CJK ideographs and the full-width punctuation that sits between them.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_CONTEXT = CJK + "\u3000-\u303f\uff01-\uff5e"
_ASCII_BESIDE_CJK = re.compile(rf"(?<=[{CJK}])[,:;()?!]|[,:;()?!](?=[{CJK}])")
_CJK_CONTEXT = re.compile(rf"[{CJK_CONTEXT}]")
_HAS_CJK = re.compile(rf"[{CJK}]")
_FULL_WIDTH = str.maketrans(",:;?!()", "，：；？！（）")
# "%(name)s" and "&lt;": the ASCII parenthesis and semicolon a Chinese string keeps.
_KEPT = re.compile(
    r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);"
)


def ascii_beside_cjk(text, context=12):
    """Each ASCII , : ; ( ) ? ! next to a CJK character, with the text around it."""
    kept = {i for m in _KEPT.finditer(text) for i in range(m.start(), m.end())}
    return [
        text[max(0, m.start() - context) : m.end() + context]
        for m in _ASCII_BESIDE_CJK.finditer(text)
        if m.start() not in kept
    ]


def _is_cjk(char):
    return bool(char) and bool(_CJK_CONTEXT.match(char))


def _paren_pairs(text):
    """Positions of the matched ( ) pairs outside format placeholders, and of the
    parentheses left unmatched."""
    masked = _KEPT.sub(lambda m: "_" * len(m.group()), text)
    pairs, stack, unmatched = [], [], []
    for i, char in enumerate(masked):
        if char == "(":
            stack.append(i)
        elif char == ")":
            if stack:
                pairs.append((stack.pop(), i))
            else:
                unmatched.append(i)
    return pairs, unmatched + stack


def to_full_width(text):
    """`text` with the ASCII punctuation beside Chinese turned full width (repeated
    until stable: "（表）," has its comma turned once the parenthesis is)."""
    while (fixed := _to_full_width_once(text)) != text:
        text = fixed
    return text


def _to_full_width_once(text):
    """`text` with the ASCII punctuation beside Chinese turned full width.

    A pair of parentheses turns full width when it holds Chinese or touches it; a
    comma, colon, semicolon, question or exclamation mark when it touches Chinese
    (the spaces after it then go: the full-width mark carries its own space).
    """
    pairs, unmatched = _paren_pairs(text)
    kept = {i for m in _KEPT.finditer(text) for i in range(m.start(), m.end())}
    convert = set()
    for start, end in pairs:
        inner = text[start + 1 : end]
        before = text[start - 1] if start else ""
        after = text[end + 1] if end + 1 < len(text) else ""
        if _HAS_CJK.search(inner) or _is_cjk(before) or _is_cjk(after):
            convert.update((start, end))
    for i in unmatched:
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if _is_cjk(before) or _is_cjk(after):
            convert.add(i)
    for i, char in enumerate(text):
        if char in ",:;?!" and i not in kept:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if _is_cjk(before) or _is_cjk(after):
                convert.add(i)
    # A full-width mark carries its own spacing: the blanks between it and the
    # Chinese beside it go ("许可 (首次)" → "许可（首次）", "条件: 内" → "条件：内").
    out, drop_blanks = [], False
    for i, char in enumerate(text):
        if char == " " and drop_blanks:
            continue
        drop_blanks = False
        if i not in convert:
            out.append(char)
            continue
        mark = char.translate(_FULL_WIDTH)
        if mark == "（":
            while len(out) > 1 and out[-1] == " " and _is_cjk(out[-2]):
                out.pop()
        if mark == "）":
            rest = text[i + 1 :].lstrip(" ")
            drop_blanks = _is_cjk(rest[:1])
        else:
            drop_blanks = mark != "（"
        out.append(mark)
    return "".join(out)
