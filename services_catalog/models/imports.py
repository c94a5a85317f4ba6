"""`ImportedItemDigest`: what the last catalog import found an item to be, so that
importing the same file again skips the item without loading it
(`services_catalog.importing.apply`).

The digest is of the item's record in the file (with the divisions its codes named
then); it holds only for the revision it was taken against. Any later revision —
an editor's change, another import — leaves the digest behind, and the next import
compares that item in full again.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Revision


class ImportedItemDigest(models.Model):
    page = models.OneToOneField(
        "services_catalog.ServiceItemPage",
        verbose_name=_("事项"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="import_digest",
    )
    revision = models.ForeignKey(
        Revision,
        verbose_name=_("对应版本"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    digest = models.CharField(_("摘要"), max_length=64)

    class Meta:
        verbose_name = _("事项导入摘要")
        verbose_name_plural = _("事项导入摘要")

    def __str__(self):
        return f"{self.page_id}@{self.revision_id}"
