"""The inbox's own upload rule: a limit on the files of one filing together."""

import pytest
from django.core.exceptions import ValidationError

from services_catalog.inbox.uploads import check_total


def test_total_limit(settings):
    settings.INBOX_MAX_FILING_SIZE = 1000
    check_total([500, 500])
    with pytest.raises(ValidationError) as error:
        check_total([600, 500])
    assert "超过每件申请" in error.value.messages[0]
