"""Admin upload of a catalog/1 file (导入事项目录): an editor uploads a JSON file or
an XLSX workbook, reads the dry-run report (what would be created, updated or left
unchanged, with every warning and error by item code and field), then applies it.

The uploaded file waits between the two steps in the private file storage under a
random token that only the uploader's session knows, so any app server can apply it
(DESIGN §3: app servers keep no state of their own); it is read and validated again
when applied, since the database may have changed in between. Registered in
`services_catalog.wagtail_hooks`.
"""

import secrets
from io import BytesIO
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from disclosure.models.staff import department_of
from services_catalog.importing import default_home_page, import_catalog_file

IMPORT_PERMISSIONS = (
    "services_catalog.add_serviceitempage",
    "services_catalog.change_serviceitempage",
)
UPLOAD_FOLDER = "catalog-imports"
SESSION_KEY = "services_catalog_pending_import"
URL_NAME = "services_catalog_import"


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


def upload_storage():
    return storages["private"]


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


class CatalogImportView(WagtailAdminTemplateMixin, TemplateView):
    """GET: the upload form. POST with a file: the dry-run report (and, if the file
    is valid, the apply button). POST with a token: apply the pending file."""

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

    def upload_form(self, *args, **kwargs):
        can_publish = user_can_publish(self.request.user)
        return CatalogUploadForm(*args, can_publish=can_publish, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self._breadcrumbs, {"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        return self.render_to_response(
            self.get_context_data(upload_form=self.upload_form())
        )

    def post(self, request, *args, **kwargs):
        if "token" in request.POST:
            return self.apply(request)
        return self.preview(request)

    def preview(self, request):
        form = self.upload_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(upload_form=form))
        upload = form.cleaned_data["file"]
        publish = form.cleaned_data.get("publish", False)
        content = upload.read()
        report = import_catalog_file(
            BytesIO(content),
            upload.name,
            dry_run=True,
            publish=publish,
            departments_allowed=departments_allowed(request.user),
        )
        apply_form = None
        if report.ok:
            token = self.keep_pending(request, upload.name, content, publish)
            apply_form = CatalogApplyForm(initial={"token": token})
        return self.render_to_response(
            self.get_context_data(
                report=report,
                file_name=upload.name,
                apply_form=apply_form,
                upload_form=self.upload_form(initial={"publish": publish}),
            )
        )

    def apply(self, request):
        form = CatalogApplyForm(request.POST)
        pending = request.session.get(SESSION_KEY)
        if (
            not form.is_valid()
            or pending is None
            or not secrets.compare_digest(form.cleaned_data["token"], pending["token"])
        ):
            messages.error(request, _("待导入的文件已失效，请重新上传。"))
            return redirect(URL_NAME)
        storage = upload_storage()
        try:
            with storage.open(pending["path"], "rb") as stored:
                content = stored.read()
        except FileNotFoundError:
            self.discard_pending(request)
            messages.error(request, _("待导入的文件已失效，请重新上传。"))
            return redirect(URL_NAME)
        report = import_catalog_file(
            BytesIO(content),
            pending["file_name"],
            publish=pending["publish"] and user_can_publish(request.user),
            user=request.user,
            departments_allowed=departments_allowed(request.user),
        )
        self.discard_pending(request)
        if report.ok:
            messages.success(request, _("事项目录已导入。"))
        return self.render_to_response(
            self.get_context_data(
                report=report,
                file_name=pending["file_name"],
                applied=report.ok,
                upload_form=self.upload_form(),
            )
        )

    def keep_pending(self, request, file_name, content, publish):
        """Store the checked file under a new random token; returns the token."""
        self.discard_pending(request)
        token = secrets.token_urlsafe(32)
        suffix = Path(file_name).suffix.lower()
        path = upload_storage().save(
            f"{UPLOAD_FOLDER}/{token}{suffix}", ContentFile(content)
        )
        request.session[SESSION_KEY] = {
            "token": token,
            "path": path,
            "file_name": Path(file_name).name,
            "publish": publish,
        }
        return token

    @staticmethod
    def discard_pending(request):
        pending = request.session.pop(SESSION_KEY, None)
        if pending is not None:
            upload_storage().delete(pending["path"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = reverse(URL_NAME)
        return context


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
