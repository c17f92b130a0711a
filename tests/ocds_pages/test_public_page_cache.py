"""The HTML of the process page and the public search, cached for anonymous visitors
(ocds_pages.public.cached_page): a publication shows at once, a signed-in user never gets the
anonymous copy, and no cached page carries a Content-Security-Policy nonce."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory

from cms.security_headers import STRICT
from ocds_pages import public, views
from tests.factories import make_user
from tests.ocds_pages.test_public_cache import publish_new_process

pytestmark = pytest.mark.django_db

PROCESS = "/procesos/ocds-cidemo-IMSS-000001/"
SEARCH = "/procesos/?q=vigilancia"
PAGE_TEMPLATES = {"ocds_pages/process_page.html", "ocds_pages/process_search.html"}


def rendered(response) -> bool:
    """Whether the view drew its page for this response (a page from the cache draws none)."""
    return any(template.name in PAGE_TEMPLATES for template in response.templates)


@pytest.mark.parametrize("url", [PROCESS, SEARCH])
def test_a_second_anonymous_visit_gets_the_same_page_without_rendering(client, public_dataset, url):
    first = client.get(url)
    second = client.get(url)

    assert first.status_code == second.status_code == 200
    assert rendered(first)
    assert not rendered(second)
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_publication_is_in_the_cached_search_at_once(
    client, public_dataset, django_capture_on_commit_callbacks
):
    before = client.get(SEARCH).content.decode()
    assert "Servicio de vigilancia en oficinas centrales" not in before
    assert not rendered(client.get(SEARCH))  # the page is cached now

    new = publish_new_process(public_dataset, django_capture_on_commit_callbacks)

    after = client.get(SEARCH)
    assert rendered(after)
    assert "Servicio de vigilancia en oficinas centrales" in after.content.decode()
    assert new in after.content.decode()


def test_a_signed_in_user_never_gets_nor_leaves_the_anonymous_page(client, public_dataset):
    staff = make_user("personal", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert rendered(client.get(PROCESS))
    assert rendered(client.get(PROCESS))  # nothing was stored for the next visitor either

    client.logout()
    assert rendered(client.get(PROCESS))
    assert not rendered(client.get(PROCESS))

    client.force_login(staff)
    assert rendered(client.get(PROCESS))  # the anonymous copy exists, staff is not served it


def test_each_host_has_its_own_copy_since_the_page_names_its_own_url(
    client, public_dataset, settings
):
    settings.ALLOWED_HOSTS = ["testserver", "datos.example.mx"]
    client.get(PROCESS)

    other = client.get(PROCESS, HTTP_HOST="datos.example.mx")

    assert rendered(other)
    assert f'href="http://datos.example.mx{PROCESS}"' in other.content.decode()


@pytest.mark.parametrize("url", [PROCESS, SEARCH])
def test_cached_pages_carry_no_nonce_and_the_strict_policy(client, public_dataset, url):
    first = client.get(url)
    second = client.get(url)

    assert not rendered(second)
    for response in (first, second):
        assert response["Content-Security-Policy"] == STRICT
        assert "nonce" not in response.content.decode()


def test_a_page_built_for_a_nonce_is_never_stored(client, public_dataset):
    """A nonce served twice could be read once and reused by an injected script."""
    request = RequestFactory().get(PROCESS)
    request.user = AnonymousUser()
    request.csp_nonce = "n0nce-de-prueba-128bits"

    response = views.process_page(request, ocid="ocds-cidemo-IMSS-000001")

    assert response.status_code == 200
    assert cache.get(public.page_cache_key(request)) is None
    assert rendered(client.get(PROCESS))
