"""What an import did, or would do: counts per kind of page and action, warnings
(the import went ahead) and errors (nothing was written). Shown by ``manage.py
import_catalog`` and the admin import page."""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DEPARTMENT, DIVISION, CATALOG, ITEM = "department", "division", "catalog", "item"
KIND_LABELS = {
    DEPARTMENT: gettext_lazy("部门"),
    DIVISION: gettext_lazy("处室"),
    CATALOG: gettext_lazy("事项目录"),
    ITEM: gettext_lazy("事项"),
}
CREATED, UPDATED, PUBLISHED, UNCHANGED = "created", "updated", "published", "unchanged"
ACTION_LABELS = {
    CREATED: gettext_lazy("新建"),
    UPDATED: gettext_lazy("更新"),
    PUBLISHED: gettext_lazy("发布"),
    UNCHANGED: gettext_lazy("未变"),
}


def _line(where, message):
    """One error or warning: where in the file, then what is wrong there."""
    return _("%(where)s：%(message)s") % {"where": where, "message": message}


@dataclass
class ImportReport:
    """Counts, warnings and errors of one import; `ok` when there are no errors."""

    dry_run: bool = False
    publish: bool = False
    counts: Counter = field(default_factory=Counter)
    warnings: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    def as_dict(self):
        """The report as JSON-ready data (kept for the admin's background import)."""
        return {
            "dry_run": self.dry_run,
            "publish": self.publish,
            "counts": [[kind, action, n] for (kind, action), n in self.counts.items()],
            "warnings": self.warnings,
            "errors": self.errors,
        }

    @classmethod
    def from_dict(cls, data):
        counts = Counter({(kind, action): n for kind, action, n in data["counts"]})
        return cls(
            dry_run=data["dry_run"],
            publish=data["publish"],
            counts=counts,
            warnings=list(data["warnings"]),
            errors=list(data["errors"]),
        )

    def count(self, kind, action):
        return self.counts[kind, action]

    def error(self, where, message):
        self.errors.append(_line(where, message))

    def warn(self, where, message):
        self.warnings.append(_line(where, message))

    def rows(self):
        """[(kind label, {action label: n})] for the kinds the file touched."""
        rows = []
        for kind, kind_label in KIND_LABELS.items():
            numbers = {a: self.counts[kind, a] for a in ACTION_LABELS}
            if any(numbers.values()):
                rows.append(
                    (
                        str(kind_label),
                        {str(ACTION_LABELS[a]): n for a, n in numbers.items()},
                    )
                )
        return rows

    def summary_lines(self):
        if self.errors:
            head = _("导入失败，未写入任何内容：%(count)s 个错误。") % {
                "count": len(self.errors)
            }
        elif self.dry_run:
            head = _("试运行（未写入数据库）：")
        elif self.publish:
            head = _("导入完成（已发布）：")
        else:
            head = _("导入完成（保存为草稿）：")
        lines = [head]
        if not self.errors:
            for kind_label, numbers in self.rows():
                counts = _("，").join(f"{label} {n}" for label, n in numbers.items())
                lines.append(
                    "  "
                    + _("%(kind)s：%(counts)s") % {"kind": kind_label, "counts": counts}
                )
        if self.warnings:
            lines.append(_("警告 %(count)s 条：") % {"count": len(self.warnings)})
            lines += [f"  {w}" for w in self.warnings]
        if self.errors:
            lines.append(_("错误："))
            lines += [f"  {e}" for e in self.errors]
        return lines

    def summary(self):
        return "\n".join(self.summary_lines())
