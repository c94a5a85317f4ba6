"""Personal data encrypted at rest (个人信息加密存储, DESIGN §10).

`EncryptedCharField` keeps a short value (an ID number) in the database only as a
Fernet token, so a dump alone does not reveal it; Python code reads and writes the
plain value. Fernet tokens differ at every save, so exact look-up goes through a
keyed hash (HMAC-SHA256) that the field keeps in a sibling field named by
`hash_field` and updates before every save; `lookup_hash(value)` computes the same
hash for a query.

Keys come from the environment:

- `PERSONAL_DATA_KEYS`: comma-separated Fernet keys, the first one encrypts, all of
  them decrypt. To rotate, put a new key first, run
  `manage.py rotate_personal_data_keys`, then drop the old key.
- `PERSONAL_DATA_HASH_KEY`: the hash key; after changing it, run the same command,
  which also recomputes every hash.

Unset (development, tests), both are derived from `SECRET_KEY`.
"""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models
from django.db.models.signals import pre_save

TOKEN_PREFIX = "gAAAAA"
"""How every Fernet token starts (version byte 0x80, base64); values without it are
rows written before encryption, read as they are until rewritten."""


def _derived_key(purpose):
    digest = hashlib.sha256(f"{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


def _fernet():
    keys = settings.PERSONAL_DATA_KEYS or [_derived_key("personal-data")]
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(value):
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token):
    if not token or not token.startswith(TOKEN_PREFIX):
        return token
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise InvalidToken(
            "A personal-data value cannot be decrypted with PERSONAL_DATA_KEYS."
        ) from error


def encrypt_bytes(data):
    """`data` (bytes, e.g. a file) as a Fernet token, for a file kept at rest."""
    return _fernet().encrypt(data)


def decrypt_bytes(token):
    return _fernet().decrypt(token)


def lookup_hash(value):
    """The keyed hash of `value` (upper-cased, spaces removed) for exact look-up."""
    key = settings.PERSONAL_DATA_HASH_KEY or _derived_key("personal-data-hash")
    normalised = "".join(str(value).split()).upper()
    if isinstance(key, str):
        key = key.encode()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.CharField):
    """A CharField (validated on its plain value's `max_length`) stored encrypted in
    a text column; `hash_field` names the sibling field holding `lookup_hash`."""

    def __init__(self, *args, hash_field=None, **kwargs):
        self.hash_field = hash_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.hash_field:
            kwargs["hash_field"] = self.hash_field
        return name, path, args, kwargs

    def db_type(self, connection):
        return models.TextField().db_type(connection)

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        if self.hash_field and not cls._meta.abstract:
            pre_save.connect(self._update_hash, sender=cls, weak=False)

    def _update_hash(self, sender, instance, **kwargs):
        value = getattr(instance, self.attname)
        setattr(instance, self.hash_field, lookup_hash(value) if value else "")

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)


def encrypted_fields():
    """(model, field) for every encrypted field of every installed model."""
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedCharField):
                yield model, field


def reencrypt_all():
    """Rewrite every encrypted value with the first key and its hash with the
    current hash key; returns {model label: rows rewritten}."""
    counts = {}
    for model, field in encrypted_fields():
        rows = model._base_manager.exclude(**{field.attname: ""}).exclude(
            **{f"{field.attname}__isnull": True}
        )
        count = 0
        for instance in rows.iterator():
            values = {field.attname: getattr(instance, field.attname)}
            if field.hash_field:
                values[field.hash_field] = lookup_hash(values[field.attname])
            model._base_manager.filter(pk=instance.pk).update(**values)
            count += 1
        counts[model._meta.label] = counts.get(model._meta.label, 0) + count
    return counts
