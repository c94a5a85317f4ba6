"""Replace Wagtail's placeholder welcome page with the portal's home page."""

from django.db import migrations


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("portal", "HomePage")
    Locale = apps.get_model("wagtailcore", "Locale")

    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    if HomePage.objects.exists():
        return
    home_type, _ = ContentType.objects.get_or_create(
        model="homepage", app_label="portal"
    )
    locale = Locale.objects.order_by("pk").first()
    root = Page.objects.get(depth=1)
    path = root.path + "0001"
    while Page.objects.filter(path=path).exists():
        path = path[:-4] + f"{int(path[-4:]) + 1:04d}"
    home = HomePage.objects.create(
        title="首页",
        draft_title="首页",
        slug="home",
        content_type=home_type,
        path=path,
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        live=True,
        intro="一个窗口进出,一次告知材料,限时办结回复。",
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page": home, "site_name": "窗口办公"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_site_models"),
        ("wagtailcore", "0098_apitoken"),
    ]
    run_before = []

    operations = [migrations.RunPython(create_home_page, migrations.RunPython.noop)]
