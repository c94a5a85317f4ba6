"""The admin's catalog import as a background task (issue 15): the upload is checked
(a dry run) and then applied by `run_catalog_import` on the task queue, not inside
a request, and the admin page shows its progress.

The uploaded file waits in the private file storage under a random token that only
the uploader's session knows (`services_catalog.admin_views`). Beside it the task
keeps the import's status — queued, running (items done of how many), done with its
report, or failed — as a small JSON file, `ImportStatus`. Not in the database: an
import is one transaction, and what it writes, progress included, is seen by other
connections only when it commits (on SQLite no other connection may write at all
meanwhile). The private storage is shared by every app server and worker, like the
upload itself.
"""

import json
import logging
import time
from io import BytesIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from services_catalog.importing import import_catalog_file
from services_catalog.importing.report import ImportReport

UPLOAD_FOLDER = "catalog-imports"
CHECK, APPLY = "check", "apply"  # the two steps: the dry run, then the import
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
PROGRESS_INTERVAL = 0.5  # seconds between writes of the progress

logger = logging.getLogger(__name__)


def upload_storage():
    return storages["private"]


class ImportStatus:
    """The status of the import under `token`, read and written as JSON."""

    def __init__(self, token):
        self.name = f"{UPLOAD_FOLDER}/{token}.status.json"

    def read(self):
        """The status dictionary, or None when there is none (or it is being
        rewritten at this moment: the reader asks again)."""
        storage = upload_storage()
        try:
            with storage.open(self.name, "rb") as stored:
                return json.loads(stored.read())
        except (FileNotFoundError, ValueError):
            return None

    def write(self, step, state, done=0, total=0, report=None, message=""):
        storage = upload_storage()
        storage.delete(self.name)
        content = {
            "step": step,
            "state": state,
            "done": done,
            "total": total,
            "report": report.as_dict() if report is not None else None,
            "message": message,
        }
        storage.save(self.name, ContentFile(json.dumps(content).encode()))

    def delete(self):
        upload_storage().delete(self.name)

    @staticmethod
    def report(status):
        data = (status or {}).get("report")
        return ImportReport.from_dict(data) if data else None


class ProgressWriter:
    """The import's `progress(done, total)`: writes the status at most every
    `PROGRESS_INTERVAL` seconds, and at the end."""

    def __init__(self, status, step):
        self.status, self.step = status, step
        self.written_at = 0.0

    def __call__(self, done, total):
        now = time.monotonic()
        if done == total or now - self.written_at >= PROGRESS_INTERVAL:
            self.status.write(self.step, RUNNING, done, total)
            self.written_at = now


@task()
def run_catalog_import(
    token,
    path,
    file_name,
    dry_run,
    publish,
    user_id,
    departments_allowed,
    language=None,
):
    """Check (`dry_run`) or apply the uploaded file at `path` as `user_id`, writing
    the progress and the report to the token's `ImportStatus`. An applied file is
    deleted afterwards. Any failure becomes a failed status with a message, never
    an error page (nothing was written: the import is one transaction). The report
    is written in `language`, the uploader's (the site's when not given)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return _run_catalog_import(
            token, path, file_name, dry_run, publish, user_id, departments_allowed
        )


def _run_catalog_import(
    token, path, file_name, dry_run, publish, user_id, departments_allowed
):
    status = ImportStatus(token)
    step = CHECK if dry_run else APPLY
    status.write(step, RUNNING)
    user = get_user_model().objects.filter(pk=user_id).first()
    try:
        with upload_storage().open(path, "rb") as stored:
            content = stored.read()
        report = import_catalog_file(
            BytesIO(content),
            file_name,
            dry_run=dry_run,
            publish=publish,
            user=user,
            departments_allowed=(
                set(departments_allowed) if departments_allowed is not None else None
            ),
            progress=ProgressWriter(status, step),
        )
    except FileNotFoundError:
        status.write(step, FAILED, message=_("待导入的文件已失效，请重新上传。"))
        return False
    except Exception:
        logger.exception("catalog import %s failed", file_name)
        status.write(
            step,
            FAILED,
            message=_(
                "导入时出错，未写入任何内容。请稍后重新上传；仍不成功请联系管理员。"
            ),
        )
        return False
    finally:
        if not dry_run:
            upload_storage().delete(path)
    status.write(step, DONE, report=report)
    return report.ok
