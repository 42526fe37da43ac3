def format_vnd(amount: int) -> str:
    """8000 -> "8.000" (Vietnamese groups thousands with dots)."""
    return f"{int(amount):,}".replace(",", ".")
