"""The catalog's page tree, the item model's rules and the admin edit form."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from disclosure.models import DepartmentPage
from portal.models import HomePage
from services_catalog.models import (
    Audience,
    ItemKind,
    ItemType,
    ServiceCatalogPage,
    ServiceItemPage,
    StepActor,
)
from tests.factories import ServiceItemMaterialFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("parent", "child", "allowed"),
    [
        (DepartmentPage, ServiceCatalogPage, True),
        (HomePage, ServiceCatalogPage, True),
        (ServiceCatalogPage, ServiceItemPage, True),
        (DepartmentPage, ServiceItemPage, False),
        (HomePage, ServiceItemPage, False),
        (ServiceItemPage, ServiceItemPage, False),
        (ServiceCatalogPage, ServiceCatalogPage, False),
    ],
)
def test_page_tree_follows_the_design(parent, child, allowed):
    can_create = (
        child in parent.allowed_subpage_models()
        and parent in child.allowed_parent_page_models()
    )
    assert can_create is allowed


def test_catalog_is_a_department_child():
    assert ServiceCatalogPage in DepartmentPage.allowed_subpage_models()


def test_items_go_in_a_department_catalog_not_the_site_wide_one(catalog, site_catalog):
    assert ServiceItemPage.can_create_at(catalog)
    assert not ServiceItemPage.can_create_at(site_catalog)
    assert site_catalog.is_site_wide
    assert not catalog.is_site_wide


def test_a_department_has_one_catalog(department, catalog):
    assert not ServiceCatalogPage.can_create_at(department)


@pytest.mark.parametrize("code", ["11220000SJ0001", "SJ-0001", "abcd", "A" * 40])
def test_item_code_accepts_letters_digits_and_hyphens(code):
    ServiceItemPage._meta.get_field("code").run_validators(code)


@pytest.mark.parametrize("code", ["ABC", "A" * 41, "SJ 0001", "SJ_0001", "事项0001"])
def test_item_code_rejects_anything_else(code):
    with pytest.raises(ValidationError):
        ServiceItemPage._meta.get_field("code").run_validators(code)


def test_slug_is_the_code_in_lower_case(make_item):
    item = make_item(code="11220000SJ0001", slug="whatever")

    assert item.slug == "11220000sj0001"
    assert item.url.endswith("/shixiang/11220000sj0001/")


def test_item_knows_its_department(make_item, department):
    item = ServiceItemPage.objects.get(pk=make_item().pk)

    assert item.department == department


def invalid_fields(item):
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    return caught.value.message_dict


def test_promised_limit_cannot_exceed_the_statutory_one(make_item):
    item = make_item()
    item.statutory_days, item.promised_days = 10, 11

    assert "不能超过法定" in invalid_fields(item)["promised_days"][0]


def test_a_promised_item_needs_at_least_one_day_an_immediate_one_none(make_item):
    item = make_item()
    item.promised_days = 0

    assert "promised_days" in invalid_fields(item)

    item.kind = ItemKind.IMMEDIATE
    item.full_clean()


def test_lead_division_must_belong_to_the_items_department(make_item, other_division):
    item = make_item()
    item.lead_division = other_division

    assert "本部门（省市场监督管理局）" in invalid_fields(item)["lead_division"][0]


def test_co_divisions_must_belong_to_the_department(make_item, other_division):
    item = make_item()
    item.co_divisions = [other_division]

    assert "大气环境处" in invalid_fields(item)["co_divisions"][0]


def test_lead_division_cannot_also_co_handle(make_item, division, co_division):
    item = make_item()
    item.co_divisions = [co_division]
    item.full_clean()

    item.co_divisions = [co_division, division]
    assert "不能同时作为协办" in invalid_fields(item)["co_divisions"][0]


def test_lead_division_is_required(make_item):
    item = make_item()
    item.lead_division = None

    assert "lead_division" in invalid_fields(item)


def test_audience_holds_only_known_codes(make_item):
    item = make_item()
    item.audience = ["person", "自然人"]

    assert "audience" in invalid_fields(item)


def test_codes_are_unique_even_ignoring_case(make_item):
    make_item(code="SJ0001")

    with pytest.raises(ValidationError) as caught:
        make_item(code="sj0001")
    assert "code" in caught.value.message_dict

    with pytest.raises(ValidationError) as caught:
        make_item(code="SJ0001")
    assert "code" in caught.value.message_dict


def test_contacts_fall_back_to_the_department(make_item):
    item = ServiceItemPage.objects.get(pk=make_item(phone="0431-12345678").pk)

    assert item.contact_phone == "0431-12345678"
    assert item.contact_complaint_channel == "监察室 0431-88889999"
    assert item.contact_location == "长春市人民大街 3 号一楼收发文窗口"
    assert item.contact_hours == "工作日 8:30—11:30,13:30—17:00"


def test_materials_and_steps_keep_their_order(make_item):
    item = make_item()
    for name in ("申请书", "营业执照", "场所证明"):
        ServiceItemMaterialFactory(page=item, name=name)

    assert [m.name for m in item.guide_materials()] == [
        "申请书",
        "营业执照",
        "场所证明",
    ]


@pytest.mark.parametrize(
    ("choices", "value", "expected"),
    [
        (ItemType, "行政许可", ItemType.LICENSING),
        (ItemType, "licensing", ItemType.LICENSING),
        (ItemType, "其他", ItemType.OTHER),
        (ItemType, "行政许可证", None),
        (ItemKind, "即办件", ItemKind.IMMEDIATE),
        (ItemKind, " 承诺件 ", ItemKind.PROMISED),
        (Audience, "法人", Audience.ORGANISATION),
        (Audience, "自然人", Audience.PERSON),
        (Audience, "个人", Audience.PERSON),
        (StepActor, "窗口", StepActor.WINDOW),
        (StepActor, "主任", StepActor.DIRECTOR),
        (StepActor, "承办处室", StepActor.DIVISION),
        (StepActor, "division", StepActor.DIVISION),
        (StepActor, "局长", None),
    ],
)
def test_choices_read_codes_and_chinese_labels(choices, value, expected):
    assert choices.from_label(value) == expected


def test_chinese_labels_do_not_depend_on_the_active_language():
    with translation.override("en"):
        assert ItemType.from_label("行政确认") == ItemType.CONFIRMATION
        assert ItemKind.PROMISED.chinese_label == "承诺件"


def test_division_page_lists_the_items_it_leads_and_co_handles(
    make_item, division, co_division
):
    led = make_item(title="食品生产许可")
    make_item(title="未发布的事项", published=False, live=False)
    co = make_item(title="食品经营许可", lead_division=co_division)
    co.co_divisions = [division]
    co.save()

    links = division.service_items()

    assert [(link.page.title, link.role) for link in links] == [
        ("食品生产许可", "lead"),
        ("食品经营许可", "co"),
    ]
    assert led.pk == links[0].page.pk


# The admin edit form


def admin_form_data(audience=("organisation",), co_divisions=(), **fields):
    data = {
        "title": "食品生产许可",
        "code": "11220000SJ0001",
        "item_type": "licensing",
        "kind": "promised",
        "statutory_days": "20",
        "promised_days": "10",
        "extension_days": "10",
        "fee": "不收费",
        "visits": "1",
        "online": "on",
        "basis": streamfield([("item", "《食品安全法》第三十五条")]),
        "conditions": streamfield([]),
        "special_procedures": streamfield([]),
        "faqs": streamfield([]),
        "materials": inline_formset(
            [{"name": "申请书", "required": "on", "originals": "1", "copies": "0"}]
        ),
        "steps": inline_formset([]),
        "item_aliases": inline_formset([]),
        "situations": inline_formset([]),
    }
    data.update(fields)
    # Multiple-choice fields post one value per checked box, which nested_form_data
    # would number instead.
    return {
        **nested_form_data(data),
        "audience": list(audience),
        "co_divisions": list(co_divisions),
    }


def admin_form(catalog, instance=None, **fields):
    form_class = ServiceItemPage.get_edit_handler().get_form_class()
    return form_class(
        admin_form_data(**fields),
        instance=instance or ServiceItemPage(),
        parent_page=catalog,
        for_user=UserFactory(is_superuser=True),
    )


def test_admin_form_offers_only_the_departments_divisions(
    catalog, division, co_division, other_division
):
    form = admin_form(catalog, lead_division=str(division.pk))

    offered = set(form.fields["co_divisions"].queryset)
    assert offered == {division.page_ptr.specific, co_division.page_ptr.specific}


def test_admin_form_accepts_a_valid_new_item(catalog, division, co_division):
    form = admin_form(
        catalog, lead_division=str(division.pk), co_divisions=[str(co_division.pk)]
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["audience"] == ["organisation"]


def test_admin_form_checks_a_new_items_divisions_against_the_parent(
    catalog, division, other_division
):
    form = admin_form(catalog, lead_division=str(other_division.pk))

    assert not form.is_valid()
    assert "本部门" in form.errors["lead_division"][0]


def test_admin_form_requires_an_audience(catalog, division):
    form = admin_form(catalog, lead_division=str(division.pk), audience=[])

    assert not form.is_valid()
    assert "audience" in form.errors


def test_admin_form_sees_the_edited_co_divisions(catalog, division, make_item):
    item = make_item()
    form = admin_form(
        catalog,
        instance=ServiceItemPage.objects.get(pk=item.pk),
        code=item.code,
        lead_division=str(division.pk),
        co_divisions=[str(division.pk)],
    )

    assert not form.is_valid()
    assert "co_divisions" in form.errors


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    return client


def add_item_url(catalog):
    return reverse(
        "wagtailadmin_pages:add",
        args=["services_catalog", "serviceitempage", catalog.pk],
    )


def test_item_editor_opens_with_the_guide_tabs(admin_client, catalog, make_item):
    item = make_item()

    for url in (
        add_item_url(catalog),
        reverse("wagtailadmin_pages:edit", args=[item.pk]),
        reverse("wagtailadmin_pages:edit", args=[catalog.pk]),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
    body = admin_client.get(add_item_url(catalog)).content.decode()
    for tab in (
        "基本信息",
        "办理要求",
        "材料与流程",
        "时限与收费",
        "办理地点",
        "常见问题",
        "检索与英文",
    ):
        assert tab in body


def test_admin_publishes_a_new_item_under_its_code(admin_client, catalog, division):
    data = admin_form_data(lead_division=str(division.pk))
    data.update(nested_form_data({"comments": inline_formset([])}))
    data["action-publish"] = "publish"

    response = admin_client.post(add_item_url(catalog), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    item = ServiceItemPage.objects.get(code="11220000SJ0001")
    assert item.live
    assert item.slug == "11220000sj0001"
    assert item.get_parent().pk == catalog.pk
    assert [m.name for m in item.materials.all()] == ["申请书"]
    assert item.audience == ["organisation"]


def test_admin_saves_aliases_situations_and_the_english_name(
    admin_client, catalog, division
):
    data = admin_form_data(
        lead_division=str(division.pk),
        item_aliases=inline_formset([{"text": "SC证"}, {"text": "食品生产许可证"}]),
        situations=inline_formset([{"text": "开食品厂"}]),
        name_en="Food Production Licence",
        summary_en="Licence to produce food for sale.",
    )
    data.update(nested_form_data({"comments": inline_formset([])}))
    data["action-publish"] = "publish"

    response = admin_client.post(add_item_url(catalog), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    item = ServiceItemPage.objects.get(code="11220000SJ0001")
    assert [a.text for a in item.item_aliases.all()] == ["SC证", "食品生产许可证"]
    assert [s.text for s in item.situations.all()] == ["开食品厂"]
    assert item.name_en == "Food Production Licence"
    assert item.summary_en == "Licence to produce food for sale."
