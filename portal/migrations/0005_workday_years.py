"""Mark the years whose official holiday schedule the `holidays` package carries.

Each year below was checked against the General Office of the State Council's notice
(国务院办公厅关于部分节假日安排的通知) as carried by holidays 0.109, make-up working
days included; tests/portal/test_workdays.py checks that the library still has them.
2027 and later are left unconfirmed until their notice is published and checked.
"""

from django.db import migrations

CONFIRMED_YEARS = range(2020, 2027)


def note_for(year):
    return (
        f"国务院办公厅关于{year}年部分节假日安排的通知(holidays 库已收录,含调休上班日)"
    )


def confirm_years(apps, schema_editor):
    WorkdayYear = apps.get_model("portal", "WorkdayYear")
    for year in CONFIRMED_YEARS:
        WorkdayYear.objects.get_or_create(
            year=year, defaults={"confirmed": True, "note": note_for(year)}
        )


def unconfirm_years(apps, schema_editor):
    WorkdayYear = apps.get_model("portal", "WorkdayYear")
    for year in CONFIRMED_YEARS:
        WorkdayYear.objects.filter(year=year, note=note_for(year)).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_roles")]

    operations = [migrations.RunPython(confirm_years, unconfirm_years)]
