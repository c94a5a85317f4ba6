"""Production settings plus the floor view's URL, for `bench/http.py` only."""

from portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
