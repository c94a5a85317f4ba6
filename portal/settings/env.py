"""Helpers that turn environment variables into Django settings.

Used by every settings module so that one code base runs on a laptop (SQLite, local
memory cache, files on disk) and on a cluster (PostgreSQL, Redis, object storage).
"""

import os
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [part.strip() for part in env(name, default).split(",") if part.strip()]


def database(base_dir):
    """`DATABASE_URL`, or a SQLite file beside the project."""
    url = env("DATABASE_URL") or f"sqlite:///{base_dir / 'db.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=int(env("DB_CONN_MAX_AGE", "60")))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers go on while a filing is written.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        config["CONN_MAX_AGE"] = 0
    return config


def caches(base_dir):
    """Redis when `REDIS_URL` is set (shared by every app server), else local memory.

    The anonymous page cache (`portal.page_cache`, alias ``pages``) shares Redis
    too; without it, it lives in files under `PAGE_CACHE_DIR` so that every worker
    process of the machine sees one generation and one set of pages.
    """
    url = env("REDIS_URL")
    prefix = env("CACHE_KEY_PREFIX", "chuangkou")
    if url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": prefix,
            },
            "pages": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": f"{prefix}-pages",
            },
        }
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("PAGE_CACHE_DIR", str(base_dir / "page_cache")),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        },
    }


DATABASE_TASKS = "django_tasks_db.DatabaseBackend"
RQ_TASKS = "django_tasks_rq.RQBackend"


def tasks():
    """The task queue: RQ on Redis when `REDIS_URL` is set, else the database.

    Returns the `TASKS` and `RQ_QUEUES` settings. `TASKS_BACKEND` (a dotted path)
    overrides the choice, e.g. ``django_tasks.backends.immediate.ImmediateBackend`` to
    run every task inside the request that enqueues it.
    """
    url = env("REDIS_URL")
    backend = env("TASKS_BACKEND") or (RQ_TASKS if url else DATABASE_TASKS)
    return {
        "TASKS": {"default": {"BACKEND": backend}},
        "RQ_QUEUES": {"default": {"URL": url or "redis://127.0.0.1:6379/0"}},
    }


def email():
    """`EMAIL_URL` (``smtp+tls://user:password@host:587``) or the `EMAIL_*` settings."""
    url = env("EMAIL_URL")
    if not url:
        return {
            "EMAIL_BACKEND": env(
                "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
            ),
            "EMAIL_HOST": env("EMAIL_HOST", "localhost"),
            "EMAIL_PORT": int(env("EMAIL_PORT", "25")),
            "EMAIL_HOST_USER": env("EMAIL_HOST_USER", ""),
            "EMAIL_HOST_PASSWORD": env("EMAIL_HOST_PASSWORD", ""),
            "EMAIL_USE_TLS": env_bool("EMAIL_USE_TLS"),
            "EMAIL_USE_SSL": env_bool("EMAIL_USE_SSL"),
        }
    parsed = urlparse(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
    }
    scheme = parsed.scheme.split("+")
    query = parse_qs(parsed.query)
    return {
        "EMAIL_BACKEND": backends.get(
            scheme[0], "django.core.mail.backends.smtp.EmailBackend"
        ),
        "EMAIL_HOST": parsed.hostname or "localhost",
        "EMAIL_PORT": parsed.port
        or (465 if "ssl" in scheme else 587 if "tls" in scheme else 25),
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_TLS": "tls" in scheme or query.get("tls") == ["1"],
        "EMAIL_USE_SSL": "ssl" in scheme or query.get("ssl") == ["1"],
    }


def storage(prefix, default_location):
    """A storage backend from `{PREFIX}_STORAGE` (dotted path) and `{PREFIX}_*` options.

    Without it, files live on the local disk in `default_location`. For S3-compatible
    object storage set e.g. ``PRIVATE_STORAGE=storages.backends.s3.S3Storage`` and
    install django-storages[s3]; its options come from the usual `AWS_*` variables.
    """
    backend = env(f"{prefix}_STORAGE")
    if backend:
        return {"BACKEND": backend, "OPTIONS": {}}
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(env(f"{prefix}_ROOT", default_location))},
    }
