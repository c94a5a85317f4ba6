"""Words the filing inbox shows its users: the name of every action on a filing's
timeline (also the Wagtail log actions `inbox.<action>` and the subject of notices),
what each state means for the applicant and what they do next, the message of a
stale page, and the comments the workflow writes on the timeline (`Said`).

It imports nothing of the inbox, so models, the workflow, notices and views can all
use it without import cycles; states are keyed by their codes (`FilingState` values).
"""

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, pgettext

ACTION_LABELS = {
    "submit": gettext_lazy("提交申请"),
    "receive": gettext_lazy("窗口收件"),
    "request_supplement": gettext_lazy("一次性告知补正材料"),
    "supplement": gettext_lazy("补正材料"),
    "accept": gettext_lazy("受理"),
    "deem_accept": gettext_lazy("视为受理"),
    "complete_at_window": gettext_lazy("当场受理并办结"),
    "refuse": gettext_lazy("不予受理"),
    "withdraw": gettext_lazy("撤回申请"),
    "instruct": gettext_lazy("批办"),
    "start": gettext_lazy("开始办理"),
    "progress": gettext_lazy("办理进展"),
    "opinion": gettext_lazy("协办意见"),
    "request_appointment": gettext_lazy("申请约见或现场勘查"),
    "schedule_appointment": gettext_lazy("安排约见或现场勘查"),
    "extend": gettext_lazy("延长办理期限"),
    "suspend": gettext_lazy("启动特别程序（暂停计时）"),
    "resume": gettext_lazy("特别程序结束（恢复计时）"),
    "complete": gettext_lazy("办结"),
    "issue": gettext_lazy("发文"),
    "renumber": gettext_lazy("更换发文字号"),
    "void_number": gettext_lazy("作废发文字号"),
    "collect": gettext_lazy("领取/签收"),
    "rate": gettext_lazy("好差评"),
    "follow_up": gettext_lazy("差评整改答复"),
}
"""Every action on the timeline; each is also a Wagtail log action `inbox.<action>`."""

APPLICANT = gettext_lazy("申请人")
SYSTEM = gettext_lazy("系统（期限届满自动处理）")
"""The actor of what the deadline sweep records, such as a deemed acceptance."""


STALE = gettext_lazy("本件已被他人处理，请刷新后重试。")


STATE_GUIDANCE = {
    "submitted": (
        gettext_lazy("窗口正在预审您提交的材料。"),
        gettext_lazy(
            "无需操作。预审后将受理、一次性告知需补正的材料或说明不予受理的理由。"
        ),
    ),
    "supplement_requested": (
        gettext_lazy("材料需要补正；补正期间不计入办理时限。"),
        gettext_lazy("请按一次性告知书一次补齐所列材料，在本页上传后提交。"),
    ),
    "refused": (
        gettext_lazy("本申请不予受理。"),
        gettext_lazy("如对决定有异议，可依法申请行政复议或提起行政诉讼。"),
    ),
    "accepted": (
        gettext_lazy("申请已受理，正在办理。"),
        gettext_lazy("请留意短信或邮件通知；办结后可凭受理编号领取结果。"),
    ),
    "assigned": (
        gettext_lazy("申请已受理并已交承办处室办理。"),
        gettext_lazy("无需操作。如需当面说明情况或现场勘查，窗口会与您约定时间。"),
    ),
    "in_progress": (
        gettext_lazy("承办处室正在办理。"),
        gettext_lazy("无需操作。请留意下方的约见或勘查安排。"),
    ),
    "suspended": (
        gettext_lazy("本件正在履行特别程序（如听证、检验、专家评审），期间暂停计时。"),
        gettext_lazy("特别程序结束后恢复计时，承诺办结日期相应顺延。"),
    ),
    "completed": (
        gettext_lazy("本件已办结，窗口正在准备发文。"),
        gettext_lazy("请等待发文通知；欢迎对本次服务作出评价。"),
    ),
    "issued": (
        gettext_lazy("办理结果已发出。"),
        gettext_lazy("窗口领取的，请携带回执到发文窗口领取；邮寄的，请留意查收。"),
    ),
    "collected": (
        gettext_lazy("办理结果已领取，本件办理完毕。"),
        gettext_lazy("欢迎对本次服务作出评价。"),
    ),
    "withdrawn": (
        gettext_lazy("申请已撤回，本件不再办理。"),
        gettext_lazy("如需办理，请重新提交申请。"),
    ),
}
"""(What the state means, what the applicant does next) by state code."""


class Said:
    """A comment the workflow writes on a filing's timeline, kept as its messages
    and their values so that every reader gets it in their own language: the record
    (`FilingEvent.comment`, the audit log) in the site's language whatever the
    language of the request that wrote it, the applicant's lookup page, notices and
    copy of their data in the reader's (`FilingEvent.public_comment`).

    `message` is the source (Chinese) string, marked for the catalogue with
    `gettext_noop`; a value that is itself a word of the interface (a decision, a kind
    of procedure: a lazy translation) is said in the reader's language too, a list
    of names is joined with the language's enumeration comma, anything else is put
    in as it is. Sentences join with `+`; `Said.verbatim` carries what staff typed.
    """

    def __init__(self, message, **values):
        self.parts = [[message, {k: _stored(v) for k, v in values.items()}]]

    @classmethod
    def verbatim(cls, text):
        return cls("%(text)s", text=str(text))

    def __add__(self, other):
        joined = Said.__new__(Said)
        joined.parts = [*self.parts, *other.parts]
        return joined

    def in_site_language(self):
        with translation.override(settings.LANGUAGE_CODE):
            return say(self.parts)


def _stored(value):
    if isinstance(value, Promise):  # a word of the interface: keep its source text
        with translation.override(settings.LANGUAGE_CODE):
            return {"term": str(value)}
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    return value


def _said(value):
    if isinstance(value, dict):
        return gettext(value["term"])
    if isinstance(value, list):
        return pgettext("并列分隔", "、").join(value)
    return value


def say(parts):
    """The text of a `Said`'s stored parts in the active language; sentences that
    end with ASCII punctuation (English) are followed by a space, those ending with
    full-width punctuation (Chinese) are not."""
    text = ""
    for message, values in parts:
        part = gettext(message) % {k: _said(v) for k, v in values.items()}
        if text.endswith((".", ";", ":", "!", "?")) and not part[:1].isspace():
            text += " "
        text += part
    return text
