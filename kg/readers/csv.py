"""Reader for CSV files with a header row naming at least `title` and `abstract`."""
from __future__ import annotations

import csv
from collections.abc import Iterator

from ..errors import InputError
from ..model import Paper
from .records import Source, flat_fields, make_paper
from .text import iter_lines

NEEDED = ("title", "abstract")


def read_csv(source: Source) -> Iterator[Paper | InputError]:
    """One paper per row; a header without the needed columns is fatal, a bad row is reported.

    A quoting error leaves the rest of the file unreadable, so it is reported and ends the file.
    """
    lines = (line + "\n" for _, line in iter_lines(source.path))
    rows = csv.DictReader(lines, strict=True)
    try:
        _check_header(rows.fieldnames, source)
        for row in rows:
            rec = {(k or "").strip().lower(): v for k, v in row.items()}
            yield make_paper(flat_fields(rec), source, rows.line_num)
    except csv.Error as e:
        yield source.error(f"malformed CSV record ({e})", rows.line_num + 1)


def _check_header(fieldnames: list[str] | None, source: Source) -> None:
    columns = [c.strip().lower() for c in fieldnames or []]
    missing = [c for c in NEEDED if c not in columns]
    if missing:
        raise source.error(f"CSV lacks column(s) {', '.join(missing)} (has: {', '.join(columns) or 'none'})", 1)
