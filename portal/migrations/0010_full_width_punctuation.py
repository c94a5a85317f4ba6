"""Full-width punctuation beside Chinese (GB/T 15834, issue 13): the fields' help
texts, and the home page intro and year notes that 0003 and 0005 wrote."""

from django.db import migrations, models

# The home page intro and working-day year notes written by 0003 and 0005, and
# what they read with full-width punctuation (GB/T 15834).
HOME_INTRO = (
    "一个窗口进出,一次告知材料,限时办结回复。",
    "一个窗口进出，一次告知材料，限时办结回复。",
)
YEAR_NOTE = (
    "国务院办公厅关于{year}年部分节假日安排的通知(holidays 库已收录,含调休上班日)",
    "国务院办公厅关于{year}年部分节假日安排的通知（holidays 库已收录，含调休上班日）",
)


def _rewrite(apps, old, new):
    apps.get_model("portal", "HomePage").objects.filter(intro=HOME_INTRO[old]).update(
        intro=HOME_INTRO[new]
    )
    WorkdayYear = apps.get_model("portal", "WorkdayYear")
    for year in WorkdayYear.objects.values_list("year", flat=True):
        WorkdayYear.objects.filter(
            year=year, note=YEAR_NOTE[old].format(year=year)
        ).update(note=YEAR_NOTE[new].format(year=year))


def to_full_width(apps, schema_editor):
    _rewrite(apps, 0, 1)


def to_ascii(apps, schema_editor):
    _rewrite(apps, 1, 0)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0009_quick_links_settings"),
    ]

    operations = [
        migrations.RunPython(to_full_width, to_ascii),
        migrations.AlterField(
            model_name="contactsettings",
            name="public_hours",
            field=models.CharField(
                blank=True,
                help_text="例如：工作日 上午 8:30—11:30，下午 13:30—17:00",
                max_length=255,
                verbose_name="办公时间",
            ),
        ),
        migrations.AlterField(
            model_name="workdayoverride",
            name="is_workday",
            field=models.BooleanField(
                help_text="勾选表示该日上班（如周末调休上班）；不勾选表示该日放假。",
                verbose_name="是否上班",
            ),
        ),
        migrations.AlterField(
            model_name="workdayyear",
            name="confirmed",
            field=models.BooleanField(
                default=False,
                help_text="国务院办公厅已公布该年节假日安排，且已核对调整表。",
                verbose_name="安排已确认",
            ),
        ),
    ]
