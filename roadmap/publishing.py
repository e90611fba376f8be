"""Publication state shared by every public content model.

Only published rows are public; editors see drafts in the admin. Each model
also gets a natural key (its slug) so fixtures stay readable and stable.
"""

from django.db import models
from django.utils import timezone
from mptt.managers import TreeManager
from mptt.querysets import TreeQuerySet


class Status(models.TextChoices):
    DRAFT = "draft", "Entwurf"
    PUBLISHED = "published", "Veröffentlicht"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)


class SlugNaturalKeyMixin:
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class ContentManager(SlugNaturalKeyMixin, models.Manager.from_queryset(PublishableQuerySet)):
    pass


class TreeContentQuerySet(TreeQuerySet, PublishableQuerySet):
    pass


class TreeContentManager(SlugNaturalKeyMixin, TreeManager.from_queryset(TreeContentQuerySet)):
    pass


class Publishable(models.Model):
    status = models.CharField(
        "Status",
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="Nur veröffentlichte Inhalte sind auf der Website sichtbar.",
    )
    # Defaults instead of auto_now(_add): loaddata saves raw and skips pre_save.
    created_at = models.DateTimeField("angelegt", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("zuletzt geändert", default=timezone.now, editable=False)

    objects = ContentManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.slug,)

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED
