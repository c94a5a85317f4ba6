"""Test settings: fast hashing, in-memory mail, local-disk storage in a temp folder."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from portal.settings.base import *  # noqa: F403
from portal.settings.env import env

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
_TMP = Path(tempfile.mkdtemp(prefix="chuangkou-test-"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)
MEDIA_ROOT = _TMP / "media"
PRIVATE_MEDIA_ROOT = _TMP / "private"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    },
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A test database in a file, not in memory: Django's live server shares one
    # in-memory connection between its request threads, so a page and the sprite it
    # loads at the same moment collided ("cannot start a transaction within a
    # transaction") and the session was lost (a 400 in the browser tests). In a file
    # each thread has its own connection and SQLite serialises the writes.
    DATABASES["default"]["TEST"] = {"NAME": str(_TMP / "test.sqlite3")}  # noqa: F405
    DATABASES["default"]["OPTIONS"]["timeout"] = 30  # noqa: F405
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # A test database is thrown away: commits need not wait for the disk.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (  # noqa: F405
        "-c synchronous_commit=off"
    )
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
    },
}
if env("REDIS_URL"):
    CACHES = environment.caches(BASE_DIR)  # noqa: F405
    # Each pytest-xdist worker keeps its own Redis database (the URL's, then the
    # next ones): the suite empties the cache before every test, and Redis empties
    # a whole database at a time, whatever the key prefix.
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    if _worker.isdigit() and int(_worker):
        for _alias in CACHES.values():
            _url = urlsplit(_alias["LOCATION"])
            _db = int(_url.path.strip("/") or 0) + int(_worker)
            _alias["LOCATION"] = urlunsplit(_url._replace(path=f"/{_db}"))
# The page cache's own tests (tests/portal/test_page_cache.py) switch it on; the
# others see every change at once.
PAGE_CACHE_ENABLED = False
SHARED_FRAGMENTS_ENABLED = False
DEMO_USERS_ENABLED = True
# django-axes needs the request, which Client.login does not pass; the sign-in
# lock-out tests switch it on.
AXES_ENABLED = False
# Tasks run inside the request that enqueues them; the tests of the queue itself
# switch to the database backend and run the worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Serve static files straight from the apps (no collectstatic) in tests and benchmarks.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Tests that need two-factor sign-in switch it on with override_settings.
TWO_FACTOR_REQUIRED_ROLES = []
TWO_FACTOR_REQUIRED_FOR_SUPERUSERS = False
