"""Disclosure models: the department page family, people and staff membership.

One module per family (STYLE.md): `pages` (department, division, posts, content and
guide pages), `people` (the `Person` snippet), `staff` (who belongs to which
department, and each department's editor and moderator groups).
"""

from disclosure.models.pages import (
    ContentPage,
    ContentPageAttachment,
    DepartmentPage,
    DisclosureGuidePage,
    DivisionPage,
    Post,
)
from disclosure.models.people import Person
from disclosure.models.staff import DepartmentGroup, StaffMembership

__all__ = [
    "ContentPage",
    "ContentPageAttachment",
    "DepartmentGroup",
    "DepartmentPage",
    "DisclosureGuidePage",
    "DivisionPage",
    "Person",
    "Post",
    "StaffMembership",
]
