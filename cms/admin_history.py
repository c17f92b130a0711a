"""The «history» screen wagtail-modeladmin adds to every model admin, behind a permission.

Wagtail's ``HistoryView`` checks nothing: every person with access to the admin could read the
log of any row by its id (names included) — issue 20, item 3. Here it is shown only to whoever may
inspect or edit the row; cms.wagtail_hooks also narrows it to the person's entities (404).
"""

from django.core.exceptions import PermissionDenied
from wagtail_modeladmin.views import HistoryView


class PermittedHistoryView(HistoryView):
    def dispatch(self, request, *args, **kwargs):
        helper = self.permission_helper
        user = request.user
        if not (
            helper.user_can_inspect_obj(user, self.instance)
            or helper.user_can_edit_obj(user, self.instance)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
