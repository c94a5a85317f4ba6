"""The inspection office's admin (监察室, DESIGN §5), on Wagtail's viewsets, one
module per responsibility:

- `dashboard`: `SupervisionViewSet`, the department's board and its monthly
  statistics workbook;
- `complaints`: `ComplaintViewSet`, complaints (投诉) with the handling form;
- `urging`: `UrgingNoticeViewSet`, urging notices (督办单), issued by the office
  and answered by the division;
- `accountability`: `AccountabilityRecordViewSet`, accountability records (责任追究);
- `shared`: what the record viewsets share (`RecordViewSet`, the division filter,
  the views that save through `records`).

Every view of the three record viewsets is limited to the user's scope by
`portal.scope.ScopedViewSetMixin` with the policies of `inbox.permissions` (an
object out of scope is a 404); every write goes through `records`, which checks the
scope again and the version the form carried, and logs the change; none of them is
ever deleted. The follow-ups of bad ratings (差评整改) are in `followup_views`, on
the same `shared` pieces; the 监察室 menu group of all of them is in
`wagtail_hooks`.
"""

from services_catalog.inbox.supervision_views.accountability import (
    AccountabilityRecordViewSet,
)
from services_catalog.inbox.supervision_views.complaints import ComplaintViewSet
from services_catalog.inbox.supervision_views.dashboard import SupervisionViewSet
from services_catalog.inbox.supervision_views.shared import (
    DivisionFilterSet,
    RecordCreateView,
    RecordEditView,
    RecordViewSet,
)
from services_catalog.inbox.supervision_views.urging import UrgingNoticeViewSet

__all__ = [
    "AccountabilityRecordViewSet",
    "ComplaintViewSet",
    "DivisionFilterSet",
    "RecordCreateView",
    "RecordEditView",
    "RecordViewSet",
    "SupervisionViewSet",
    "UrgingNoticeViewSet",
]
