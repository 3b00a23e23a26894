"""Fixtures for the forums tests, from tests/factories/forums.py."""

from tests.factories.forums import forum_child, media_root, session  # noqa: F401
