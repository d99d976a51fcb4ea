"""The engine decides; the store writes. Pure rules over plain records (STYLE.md)."""
