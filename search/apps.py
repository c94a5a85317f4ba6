from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Chinese-aware site search."""

    name = "search"
    label = "site_search"
    verbose_name = _("站内搜索")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from search import indexer, synonyms  # noqa: F401  (signal receivers)

        indexer.connect_signals()
