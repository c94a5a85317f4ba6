"""Models of the filing inbox: intake and handling (`intake`, `handling`) and the
inspection office's supervision (`supervision`)."""

from services_catalog.inbox.models.handling import (  # noqa: F401
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    DeadlineLevel,
    DeadlineNotice,
    DivisionNotice,
    FilingNote,
    NoteKind,
)
from services_catalog.inbox.models.intake import (  # noqa: F401
    CLOCK_STATES,
    DONE_STATES,
    OPEN_STATES,
    ApplicantType,
    Channel,
    Decision,
    Delivery,
    Filing,
    FilingEvent,
    FilingMaterial,
    FilingState,
    FilingUpload,
    MaterialStatus,
    SupplementRequest,
    TrackingCounter,
    UploadSource,
)
from services_catalog.inbox.models.supervision import (  # noqa: F401
    AccountabilityRecord,
    Complaint,
    ComplaintStatus,
    Rating,
    UrgingNotice,
)
