"""Sitemap sections of the published data; cms/urls.py lists them beside Wagtail's pages.

Each section is paginated by Django (50,000 URLs a page) and reads only the columns it needs, so
a national installation's sitemap stays cheap."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Value
from django.db.models.functions import Coalesce, NullIf

from ocds_pages.models import ProcessProjection, SupplierProjection


class ProcessSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ProcessProjection.objects.order_by("pk").values_list("ocid", "last_release_date")

    def location(self, item):
        return f"/procesos/{item[0]}/"

    def lastmod(self, item):
        return item[1]


class EntitySitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return (
            ProcessProjection.objects.values("entity__key")
            .annotate(last=Max("last_release_date"))
            .order_by("entity__key")
            .values_list("entity__key", "last")
        )

    def location(self, item):
        return f"/entes/{item[0]}/"

    def lastmod(self, item):
        return item[1]


class SupplierSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return (
            SupplierProjection.objects.annotate(
                key=Coalesce(NullIf("identifier", Value("")), "party_id")
            )
            .values("key")
            .annotate(last=Max("process__last_release_date"))
            .order_by("key")
            .values_list("key", "last")
        )

    def location(self, item):
        return f"/proveedores/{item[0]}/"

    def lastmod(self, item):
        return item[1]


SITEMAPS = {
    "procesos": ProcessSitemap,
    "entes": EntitySitemap,
    "proveedores": SupplierSitemap,
}
