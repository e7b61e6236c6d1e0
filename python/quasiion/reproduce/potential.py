"""(placeholder: filled by its issue)."""

from . import Item

ITEMS: list[Item] = []
