"""Keep each department's staff groups and workflow in step with its page."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from disclosure.models import DepartmentPage
from disclosure.permissions import prepare_department


@receiver(post_save, sender=DepartmentPage)
def prepare_saved_department(sender, instance, raw=False, update_fields=None, **kw):
    """A new department gets its groups and workflow; a renamed one renames them.

    Saving a draft revision only updates bookkeeping fields (not the live title),
    so those saves are skipped.
    """
    if raw or (update_fields is not None and "title" not in update_fields):
        return
    prepare_department(instance)
