"""Admin registrations of the search app: the synonyms snippet (搜索同义词)."""

from wagtail.snippets.models import register_snippet

from search.views import SynonymViewSet

register_snippet(SynonymViewSet)
