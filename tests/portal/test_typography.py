"""Chinese punctuation (GB/T 15834, issue 13 point 2): no ASCII , : ; ( ) ? ! beside a
Chinese character in what citizens read — the public pages and the PDFs rendered in
zh-hans from the demo site — nor in the message catalogue and the source strings
that new pages will be made of."""

import gettext
import io
import re
import subprocess
import tokenize
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page

from portal.typography import ascii_beside_cjk, to_full_width
from services_catalog.inbox.models import Filing, SpecialProcedureNotice
from services_catalog.inbox.views import SESSION_KEY
from services_catalog.models import ServiceItemPage

ROOT = Path(settings.BASE_DIR)
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "label", "legend", "li", "main", "nav",
    "ol", "option", "p", "section", "summary", "table", "td", "th", "title", "tr",
    "ul",
}  # fmt: skip
ENGLISH_PO = "locale/en/LC_MESSAGES/django.po"
READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "content"}


class _Text(HTMLParser):
    """The text a reader meets: text nodes (a block element starts a new line) and
    the attributes read aloud or shown (alt, title, aria-label, placeholder…)."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg"):
            self.skip += 1
        if tag in BLOCK_TAGS:
            self.parts.append("\n")
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.parts.append(f"\n{value}\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg"):
            self.skip = max(0, self.skip - 1)
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def page_text(html):
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def pdf_text(content):
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()


@pytest.fixture
def demo(db, settings):
    settings.DEMO_USERS_ENABLED = True
    settings.RATELIMITS = dict.fromkeys(settings.RATELIMITS)
    call_command("load_demo", stdout=io.StringIO())


def _get(client, url, problems, status=(200,)):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code in status, (url, response.status_code)
    if response["Content-Type"].startswith("application/pdf"):
        text = pdf_text(response.content)
    else:
        text = page_text(response.content.decode())
    problems.extend(
        f"{url}: …{' '.join(hit.split())}…" for hit in ascii_beside_cjk(text)
    )
    return response


def test_public_pages_and_pdfs_use_full_width_punctuation(demo, client):
    problems = []
    for page in Page.objects.live().filter(depth__gt=1).specific():
        _get(client, page.url, problems)
    item = ServiceItemPage.objects.live().filter(online=True).first()
    catalog = item.get_parent()
    for url in (
        item.url + "print/",
        item.url + "apply/",
        catalog.url + "?online=1",
        reverse("inbox:lookup"),
        reverse("inbox:complaint"),
        reverse("privacy_notice"),
        "/search/?q=" + item.title,
        "/search/?q=食品 许可证 办理 无此事项",
    ):
        _get(client, url, problems)
    _get(client, "/no-such-page/", problems, status=(404,))

    # Every demo filing as its applicant sees it (the browser holds its number and
    # code), its receipt page and PDF and the copy of their own data; the notices
    # the window prints for them.
    session = client.session
    session[SESSION_KEY] = dict.fromkeys(
        Filing.objects.values_list("tracking_number", flat=True), ""
    )
    session.save()
    for filing in Filing.objects.all():
        number = filing.tracking_number
        _get(client, reverse("inbox:status", args=[number]), problems)
        _get(client, reverse("inbox:receipt", args=[number]), problems)
    for filing in Filing.objects.all()[:3]:
        number = filing.tracking_number
        _get(client, reverse("inbox:receipt_pdf", args=[number]), problems)
        _get(client, reverse("inbox:own_data_pdf", args=[number]), problems)
    admin = client.__class__()
    admin.force_login(get_user_model().objects.get(username="admin"))
    for filing in Filing.objects.filter(supplement_requests__isnull=False)[:2]:
        _get(admin, reverse("desk:notice", args=[filing.pk]), problems)
    for filing in Filing.objects.exclude(outgoing_number="")[:2]:
        _get(admin, reverse("inbox_desk:result_print", args=[filing.pk]), problems)
    for notice in SpecialProcedureNotice.objects.all()[:2]:
        _get(admin, reverse("inbox_desk:procedure_notice", args=[notice.pk]), problems)

    assert not problems, "\n".join(dict.fromkeys(problems))


CJK_TEXT = re.compile("[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def test_the_message_catalogues_use_full_width_punctuation():
    """The msgids (the Chinese source strings) of the compiled English catalogue, and
    the Chinese of the hand-kept zh_Hans catalogue that overrides Wagtail's."""
    problems = []
    english = ROOT / "locale/en/LC_MESSAGES/django.mo"
    with english.open("rb") as mo:
        for msgid in gettext.GNUTranslations(mo)._catalog:
            text = msgid[0] if isinstance(msgid, tuple) else msgid
            if CJK_TEXT.search(text):  # a placeholder there stands for Chinese
                text = PLACEHOLDER.sub("中", text)
            problems += [f"msgid {text!r}: …{hit}…" for hit in ascii_beside_cjk(text)]
    for mo_path in (ROOT / "locale/zh_Hans/LC_MESSAGES").glob("*.mo"):
        with mo_path.open("rb") as mo:
            for msgstr in gettext.GNUTranslations(mo)._catalog.values():
                problems += [
                    f"{mo_path.name} msgstr {msgstr!r}: …{hit}…"
                    for hit in ascii_beside_cjk(msgstr)
                ]
    assert not problems, "\n".join(problems)


