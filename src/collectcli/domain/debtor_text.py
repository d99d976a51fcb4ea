"""The debtor CSV's text after the header, read in blocks of whole lines (SPEC 14).

The checker takes the file a chunk of lines at a time as one string: reading big blocks
costs far less than a million `readline` calls. Line ends are those of a file opened with
newline='' ('\\n', '\\r\\n' or a lone '\\r', kept in the text), so line numbers agree
with the csv module's.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Protocol

BLOCK = 1 << 18  # characters per read: about 2,500 lines of a typical debtor file


class Readable(Protocol):
    def read(self, size: int = -1, /) -> str: ...


def text_blocks(src: Readable, size: int = BLOCK) -> Iterator[str]:
    """The rest of `src` in blocks of whole lines (the last block may lack a line end)."""
    rest = ""
    while block := src.read(size):
        block = rest + block
        # after the last line end; a '\r' at the very end may be the start of '\r\n'
        cut = max(block.rfind("\n"), block.rfind("\r", 0, len(block) - 1)) + 1
        rest = block[cut:]
        if cut:
            yield block[:cut]
    if rest:
        yield rest


def line_ends(text: str) -> int:
    """About how many lines `text` has (exact unless it mixes lone '\\r' and '\\n')."""
    return text.count("\n") or text.count("\r")


class LineSource:
    """Whole lines from `pieces` (each one or more whole lines: single lines, or blocks
    from `text_blocks`), handed out as chunks of text or, between chunks, line by line."""

    def __init__(self, pieces: Iterator[str]):
        self.pieces = pieces
        self.carry = io.StringIO("", newline="")  # taken from `pieces`, not handed out

    def chunk(self, lines: int) -> str:
        """The next `lines` lines or somewhat more (whole pieces), '' at the end."""
        parts = [self.carry.read()]
        n = line_ends(parts[0])
        while n < lines:
            piece = next(self.pieces, None)
            if piece is None:
                break
            parts.append(piece)
            n += line_ends(piece)
        self.carry = io.StringIO("", newline="")
        return "".join(parts)

    def lines(self) -> Iterator[str]:
        """The lines after the last chunk one at a time; those not taken stay for the
        next chunk (for a quoted field that runs on past the end of a chunk)."""
        while True:
            line = self.carry.readline()
            if not line:
                piece = next(self.pieces, None)
                if piece is None:
                    return
                self.carry = io.StringIO(piece, newline="")
                continue
            yield line
