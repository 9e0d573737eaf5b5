"""`docgen roster-template`: an empty roster workbook to fill in (支部, 党员 and a 说明 sheet).

Reading needs python-calamine only; writing a workbook needs openpyxl, imported here alone.
Phone and ID columns are formatted as text (an 18-digit number would lose its last three digits),
date columns as dates, and 所属支部 offers the names of the 支部 sheet as a drop-down list.
"""

from __future__ import annotations

import io
from typing import Any

from docgen.i18n import _
from docgen.sources.roster import BRANCH_COLUMNS, JOIN, JOIN_HEADERS, MEMBER_COLUMNS, Column, schema_models

BRANCH_STARTER = ("name", "category", "secretary", "member_count", "commitments", "measures", "deadline")
MEMBER_STARTER = ("name", JOIN, "post", "commitments", "deadline", "supervisor", "gender", "joined", "phone",
                  "note")
JOIN_COLUMN = Column(JOIN, "name", JOIN_HEADERS, "须与“支部”表的“支部名称”一致（可从下拉列表选）",
                     "春风村党支部")
WIDTHS = {"list": 48, "date": 13, "digits": 16, "int": 10, "name": 16, "text": 12}

GUIDE = (
    "填写说明",
    "1. “支部”表每行一个党支部，“党员”表每行一名党员；表头须保留，列的顺序可以调整，表头上方可加标题行。",
    "2. “党员”表的“所属支部”须与“支部”表的“支部名称”完全一致（可从下拉列表选择）。",
    "3. 多项承诺或措施用“；”分隔，或在单元格内换行（Alt+Enter）；也可分列写“承诺事项1”“承诺事项2”……",
    "4. 日期可写 2011-06-30、2011.6.30、2011年6月30日，或用 Excel 日期格式；"
    "入党时间、出生年月可只写年月：2014.06、2014年6月。",
    "5. 联系电话、身份证号列已设为文本格式，请勿改为数字（数字格式的18位号码会丢失后三位）。",
    "6. 下表之外的列也会读入：模板中以 member.extra[\"表头\"] 取用（“模板中的名称”为“—”的列暂不传给模板）。",
    "7. 在活动数据 campaign.yaml 中写：branches: {from: 名册.xlsx}；然后 docgen validate 检查，出错时会指出单元格。",
)


def workbook_bytes() -> bytes:
    """The starter workbook as .xlsx bytes."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.worksheet.datavalidation import DataValidation
    except ImportError:  # pragma: no cover - a dependency of docgen
        from docgen.errors import DocgenError

        raise DocgenError(_("writing a roster workbook needs openpyxl: pip install openpyxl")) from None

    branch_model, member_model = schema_models()
    book = Workbook()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    sheets: list[tuple[str, list[Column], Any]] = [
        ("支部", _pick(BRANCH_COLUMNS, BRANCH_STARTER), branch_model),
        ("党员", _pick((*MEMBER_COLUMNS, JOIN_COLUMN), MEMBER_STARTER), member_model),
    ]
    guide_rows: list[list[str]] = []
    for index, (title, columns, model) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet(title)
        sheet.title = title
        for col, column in enumerate(columns, 1):
            cell = sheet.cell(row=1, column=col, value=column.headers[0])
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(horizontal="center", vertical="center")
            letter = cell.column_letter
            dimension = sheet.column_dimensions[letter]
            dimension.width = WIDTHS.get(column.kind, 12)
            if column.kind == "digits":
                dimension.number_format = "@"
            elif column.kind == "date":
                dimension.number_format = "yyyy-mm-dd"
            elif column.kind == "list":
                dimension.alignment = Alignment(wrap_text=True, vertical="top")
            if column.field == JOIN:
                choose = DataValidation(type="list", formula1="=支部!$A$2:$A$2000", allow_blank=True)
                choose.error = "请从“支部”表的支部名称中选择"
                sheet.add_data_validation(choose)
                choose.add(f"{letter}2:{letter}5000")
            guide_rows.append([title, column.headers[0], _required(model, column), _field(model, column),
                               column.note, column.example, "、".join(column.headers[1:])])
        sheet.freeze_panes = "A2"
    guide = book.create_sheet("说明")
    for line in GUIDE:
        guide.append([line])
    guide.append([])
    head = ["表", "列（表头）", "必填", "模板中的名称", "说明", "示例", "也认作此列的表头"]
    guide.append(head)
    for cell in guide[guide.max_row]:
        cell.font, cell.fill = bold, fill
    for row in guide_rows:
        guide.append(row)
    guide["A1"].font = Font(bold=True, size=14)
    for letter, width in zip("ABCDEFG", (8, 14, 6, 24, 60, 36, 30), strict=True):
        guide.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _pick(columns: tuple[Column, ...], fields: tuple[str, ...]) -> list[Column]:
    by_field = {c.field: c for c in columns}
    return [by_field[f] for f in fields]


def _required(model: Any, column: Column) -> str:
    if column.field == JOIN:
        return "是"
    info = (getattr(model, "model_fields", None) or {}).get(column.field)
    return "是" if info is not None and info.is_required() else "否"


def _field(model: Any, column: Column) -> str:
    owner = "branch" if model is not None and model.__name__.lower().startswith("branch") else "member"
    if column.field == JOIN:
        return "branch.name"
    fields = getattr(model, "model_fields", None) or {}
    if column.field in fields:
        return f"{owner}.{column.field}"
    return f"{owner}.extra.{column.field}" if "extra" in fields else "—"
