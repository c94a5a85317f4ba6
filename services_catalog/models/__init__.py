"""Service catalog models: the catalog pages, the item guide and its vocabularies.

`choices` holds the coded vocabularies (type, kind, audience, step actor); `pages` the
`ServiceCatalogPage` (事项目录) and the `ServiceItemPage` guide (办事指南) with its
inline materials and steps.
"""

from services_catalog.models.choices import Audience, ItemKind, ItemType, StepActor
from services_catalog.models.pages import (
    ServiceCatalogPage,
    ServiceItemMaterial,
    ServiceItemPage,
    ServiceItemStep,
    item_code_validator,
)

__all__ = [
    "Audience",
    "ItemKind",
    "ItemType",
    "ServiceCatalogPage",
    "ServiceItemMaterial",
    "ServiceItemPage",
    "ServiceItemStep",
    "StepActor",
    "item_code_validator",
]
