"""URLs of the indicadores app (mounted by cms/urls.py)."""

urlpatterns = []
