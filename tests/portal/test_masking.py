"""ID numbers and mobile numbers are masked wherever staff see them in a list."""

import pytest
from django.template import Context, Template

from portal.masking import (
    MaskedColumn,
    keep_masked_mobiles,
    mask_id_number,
    mask_mobile,
    mask_personal_text,
    masked_export,
)


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("11010519491231002X", "110105********002X"),
        ("110105 19491231 002x", "110105********002x"),
        ("110105491231002", "110105*****1002"),
        ("91110000600037341L", "911100********341L"),
        ("1234", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_id_numbers_keep_only_the_area_code_and_the_last_four(value, masked):
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13612344321", "136****4321"),
        ("136-1234-4321", "136****4321"),
        ("+86 136 1234 4321", "136****4321"),
        ("8613612344321", "136****4321"),
        ("1234567", "*******"),
        ("", ""),
    ],
)
def test_mobiles_keep_only_the_prefix_and_the_last_four(value, masked):
    assert mask_mobile(value) == masked


def test_free_text_loses_id_numbers_and_mobiles_but_keeps_the_rest():
    text = (
        "王小明(手机13612344321,身份证11010519491231002X),"
        "留下电话 139 0431 0001,座机 0431-88776655,2026-10-12 来访,金额 100 元。"
    )
    assert mask_personal_text(text) == (
        "王小明(手机136****4321,身份证110105********002X),"
        "留下电话 139****0001,座机 0431-88776655,2026-10-12 来访,金额 100 元。"
    )


def test_free_text_masks_full_width_digits_and_leaves_longer_runs_alone():
    assert mask_personal_text("身份证号 ２２０１０２１９８８０５０６１２３４") == (
        "身份证号 ２２０１０２********１２３４"
    )
    # 20 digits are no ID number and no mobile (an account number, say).
    assert mask_personal_text("12345678901234567890") == "12345678901234567890"
    assert mask_personal_text(None) == ""


def test_template_filters_mask_and_escape():
    rendered = Template(
        "{% load masking %}{{ id|mask_id_number }} {{ mobile|mask_mobile }} "
        "{{ text|mask_personal }}"
    ).render(
        Context(
            {
                "id": "11010519491231002X",
                "mobile": "13612344321",
                "text": "<b>13612344321</b>",
            }
        )
    )
    assert rendered == ("110105********002X 136****4321 &lt;b&gt;136****4321&lt;/b&gt;")


class Applicant:
    id_number = "11010519491231002X"
    contact = "手机 13612344321"


def test_masked_column_shows_the_masked_value():
    assert MaskedColumn("contact").get_value(Applicant()) == "手机 136****4321"
    column = MaskedColumn("id_number", mask=mask_id_number)
    assert column.get_value(Applicant()) == "110105********002X"


def test_masked_export_masks_both_spreadsheet_formats():
    preprocess = masked_export(mobile=mask_mobile)
    assert preprocess["mobile"]["csv"]("13612344321") == "136****4321"
    assert preprocess["mobile"]["xlsx"]("13612344321") == "136****4321"


@pytest.mark.parametrize(
    ("typed", "stored", "kept"),
    [
        ("手机 136****4321", "手机 13612344321", "手机 13612344321"),
        # Two numbers with one mask come back in their order.
        (
            "136****4321、136****4321",
            "13611114321 或 13622224321",
            "13611114321、13622224321",
        ),
        # A number typed in full replaces; one masked and unknown stays masked.
        ("13700001111", "13612344321", "13700001111"),
        ("158****0000", "13612344321", "158****0000"),
        # More masked copies than originals: the extra one stays masked.
        ("136****4321 136****4321", "13612344321", "13612344321 136****4321"),
        ("", "13612344321", ""),
        ("无号码", "", "无号码"),
    ],
)
def test_keep_masked_mobiles_puts_back_what_the_form_masked(typed, stored, kept):
    assert keep_masked_mobiles(typed, stored) == kept
