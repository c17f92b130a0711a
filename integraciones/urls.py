"""URLs of the integraciones app (mounted by cms/urls.py)."""

urlpatterns = []