def test_the_english_catalogue_is_complete():
    """No fuzzy or untranslated message in locale/en (msgfmt --statistics)."""
    result = subprocess.run(
        [
            "msgfmt",
            "--statistics",
            "-o",
            "/dev/null",
            "locale/en/LC_MESSAGES/django.po",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, (
        result.stderr
    )


def _tracked(*patterns):
    """Tracked files but migrations (history) and tests (whose inputs are what
    citizens type, ASCII punctuation included)."""
    listed = subprocess.run(
        ["git", "ls-files", *patterns], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    return [
        ROOT / name
        for name in listed
        if "/migrations/" not in name and not name.startswith("tests/")
    ]


FSTRING_FIELD = re.compile(r"(?<!\{)\{[^{}]*\}")


def _field_text(match):
    return "中" if CJK_TEXT.search(match.group()) else "x"


def _python_strings(path):
    """(line, text) of the string literals of a module, not its docstrings (English
    prose for developers) nor its raw strings (regular expressions)."""
    tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text()).readline))
    before = None
    for index, token in enumerate(tokens):
        if token.type == tokenize.STRING:
            docstring = before in (None, tokenize.NEWLINE, tokenize.INDENT,
                                   tokenize.DEDENT) and tokens[index + 1].type in (
                tokenize.NEWLINE, tokenize.ENDMARKER)  # fmt: skip
            prefix = re.match(r"[a-zA-Z]*", token.string).group().lower()
            if not docstring and "r" not in prefix and "b" not in prefix:
                text = token.string
                if "f" in prefix:  # a field reads as what it puts in the text
                    text = FSTRING_FIELD.sub(_field_text, text)
                yield token.start[0], text
        if token.type not in (tokenize.COMMENT, tokenize.NL):
            before = token.type


TEMPLATE_COMMENT = re.compile(
    r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S
)


def test_source_strings_use_full_width_punctuation():
    """Python string literals and template text: a string typed with ASCII
    punctuation beside Chinese fails here before it reaches the catalogue."""
    problems = []
    for path in _tracked("*.py"):
        for line, text in _python_strings(path):
            if to_full_width(text) != text:
                problems.append(f"{path.relative_to(ROOT)}:{line}: {text[:80]}")
    for path in _tracked("templates/*.html", "templates/*.txt", "*/templates/*.html"):
        text = TEMPLATE_COMMENT.sub("", path.read_text())
        for hit in ascii_beside_cjk(text):
            problems.append(f"{path.relative_to(ROOT)}: …{hit}…")
    assert not problems, "\n".join(problems)
