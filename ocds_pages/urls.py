"""URLs of the ocds_pages app (mounted by cms/urls.py)."""

urlpatterns = []
