"""`manage.py rotate_personal_data_keys`: re-encrypt every encrypted personal-data
value with the first key of `PERSONAL_DATA_KEYS` and recompute its look-up hash
(`portal.encryption`). Run it after putting a new key first; afterwards the old key
can be removed."""

from django.core.management.base import BaseCommand
from django.db import transaction

from portal.encryption import reencrypt_all


class Command(BaseCommand):
    help = "用第一个密钥重新加密全部加密存储的个人信息，并重算查询摘要。"

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = reencrypt_all()
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count}")
