import pytest
from django.core.exceptions import ValidationError

from portal.validators import (
    normalise_id_number,
    normalise_mobile,
    normalise_uscc,
)
from tests.inbox.builders import VALID_ID, VALID_USCC


def test_valid_id_number_is_normalised():
    assert normalise_id_number(" 11010519491231002x ") == VALID_ID


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("110105194912310021", "校验位不正确"),
        ("11010519491331002X", "出生日期"),
        ("110105209901010012", "出生日期"),  # right check digit, born in 2099
        ("1101051949123100", "应为 18 位"),
    ],
)
def test_bad_id_numbers_are_refused_in_chinese(number, message):
    with pytest.raises(ValidationError) as error:
        normalise_id_number(number)
    assert message in error.value.messages[0]


def test_credit_code_check_character():
    assert normalise_uscc(VALID_USCC.lower()) == VALID_USCC
    with pytest.raises(ValidationError) as error:
        normalise_uscc(VALID_USCC[:-1] + "4")
    assert "校验码不正确" in error.value.messages[0]
    with pytest.raises(ValidationError):
        normalise_uscc("91350100M000100YI3")  # I is not in the alphabet


@pytest.mark.parametrize(
    "number", ["13800138000", "+86 138 0013 8000", "8613800138000"]
)
def test_mobile_numbers(number):
    assert normalise_mobile(number) == "13800138000"


@pytest.mark.parametrize("number", ["12800138000", "1380013800", "abc"])
def test_bad_mobile_numbers(number):
    with pytest.raises(ValidationError):
        normalise_mobile(number)
