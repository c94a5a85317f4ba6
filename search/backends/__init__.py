"""Search backends behind one interface (`search.backends.base.SearchBackend`),
chosen by the `SEARCH_BACKEND` setting: ``embedded`` (the default: the database's own
full-text search over jieba-segmented text) or ``elasticsearch``."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_backends = {}


def get_backend(name=None):
    """The configured backend (one instance per process and name)."""
    name = name or getattr(settings, "SEARCH_BACKEND", "embedded") or "embedded"
    if name not in _backends:
        if name == "embedded":
            from search.backends.embedded import EmbeddedBackend

            _backends[name] = EmbeddedBackend()
        elif name == "elasticsearch":
            from search.backends.elasticsearch import ElasticsearchBackend

            _backends[name] = ElasticsearchBackend.from_settings()
        else:
            raise ImproperlyConfigured(
                f"SEARCH_BACKEND must be 'embedded' or 'elasticsearch', not {name!r}"
            )
    return _backends[name]


def reset_backends():
    """Forget the backend instances (after the settings changed, in tests)."""
    _backends.clear()
