"""The admin's rich-text editor (Draftail), named after its field.

Wagtail renders a RichTextField as a hidden input that Draftail replaces with a
`contenteditable` textbox; the field's <label for> points at the hidden input, so the
textbox a screen reader reaches has no name (axe `aria-input-field-name`, Wagtail
issue 14205). Draftail takes `ariaLabelledBy` among its options: `LabelledDraftail`
points it at the label Wagtail's field template renders (id `<field id>-label`).
It is the default editor (`WAGTAILADMIN_RICH_TEXT_EDITORS`). A rich-text block, whose
editor is built in the browser without such a label, is named by
`portal.blocks.NamedInputMixin` instead.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from wagtail.admin.rich_text import DraftailRichTextArea


class LabelledDraftail(DraftailRichTextArea):
    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        if widget_attrs.get("id") and "ariaLabel" not in self.options:
            options = {**self.options, "ariaLabelledBy": f"{widget_attrs['id']}-label"}
            widget_attrs["data-w-init-detail-value"] = json.dumps(
                options, cls=DjangoJSONEncoder
            )
        return context
