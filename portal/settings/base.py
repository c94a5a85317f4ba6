"""Settings shared by every environment; what varies comes from the environment."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from portal.settings import env as environment
from portal.settings.env import env, env_bool, env_list

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

SECRET_KEY = env("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal",
    "disclosure",
    "services_catalog",
    "services_catalog.inbox",
    "reception",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
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
    "django_filters",
    "captcha",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # django-ninja as an app serves Swagger UI from its own static files instead of
    # a CDN that the public CSP (and a network without one) would block.
    "ninja",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "portal.middleware.RejectControlCharactersMiddleware",
    # Anonymous GETs of public pages answered from the cache from here on.
    "portal.page_cache.PageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.security.SecurityAuditMiddleware",
    "portal.staff_sessions.StaffSessionMiddleware",
    "portal.two_factor.TwoFactorMiddleware",
    "portal.passwords.PasswordExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.AdminCSPMiddleware",
    "portal.middleware.PublicRedirectMiddleware",
    # Turns a rate-limited view's Ratelimited into RATELIMIT_VIEW's 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: failed staff sign-ins, per account and address.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.care_mode.context",
            ],
        },
    },
]

DATABASES = {"default": environment.database(BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = environment.caches(BASE_DIR)
# Anonymous visitors' public pages served whole from the cache alias PAGE_CACHE_ALIAS
# (portal.page_cache); invalidated when pages are published, unpublished, moved or
# deleted and when anything in PAGE_CACHE_INVALIDATED_BY (app labels or models,
# besides pages) is saved or deleted.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", True)
PAGE_CACHE_ALIAS = "pages"
# The page frame's data (site, settings, navigation, breadcrumbs) built once per
# worker process and cache generation (portal.shared), with or without PAGE_CACHE.
SHARED_FRAGMENTS_ENABLED = env_bool("SHARED_FRAGMENTS", True)
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", str(6 * 3600)))
# A CDN or Varnish in front (portal.frontend_cache): FRONTEND_CACHE_URL is where
# Wagtail's HTTPBackend sends its PURGE requests; another of Wagtail's backends is
# configured by setting WAGTAILFRONTENDCACHE itself. Pages stored by the page cache
# tell it to keep them FRONTEND_CACHE_SECONDS at most, and never past midnight.
WAGTAILFRONTENDCACHE = (
    {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": env("FRONTEND_CACHE_URL"),
        }
    }
    if env("FRONTEND_CACHE_URL")
    else {}
)
FRONTEND_CACHE_SECONDS = int(env("FRONTEND_CACHE_SECONDS", "3600"))
PAGE_CACHE_INVALIDATED_BY = [
    "portal.ContactSettings",
    "portal.PrivacyNoticeSettings",
    "portal.QuickLinksSettings",
    "portal.WorkdayOverride",
    "portal.WorkdayYear",
    "disclosure",
    "services_catalog",
    "reception",
    "wagtailcore.Site",
    "wagtailcore.PageViewRestriction",
    "wagtailimages.Image",
    "wagtaildocs.Document",
]

AUTH_USER_MODEL = "portal.User"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "portal.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "portal.passwords.CharacterClassesValidator"},
    {"NAME": "portal.passwords.UsernameValidator"},
    {"NAME": "portal.passwords.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
]
# Staff accounts (DESIGN §10, 等保 2.0): a password older than this many days must be
# changed before the admin can be used; unset, passwords do not expire.
PASSWORD_MAX_AGE_DAYS = int(env("PASSWORD_MAX_AGE_DAYS", "0")) or None
# Roles (portal.roles) whose members see personal data and so must sign in with a
# second factor; superusers too. Everyone else may turn it on in their account.
TWO_FACTOR_REQUIRED_ROLES = ["clerk", "director", "handler", "supervisor"]
TWO_FACTOR_REQUIRED_FOR_SUPERUSERS = True
OTP_TOTP_ISSUER = env("SITE_NAME", "窗口办公政务公开平台")
# Personal data encrypted at rest (portal.encryption): comma-separated Fernet keys,
# the first encrypts; and the key of the look-up hash. Derived from SECRET_KEY when
# unset; set both in production so that changing SECRET_KEY loses nothing.
PERSONAL_DATA_KEYS = env_list("PERSONAL_DATA_KEYS")
PERSONAL_DATA_HASH_KEY = env("PERSONAL_DATA_HASH_KEY", "")
# Years after closure before personal data is removed (portal.retention,
# `manage.py apply_retention`), per record type.
RETENTION_DEFAULT_YEARS = 5
RETENTION_YEARS = {
    "filings": int(env("RETENTION_FILINGS_YEARS", "5")),
    "uploads": int(env("RETENTION_UPLOADS_YEARS", "5")),
    "receipts": int(env("RETENTION_UPLOADS_YEARS", "5")),
    "reception_records": int(env("RETENTION_RECEPTION_YEARS", "5")),
    "appointments": int(env("RETENTION_APPOINTMENTS_YEARS", "5")),
    "consultations": int(env("RETENTION_CONSULTATIONS_YEARS", "3")),
}
# Requests per client address (portal.ratelimits), each name counted on its own, in
# django-ratelimit syntax; RATELIMIT_<NAME> in the environment changes one, and an
# empty value lifts it. Submissions of the public forms; every request of the search.
RATELIMITS = {
    name: env(f"RATELIMIT_{name.upper()}", rate) or None
    for name, rate in {
        "filing": "20/h",  # the online filing form
        "supplement": "20/h",  # supplements after a one-time notice
        "rating": "10/h",
        "withdraw": "10/h",
        "complaint": "10/h",
        "consultation": "10/h",  # the online question form (网上咨询)
        "consultation_list": "60/m",  # the public questions and answers
        "lookup": "30/m",  # filing lookup, page and API
        "appointment": "10/h",  # reception appointment requests
        "appointment_lookup": "30/h",
        "captcha": "30/m",  # new captcha challenges (refresh button)
        "search": "60/m",  # the search page
        "search_suggest": "60/m",  # the search box's suggestions
        "search_click": "60/m",  # result click pings
        "search_api": "60/m",
    }.items()
}
# The receipt PDF of an online filing is rendered by the worker; a download that
# finds it still pending waits (a page that tries again) at most this many seconds
# after the filing, then renders it in the request.
RECEIPT_PDF_WAIT_SECONDS = int(env("RECEIPT_PDF_WAIT_SECONDS", "20"))
# Files uploaded to a form that was never submitted are removed after this many
# hours (`manage.py purge_pending_uploads`, run from cron).
INBOX_PENDING_UPLOAD_HOURS = int(env("INBOX_PENDING_UPLOAD_HOURS", "48"))
# A bad rating (1–2) is followed up: the inspection office contacts the applicant
# within this many working days of the rating (差评整改).
INBOX_RATING_FOLLOW_UP_WORKDAYS = int(env("INBOX_RATING_FOLLOW_UP_WORKDAYS", "3"))
# A signed-in session ends after this many idle seconds, and with the browser.
STAFF_SESSION_IDLE_TIMEOUT = int(env("STAFF_SESSION_IDLE_TIMEOUT", "1800"))
LOGIN_URL = "wagtailadmin_login"

# Failed staff sign-ins (django-axes): after AXES_FAILURE_LIMIT failures one account,
# and separately one address, is locked for AXES_COOLOFF_TIME hours, with the Chinese
# 429 page. An administrator lifts it early with `manage.py axes_reset_username NAME`
# or `axes_reset_ip ADDRESS` (or deletes the entry under /django-admin/axes/).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.views.signin_locked"
# Behind PROXY_COUNT reverse proxies the client is the PROXY_COUNT-th address from
# the right of X-Forwarded-For; without them REMOTE_ADDR is the client. Sign-in
# lock-outs and rate limits count per client address alike.
PROXY_COUNT = int(env("PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "portal.ratelimits.client_address"
RATELIMIT_IP_META_KEY = "portal.ratelimits.client_address"
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

# Chinese first, English available through the language switcher.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = False

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_ROOT", str(BASE_DIR / "private_media")))

STORAGES = {
    # Public media: page images and published documents.
    "default": environment.storage("MEDIA", MEDIA_ROOT),
    # Applicants' materials: never under MEDIA_URL; served only after a
    # permission check.
    "private": environment.storage("PRIVATE", PRIVATE_MEDIA_ROOT),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

FILE_UPLOAD_PERMISSIONS = 0o640
# Uploaded materials and attachments (portal.uploads): at most this many bytes a
# file, and for the inbox this many for all the files of one filing.
UPLOAD_MAX_FILE_SIZE = int(env("UPLOAD_MAX_FILE_MB", "20")) * 1024 * 1024
INBOX_MAX_FILING_SIZE = int(env("INBOX_MAX_FILING_MB", "100")) * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

vars().update(environment.email())
# Background work (notices, imports, index updates): `manage.py worker` runs it.
vars().update(environment.tasks())
# Background jobs (portal.tasks): a failed one is tried again after this many
# seconds, doubling up to the longest delay, until its attempts are used up; a job
# whose worker died is due again after the lease.
BACKGROUND_JOB_RETRY_SECONDS = int(env("BACKGROUND_JOB_RETRY_SECONDS", "30"))
BACKGROUND_JOB_RETRY_MAX_SECONDS = int(env("BACKGROUND_JOB_RETRY_MAX_SECONDS", "3600"))
BACKGROUND_JOB_MAX_ATTEMPTS = int(env("BACKGROUND_JOB_MAX_ATTEMPTS", "8"))
BACKGROUND_JOB_LEASE_SECONDS = int(env("BACKGROUND_JOB_LEASE_SECONDS", "600"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "chuangkou@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail
WAGTAIL_SITE_NAME = env("SITE_NAME", "窗口办公政务公开平台")
WAGTAILADMIN_BASE_URL = env("BASE_URL", "http://127.0.0.1:8000")
# No avatars from gravatar.com: the site makes no external request (the CSP blocks
# them, and staff e-mail addresses are not sent out as hashes).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the dashboard ask releases.wagtail.org for a newer version (the CSP
# blocks it and the browser logs the refusal as an error); upgrades are planned.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The account page's time-zone choice: every zone the system has includes the
# "localtime" alias, which the browser rejects (RangeError in the console).
WAGTAIL_USER_TIME_ZONES = ["Asia/Shanghai", "Asia/Urumqi", "UTC"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ofd", "odt", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Draftail named after its field's label (portal/rich_text.py).
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "portal.rich_text.LabelledDraftail"}
}
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"

# Site search (search/): "embedded" on the database, or "elasticsearch".
SEARCH_BACKEND = env("SEARCH_BACKEND", "embedded")
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", "")
# The embedded backend keeps each search's results this long (seconds; 0: never) in
# the shared cache (PAGE_CACHE_ALIAS), until the index or the synonyms change.
SEARCH_RESULTS_SECONDS = int(env("SEARCH_RESULTS_SECONDS", "300"))
# Entered around a bulk change such as the catalog import (portal.bulk): the site
# search, Wagtail's own search index and its reference index are written once, in
# bulk, by a task when the change ends, not once per page saved.
BULK_CHANGE_CONTEXTS = [
    "search.indexer.deferred_updates",
    "portal.page_cache.invalidation_deferred",
    "portal.bulk.deferred_model_search",
    "portal.bulk.deferred_reference_index",
]

# Content-Security-Policy for public pages; the admin gets a looser one
# (portal.middleware.AdminCSPMiddleware) because Wagtail's editor needs inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Wagtail marks its preview views SAMEORIGIN itself; everything else refuses framing.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# django-ratelimit counts in the shared cache; Django's own RedisCache is atomic
# enough for counters, which the library's check does not know about. A limited
# request raises Ratelimited, which RatelimitMiddleware answers with RATELIMIT_VIEW.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_VIEW = "portal.views.rate_limited"
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Catalog import (services_catalog.importing.parse): files beyond these are refused
# with a message naming the limit. An XLSX workbook is a ZIP archive, so its unpacked
# size and compression ratio are checked before it is opened (zip bombs).
CATALOG_IMPORT_MAX_FILE_SIZE = 20 * 1024 * 1024
CATALOG_IMPORT_MAX_DEPTH = 20  # catalog/1 itself nests 6 deep
CATALOG_IMPORT_MAX_XLSX_SIZE = 200 * 1024 * 1024
CATALOG_IMPORT_MAX_XLSX_RATIO = 100

# The public forms' captcha (portal.forms, portal.captcha): four letters on an image
# wide enough that no rotated letter reaches its edge, or a question in text.
CAPTCHA_CHALLENGE_FUNCT = "portal.captcha.letters_challenge"
CAPTCHA_FONT_SIZE = 28
CAPTCHA_IMAGE_SIZE = (150, 50)
CAPTCHA_LETTER_ROTATION = (-25, 25)
CAPTCHA_TIMEOUT = 15  # minutes: time to fill a long form after the page loaded

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Wagtail 8 runs search-index and reference-index updates as immediate tasks
        # and logs every one of them at INFO.
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        # Page edits are kept in Wagtail's audit log; the console need not repeat them.
        "wagtail": {"level": env("WAGTAIL_LOG_LEVEL", "WARNING")},
    },
}

SITE_TITLE = _("窗口办公政务公开平台")
