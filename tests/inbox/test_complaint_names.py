"""A complaint's name, as admin breadcrumbs, logs and choosers show it, follows the
reader's language."""

from django.utils import translation

from services_catalog.inbox.models import Complaint


def test_a_complaint_is_named_in_the_readers_language():
    complaint = Complaint(pk=7)
    assert str(complaint) == "投诉 7"
    with translation.override("en"):
        assert str(complaint) == "Complaint 7"
