"""URLs of the workflows app (mounted by cms/urls.py)."""

urlpatterns = []
