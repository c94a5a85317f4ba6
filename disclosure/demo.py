"""Demo content of the disclosure app: two provincial departments with their divisions,
posts, people (with generated portraits), commitments, guide and notices, and an
editor and a moderator login for each department.

`portal.demo` calls `load_disclosure_demo(home_page, stdout)` and then
`load_case_staff` (the window, director, handler and supervisor logins), as declared
in `DisclosureConfig.demo_steps`. It is idempotent:
departments, divisions and people are found by their codes and names, and only what is
missing is created, so running it twice leaves the same pages.
"""

import hashlib
from io import BytesIO
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from disclosure.data.demo_departments import DEPARTMENTS
from disclosure.models import (
    ContentPage,
    ContentPageAttachment,
    DepartmentPage,
    DisclosureGuidePage,
    DivisionPage,
    Person,
    Post,
)
from disclosure.permissions import assign_staff, prepare_department
from portal import roles

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
AVATAR_SIZE = 320
AVATAR_COLOURS = ["#a4161a", "#0b4a8b", "#1b6b3a", "#7a4a00", "#5e3a87", "#00646e"]


def load_disclosure_demo(home_page, stdout):
    """Create what is missing of the demo departments under `home_page`; returns
    ``{username: password}`` of the demo logins it created."""
    created_logins = {}
    with transaction.atomic():
        for data in DEPARTMENTS:
            department = _department(home_page, data)
            prepare_department(department)
            for division_data in data["divisions"]:
                _division(department, division_data)
            _leaders(department, data["leaders"])
            _guide_page(department, data)
            for content in data["content_pages"]:
                _content_page(department, content)
            created_logins.update(_staff_logins(department))
            stdout.write(f"部门：{department.title}（{department.code}）\n")
    return created_logins


def _publish(page):
    page.save_revision().publish()
    return page


def _department(home_page, data):
    department = DepartmentPage.objects.filter(code=data["code"]).first()
    if department is not None:
        return department
    department = DepartmentPage(
        title=data["name"],
        slug=data["code"].lower(),
        code=data["code"],
        show_in_menus=True,
        search_description=data["summary"],
        address=data["address"],
        public_hours=data["public_hours"],
        hotline=data["hotline"],
        complaint_channel=data["complaint_channel"],
        introduction=data["introduction"],
        commitments=[("commitment", c) for c in data["commitments"]],
    )
    home_page.add_child(instance=department)
    return _publish(department)


def _division(department, data):
    division = DivisionPage.objects.filter(code=data["code"]).first()
    if division is not None:
        return division
    division = DivisionPage(
        title=data["name"],
        slug=data["code"].split("-", 1)[1].lower(),
        code=data["code"],
        search_description=data["duties"][0],
        duties=[("duty", duty) for duty in data["duties"]],
        phone=data["phone"],
        room=data["room"],
        commitments=[("commitment", c) for c in data.get("commitments", [])],
        posts=[Post(sort_order=i, **post) for i, post in enumerate(data["posts"])],
    )
    department.add_child(instance=division)
    head = _person(department, division, *data["head"], is_leader=True, order=1)
    deputy = _person(department, division, *data["deputy"], is_leader=True, order=2)
    for order, staff in enumerate(data.get("staff", []), start=3):
        _person(department, division, *staff, order=order)
    division.head, division.deputy = head, deputy
    return _publish(division)


def _leaders(department, leaders):
    for order, (name, title, duties) in enumerate(leaders, start=1):
        _person(department, None, name, title, duties, is_leader=True, order=order)


def _person(department, division, name, title, duties="", is_leader=False, order=0):
    person = Person.objects.filter(department=department, name=name).first()
    if person is not None:
        return person
    person = Person(
        name=name,
        title=title,
        duties=duties,
        department=department,
        division=division,
        photo=_portrait(name, department.code),
        is_leader=is_leader,
        sort_order=order,
    )
    person.save()
    person.save_revision().publish()
    return person


