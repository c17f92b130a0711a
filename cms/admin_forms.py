"""Forms of the platform's Wagtail admin screens, narrowed to what the editing user may touch."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from cms.models import Entity, Membership, PurchasingUnit
from cms.roles import ENTITY_ADMIN_ROLES, Role
from cms.tenancy import scope_queryset


def admin_entities(user):
    return scope_queryset(Entity.objects.all(), user, field="id", roles=ENTITY_ADMIN_ROLES)


def admin_units(user):
    return scope_queryset(PurchasingUnit.objects.all(), user, roles=ENTITY_ADMIN_ROLES)


def admin_users(user):
    entities = admin_entities(user)
    return get_user_model().objects.filter(memberships__entity__in=entities).distinct()


def preselect_only_choice(field) -> None:
    """With a single possible value, choose it: an entity administrator has one entity."""
    choices = list(field.queryset[:2])
    if len(choices) == 1:
        field.initial = choices[0].pk
        field.empty_label = None


class EntityScopedForm(WagtailAdminModelForm):
    """Limits entity/unit/user choices to the editing user's entities."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None:
            return
        if "entity" in self.fields:
            self.fields["entity"].queryset = admin_entities(user)
            if self.instance.pk is None:
                preselect_only_choice(self.fields["entity"])
        if "unit" in self.fields:
            self.fields["unit"].queryset = admin_units(user)
        if "user" in self.fields:
            self.fields["user"].queryset = admin_users(user)


class OAuthClientForm(EntityScopedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        # Only the national administrator may allow the (RFC 9700-discouraged) password grant.
        if user is not None and not user.is_superuser and "pdn_protocol" in self.fields:
            self.fields["pdn_protocol"].disabled = True
        if user is not None and not user.is_superuser and "entity" in self.fields:
            self.fields["entity"].required = True

    def clean_allowed_scopes(self):
        from django.conf import settings

        scopes = self.cleaned_data["allowed_scopes"].split()
        known = set(settings.OAUTH2_PROVIDER["SCOPES"])
        unknown = [s for s in scopes if s not in known]
        if unknown:
            raise forms.ValidationError(
                _("Alcances desconocidos: %(scopes)s. Use: %(known)s.")
                % {"scopes": ", ".join(unknown), "known": ", ".join(sorted(known))}
            )
        return " ".join(scopes)


class EntityUserCreateForm(WagtailAdminModelForm):
    """A new person of the entity: account and first membership, saved together."""

    password1 = forms.CharField(
        label=_("Contraseña"),
        widget=forms.PasswordInput,
        strip=False,
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Confirme la contraseña"), widget=forms.PasswordInput, strip=False
    )
    entity = forms.ModelChoiceField(queryset=Entity.objects.none(), label=_("Ente público"))
    role = forms.ChoiceField(choices=Role.choices, label=_("Rol"))
    unit = forms.ModelChoiceField(
        queryset=PurchasingUnit.objects.none(),
        required=False,
        label=_("Unidad compradora"),
        help_text=_("Obligatoria para capturistas."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            self.fields["entity"].queryset = admin_entities(self.for_user)
            self.fields["unit"].queryset = admin_units(self.for_user)
            preselect_only_choice(self.fields["entity"])
        self.fields["email"].required = True

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Las contraseñas no coinciden."))
        elif p1:
            self.instance.username = cleaned.get("username", "")
            try:
                password_validation.validate_password(p1, self.instance)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        self._validate_membership(cleaned)
        return cleaned

    def _validate_membership(self, cleaned):
        entity, unit, role = cleaned.get("entity"), cleaned.get("unit"), cleaned.get("role")
        if unit and entity and unit.entity_id != entity.pk:
            self.add_error("unit", _("La unidad compradora no pertenece a ese ente."))
        if role == Role.CAPTURISTA and not unit:
            self.add_error("unit", _("Un capturista debe pertenecer a una unidad."))

    @transaction.atomic
    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password1"])
        user.save()
        Membership.objects.create(
            user=user,
            entity=self.cleaned_data["entity"],
            unit=self.cleaned_data.get("unit"),
            role=self.cleaned_data["role"],
        )
        return user


class EntityUserEditForm(WagtailAdminModelForm):
    """Edit a person's details; a new password is optional."""

    new_password = forms.CharField(
        label=_("Nueva contraseña"),
        widget=forms.PasswordInput,
        strip=False,
        required=False,
        help_text=_("Déjela vacía para conservar la actual."),
    )

    def clean_new_password(self):
        password = self.cleaned_data.get("new_password")
        if password:
            password_validation.validate_password(password, self.instance)
        return password

    def save(self, commit=True):
        user = super().save(commit=False)
        if self.cleaned_data.get("new_password"):
            user.set_password(self.cleaned_data["new_password"])
        if commit:
            user.save()
        return user
