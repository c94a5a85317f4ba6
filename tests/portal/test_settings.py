"""Settings come from the environment; production refuses to start half-configured."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from portal.settings import env as environment

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    full_env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {"DJANGO_SETTINGS_MODULE": "portal.settings.production"}


def test_production_refuses_without_a_secret_key():
    result = run_manage("check", ALLOWED_HOSTS="portal.example.gov.cn", **PRODUCTION)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_the_development_key():
    result = run_manage(
        "check",
        SECRET_KEY="dev-only-insecure-key-do-not-use-in-production" * 2,
        ALLOWED_HOSTS="portal.example.gov.cn",
        **PRODUCTION,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_without_allowed_hosts():
    result = run_manage("check", SECRET_KEY=secrets.token_urlsafe(60), **PRODUCTION)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_check_deploy_is_clean_in_production():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="portal.example.gov.cn",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_database_url_defaults_to_sqlite_and_reads_postgres(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert environment.database(tmp_path)["ENGINE"] == "django.db.backends.sqlite3"
    monkeypatch.setenv("DATABASE_URL", "postgres://user:pw@db.internal:5433/portal")
    config = environment.database(tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == (
        "db.internal",
        5433,
        "portal",
    )


def test_redis_url_selects_the_shared_cache(monkeypatch, tmp_path):
    monkeypatch.delenv("REDIS_URL", raising=False)
    local = environment.caches(tmp_path)
    assert "locmem" in local["default"]["BACKEND"]
    # Every worker process of the machine shares the page cache's files.
    assert local["pages"]["BACKEND"].endswith("FileBasedCache")
    assert local["pages"]["LOCATION"] == str(tmp_path / "page_cache")
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/2")
    shared = environment.caches(tmp_path)
    for alias in ("default", "pages"):
        cache = shared[alias]
        assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert cache["LOCATION"] == "redis://cache.internal:6379/2"
    assert shared["default"]["KEY_PREFIX"] != shared["pages"]["KEY_PREFIX"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp+tls://mailer:p%40ss@smtp.example.gov.cn:587",
            ("smtp.example.gov.cn", 587, "mailer", "p@ss", True, False),
        ),
        (
            "smtp+ssl://smtp.example.gov.cn",
            ("smtp.example.gov.cn", 465, "", "", False, True),
        ),
    ],
)
def test_email_url_is_parsed(monkeypatch, url, expected):
    monkeypatch.setenv("EMAIL_URL", url)
    config = environment.email()
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (
        config["EMAIL_HOST"],
        config["EMAIL_PORT"],
        config["EMAIL_HOST_USER"],
        config["EMAIL_HOST_PASSWORD"],
        config["EMAIL_USE_TLS"],
        config["EMAIL_USE_SSL"],
    ) == expected


def test_private_storage_is_outside_public_media(settings):
    private = settings.STORAGES["private"]["OPTIONS"]["location"]
    public = settings.STORAGES["default"]["OPTIONS"]["location"]
    assert not Path(private).resolve().is_relative_to(Path(public).resolve())


def test_chinese_is_the_default_language_and_english_is_offered(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert dict(settings.LANGUAGES).keys() == {"zh-hans", "en"}
    assert settings.TIME_ZONE == "Asia/Shanghai"
