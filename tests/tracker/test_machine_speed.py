"""Benchmarks print how fast the machine is before their figures (tracker/machine_speed.py)."""

import pytest
from django.db import connection

from tracker import machine_speed

pytestmark = pytest.mark.django_db


def test_the_reference_work_is_timed_in_python_and_on_postgresql_when_that_is_the_database(
    monkeypatch,
):
    monkeypatch.setattr(machine_speed, "PYTHON_LOOPS", 20_000)
    monkeypatch.setattr(machine_speed, "SQL_ROWS", 1_000)
    python, sql = machine_speed.reference_ms(tries=2)
    assert python > 0
    said = machine_speed.line()
    assert said.startswith("Machine speed now: ")
    if connection.vendor == "postgresql":
        assert sql > 0 and "ms of PostgreSQL" in said
    else:
        assert sql == 0 and "PostgreSQL" not in said
