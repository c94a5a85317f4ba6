"""Admin upload of a catalog/1 file (导入事项目录): an editor uploads a JSON file or
an XLSX workbook, reads the dry-run report (what would be created, updated or left
unchanged, with every warning and error by item code and field), then applies it.

Both steps run as a background task (`services_catalog.importing.tasks`), not in
the request: the upload and the confirmation each queue one and lead to the
import's status page, which shows a progress bar while the task runs (refreshed by
a small script polling `CatalogImportProgressView`, or by the page's own refresh
link without it) and the report once it is done.

The uploaded file waits between the two steps in the private file storage under a
random token that only the uploader's session knows, so any app server and worker
can read it (DESIGN §3: app servers keep no state of their own); it is read and
validated again when applied, since the database may have changed in between.
Registered in `services_catalog.wagtail_hooks`.
"""

import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.base import ContentFile
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from disclosure.models.staff import department_of
from portal.tasks import enqueue_with_transaction
from services_catalog.importing import default_home_page
from services_catalog.importing.tasks import (
    APPLY,
    CHECK,
    DONE,
    FAILED,
    QUEUED,
    UPLOAD_FOLDER,
    ImportStatus,
    run_catalog_import,
    upload_storage,
)

IMPORT_PERMISSIONS = (
    "services_catalog.add_serviceitempage",
    "services_catalog.change_serviceitempage",
)
SESSION_KEY = "services_catalog_pending_import"
URL_NAME = "services_catalog_import"
STATUS_URL_NAME = "services_catalog_import_status"
PROGRESS_URL_NAME = "services_catalog_import_progress"


def user_can_import(user):
    return user.is_active and user.has_perms(IMPORT_PERMISSIONS)


def departments_allowed(user):
    """Department codes `user` may import into: a department's staff only their own
    department; superusers and site-wide catalog administrators (staff given the
    import permissions without belonging to a department) every department."""
    department = None if user.is_superuser else department_of(user)
    return {department.code} if department else None


def user_can_publish(user):
    """Publishing through an import touches pages all over the site, so it takes
    the permission to publish the home page and everything under it."""
    return default_home_page().permissions_for_user(user).can_publish()


class CatalogUploadForm(forms.Form):
    file = forms.FileField(
        label=_("目录文件"),
        help_text=_("catalog/1 格式的 JSON 文件或 XLSX 工作簿。"),
    )
    publish = forms.BooleanField(
        label=_("导入后立即发布"),
        required=False,
        help_text=_("不勾选则新建的页面保存为草稿，更改保存为待审核的新版本。"),
    )

    def __init__(self, *args, can_publish=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_publish:
            del self.fields["publish"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".json", ".xlsx"):
            raise forms.ValidationError(_("只能上传 .json 或 .xlsx 文件。"))
        limit = settings.CATALOG_IMPORT_MAX_FILE_SIZE
        if upload.size > limit:
            raise forms.ValidationError(
                _("文件不能超过 %(limit)s。") % {"limit": filesizeformat(limit)}
            )
        return upload


class CatalogApplyForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class CatalogImportMixin(WagtailAdminTemplateMixin):
    """Permission check, title and breadcrumbs of the import's pages."""

    template_name = "services_catalog/admin/catalog_import.html"
    page_title = _("导入事项目录")
    header_icon = "upload"
    _breadcrumbs = [{"url": reverse_lazy("wagtailadmin_home"), "label": _("首页")}]

    def dispatch(self, request, *args, **kwargs):
        if not user_can_import(request.user):
            # A plain 403 page in the admin frame (Wagtail would redirect a
            # PermissionDenied to the dashboard).
            return self.render_to_response(
                self.get_context_data(forbidden=True), status=403
            )
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self._breadcrumbs, {"url": "", "label": self.page_title}]

    def upload_form(self, *args, **kwargs):
        can_publish = user_can_publish(self.request.user)
        return CatalogUploadForm(*args, can_publish=can_publish, **kwargs)

    def pending(self, token):
        """The session's pending import if `token` is its token, else None."""
        pending = self.request.session.get(SESSION_KEY)
        if pending is None or not secrets.compare_digest(str(token), pending["token"]):
            return None
        return pending

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = reverse(URL_NAME)
        return context


