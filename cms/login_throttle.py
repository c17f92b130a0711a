"""Brute-force protection for every login (Wagtail admin, OAuth password grant, API sessions).

Failures are counted per username and per client address in the database, so the limit holds
across several web workers. After ``LOGIN_FAILURE_LIMIT`` consecutive failures the key is locked for
``LOGIN_LOCKOUT_SECONDS``; a success clears the username's counter.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm

from cms.models import LoginThrottle

LOCKED_MESSAGE = _(
    "Demasiados intentos fallidos. Por seguridad, el acceso está bloqueado temporalmente; "
    "inténtelo de nuevo en %(minutes)d minutos o pida ayuda al administrador de su ente."
)


def _keys(username, address):
    keys = []
    if username:
        keys.append(f"usuario:{username.strip().lower()}"[:200])
    if address:
        keys.append(f"ip:{address}"[:200])
    return keys


def client_address(request):
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def is_locked(username, address):
    now = timezone.now()
    return LoginThrottle.objects.filter(
        key__in=_keys(username, address), locked_until__gt=now
    ).exists()


def record_failure(username, address):
    limit = settings.LOGIN_FAILURE_LIMIT
    until = timezone.now() + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    for key in _keys(username, address):
        row, _created = LoginThrottle.objects.get_or_create(key=key)
        LoginThrottle.objects.filter(pk=row.pk).update(failures=F("failures") + 1)
        row.refresh_from_db(fields=["failures"])
        if row.failures >= limit:
            LoginThrottle.objects.filter(pk=row.pk).update(locked_until=until, failures=0)


def record_success(username):
    LoginThrottle.objects.filter(key__in=_keys(username, None)).delete()


class LoginLocked(Exception):
    """Raised by the backend so callers can tell a lock from a wrong password."""


class ThrottledModelBackend(ModelBackend):
    """ModelBackend that refuses locked usernames/addresses and counts failures."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        address = client_address(request)
        if username is None or password is None:
            return None
        if is_locked(username, address):
            if request is not None:
                request.login_locked = True
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(username, address)
        else:
            record_success(username)
        return user


class ThrottledLoginForm(LoginForm):
    """Wagtail's login form, with a Spanish message when the account is locked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail leaves this field unlabelled, so it showed the English field name.
        self.fields["password"].label = _("Contraseña")

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "login_locked", False):
                minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
                raise forms.ValidationError(
                    LOCKED_MESSAGE % {"minutes": minutes}, code="locked"
                ) from None
            raise
