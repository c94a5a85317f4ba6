"""Cheaper translation lookups, installed once per process (`PortalConfig.ready`).

Every page asks for a few hundred translated strings (`{% translate %}`, lazy model
and choice labels). Django answers each through a chain: the merged catalog of the
active language, itself a list of one dictionary per app (about twenty), then one
fallback per app that also ships a plain ``zh`` catalog (eleven for ``zh-hans``).
Our source strings are Chinese, so in Chinese nearly every lookup misses them all
and walks the whole chain: about 12 Python calls and 60 dictionary lookups per
string, a fifth of an uncached page's time.

`flat_gettext` answers from one dictionary per translation object, built on its
first lookup from the same catalogs in the same order of precedence (a fallback
never wins over the catalogs before it; in each, a singular entry wins over the
``plural(1)`` entry, as in `gettext.GNUTranslations.gettext`). Plural lookups
(`ngettext`) are rare and keep Django's own path.

`cached_choice_display` does the same for ``get_FOO_display()``: Django rebuilds a
dictionary of the field's choices on every call and hashes each lazy label, which
translates it; the labels are kept per field and language instead (fields with
callable choices keep Django's own path).
"""

from django.db.models import Model
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation.trans_real import DjangoTranslation, TranslationCatalog

_FLAT = "_portal_flat_catalog"
_original_display = Model._get_FIELD_display
_displays = {}


def flat_catalog(translation):
    """{message: translation} over `translation` and its fallbacks, as
    `GNUTranslations.gettext` would find it."""
    levels = []
    level = translation
    while level is not None:
        levels.append(level)
        level = getattr(level, "_fallback", None)
    flat = {}
    for level in reversed(levels):  # the lowest precedence first
        catalog = getattr(level, "_catalog", None)
        if catalog is None:
            continue
        dictionaries = (
            catalog._catalogs if isinstance(catalog, TranslationCatalog) else [catalog]
        )
        index = level.plural(1)
        singular, plural_one = {}, {}
        for dictionary in reversed(dictionaries):  # the first one wins
            for key, value in dictionary.items():
                if isinstance(key, str):
                    singular[key] = value
                elif key[1] == index:
                    plural_one[key[0]] = value
        flat.update(plural_one)
        flat.update(singular)
    return flat


def flat_gettext(self, message):
    flat = self.__dict__.get(_FLAT)
    if flat is None:
        flat = self.__dict__[_FLAT] = flat_catalog(self)
    return flat.get(message, message)


def cached_choice_display(self, field):
    choices = field.choices
    if not isinstance(choices, list | tuple):
        return _original_display(self, field)
    key = (field, get_language())
    found = _displays.get(key)
    if found is None or found[0] is not choices:
        labels = {
            value: force_str(label, strings_only=True)
            for value, label in dict(make_hashable(field.flatchoices)).items()
        }
        found = _displays[key] = (choices, labels)
    value = getattr(self, field.attname)
    hashable = make_hashable(value)
    if hashable in found[1]:
        return found[1][hashable]
    return force_str(value, strings_only=True)


def install():
    DjangoTranslation.gettext = flat_gettext
    Model._get_FIELD_display = cached_choice_display
