"""Development settings: `make run` uses these; demo users exist only here."""

from portal.settings.base import *  # noqa: F403
from portal.settings.env import env, env_list

DEBUG = True
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
DEMO_USERS_ENABLED = True
# The demo logins printed by `make run` sign in with the password alone; anyone may
# still turn two-factor sign-in on in their account.
TWO_FACTOR_REQUIRED_ROLES = []
TWO_FACTOR_REQUIRED_FOR_SUPERUSERS = False
