"""Make a HomePage the root of the default site, replacing Wagtail's placeholder welcome page."""

from django.db import migrations


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("cms.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    Page.objects.filter(depth=2, slug="home").delete()
    locale = Locale.objects.first()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    root = Page.objects.get(depth=1)
    home = HomePage.objects.create(
        title="Compra Íntegra",
        draft_title="Compra Íntegra",
        slug="inicio",
        content_type=content_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=0,
        url_path="/inicio/",
        locale=locale,
        intro="Contrataciones públicas abiertas: consulta cómo compra tu gobierno.",
    )
    root.numchild = 1
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": "Compra Íntegra",
        },
    )


def remove_home_page(apps, schema_editor):
    apps.get_model("cms.HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_home_page, remove_home_page)]
