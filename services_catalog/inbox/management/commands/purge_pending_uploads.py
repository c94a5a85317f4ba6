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
        verb = "would purge" if dry_run else "purged"
        self.stdout.write(f"{verb} {purged} pending uploads")
