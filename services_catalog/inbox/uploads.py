"""What the inbox adds to the site's upload checks (`portal.uploads`): the files of one
filing add up to at most `INBOX_MAX_FILING_SIZE` (settings), and they are kept in the
private storage's ``inbox/`` folder."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from portal.uploads import PrivatePath

inbox_path = PrivatePath("inbox")


def check_total(sizes):
    """Refuse when the files of one filing add up to more than the limit."""
    total, limit = sum(sizes), settings.INBOX_MAX_FILING_SIZE
    if total > limit:
        raise ValidationError(
            _("全部材料合计 %(size)s，超过每件申请 %(limit)s 的上限。")
            % {"size": filesizeformat(total), "limit": filesizeformat(limit)},
            code="filing_too_large",
        )