class CatalogImportView(CatalogImportMixin, TemplateView):
    """GET: the upload form. POST with a file: queue its dry run. POST with a
    token: queue the import of the pending file. Both lead to the status page."""

    def get(self, request, *args, **kwargs):
        return self.render_to_response(
            self.get_context_data(upload_form=self.upload_form())
        )

    def post(self, request, *args, **kwargs):
        if "token" in request.POST:
            return self.apply(request)
        return self.check(request)

    def check(self, request):
        form = self.upload_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(upload_form=form))
        upload = form.cleaned_data["file"]
        pending = self.keep_pending(
            request, upload.name, upload.read(), form.cleaned_data.get("publish", False)
        )
        return self.queue(request, pending, CHECK)

    def apply(self, request):
        form = CatalogApplyForm(request.POST)
        pending = self.pending(form.data.get("token", "")) if form.is_valid() else None
        status = ImportStatus(pending["token"]).read() if pending else None
        report = ImportStatus.report(status)
        if (
            status is None
            or status["step"] != CHECK
            or report is None
            or not report.ok
            or not upload_storage().exists(pending["path"])
        ):
            self.discard_pending(request)
            messages.error(request, _("待导入的文件已失效，请重新上传。"))
            return redirect(URL_NAME)
        return self.queue(request, pending, APPLY)

    def queue(self, request, pending, step):
        ImportStatus(pending["token"]).write(step, QUEUED)
        enqueue_with_transaction(
            run_catalog_import,
            pending["token"],
            pending["path"],
            pending["file_name"],
            step == CHECK,
            pending["publish"] and user_can_publish(request.user),
            request.user.pk,
            sorted(allowed)
            if (allowed := departments_allowed(request.user)) is not None
            else None,
            translation.get_language(),
            reference=pending["file_name"],
        )
        return redirect(STATUS_URL_NAME, token=pending["token"])

    def keep_pending(self, request, file_name, content, publish):
        """Store the uploaded file under a new random token; returns the pending
        import kept in the session."""
        self.discard_pending(request)
        token = secrets.token_urlsafe(32)
        suffix = Path(file_name).suffix.lower()
        path = upload_storage().save(
            f"{UPLOAD_FOLDER}/{token}{suffix}", ContentFile(content)
        )
        request.session[SESSION_KEY] = pending = {
            "token": token,
            "path": path,
            "file_name": Path(file_name).name,
            "publish": publish,
        }
        return pending

    @staticmethod
    def discard_pending(request):
        pending = request.session.pop(SESSION_KEY, None)
        if pending is not None:
            upload_storage().delete(pending["path"])
            ImportStatus(pending["token"]).delete()


def progress_text(status):
    if status["state"] == QUEUED:
        return gettext("排队等候中，马上开始……")
    if not status["total"]:
        return gettext("正在读取和检查文件……")
    return gettext("已处理 %(done)s / %(total)s 个事项") % status


class CatalogImportStatusView(CatalogImportMixin, TemplateView):
    """The status of the session's import: its progress while the task runs, its
    report when done (with the button to apply a checked file)."""

    def get(self, request, token):
        pending = self.pending(token)
        status = ImportStatus(token).read() if pending else None
        if status is None:
            messages.error(request, _("待导入的文件已失效，请重新上传。"))
            return redirect(URL_NAME)
        context = {
            "file_name": pending["file_name"],
            "status": status,
            "upload_form": self.upload_form(initial={"publish": pending["publish"]}),
        }
        finished = status["state"] in (DONE, FAILED)
        report = ImportStatus.report(status)
        if not finished:
            context["progress_url"] = reverse(PROGRESS_URL_NAME, args=[token])
            context["progress_text"] = progress_text(status)
        elif status["step"] == CHECK and report is not None and report.ok:
            context["apply_form"] = CatalogApplyForm(initial={"token": token})
        else:
            # Applied, failed or refused: nothing is left to do with the file (the
            # status stays, so that the page can be shown again).
            upload_storage().delete(pending["path"])
        context.update(
            report=report, applied=status["step"] == APPLY, finished=finished
        )
        return self.render_to_response(self.get_context_data(**context))


class CatalogImportProgressView(View):
    """The progress as JSON, for the status page's script."""

    def get(self, request, token):
        if not user_can_import(request.user):
            return JsonResponse({"finished": True}, status=403)
        pending = request.session.get(SESSION_KEY)
        known = pending is not None and secrets.compare_digest(
            str(token), pending["token"]
        )
        status = ImportStatus(token).read() if known else None
        if status is None:
            return JsonResponse({"finished": True})
        return JsonResponse(
            {
                "finished": status["state"] in (DONE, FAILED),
                "done": status["done"],
                "total": status["total"],
                "text": progress_text(status),
            }
        )


class CatalogImportMenuItem(MenuItem):
    """Shown only to users who may import (the view checks the same)."""

    def is_shown(self, request):
        return user_can_import(request.user)


def catalog_import_menu_item():
    return CatalogImportMenuItem(
        _("导入事项目录"),
        reverse(URL_NAME),
        name="catalog-import",
        icon_name="upload",
        order=450,
    )
