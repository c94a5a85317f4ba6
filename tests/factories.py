"""Test data factories (factory-boy / wagtail-factories), one section per app.

Page factories need a parent: ``DepartmentPageFactory(parent=home_page)``.
"""

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory
from wagtail.images import get_image_model

from disclosure.models import (
    ContentPage,
    DepartmentPage,
    DisclosureGuidePage,
    DivisionPage,
    Person,
    Post,
)

# ---------------------------------------------------------------- portal


class UserFactory(DjangoModelFactory):
    """A staff user who can log in to the admin with `password`."""

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.django.Password("Test-Passw0rd!")

    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]


class ImageFactory(DjangoModelFactory):
    """A small Wagtail image in the root collection."""

    title = factory.Sequence(lambda n: f"图片{n}")
    file = factory.django.ImageField(width=40, height=50, color="#a4161a")

    class Meta:
        model = get_image_model()


# ---------------------------------------------------------------- disclosure


class DepartmentPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"测试部门{n}")
    slug = factory.Sequence(lambda n: f"department-{n}")
    code = factory.Sequence(lambda n: f"T{n:02d}")
    show_in_menus = True
    address = "长春市人民大街 1 号"
    public_hours = "工作日 8:30—17:00"
    hotline = "0431-12345678"
    complaint_channel = "监察室 0431-87654321"
    introduction = "<p>部门简介。</p>"
    commitments = factory.LazyFunction(
        lambda: [
            ("commitment", {"title": "首问负责制", "text": "首位接待者负责到底。"})
        ]
    )

    class Meta:
        model = DepartmentPage


class DivisionPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"测试处室{n}")
    slug = factory.Sequence(lambda n: f"division-{n}")
    code = factory.Sequence(lambda n: f"T-D{n}")
    duties = factory.LazyFunction(
        lambda: [("duty", "负责本处室业务的受理和审查。"), ("duty", "承办交办事项。")]
    )
    phone = "0431-11112222"
    room = "主楼 301 室"

    class Meta:
        model = DivisionPage


class DisclosureGuidePageFactory(wagtail_factories.PageFactory):
    title = "政务公开指南"
    slug = "guide"

    class Meta:
        model = DisclosureGuidePage


class ContentPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"通知公告{n}")
    slug = factory.Sequence(lambda n: f"notice-{n}")
    kind = ContentPage.Kind.NOTICE
    summary = "公告摘要。"
    body = factory.LazyFunction(lambda: [("heading", "一、适用范围")])

    class Meta:
        model = ContentPage


class PostFactory(DjangoModelFactory):
    division = None  # pass the DivisionPage
    sort_order = factory.Sequence(int)
    title = factory.Sequence(lambda n: f"岗位{n}")
    responsibilities = "审查申请材料。"
    authority = "提出审查意见。"
    basis = "《中华人民共和国行政许可法》第三十四条。"
    work_standard = "一次性告知需补正的材料。"
    time_limit = "受理后 5 个工作日内"
    accountability = "超时未办结的追究责任。"

    class Meta:
        model = Post


class PersonFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"张{n}")
    title = "科员"
    duties = "负责材料审查。"

    class Meta:
        model = Person


# ---------------------------------------------------------------- services_catalog


class ServiceCatalogPageFactory(wagtail_factories.PageFactory):
    """A catalog; under a department it lists that department's items, under the home
    page every department's."""

    title = "办事指南"
    slug = "shixiang"

    class Meta:
        model = "services_catalog.ServiceCatalogPage"


class ServiceItemPageFactory(wagtail_factories.PageFactory):
    """A published item. Pass `parent` (a department's catalog) and `lead_division`
    (a division of that department); `published=False` skips the publication."""

    title = factory.Sequence(lambda n: f"测试事项{n}")
    code = factory.Sequence(lambda n: f"TEST{n:06d}")
    slug = factory.LazyAttribute(lambda item: item.code.lower())
    item_type = "licensing"
    kind = "promised"
    audience = factory.LazyFunction(lambda: ["organisation"])
    basis = factory.LazyFunction(
        lambda: [("item", "《中华人民共和国行政许可法》第二十九条")]
    )
    conditions = factory.LazyFunction(lambda: [("item", "申请人具备相应的条件。")])
    statutory_days = 20
    promised_days = 10
    fee = "不收费"
    result = "《测试许可证》"
    result_delivery = "窗口领取或免费邮寄"
    online = True
    visits = 1

    class Meta:
        model = "services_catalog.ServiceItemPage"
        skip_postgeneration_save = True

    @factory.post_generation
    def published(item, create, extracted, **kwargs):
        # Through a revision, as editors and the importer publish: this sets the
        # first and last publication times the guide, the feeds and the API show.
        if create and extracted is not False:
            item.save_revision().publish()
            item.refresh_from_db()


class ServiceItemMaterialFactory(DjangoModelFactory):
    page = None  # pass the ServiceItemPage
    sort_order = factory.Sequence(int)  # in creation order, as the editor lists them
    name = factory.Sequence(lambda n: f"申请材料{n}")
    required = True
    originals = 1
    copies = 1
    format_notes = "A4 纸"
    source = "申请人自备"

    class Meta:
        model = "services_catalog.ServiceItemMaterial"


class ServiceItemStepFactory(DjangoModelFactory):
    page = None  # pass the ServiceItemPage
    sort_order = factory.Sequence(int)
    name = factory.Sequence(lambda n: f"环节{n}")
    handled_by = "window"
    days = 1
    description = "按规定办理。"

    class Meta:
        model = "services_catalog.ServiceItemStep"
