"""SSDA903 code lists, loaded from fixtures/ssda903_codes.json."""

from django.db import models


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
