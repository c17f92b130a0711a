"""Brute-force protection for every login (Wagtail admin, OAuth password grant, API sessions).

Failures are counted in the database, so the limits hold across several web workers, under two
keys that never block another person (issue 20, item 1):

* **username + client address** (``par:``): after ``LOGIN_FAILURE_LIMIT`` failures in a row, that
  username is refused *from that address* for ``LOGIN_LOCKOUT_SECONDS``. Someone guessing from one
  place stops there; the owner of the account, and everyone else behind the same address, still
  log in.
* **username** alone (``usuario:``): after ``LOGIN_ACCOUNT_FAILURE_LIMIT`` failures from any
  addresses, each further failure makes the account wait before the next attempt — 1 s, 2 s, 4 s…
  up to ``LOGIN_ACCOUNT_MAX_DELAY_SECONDS``. This slows guessing from many addresses without a
  long lock anyone could trigger on a named account (the trade-off is in docs/instalacion.md).

The address is the real client's (cms.client_address, through the trusted proxies only). A success
clears both counters of that username; counters left alone for ``LOGIN_LOCKOUT_SECONDS`` start over.
"""

import math
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms.auth import LoginForm

from cms.client_address import client_address
from cms.models import LoginThrottle


def _username(username):
    return (username or "").strip().lower()


def account_key(username):
    return f"usuario:{_username(username)}"[:200]


def pair_key(username, address):
    return f"par:{address}|{_username(username)}"[:200]


def _keys(username, address):
    keys = [account_key(username)]
    if address:
        keys.append(pair_key(username, address))
    return keys


def _wait(keys):
    """Whole seconds until the last lock among ``keys`` ends (0 when none is locked)."""
    now = timezone.now()
    until = (
        LoginThrottle.objects.filter(key__in=keys, locked_until__gt=now)
        .order_by("-locked_until")
        .values_list("locked_until", flat=True)
        .first()
    )
    return 0 if until is None else max(1, math.ceil((until - now).total_seconds()))


def _lock(key, now, seconds):
    LoginThrottle.objects.filter(key=key).update(locked_until=now + timedelta(seconds=seconds))


def retry_after(username, address):
    """Seconds this username must wait before trying again from ``address`` (0: may try now)."""
    return _wait(_keys(username, address)) if username else 0


def locked_message(seconds):
    """The Spanish refusal shown while a username waits."""
    if seconds >= 60:
        return _(
            "Demasiados intentos fallidos. Por seguridad, el acceso está bloqueado temporalmente; "
            "inténtelo de nuevo en %(minutes)d minutos o pida ayuda al administrador de su ente."
        ) % {"minutes": (seconds + 59) // 60}
    return _(
        "Demasiados intentos fallidos para esta cuenta. Por seguridad, espere %(seconds)d "
        "segundos e inténtelo de nuevo."
    ) % {"seconds": seconds}


def _count_failure(key, now):
    """Add one failure to ``key`` (starting over when the last one is old); the new count."""
    row, _created = LoginThrottle.objects.get_or_create(key=key)
    stale = now - timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    rows = LoginThrottle.objects.filter(pk=row.pk)
    rows.filter(last_failure_at__lt=stale).update(failures=0)
    rows.update(failures=F("failures") + 1, last_failure_at=now)
    return rows.values_list("failures", flat=True).get()


def _count_towards_lock(key, now):
    """One more failure; at ``LOGIN_FAILURE_LIMIT`` the key is locked and its count starts over."""
    if _count_failure(key, now) >= settings.LOGIN_FAILURE_LIMIT:
        _lock(key, now, settings.LOGIN_LOCKOUT_SECONDS)
        LoginThrottle.objects.filter(key=key).update(failures=0)


def account_delay(failures):
    """Seconds an account waits after ``failures`` failures in a row (0 below the limit)."""
    over = failures - settings.LOGIN_ACCOUNT_FAILURE_LIMIT
    if over < 0:
        return 0
    return min(2 ** min(over, 30), settings.LOGIN_ACCOUNT_MAX_DELAY_SECONDS)


def record_failure(username, address):
    now = timezone.now()
    if address:
        _count_towards_lock(pair_key(username, address), now)
    key = account_key(username)
    delay = account_delay(_count_failure(key, now))
    if delay:
        _lock(key, now, delay)


def record_success(username, address):
    LoginThrottle.objects.filter(key__in=_keys(username, address)).delete()


# --- OAuth client secrets at the token endpoint (cms.oauth.TokenView) ---------------------------


def client_key(client_id, address):
    return f"cliente:{address}|{client_id}"[:200]


def client_retry_after(client_id, address):
    """Seconds this client id must wait before presenting a secret again from ``address``."""
    return _wait([client_key(client_id, address)]) if client_id else 0


def record_client_failure(client_id, address):
    if client_id:
        _count_towards_lock(client_key(client_id, address), timezone.now())


def record_client_success(client_id, address):
    if client_id:
        LoginThrottle.objects.filter(key=client_key(client_id, address)).delete()


class ThrottledModelBackend(ModelBackend):
    """ModelBackend that refuses a waiting username (from that address) and counts failures."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        address = client_address(request)
        wait = retry_after(username, address)
        if wait:
            if request is not None:
                request.login_retry_after = wait
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(username, address)
        else:
            record_success(username, address)
        return user


class ThrottledLoginForm(LoginForm):
    """Wagtail's login form, with a Spanish message when the username must wait."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail leaves this field unlabelled, so it showed the English field name.
        self.fields["password"].label = gettext_lazy("Contraseña")

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            wait = getattr(self.request, "login_retry_after", 0)
            if wait:
                raise forms.ValidationError(locked_message(wait), code="locked") from None
            raise
