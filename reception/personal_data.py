"""Visitors' ID numbers in reception (个人信息, DESIGN §10).

A reception record keeps the visitor's 居民身份证号码 in one field only,
`ReceptionRecord.visitor_id_number`, encrypted at rest with its keyed hash beside it
(`portal.encryption`). An ID number typed into the free text of a record (name,
contact, matter, result) or of an appointment request is kept there only masked
(`110105********002X`): `separate_id_numbers` moves the first one into the
encrypted field when that is empty. The models apply it on every save, and
migration 0004 applied it to the rows stored before.

Mobile numbers stay in the contact text, where the clerk needs them to call back;
every list, export, notice and search result masks them (`portal.masking`).
"""

from portal.masking import id_numbers_in, mask_id_numbers_in

RECORD_TEXT_FIELDS = ("visitor_name", "visitor_contact", "matter", "result")
"""The free-text fields of a reception record that may hold a typed ID number."""


def compact_id_number(value):
    """An ID number as stored: no spaces, upper-case check character."""
    return "".join(str(value or "").split()).upper()


def separate_id_numbers(id_number, texts):
    """(id_number, texts) with every ID number in the values of `texts` (a dict
    of field name → text) masked; the first one found becomes `id_number` when
    `id_number` is empty."""
    found = [number for text in texts.values() for number in id_numbers_in(text)]
    if not id_number and found:
        id_number = compact_id_number(found[0])
    return id_number, {name: mask_id_numbers_in(text) for name, text in texts.items()}
