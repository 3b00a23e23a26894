"""A web process keeps what it loaded out of the garbage collector's walks
(permanence/worker_memory.py, called from gunicorn.conf.py), so no page pays for a full walk of
everything the process holds."""

import gc

import pytest

from permanence import worker_memory


@pytest.fixture
def fresh_process(monkeypatch):
    monkeypatch.setattr(worker_memory, "_served", 0)
    yield
    gc.unfreeze()


def test_what_a_started_process_holds_is_left_out_of_the_collectors_walks(fresh_process):
    frozen = worker_memory.started()
    # Django, the apps and their URLs: tens of thousands of objects...
    assert frozen > 10_000
    # ...none of which the oldest generation, the one a full collection walks, still holds.
    assert len(gc.get_objects(generation=2)) < frozen / 100


def test_a_process_settles_again_after_its_first_pages_only(fresh_process):
    settled_after = [n for n in range(1, 401) if worker_memory.served()]
    assert settled_after == sorted(worker_memory.FREEZE_AFTER_REQUESTS)


def test_garbage_is_collected_before_freezing_not_kept_for_ever(fresh_process):
    class Node:
        pass

    cycle = Node()
    cycle.me = cycle
    del cycle
    worker_memory.settle()
    # Frozen objects are out of gc.get_objects()' sight too: bring them back to look.
    gc.unfreeze()
    assert not any(type(o) is Node for o in gc.get_objects())
