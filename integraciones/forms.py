"""The provider form of the Wagtail admin: secrets are write-only, the configuration is checked."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from integraciones.clients import client_for
from integraciones.exceptions import ConfigurationError

SECRET_FIELDS = ("password", "client_secret", "token")


class RegistryProviderForm(WagtailAdminModelForm):
    """Secrets are never rendered back; leaving one blank keeps the stored value."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SECRET_FIELDS:
            if name in self.fields:
                self.fields[name].widget = forms.PasswordInput(render_value=False)

    def _keep_secret(self, name: str) -> str:
        value = self.cleaned_data.get(name)
        if not value and self.instance.pk:
            return getattr(type(self.instance).objects.get(pk=self.instance.pk), name)
        return value

    def clean_password(self):
        return self._keep_secret("password")

    def clean_client_secret(self):
        return self._keep_secret("client_secret")

    def clean_token(self):
        return self._keep_secret("token")

    def _post_clean(self):
        """The clients validate a configuration (on the provider the form has filled in, secrets
        kept included); their Spanish message is shown above the form."""
        super()._post_clean()
        if self.errors:
            return
        try:
            client_for(provider=self.instance).close()
        except ConfigurationError as exc:
            self.add_error(None, str(exc))
