"""The one CSV writer for the whole app: every exported cell is made safe to open in a spreadsheet.

A cell that starts with = + - @, a tab or a carriage return can be read by Excel, LibreOffice or
Google Sheets as a formula ("CSV injection", OWASP). Names and notes are typed by people, so every
cell goes through ``safe_cell``: such a cell gets a single quote in front, which spreadsheets show
as text. Numbers (int, float) are written as they are: a negative number is not a formula.

Files are written with the csv module (minimal quoting, \\r\\n line endings, as RFC 4180 asks) and
served as UTF-8.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a cell may not start with unless it is neutralised."""
NEUTRALISER = "'"


def safe_cell(value: object) -> str:
    """Return the cell as text a spreadsheet will not run: None is "", a formula-like start gets a quote."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if text.startswith(DANGEROUS_STARTS):
        return NEUTRALISER + text
    return text


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """Return a whole CSV file: the header, then each row; every cell through ``safe_cell``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()
