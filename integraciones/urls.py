"""URLs of the integraciones app (mounted by cms/urls.py)."""

from integraciones import s6_urls

urlpatterns = [
    # PDN Sistema 6 (issue 7), kept in its own module.
    *s6_urls.urlpatterns,
]
