"""Settings of Compra Íntegra, driven by environment variables.

Every variable has a development default that just works on a fresh clone (SQLite under var/,
console e-mail, DEBUG on). ``DJANGO_ENV=production`` switches to production behaviour: the
process refuses to start without SECRET_KEY, ALLOWED_HOSTS and OCID_PREFIX, and turns on secure
cookies, HSTS and the HTTPS redirect. `.env.example` documents each variable.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR") or BASE_DIR / "var")
# var/ holds what an installation writes (SQLite file, collected static, media, bulk exports);
# creating it here means a fresh clone runs without a preparation step.
for _sub in ("static", "media"):
    (VAR_DIR / _sub).mkdir(parents=True, exist_ok=True)


def env(name, default=None):
    """The variable's value; an empty value counts as unset (as in .env.example)."""
    return os.environ.get(name) or default


def env_bool(name, default=False):
    value = os.environ.get(name)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "si", "sí", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DJANGO_ENV = env("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"


def required_in_production(name, dev_default):
    value = env(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(
            f"{name} es obligatoria con DJANGO_ENV=production; defínala en el entorno."
        )
    return dev_default


# --- Core -----------------------------------------------------------------------------------
# The development key is public on purpose: it only ever signs local development sessions.
SECRET_KEY = required_in_production("SECRET_KEY", "dev-inseguro-solo-para-desarrollo-local")
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or (
    [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS es obligatoria con DJANGO_ENV=production (lista separada por comas)."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The OCID prefix OCP registers for this installation: "ocds-" and six lowercase alphanumerics.
OCID_PREFIX = required_in_production("OCID_PREFIX", "ocds-cidemo")
# Absolute links start with it in production (cms/links.py); in development they follow the request,
# and without one this default follows the PORT `make run` serves on.
SITE_URL = env("SITE_URL", f"http://127.0.0.1:{env('PORT', '8000')}").rstrip("/")
# The currency every money field starts with, and the others capture offers (ISO 4217 codes).
DEFAULT_CURRENCY = env("DEFAULT_CURRENCY", "MXN")
CAPTURE_CURRENCIES = env_list("CAPTURE_CURRENCIES", "MXN,USD,EUR")
# Who publishes, as OCDS packages name it (publisher.scheme/uid: an org-id.guide scheme such as
# MX-RFC and the entity's identifier in it), the data licence and the publication policy page.
OCDS_PUBLISHER = {
    "name": env("OCDS_PUBLISHER_NAME", "Compra Íntegra (instalación de demostración)"),
    "scheme": env("OCDS_PUBLISHER_SCHEME", "MX-RFC"),
    "uid": env("OCDS_PUBLISHER_UID", ""),
    "uri": env("OCDS_PUBLISHER_URI", SITE_URL),
}
OCDS_LICENSE = env("OCDS_LICENSE", "https://creativecommons.org/licenses/by/4.0/")
OCDS_PUBLICATION_POLICY = env("OCDS_PUBLICATION_POLICY", f"{SITE_URL}/politica-de-publicacion/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_SITE_NAME = "Compra Íntegra"
# The development and demonstration tools (devtools/: demo loaders, fake PDN servers, the data
# generator, the benchmarks) are installed with DEBUG, or when DEVTOOLS says so; a production
# installation leaves both off and never loads them (docs/instalacion.md).
DEVTOOLS = env_bool("DEVTOOLS", default=DEBUG)

INSTALLED_APPS = [
    # Our apps first, so their templates and translations win.
    "cms",
    "ocds_pages",
    "workflows",
    "integraciones",
    "indicadores",
    "indicadores.market",  # market research (its own tables and migrations)
    *(["devtools"] if DEVTOOLS else []),
    # Wagtail
    "wagtail_modeladmin",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.api.v2",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Workflows, API, OAuth
    "viewflow",
    "viewflow.workflow",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "corsheaders",
    "django_celery_beat",  # periodic job schedules, editable in the admin
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Public reads go to the read replica when there is one (cms/db_replica.py).
    "cms.db_replica.PublicReadsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # NUL characters refused, API errors as JSON (cms.request_guards).
    "cms.request_guards.RequestGuardMiddleware",
    # Spanish 404 on staff screens also with DEBUG (cms.request_guards).
    "cms.request_guards.StaffNotFoundMiddleware",
    # Content-Security-Policy and Permissions-Policy (cms.security_headers).
    "cms.security_headers.SecurityHeadersMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "oauth2_provider.middleware.OAuth2TokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'compra.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the public site read while a stage is being published.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# A read replica for the public site, the OCDS API and the S6 (cms/db_replica.py): with
# DATABASE_REPLICA_URL, public requests read there; staff, jobs and every write use the primary.
DATABASE_REPLICA_PATHS = env_list(
    "DATABASE_REPLICA_PATHS", "/procesos/,/entes/,/proveedores/,/api/ocds/,/api/s6/"
)
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env("DATABASE_REPLICA_URL"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASE_ROUTERS = ["cms.db_replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": env("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": env("CACHE_LOCATION", "compra-integra"),
    }
}
# REDIS_URL alone gives every web and job worker one shared cache (S6 totals, the public pages,
# the API throttles): with per-process caches each worker kept its own counts (docs/instalacion.md).
REDIS_URL = env("REDIS_URL", "")
if REDIS_URL and not env("CACHE_BACKEND"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", "compra"),
    }

# --- Authentication -------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
LOGIN_REDIRECT_URL = "wagtailadmin_home"
# Brute-force protection on every login form (cms.login_throttle): after LOGIN_FAILURE_LIMIT
# failures of one username from one client address, that username is refused from that address
# for LOGIN_LOCKOUT_SECONDS; after LOGIN_ACCOUNT_FAILURE_LIMIT failures from any addresses, the
# account waits 1, 2, 4… seconds (at most LOGIN_ACCOUNT_MAX_DELAY_SECONDS) between attempts.
LOGIN_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_SECONDS = int(env("LOGIN_LOCKOUT_SECONDS", "900"))
LOGIN_ACCOUNT_FAILURE_LIMIT = int(env("LOGIN_ACCOUNT_FAILURE_LIMIT", "10"))
LOGIN_ACCOUNT_MAX_DELAY_SECONDS = int(env("LOGIN_ACCOUNT_MAX_DELAY_SECONDS", "60"))
# How many reverse proxies of this installation stand in front of Django, each appending to
# X-Forwarded-For (0: none, the header is ignored). The client address of the login limits and
# of the API's anonymous rate limit comes from it (cms.client_address; docs/instalacion.md).
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
AUTHENTICATION_BACKENDS = [
    "cms.login_throttle.ThrottledModelBackend",
]
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 3600)))  # one working day
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", "Español (México)")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # The Manifest variant fails collectstatic on viewflow's fonts CSS (docs/arquitectura.md §7).
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Documents people upload (workflows/base/uploads.py): the size limit in MB and the formats
# accepted, recognised by their content: pdf, png, jpeg, docx, xlsx, odt, ods, zip.
UPLOAD_MAX_BYTES = int(float(env("UPLOAD_MAX_MB", "20")) * 1024 * 1024)
UPLOAD_FORMATS = env_list("UPLOAD_FORMATS", "pdf,png,jpeg,docx,xlsx,odt,ods,zip")
# Drafts and unpublished documents are served by a view that checks entity and role
# (workflows/processes/media.py). "nginx" hands the bytes to nginx with X-Accel-Redirect (to the
# internal location below), "sendfile" with X-Sendfile (Apache, lighttpd); empty: Django sends them.
PROTECTED_MEDIA_SERVER = env("PROTECTED_MEDIA_SERVER", "")
PROTECTED_MEDIA_INTERNAL_URL = env("PROTECTED_MEDIA_INTERNAL_URL", "/media-protegido/")
DATA_UPLOAD_MAX_MEMORY_SIZE = int(env("DATA_UPLOAD_MAX_MEMORY_SIZE", str(10 * 1024 * 1024)))

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Compra Íntegra <no-responder@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Wagtail --------------------------------------------------------------------------------
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "csv", "docx", "xlsx", "odt", "ods", "zip", "json", "txt"]
WAGTAILADMIN_USER_LOGIN_FORM = "cms.login_throttle.ThrottledLoginForm"
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar.com: the admin must not call third parties (privacy, closed networks).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_I18N_ENABLED = False

# --- OAuth 2.0 (django-oauth-toolkit) -------------------------------------------------------
OAUTH2_PROVIDER_APPLICATION_MODEL = "cms.OAuthClient"
OAUTH2_PROVIDER = {
    "SCOPES": {
        "read": _("Leer datos publicados"),
        "s6": _("Sistema 6 de la PDN: contrataciones abiertas"),
        "alertas": _("Indicadores y alertas de integridad"),
    },
    "DEFAULT_SCOPES": ["read"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": int(env("OAUTH_ACCESS_TOKEN_SECONDS", "3600")),
    "REFRESH_TOKEN_EXPIRE_SECONDS": int(env("OAUTH_REFRESH_TOKEN_SECONDS", str(14 * 86400))),
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "PKCE_REQUIRED": True,
    "OAUTH2_VALIDATOR_CLASS": "cms.oauth.ScopedClientValidator",
    # RFC 9700 gates on. The password grant stays possible only for clients an administrator
    # explicitly registers for the PDN protocol (cms.oauth.ScopedClientValidator), because the
    # PDN's own client uses it (docs/api.md §1.1).
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"] if PRODUCTION else ["https", "http"],
}

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "oauth2_provider.contrib.rest_framework.OAuth2Authentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cms.api_errors.exception_handler",
    # orjson with a nesting limit and no NUL characters (cms.api_parsers), then DRF's form parsers.
    "DEFAULT_PARSER_CLASSES": [
        "cms.api_parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", "120/min"),
        "user": env("API_THROTTLE_USER", "600/min"),
        # Per OAuth client (the PDN, a newsroom's scraper…), cms.api_throttles.ClientRateThrottle.
        "client": env("API_THROTTLE_CLIENT", "600/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # DRF would otherwise believe any X-Forwarded-For a client sends (cms.client_address).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API de Compra Íntegra",
    "DESCRIPTION": "Datos de contrataciones públicas en OCDS 1.1 y el protocolo del Sistema 6 "
    "de la Plataforma Digital Nacional.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Wagtail's admin API is not ours to document (docs/arquitectura.md §7).
    "PREPROCESSING_HOOKS": ["cms.api_schema.only_project_endpoints"],
    # The alerts API's choice sets, named once (indicadores/api.py).
    "ENUM_NAME_OVERRIDES": {
        "AlertSeverityEnum": "indicadores.outcomes.Severity.choices",
        "AlertStatusEnum": "indicadores.models.AlertStatus.choices",
        "SortDirectionEnum": "indicadores.api.SORT_DIRECTIONS",
    },
    # The OAuth flows clients really use (docs/api.md §1): the PDN's password grant, machines'
    # client credentials and third-party apps' authorization code.
    "OAUTH2_FLOWS": ["password", "clientCredentials", "authorizationCode"],
    "OAUTH2_AUTHORIZATION_URL": "/oauth/authorize/",
    "OAUTH2_TOKEN_URL": "/oauth/token/",
    "OAUTH2_REFRESH_URL": "/oauth/token/",
    "OAUTH2_SCOPES": {
        "read": "Leer datos publicados",
        "s6": "Sistema 6 de la PDN: contrataciones abiertas",
        "alertas": "Indicadores y alertas de integridad",
    },
}
# --- Export API (issue 7) -------------------------------------------------------------------
# Changes younger than this are hidden from the OCDS API's lists, so a transaction that commits
# a little late never lands behind a cursor someone already passed (ProZorro's lesson).
OCDS_API_WATERMARK_SECONDS = int(env("OCDS_API_WATERMARK_SECONDS", "5"))
OCDS_API_PAGE_SIZE = int(env("OCDS_API_PAGE_SIZE", "100"))
OCDS_API_MAX_PAGE_SIZE = int(env("OCDS_API_MAX_PAGE_SIZE", "1000"))
# A release package for a query is streamed whole; beyond this, the bulk files are the way.
OCDS_API_PACKAGE_MAX_RELEASES = int(env("OCDS_API_PACKAGE_MAX_RELEASES", "50000"))
# Bulk files (manage.py exportar_bulk) and OCP's limit of 1 GB of uncompressed JSON per file.
OCDS_BULK_DIR = Path(env("OCDS_BULK_DIR", VAR_DIR / "bulk"))
OCDS_BULK_MAX_BYTES = int(env("OCDS_BULK_MAX_BYTES", str(1_000_000_000)))
# The local extension registry: copies of the extensions third-party publications declare, laid
# out like their URLs (<host>/<path>/extension.json); imports resolve them from here, offline
# (ocds_pages/declared_extensions.py, docs/ocds.md).
OCDS_EXTENSIONS_DIR = Path(env("OCDS_EXTENSIONS_DIR", VAR_DIR / "extensiones"))
# The PDN sends small JSON queries; anything bigger is refused with 413 before parsing.
S6_MAX_BODY_BYTES = int(env("S6_MAX_BODY_BYTES", str(16 * 1024)))
# totalRows of an S6 query is cached this long (0 = always count); see integraciones/s6_counts.py.
S6_COUNT_CACHE_SECONDS = int(env("S6_COUNT_CACHE_SECONDS", "30"))
# ICU collation for Spanish ordering on PostgreSQL (SQLite uses a Python collation).
SPANISH_COLLATION = env("SPANISH_COLLATION", "es-x-icu")

# --- Background jobs (cms/jobs.py, cms/celery.py) -------------------------------------------
# With a broker the long jobs run on Celery workers (`celery -A cms worker`, `celery -A cms beat`);
# without one they run in a thread of the process that starts them, so `make run` needs nothing
# else. REDIS_URL serves as broker too when CELERY_BROKER_URL is not given.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", "compra")
CELERY_TASK_IGNORE_RESULT = True  # the cms.Job row is the result
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long jobs: a worker takes one at a time
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A job may run for hours; Redis would hand an unacknowledged message to another worker after
# its visibility timeout, so it is longer than the longest job.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(env("CELERY_VISIBILITY_TIMEOUT", str(12 * 3600)))
}
CELERY_TIMEZONE = "America/Mexico_City"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Files uploaded for a job (an OCDS import); shared storage when workers run on other hosts.
JOBS_FILES_DIR = Path(env("JOBS_FILES_DIR", VAR_DIR / "trabajos"))
JOBS_PROGRESS_SECONDS = float(env("JOBS_PROGRESS_SECONDS", "1"))

CORS_URLS_REGEX = r"^/api/(ocds|v2)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

# --- Security (production) ------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its own preview views SAMEORIGIN
# Content-Security-Policy and Permissions-Policy on every response (cms.security_headers).
CONTENT_SECURITY_POLICY = env_bool("CONTENT_SECURITY_POLICY", True)
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 86400)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind nginx or another proxy that terminates TLS and sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^salud/$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail 8 runs its reference-index tasks inline and logs each at INFO.
        "django_tasks": {"level": "WARNING"},
    },
}
