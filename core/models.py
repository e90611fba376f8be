"""The content generation in the database, for the in-process lookup cache (core/lookups.py)."""

from django.db import models


class ContentGeneration(models.Model):
    """One row whose token changes with every content change, in the same transaction.

    Every process reads it (one tiny query per request) and keeps its small lookup tables only
    while the token is the one they were built under. Because the token is written inside the
    editor's transaction, a rolled-back change leaves the old token, and a new token is random,
    so a token from a rolled-back transaction never comes back.
    """

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = "Inhaltsstand"
        verbose_name_plural = "Inhaltsstände"

    def __str__(self):
        return self.token
