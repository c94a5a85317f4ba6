"""Template filters that mask personal data (`portal.masking`):
`{% load masking %}` then `{{ filing.id_number|mask_id_number }}`,
`{{ filing.mobile|mask_mobile }}` or `{{ record.matter|mask_personal }}`."""

from django import template

from portal import masking

register = template.Library()

register.filter("mask_id_number", masking.mask_id_number)
register.filter("mask_mobile", masking.mask_mobile)
register.filter("mask_personal", masking.mask_personal_text)
