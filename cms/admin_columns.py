"""List columns shared by the admin screens of every app."""

from django.utils.translation import gettext as _


def yes_no(field, label):
    """A list column showing Sí/No as text (modeladmin's icons need django.contrib.admin)."""

    def column(obj):
        return _("Sí") if getattr(obj, field) else _("No")

    column.short_description = label
    column.admin_order_field = field
    return column
