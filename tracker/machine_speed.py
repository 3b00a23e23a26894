"""How fast this machine is right now, for benchmarks to print beside their figures (issue 19:
figures with the machine they ran on).

The development machine is a share of a larger host: the same page, measured on the same data
an hour apart, has taken from 50 to 90 ms. So each benchmark first times the same fixed work, a
piece of pure Python and a PostgreSQL query that touches no table, and prints both: two sets of
figures are comparable when these agree, and in proportion when they do not.
"""

from __future__ import annotations

import time

from django.db import connection

PYTHON_LOOPS = 2_000_000
SQL_ROWS = 1_000_000


def _python_ms() -> float:
    started = time.process_time()
    total = 0
    for n in range(PYTHON_LOOPS):
        total += n * n % 7
    return (time.process_time() - started) * 1000


def _sql_ms() -> float:
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(f"SELECT count(*) FROM generate_series(1, {SQL_ROWS})")  # noqa: S608
        cursor.fetchone()
        return (time.perf_counter() - started) * 1000


def reference_ms(tries: int = 3) -> tuple[float, float]:
    """The fastest of a few tries at the fixed Python work and the fixed query, in ms."""
    python = min(_python_ms() for _ in range(tries))
    sql = min(_sql_ms() for _ in range(tries)) if connection.vendor == "postgresql" else 0.0
    return python, sql


def line() -> str:
    python, sql = reference_ms()
    said = f"Machine speed now: {python:.0f} ms of Python"
    if sql:
        said += f" and {sql:.0f} ms of PostgreSQL"
    return said + " for the fixed reference work (lower is faster; tracker/machine_speed.py)."
