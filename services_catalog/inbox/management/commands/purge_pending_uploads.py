"""`python manage.py purge_pending_uploads` (for cron): remove the files uploaded to
forms that were never submitted.

An upload slot stores its file at once under the form's token, so an applicant who
walks away leaves files that belong to no filing. Those older than
`INBOX_PENDING_UPLOAD_HOURS` go, row and file; `--dry-run` only counts them.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from services_catalog.inbox.models import FilingUpload


def stale_pending_uploads(now=None):
    """Pending uploads (no filing) older than the setting's limit."""
    hours = settings.INBOX_PENDING_UPLOAD_HOURS
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=hours)
    return FilingUpload.objects.filter(filing=None, uploaded_at__lt=cutoff)


class Command(BaseCommand):
    help = "Delete uploads of forms never submitted, older than the set limit."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run=False, **options):
        purged = 0
        for upload in stale_pending_uploads().iterator(chunk_size=500):
            purged += 1
            if not dry_run:
                upload.file.delete(save=False)
                upload.delete()
        if dry_run:
            message = _("试运行：将清除 %(count)s 份未提交表单的上传文件。")
        else:
            message = _("已清除 %(count)s 份未提交表单的上传文件。")
        self.stdout.write(message % {"count": purged})
