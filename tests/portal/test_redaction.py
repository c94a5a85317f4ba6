"""Public summaries never show the visitor's name, ID number, phone number or e-mail,
whatever way the clerk typed them."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.redaction import redact
from reception.models import ReceptionRecord

NAME = "张三丰"
ID_NUMBER = "22010219900101123X"
MOBILE = "13800138000"


@pytest.mark.parametrize(
    "text",
    [
        f"{NAME}反映问题,电话{MOBILE},身份证{ID_NUMBER}。",
        "张 三 丰 的手机是 138 0013 8000",
        "张·三·丰,手机 138-0013-8000",
        "联系人张三丰(+86 13800138000)",
        "联系电话 86-138-0013-8000",
        "全角号码 １３８００１３８０００ 和 ２２０１０２１９９００１０１１２３Ｘ",
        "身份证号 2201 0219 9001 0112 3X",
        "身份证号 220102-19900101-123x",
        "旧身份证 220102900101123",
        "座机 0431-88880000,或 (0431) 8888 0000 转 801",
        "本地号码 88880000",
        "邮箱 zhangsanfeng@example.com.cn、zsf＠qq．com",
        "张\u200b三\u200b丰 138\u200b0013\u200b8000",
        "张三丰\n138\n0013\n8000",
        "ZHANG 张三丰 13800138000zhang",
    ],
)
def test_tricky_inputs_lose_all_personal_data(text):
    result = redact(text, names=[NAME])

    assert NAME not in result
    assert "张三丰" not in re.sub(r"[\s·.]", "", result)
    assert not re.search(r"\d{5,}", re.sub(r"[\s\-()（）]", "", result))
    assert "@" not in result and "＠" not in result


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("2026-10-12 上午来访", "2026-10-12"),
        ("涉及金额 35000 元", "35000"),
        ("上午 8:30-11:30 接待", "8:30-11:30"),
        ("面积 120.5 平方米,3 号楼 2 单元", "120.5 平方米,3 号楼 2 单元"),
        ("依据《行政许可法》第四十二条", "第四十二条"),
    ],
)
def test_ordinary_numbers_and_dates_stay(text, kept):
    assert kept in redact(text, names=[NAME])


def test_the_recorded_contact_is_removed_but_short_contacts_are_not_hunted():
    text = "来访人住长春市朝阳区红旗街88号,无其他联系方式"

    result = redact(text, names=["李四"], contacts=["长春市朝阳区红旗街88号", "无"])

    assert "红旗街" not in result
    assert "无其他联系方式" in result


# Generated inputs: a name, an ID number and a phone number typed with random
# separators into random Chinese text.

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
FILLER = st.text(
    alphabet=st.one_of(CJK, st.sampled_from(",。;:、()《》 \n")), max_size=30
)
SEPARATORS = st.sampled_from(["", " ", "-", " - ", "\u3000", ".", "—", "\u200b", "\n"])


@st.composite
def typed_number(draw, digits):
    """`digits` as a clerk might type it: split anywhere, with separators, maybe
    in full-width digits."""
    full_width = draw(st.booleans())
    if full_width:
        digits = digits.translate(
            str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
        )
    cuts = sorted(draw(st.sets(st.integers(1, len(digits) - 1), max_size=4)))
    parts = [digits[i:j] for i, j in zip([0, *cuts], [*cuts, len(digits)], strict=True)]
    return "".join(part + draw(SEPARATORS) for part in parts[:-1]) + parts[-1]


@st.composite
def id_numbers(draw):
    body = draw(st.text(alphabet="0123456789", min_size=17, max_size=17))
    return body + draw(st.sampled_from("0123456789X"))


@st.composite
def mobiles(draw):
    return (
        "1"
        + draw(st.sampled_from("3456789"))
        + draw(st.text(alphabet="0123456789", min_size=9, max_size=9))
    )


@settings(max_examples=300, deadline=None)
@given(
    name=st.text(alphabet=CJK, min_size=2, max_size=4),
    id_number=id_numbers(),
    mobile=mobiles(),
    data=st.data(),
    prefix=FILLER,
    middle=FILLER,
    suffix=FILLER,
    spaced_name=st.booleans(),
)
def test_generated_summaries_never_show_name_id_or_phone(
    name, id_number, mobile, data, prefix, middle, suffix, spaced_name
):
    typed_name = " ".join(name) if spaced_name else name
    text = (
        f"{prefix}{typed_name}{middle}{data.draw(typed_number(id_number))}"
        f"{suffix}{data.draw(typed_number(mobile))}{prefix}"
    )

    result = redact(text, names=[name])

    assert name not in result
    assert name not in re.sub(r"\s", "", result)
    assert not re.search(r"\d", result), "no digit of the ID or phone number is left"


def test_the_record_publishes_only_redacted_text():
    record = ReceptionRecord(
        visitor_name="王建华",
        visitor_contact="13904310001",
        matter="王建华反映许可未办结,电话 139 0431 0001,身份证 220102198805061234",
        result="已电话告知王建华本人",
    )

    assert record.public_matter == "×××反映许可未办结,电话 ×××,身份证 [号码已隐去]"
    assert record.public_result == "已电话告知×××本人"
