"""Addresses with one record number, worked out once per name (permanence/addresses.py): the
same text `reverse` gives, for every record and under a script prefix."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from permanence.addresses import address


@pytest.mark.parametrize("name", ["permanence:child-detail", "tracker:chronology"])
@pytest.mark.parametrize("pk", [1, 42, 6198, 2_147_483_647])
def test_an_address_is_what_reverse_gives(name, pk):
    assert address(name, pk) == reverse(name, args=[pk])


def test_a_script_prefix_is_kept_apart():
    try:
        set_script_prefix("/council/")
        assert address("permanence:child-detail", 7) == "/council/children/7/"
    finally:
        set_script_prefix("/")
    assert address("permanence:child-detail", 7) == "/children/7/"


def test_an_address_without_a_number_is_refused():
    with pytest.raises(NoReverseMatch):
        address("permanence:child-list", 3)
