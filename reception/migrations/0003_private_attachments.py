"""Reception attachments stored like the inbox's uploads: under a random name in the
private storage (no visitor's name in a storage path), with the sender's file name
kept in `original_name` for the download."""

import os
from functools import partial

import portal.uploads
from django.db import migrations, models, transaction


def rename_stored_files(apps, schema_editor):
    """Copy each stored attachment to a random name, remember its old name, and
    remove the old file once the migration has committed."""
    Attachment = apps.get_model("reception", "ReceptionRecordAttachment")
    storage = portal.uploads.private_storage()
    new_path = portal.uploads.PrivatePath("reception")
    for attachment in Attachment.objects.exclude(file=""):
        old = attachment.file.name
        extension = os.path.splitext(old)[1].lower().lstrip(".") or "bin"
        if storage.exists(old):
            with storage.open(old, "rb") as stored:
                detected = portal.uploads.detect_type(stored, old)
                if detected is not None:
                    extension = detected.extension
                new = storage.save(new_path(attachment, f"x.{extension}"), stored)
            attachment.file.name = new
            transaction.on_commit(partial(storage.delete, old))
        attachment.original_name = portal.uploads.sanitise_name(
            os.path.basename(old), extension
        )
        attachment.save(update_fields=["file", "original_name"])


class Migration(migrations.Migration):

    dependencies = [
        ('reception', '0002_role_permissions'),
    ]

    operations = [
        migrations.AddField(
            model_name='receptionrecordattachment',
            name='original_name',
            field=models.CharField(blank=True, editable=False, max_length=120, verbose_name='原文件名'),
        ),
        migrations.AlterField(
            model_name='receptionrecordattachment',
            name='file',
            field=models.FileField(help_text='PDF、JPG、PNG、OFD、Word 或 Excel 文件，按文件内容判断格式；只有本部门工作人员可以下载。', max_length=255, storage=portal.uploads.private_storage, upload_to=portal.uploads.PrivatePath('reception'), validators=[portal.uploads.validate_upload], verbose_name='文件'),
        ),
        # Backwards the files keep their random names; the download then uses them.
        migrations.RunPython(rename_stored_files, migrations.RunPython.noop),
    ]
