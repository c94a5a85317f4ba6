"""Keep each department's staff groups and workflow in step with its page."""

from django.contrib.auth.models import Group
from django.db.models.signals import post_save, pre_delete
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


@receiver(pre_delete, sender=DepartmentPage)
def remove_department_groups(sender, instance, **kwargs):
    """A deleted department's own groups go with it, so that nobody keeps rights
    through a group named after a department that no longer exists."""
    Group.objects.filter(department_link__department=instance).delete()
