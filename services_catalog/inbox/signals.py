"""What the workflow announces, for whoever tells people about it (`notify`).

The workflow sends these inside the transaction of the change, so a receiver's
writes (the outbox, the divisions' notice lists) commit or roll back with it; the
workflow does not know who listens, and `notify` does not know the workflow."""

from django.dispatch import Signal

filing_event_recorded = Signal()
"""A timeline event was written: `filing`, `event`."""

divisions_to_be_told = Signal()
"""Divisions have something new on a filing: `divisions`, `filing`, `text`."""

rating_recorded = Signal()
"""The applicant rated a filing: `rating` (`records` opens the follow-up of a bad
one)."""
