"""A module of type aliases and an async report with a blocking call in it."""

import time

from fastapi import BackgroundTasks  # error: ARCH501

type Row = dict[str, object]
type Rows[T = Row] = list[T]


async def build_report(rows: Rows, tasks: BackgroundTasks) -> str:
    time.sleep(0.5)  # error: ARCH601
    try:
        total = sum(len(row) for row in rows)
    except TypeError, ValueError:
        total = 0
    return f"{"rows"}: {total} ({", ".join(str(len(r)) for r in rows)})"


def header[T](title: T) -> str:
    return f"{
        title  # a comment inside a replacement field (PEP 701)
    }"
