"""Retention of personal data (保存期限, PIPL art. 19; DESIGN §10).

Each app registers, per record type, how to find the records whose retention has
run out and how to anonymise them (`register`); `manage.py apply_retention` (cron,
daily) runs every policy. What a policy removes is the person: names, ID and
contact numbers, free text that may hold them, uploaded files. What it keeps is what
the department is accountable for: numbers, dates, states, decisions and the
statistics built from them.

`RETENTION_YEARS` sets the period per record type, counted from the record's
closure; a type missing from it keeps `RETENTION_DEFAULT_YEARS`.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ANONYMISED_NAME = _("（已匿名）")
"""What replaces a person's name once their data is removed."""

_policies = {}


@dataclass(frozen=True)
class RetentionPolicy:
    """`expired(cutoff)` returns the records of this type closed before `cutoff`
    that still hold personal data; `anonymise(record)` removes it."""

    key: str
    label: str
    expired: object
    anonymise: object


def register(key, label, expired, anonymise):
    _policies[key] = RetentionPolicy(key, label, expired, anonymise)


def policies():
    return list(_policies.values())


def retention_years(key):
    return settings.RETENTION_YEARS.get(key, settings.RETENTION_DEFAULT_YEARS)


def cutoff(key, now=None):
    """The closure time before which a record of type `key` is past retention, in
    the site's time zone: records kept by date (a reception's day) compare with
    its `.date()`, which must be the local date, not UTC's."""
    now = timezone.localtime(now or timezone.now())
    years = retention_years(key)
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def apply_retention(dry_run=False, now=None):
    """Anonymise every record past its retention; returns [(policy, count)]. With
    `dry_run`, only counts them."""
    report = []
    for policy in policies():
        records = policy.expired(cutoff(policy.key, now))
        if dry_run:
            report.append((policy, records.count()))
            continue
        count = 0
        for record in records.iterator():
            with transaction.atomic():
                policy.anonymise(record)
            count += 1
        report.append((policy, count))
    return report
