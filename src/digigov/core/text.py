"""Text helpers for Vietnamese: diacritic-insensitive search keys."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case ASCII form: "Đăng ký khai sinh" -> "dang ky khai sinh".

    Vietnamese đ/Đ is a separate letter, not d plus a combining mark, so NFD
    alone does not strip it.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
