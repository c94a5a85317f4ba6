"""What every public form has against robots: the honeypot and the captcha.

`PublicFormMixin` goes first in the bases of each form a visitor submits without an
account (the online filing, supplement, rating, withdrawal, complaint and lookup
forms of the inbox; the reception's appointment and lookup forms). It adds

- `website`, a honeypot: a text input people never see (``display: none`` from the
  site's stylesheet, out of the tab order, no autofill) that form-filling robots
  fill in; a form that comes back with it filled is refused;
- `captcha`, unless the form sets ``use_captcha = False`` because only the holder
  of a tracking number and access code reaches it, or because it only looks up with
  those secrets (the lookups: their per-address rate limit is what stops guessing).

The captcha shows an image of letters with a Chinese text alternative, a “换一张”
button that fetches a new challenge without reloading the page (so nothing typed is
lost), and “改用文字题” for an arithmetic question in text (`portal.captcha`).
Both buttons are added by `portal/js/site.js`; the page works without it.
"""

import unicodedata

from captcha.conf import settings as captcha_settings
from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.captcha import NUMERALS, use_challenge

HONEYPOT = "website"


class HoneypotInput(forms.TextInput):
    """The honeypot's input, rendered whole by its template (label included) and
    counted among a form's hidden fields, so form templates just print it."""

    template_name = "portal/widgets/honeypot.html"
    is_hidden = True

    def __init__(self):
        super().__init__(attrs={"tabindex": "-1", "autocomplete": "off"})


class HoneypotField(forms.CharField):
    """Empty for people; anything in it marks a robot."""

    widget = HoneypotInput

    def __init__(self):
        super().__init__(label=_("请勿填写此项"), required=False, max_length=200)

    def clean(self, value):
        if value:
            raise ValidationError(
                _("提交未通过校验，请刷新页面后重试。"), code="honeypot"
            )
        return ""


class CaptchaInput(CaptchaTextInput):
    """The challenge (image, or question in text) with its buttons, and the answer.
    One visible input that the field's <label> names (no fieldset)."""

    template_name = "portal/widgets/captcha.html"
    use_fieldset = False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["new_challenge_url"] = reverse("captcha_new")
        context["image_size"] = settings.CAPTCHA_IMAGE_SIZE
        return context


def _answer(text):
    """The answer as stored: full-width digits made ASCII, and a Chinese numeral
    (十二) made digits, as an input method may type them."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text or len(text) > 3 or any(char not in NUMERALS for char in text):
        return text
    tens, ten, units = text.rpartition("十")
    if not ten:
        return str(NUMERALS.index(text)) if len(text) == 1 else text
    tens_value = NUMERALS.index(tens) if tens else 1
    return str(10 * tens_value + (NUMERALS.index(units) if units else 0))


class CaptchaAnswerField(CaptchaField):
    """django-simple-captcha's field with Chinese messages and a forgiving answer."""

    def __init__(self):
        super().__init__(
            label=_("验证码"),
            help_text=_("请输入图片中的 4 个字母，不区分大小写。"),
            widget=CaptchaInput(),
            error_messages={
                "invalid": _("验证码不正确，请重新输入新的验证码。"),
                "required": _("请输入验证码。"),
                "incomplete": _("请输入验证码。"),
            },
        )

    def clean(self, value):
        """Right when the answer is the challenge's (the library's test mode also
        takes "PASSED"); the challenge is used up either way (`use_challenge`)."""
        forms.MultiValueField.clean(self, value)  # required, complete
        key, answer = value[0], _answer(value[1]).lower()
        expected = use_challenge(key)
        passed = captcha_settings.CAPTCHA_TEST_MODE and answer == "passed"
        if not passed and (expected is None or expected != answer):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class PublicFormMixin:
    """The honeypot and (unless ``use_captcha = False``) the captcha, after the
    form's own fields."""

    use_captcha = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT] = HoneypotField()
        if self.use_captcha:
            self.fields["captcha"] = CaptchaAnswerField()
