"""Reception records keep the visitor's ID number encrypted in a field of its own.

The ID numbers typed into the free text of stored records (name, contact, matter,
result) move into the new encrypted field (the first one of a record) and are kept
in the text only masked; appointment requests keep ID numbers typed into their
matter only masked. `reception.personal_data` applies the same rule on every save.
"""

from django.db import migrations, models

import portal.encryption
from portal.encryption import lookup_hash
from reception.personal_data import RECORD_TEXT_FIELDS, separate_id_numbers


def separate_stored_id_numbers(apps, schema_editor):
    ReceptionRecord = apps.get_model("reception", "ReceptionRecord")
    AppointmentRequest = apps.get_model("reception", "AppointmentRequest")
    for record in ReceptionRecord.objects.iterator():
        texts = {name: getattr(record, name) for name in RECORD_TEXT_FIELDS}
        id_number, masked = separate_id_numbers(record.visitor_id_number, texts)
        if masked == texts and id_number == record.visitor_id_number:
            continue
        ReceptionRecord.objects.filter(pk=record.pk).update(
            visitor_id_number=id_number,
            visitor_id_number_hash=lookup_hash(id_number) if id_number else "",
            **masked,
        )
    for appointment in AppointmentRequest.objects.iterator():
        texts = {"name": appointment.name, "matter": appointment.matter}
        _none, masked = separate_id_numbers("", texts)
        if masked != texts:
            AppointmentRequest.objects.filter(pk=appointment.pk).update(**masked)


class Migration(migrations.Migration):

    dependencies = [
        ('reception', '0003_private_attachments'),
    ]

    operations = [
        migrations.AddField(
            model_name='receptionrecord',
            name='visitor_id_number',
            field=portal.encryption.EncryptedCharField(blank=True, hash_field='visitor_id_number_hash', help_text='不公开；加密保存，列表和导出中只显示前六位和后四位。填在其他栏目中的身份证号码保存时只保留前六位和后四位。', max_length=18, verbose_name='来访人身份证号码'),
        ),
        migrations.AddField(
            model_name='receptionrecord',
            name='visitor_id_number_hash',
            field=models.CharField(blank=True, db_index=True, editable=False, help_text='按身份证号码精确查找用的密钥摘要。', max_length=64, verbose_name='身份证号码摘要'),
        ),
        migrations.RunPython(separate_stored_id_numbers, migrations.RunPython.noop),
    ]
