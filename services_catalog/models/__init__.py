"""Service catalog models: the catalog pages, the item guide and its vocabularies.

`choices` holds the coded vocabularies (type, kind, audience, step actor); `pages` the
`ServiceCatalogPage` (事项目录) and the `ServiceItemPage` guide (办事指南) with its
inline materials and steps, and
the aliases (别名) and situation phrases (办事情形) search weighs like the name;
`imports` what the last catalog import found each item to be.
"""

from services_catalog.models.choices import Audience, ItemKind, ItemType, StepActor
from services_catalog.models.imports import ImportedItemDigest
from services_catalog.models.pages import (
    ServiceCatalogPage,
    ServiceItemAlias,
    ServiceItemMaterial,
    ServiceItemPage,
    ServiceItemSituation,
    ServiceItemStep,
    item_code_validator,
)

__all__ = [
    "Audience",
    "ImportedItemDigest",
    "ItemKind",
    "ItemType",
    "ServiceCatalogPage",
    "ServiceItemAlias",
    "ServiceItemMaterial",
    "ServiceItemPage",
    "ServiceItemSituation",
    "ServiceItemStep",
    "StepActor",
    "item_code_validator",
]
