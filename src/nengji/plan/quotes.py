"""Placeholder until the plan-data branch lands (replaced by the real module on merge)."""


def display_text(quote: str) -> str:
    return quote
