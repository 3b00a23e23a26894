"""Papers downloaded as documents (issue 17): each download is a row with its history, so the
child's chronology shows who took a copy of which paper, and when."""

from django.db import models
from simple_history.models import HistoricalRecords

from permanence.models.children import Child
from permanence.models.people import User


class DocumentDownload(models.Model):
    class Document(models.TextChoices):
        PART1 = "part1", "Part 1 (consultation form)"
        PART2 = "part2", "Part 2 (the chair's advice)"
        PLAN = "plan", "Permanence plan"
        RATIFICATION = "ratification", "Ratification record"
        BUNDLE_INDEX = "bundle_index", "Matching panel bundle index"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="downloads")
    document = models.CharField(max_length=20, choices=Document.choices)
    # The record the paper was made from (a booking, plan, review or meeting), by its id.
    record_id = models.PositiveBigIntegerField()
    downloaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    downloaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-downloaded_at", "-pk"]
        indexes = [models.Index(fields=["child", "downloaded_at"])]

    def __str__(self) -> str:
        return f"{self.get_document_display()} downloaded"
