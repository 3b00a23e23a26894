"""Signing in hashes on a low-priority thread (permanence/hashers.py): the same passwords, the
same stored form, and the hashing gives way to other people's pages."""

from __future__ import annotations

import os
import sys
import threading

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, make_password

from permanence import hashers
from permanence.hashers import YieldingPBKDF2PasswordHasher

HASHER = "permanence.hashers.YieldingPBKDF2PasswordHasher"
FEW = 1_000  # iterations: the cost is not what these tests are about


class _Few(YieldingPBKDF2PasswordHasher):
    iterations = FEW


def test_a_password_hashed_before_still_signs_in(settings):
    settings.PASSWORD_HASHERS = [HASHER]
    stored = PBKDF2PasswordHasher().encode("correct horse battery", "saltsaltsalt", FEW)

    assert check_password("correct horse battery", stored)
    assert not check_password("correct horse battery!", stored)


def test_it_stores_what_djangos_own_hasher_stores():
    ours = _Few().encode("correct horse battery", "saltsaltsalt")

    assert ours == PBKDF2PasswordHasher().encode("correct horse battery", "saltsaltsalt", FEW)
    assert ours.startswith("pbkdf2_sha256$1000$")


def test_the_services_settings_hash_new_passwords_with_it():
    from permanence.settings import base

    assert base.PASSWORD_HASHERS[0] == HASHER
    algorithms = [path.rsplit(".", 1)[1] for path in base.PASSWORD_HASHERS]
    assert "PBKDF2PasswordHasher" not in algorithms  # a second pbkdf2_sha256 would win


def test_new_passwords_are_made_with_it(settings):
    settings.PASSWORD_HASHERS = [HASHER]

    assert make_password("correct horse battery").startswith("pbkdf2_sha256$1000000$")


def test_the_hashing_runs_off_the_requests_thread():
    worker = hashers.hashing_pool().submit(threading.get_native_id).result()

    assert worker != threading.get_native_id()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread priority is Linux's")
def test_the_hashing_thread_gives_way_to_everything_else():
    def niceness():
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    mine = niceness()
    theirs = hashers.hashing_pool().submit(niceness).result()

    assert theirs == hashers.HASHING_NICENESS
    assert niceness() == mine  # the request's own thread keeps its priority
