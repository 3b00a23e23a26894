"""SSDA903 code lists, loaded from fixtures/ssda903_codes.json."""

import time

from django.db import models

# Code lists change once a year; each process re-reads them after this many seconds.
_CACHE_SECONDS = 300
_cache: dict[str, tuple[float, frozenset[str]]] = {}


class Code(models.Model):
    """An SSDA903 code and its meaning (fixtures/ssda903_codes.json)."""

    class List(models.TextChoices):
        LS = "LS", "Legal status"
        PLACE = "PLACE", "Placement type"
        RNE = "RNE", "Reason for new episode"
        REC = "REC", "Reason episode ceased"
        ETHNIC = "ETHNIC", "Ethnicity"
        SEX = "SEX", "Sex"
        PLACE_PROVIDER = "PLACE_PROVIDER", "Placement provider"
        REVIEW_CODE = "REVIEW_CODE", "Participation in review"
        REASON_PLACE_CHANGE = "REASON_PLACE_CHANGE", "Reason for placement change"

    list_name = models.CharField(max_length=32)
    code = models.CharField(max_length=8)
    description = models.CharField(max_length=300)
    introduced_in = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="First collection year (the year it ends) in which the DfE accepts it; blank "
        "when it was accepted in 2017-18, the earliest year held.",
    )
    retired_from = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="First collection year (the year it ends) in which the DfE no longer accepts it.",
    )

    class Meta:
        ordering = ["list_name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["list_name", "code"], name="code_unique_in_list")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.description}"

    @classmethod
    def valid_codes(cls, list_name: str) -> frozenset[str]:
        """Every code in one SSDA903 list, read from the database at most every few minutes."""
        now = time.monotonic()
        cached = _cache.get(list_name)
        if cached is None or now - cached[0] > _CACHE_SECONDS:
            codes = frozenset(
                cls.objects.filter(list_name=list_name).values_list("code", flat=True)
            )
            cached = _cache[list_name] = (now, codes)
        return cached[1]

    @classmethod
    def forget_cached(cls) -> None:
        """Drop the cached lists (after the administrator or a fixture changes them)."""
        _cache.clear()
