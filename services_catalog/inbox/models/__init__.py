"""Models of the filing inbox: intake and handling (`intake`, `handling`), the
office's outgoing-document register (`outgoing`), the inspection office's
supervision (`supervision`), consultations (`consultation`) and the receipts' PDFs
(`receipts`)."""

from services_catalog.inbox.models.consultation import (  # noqa: F401
    OPEN_CONSULTATION_STATES,
    Consultation,
    ConsultationChannel,
    ConsultationSettings,
    ConsultationState,
)
from services_catalog.inbox.models.handling import (  # noqa: F401
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    DeadlineLevel,
    DeadlineNotice,
    DivisionNotice,
    FilingNote,
    NoteKind,
    SpecialProcedureKind,
    SpecialProcedureNotice,
)
from services_catalog.inbox.models.intake import (  # noqa: F401
    CLOCK_STATES,
    DONE_STATES,
    EXTENDABLE_STATES,
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
from services_catalog.inbox.models.outgoing import (  # noqa: F401
    OutgoingCounter,
    OutgoingDocumentType,
    OutgoingNumber,
)
from services_catalog.inbox.models.receipts import ReceiptPdf  # noqa: F401
from services_catalog.inbox.models.supervision import (  # noqa: F401
    BAD_SCORE,
    AccountabilityRecord,
    Complaint,
    ComplaintStatus,
    FollowUpStatus,
    Rating,
    RatingFollowUp,
    UrgingNotice,
)
