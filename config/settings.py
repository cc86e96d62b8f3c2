"""Settings for the RRN Training Register: one module, driven by the environment.

Everything that differs between a laptop, CI and production is an environment variable
(read with django-environ). Safe by default: with DJANGO_DEBUG off a secret key must be set.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value, or set "
            "DJANGO_DEBUG=true for local development (never in production)."
        )
    SECRET_KEY = "django-insecure-local-development-only"

# The release's name (e.g. the git commit deployed) in every key of kept work, so a release
# never serves what an older one rendered; empty: a hash of the code and templates
# (derived.release).
RELEASE = env.str("DJANGO_RELEASE", default="")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "config.apps.AdminConfig",  # django.contrib.admin on config.admin_site's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "accounts",
    "derived",  # derived data's versions, below every app that stores any
    "standards",
    "providers",
    "certification",
    "compliance",
    "pages",
    "operations",
    "api",
]

MIDDLEWARE = [
    "operations.request_ids.RequestIdMiddleware",
    # The client's address behind the load balancer, for the logs and django-axes.
    "operations.client_address.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The data generations, read once a request (derived.generation).
    "derived.generation.RequestGenerationsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.session_renewal.SessionRenewalMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signed-in pages and downloads: Cache-Control: private, no-store (and no-cache).
    "accounts.private_responses.PrivateResponsesNotStoredMiddleware",
    # Deny by default: every view needs a signed-in user unless marked `login_not_required`
    # (the public register, certificate check, standards, sign-in and password reset).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Under /api/ every error is an RFC 9457 problem details document, never an HTML page.
    "api.problems.ApiProblemsMiddleware",
    "operations.security_events.DeniedAccessLogMiddleware",
    # A view that cannot reach the database answers 503 with templates/503.html.
    "operations.database_unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        # With no "loaders" given, Django wraps these in the cached loader: each process
        # compiles a template once (tests/operations/test_speed_settings.py checks).
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Forms render through the project's GOV.UK templates (templates/django/forms/).
FORM_RENDERER = "pages.forms.GovukFormRenderer"  # TemplatesSetting + GOV.UK classes

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections in production: a request reuses its thread's connection instead of
# opening one (a PostgreSQL connection costs more than most pages' queries); the health check
# replaces one the server has dropped. Off in development, where runserver makes a thread a
# request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The register's tables fit in memory and live on SSDs: an index lookup costs about what
    # a sequential read does. PostgreSQL's default (4, for spinning disks) makes it scan every
    # provider to find a few hundred search matches (bench/README.md § Profile findings).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c random_page_cost=" + env.str("DJANGO_PG_RANDOM_PAGE_COST", default="1.1")
    )

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="register@example.org")
# The site's own address, for links in emails sent outside a request (send_alerts): a mail
# client cannot open a bare path.
SITE_URL = env.str("DJANGO_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# Django's own messages in the register's words (locale/en_GB/LC_MESSAGES/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
# Dates read "1 December 2026" everywhere, the admin included (config/formats/en_GB).
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Compiled Sass (make install builds it; git-ignored).
    BASE_DIR / "build" / "static",
    # GOV.UK Frontend's fonts, images and JavaScript, straight from the npm package.
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]

# Uploads. No request body over MAX_UPLOAD_REQUEST_BYTES is read (operations.upload_limits):
# the largest file a form takes (the certification import's 10 MB) and room for the form's
# other fields. Each form then checks its own file's size.
MAX_UPLOAD_REQUEST_BYTES = 11 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "operations.upload_limits.RequestSizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Uploaded files up to this size are held in memory, larger ones in a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's 2.5 MB
# The fields of a form other than its files. The largest is the contract import's
# confirmation, which posts the checked CSV (up to 1 MB) back, percent-encoded: up to three
# bytes a byte.
DATA_UPLOAD_MAX_MEMORY_SIZE = 3_500_000

MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: evidence files go through access-checked views

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/compliance/"
LOGOUT_REDIRECT_URL = "/"

# Sign-in: django-axes refuses sign-ins for a locked-out email address and IP address
# (AxesStandaloneBackend, first), then Django checks the password (ModelBackend).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock out an email address from one client address after 5 failed sign-ins, for 15 minutes
# (the page answers 429 Too Many Requests). Unlock early with
# `manage.py axes_reset_ip_username <ip> <email>` or by deleting the access attempt in the admin.
# The pair, never the email address alone: an attacker guessing a user's password is slowed
# to 5 guesses a quarter-hour from each address, but cannot lock the user out from theirs
# (OWASP ASVS 5.0 § 6.3; README § Signing in and access control).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address, not the load balancer's (operations.client_address, django-ipware):
# one function for django-axes and the logs. (django-axes' AXES_IPWARE_* settings check the
# header strictly: a client sending its own X-Forwarded-For would be counted at the load
# balancer's address, with everyone else who does.)
AXES_CLIENT_IP_CALLABLE = "operations.client_address.client_address"
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form's (and the admin's) email field
AXES_USERNAME_CALLABLE = "accounts.signin.axes_username"  # emails are case-insensitive
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"

# Sessions end after 8 hours without a request: a request restarts the clock, writing the
# session at most once a minute (accounts.session_renewal).
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_AFTER_SECONDS = 60

# A password reset link works for one hour.
PASSWORD_RESET_TIMEOUT = 60 * 60

# The service's name, shown in the header and page titles.
SERVICE_NAME = "RRN Training Register"

# CSV imports (certifications in the admin, a commissioner's contracts): the most rows and
# bytes one file may hold. A preview and its confirmation each check every row in one request,
# and at these caps both finish well inside the worker timeout (GUNICORN_TIMEOUT, 30 s; figures
# in README.md § Imports at the cap). One place for both caps (pages.import_limits).
IMPORT_MAX_ROWS = env.int("DJANGO_IMPORT_MAX_ROWS", default=2_000)
IMPORT_MAX_BYTES = env.int("DJANGO_IMPORT_MAX_BYTES", default=1_000_000)
# Of those rows, how many may change a certification already on the register: each change is
# written on its own (event, history, headline periods), about 0.1 to 0.3 s apiece.
IMPORT_MAX_UPDATES = env.int("DJANGO_IMPORT_MAX_UPDATES", default=25)
# How long after a confirmed contract ends its commissioner still sees the service's private
# records (arrangements, checks, evidence, notes): time to close the contract's last review.
# README § Signing in and access control.
CONTRACT_ACCESS_AFTER_END_MONTHS = 12

# ---------------------------------------------------------------------------------------------
# Production: HTTPS, headers, Content Security Policy, static files, sessions, logging.
# DJANGO_DEBUG=false (the default) turns all of this on; `check --deploy` passes with it.
# Behind a TLS-terminating load balancer that already redirects, set
# DJANGO_SECURE_SSL_REDIRECT=false. See README § Operations.
# ---------------------------------------------------------------------------------------------

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer's plain-HTTP health check must not be redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# The load balancer terminates TLS and says so in X-Forwarded-Proto (it must overwrite any
# value a client sends).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the service append the client's address to
# TRUSTED_PROXY_HEADER (one: the TLS-terminating load balancer). 0 ignores the header and
# takes the socket's address (operations.client_address).
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
TRUSTED_PROXY_HEADER = env.str("DJANGO_TRUSTED_PROXY_HEADER", default="X-Forwarded-For")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading is a promise to browsers that is slow to undo: the operator opts in.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script reads it: forms carry the token
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Sessions live in the database (shared by every app server); with Redis as CACHE_URL,
# "django.contrib.sessions.backends.cached_db" reads them from the cache first.
SESSION_ENGINE = env.str("DJANGO_SESSION_ENGINE", default="django.contrib.sessions.backends.db")

# Content Security Policy (django-csp 4). Scripts only from this site; an inline <script>
# needs nonce="{{ request.csp_nonce }}". GOV.UK Frontend needs nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
        "base-uri": [csp.SELF],
        "object-src": [csp.NONE],
    },
}

# Static files: whitenoise serves them with hashed names and compressed copies
# (`collectstatic` builds them). Without a manifest (DEBUG, tests) plain storage is used.
STATICFILES_MANIFEST = env.bool("DJANGO_STATICFILES_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATICFILES_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Where people report accessibility problems and ask for other formats (/accessibility/).
ACCESSIBILITY_CONTACT_EMAIL = env.str(
    "DJANGO_ACCESSIBILITY_CONTACT_EMAIL", default="accessibility@example.org"
)

# `manage.py backup_database` writes here unless given --output (README § Backups).
BACKUP_DIR = Path(env.str("DJANGO_BACKUP_DIR", default=str(BASE_DIR / "backups")))

# Logging: one JSON object per line on stderr (text when DEBUG), each with the request id.
LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="text" if DEBUG else "json")
LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "operations.request_ids.RequestIdLogFilter"},
        "client_address": {"()": "operations.client_address.ClientAddressLogFilter"},
    },
    "formatters": {
        "json": {"()": "operations.log_format.JsonLogFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"},
    },
    "handlers": {
        # stderr: stdout is a command's own output (`manage.py dumpdata > file.json`).
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "client_address"],
        }
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        # Replace Django's own handlers (console in DEBUG, mail to ADMINS) with stderr.
        "django": {"handlers": ["stderr"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["stderr"], "level": LOG_LEVEL, "propagate": False},
    },
}


# The REST API (/api/v1/, the api app). Public reads and bulk verification are anonymous and
# throttled per client address (operations.client_address); rates are "N/second|minute|hour|day".
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientAddressThrottle"],
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
API_THROTTLE_RATES = {
    "anonymous": env.str("DJANGO_API_ANONYMOUS_RATE", default="120/minute"),
    "verification": env.str("DJANGO_API_VERIFICATION_RATE", default="20/minute"),
    # Callers with an API token (api.models.ApiToken), counted per token.
    "token_anonymous": env.str("DJANGO_API_TOKEN_RATE", default="1200/minute"),
    "token_verification": env.str("DJANGO_API_TOKEN_VERIFICATION_RATE", default="300/minute"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "RRN Training Register API",
    "DESCRIPTION": (
        "The register of training certified against the Restraint Reduction Network (RRN) "
        "Training Standards, as data: the same filters, verdicts and rules as the site's pages. "
        "Errors are RFC 9457 problem details (application/problem+json)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Swagger UI from drf-spectacular-sidecar's static files: nothing from another site.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No deep links: Swagger UI puts each as a link inside its operation's button (a control
    # nested in a control, too small a target: axe, tests/browser/test_api_docs.py).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation's error answers, as problem details (api.schema.document_problems).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_problems",
    ],
    # The status of a certification record (its events), apart from a headline's status.
    "ENUM_NAME_OVERRIDES": {
        "CertificationStatusEnum": "certification.statuses.Status",
        "FirstStatusEnum": "api.certification_serializers.FIRST_STATUSES",
        "HeadlineStatusEnum": "api.serializers.STATUSES",
    },
}
