"""Downloads of reception records' attachments from the private storage, logged in
the personal-data access log."""

import mimetypes

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.views import View

from portal.models import PersonalDataAccess
from reception.models import ReceptionRecordAttachment


class AttachmentView(View):
    """Serve a record's attachment from the private storage to staff who may see
    the record (its department's, through the records' scope policy)."""

    model = ReceptionRecordAttachment
    viewset = None

    def get(self, request, pk):
        records = self.viewset.scope_policy.instances_user_has_any_permission_for(
            request.user, ["change", "view"]
        )
        attachment = get_object_or_404(
            ReceptionRecordAttachment, pk=pk, record__in=records
        )
        name = attachment.download_name
        PersonalDataAccess.record(
            request,
            PersonalDataAccess.Action.DOWNLOAD,
            attachment.record,
            detail=attachment.label,
        )
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=name,
            content_type=content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
