"""Admin widgets of the reception app."""

from django import forms
from django.urls import reverse


class _PrivateFile:
    """A stored file as the widget shows it: its name, linking to the admin view
    that checks the user's department before serving it."""

    def __init__(self, name, url):
        self.name = name
        self.url = url

    def __str__(self):
        return self.name.rsplit("/", 1)[-1]


class PrivateFileInput(forms.ClearableFileInput):
    """A file input whose "currently" link goes through the permission-checked
    download view (``url_name``) instead of the storage's own URL, which does not
    serve private files."""

    def __init__(self, url_name="receptionrecord:attachment", attrs=None):
        super().__init__(attrs)
        self.url_name = url_name

    def format_value(self, value):
        if value and getattr(value, "name", None):
            url = reverse(self.url_name, args=[value.instance.pk])
            return _PrivateFile(value.instance.download_name, url)
        return super().format_value(value)