def _portrait(name, department_code):
    """A portrait placeholder: the given name on a coloured circle, drawn here."""
    Image = get_image_model()
    title = f"{name}（头像占位）"
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    colour = AVATAR_COLOURS[int(hashlib.sha1(name.encode()).hexdigest(), 16) % 6]
    canvas = PILImage.new("RGB", (AVATAR_SIZE, AVATAR_SIZE), "#f4f5f7")
    draw = ImageDraw.Draw(canvas)
    draw.ellipse((8, 8, AVATAR_SIZE - 8, AVATAR_SIZE - 8), fill=colour)
    initials = name[-2:]
    font = (
        ImageFont.truetype(str(CJK_FONT), 110)
        if CJK_FONT.exists()
        else ImageFont.load_default(size=110)
    )
    draw.text(
        (AVATAR_SIZE / 2, AVATAR_SIZE / 2),
        initials,
        fill="white",
        font=font,
        anchor="mm",
    )
    buffer = BytesIO()
    canvas.save(buffer, "PNG")
    slug = hashlib.sha1(name.encode()).hexdigest()[:10]
    filename = f"avatar-{department_code.lower()}-{slug}.png"
    return Image.objects.create(
        title=title, file=ImageFile(BytesIO(buffer.getvalue()), name=filename)
    )


def _guide_page(department, data):
    if DisclosureGuidePage.objects.child_of(department).exists():
        return
    guide = DisclosureGuidePage(
        title=f"{department.title}政务公开指南",
        slug="guide",
        intro=data["guide_intro"],
    )
    department.add_child(instance=guide)
    _publish(guide)


def _content_page(department, data):
    slug = data["slug"]
    if ContentPage.objects.child_of(department).filter(slug=slug).exists():
        return
    page = ContentPage(
        title=data["title"].format(department=department.title),
        slug=slug,
        kind=data["kind"],
        document_number=data.get("document_number", "").format(code=department.code),
        summary=data["summary"],
        body=[
            (kind, RichText(value) if kind == "paragraph" else value)
            for kind, value in data["body"]
        ],
    )
    if "attachment" in data:
        page.attachments = [
            ContentPageAttachment(document=_document(department, data["attachment"]))
        ]
    department.add_child(instance=page)
    _publish(page)


def _document(department, data):
    Document = get_document_model()
    title = f"{department.title}{data['title']}"
    existing = Document.objects.filter(title=title).first()
    if existing is not None:
        return existing
    text = data["text"].format(department=department.title)
    filename = f"{department.code.lower()}-{data['filename']}"
    return Document.objects.create(
        title=title, file=ContentFile(text.encode("utf-8"), name=filename)
    )


def _staff_logins(department):
    """An editor and a moderator for the department, each in its own groups (only
    where the settings allow demo logins)."""
    from portal.demo import DEMO_PASSWORD, demo_users_enabled, ensure_user

    created = {}
    if not demo_users_enabled():
        return created
    code = department.code.lower()
    for role in (roles.Role.EDITOR, roles.Role.MODERATOR):
        username = f"{role}_{code}"
        is_new = not get_user_model().objects.filter(username=username).exists()
        user = ensure_user(
            username,
            role,
            first_name=f"{department.title}{roles.GROUP_NAMES[role]}",
        )
        assign_staff(user, department, staff_roles=[role])
        if is_new:
            created[username] = DEMO_PASSWORD
    return created


# The window, director, division handler and supervisor logins of each demo
# department: (role, username prefix, division: none, the first business division,
# or the one whose code ends so).
CASE_STAFF = [
    (roles.Role.CLERK, "clerk", None),
    (roles.Role.DIRECTOR, "director", None),
    (roles.Role.HANDLER, "handler", "business"),
    (roles.Role.SUPERVISOR, "supervisor", "-JCS"),
]


def load_case_staff(home, stdout):
    """One login per case-handling role in each demo department."""
    from portal.demo import demo_users_enabled, ensure_user

    if not demo_users_enabled():
        return
    for department in DepartmentPage.objects.child_of(home).order_by("path"):
        divisions = list(DivisionPage.objects.child_of(department).order_by("path"))
        business = [d for d in divisions if not d.code.endswith(("-BGS", "-JCS"))]
        code = department.code.lower()
        for role, prefix, where in CASE_STAFF:
            division = None
            if where == "business" and business:
                division = business[0]
            elif where:
                division = next((d for d in divisions if d.code.endswith(where)), None)
            user = ensure_user(
                f"{prefix}_{code}",
                role,
                first_name=f"{department.title}{roles.GROUP_NAMES[role]}",
            )
            assign_staff(user, department, division=division, staff_roles=[role])
