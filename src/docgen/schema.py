"""The campaign schema: what a campaign file holds, as typed models.

`docgen schema` prints it as JSON Schema so an editor (VS Code's YAML extension, say) can
autocomplete and check campaign files; `validate()` turns pydantic's errors into one line each,
pointing at the file and line the value came from.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator, model_validator

from docgen import zh
from docgen.errors import DocgenError
from docgen.sources import LoadedData

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Model(BaseModel):
    """Unknown keys are refused (a typo would otherwise drop a value silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(Model):
    name: Text = Field(description="姓名")
    post: Text = Field(description="职务，如 乡党委书记")


class Organization(Model):
    name: Text = Field(description="发文机关全称，如 中共瓦店乡委员会")
    short_name: Text = Field(description="简称，如 瓦店乡党委")
    place: Text = Field(description="乡镇名，如 瓦店乡")
    place_short: Text = Field(description="乡镇简称，如 瓦店")
    level: Text = Field(description="行政层级用字：乡、镇、街道…（全乡、乡党委）")
    county: Text = Field(description="所属县，如 丘山县")
    county_goal: Text = Field(description="县委的发展目标，如 四川丘区强县")
    slogan: Text = Field(description="本乡的发展口号，如 绿色瓦店、生态之乡")
    office: Text = Field(description="承办科室，如 乡党委办公室")


class Period(Model):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Goal(Model):
    title: Text = Field(description="目标（“一是”之后的一句）")
    detail: Text = Field(description="展开的一段话")


class Task(Model):
    title: Text
    detail: Text


class Phase(Model):
    name: Text = Field(description="阶段名，如 动员部署阶段")
    start: dt.date | None = Field(None, description="开始日期")
    end: dt.date | None = Field(None, description="结束日期")
    end_label: str | None = Field(None, description="讲话中对截止时间的说法，如 2010年“七一”前")
    timing: str | None = Field(None, description="没有日期时的时间说法，如 活动基本结束时")
    focus: Text = Field(description="本阶段的重点（时间之后的一句）")
    tasks: list[Task] = Field(default_factory=list, description="重点工作（一是…二是…）")

    @model_validator(mode="after")
    def _has_time(self) -> Phase:
        if self.start is None and not self.timing:
            raise ValueError("a phase needs `start` (and `end`) dates, or a `timing` text")
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class OrganizationStandard(Model):
    name: Text = Field(description="如 五好四强")
    good: list[Text] = Field(min_length=1, description="“五好”各项")
    strong: list[Text] = Field(min_length=1, description="“四强”各项")


class MemberPledge(Model):
    lead: Text = Field(description="如 带头学习提高")
    strive: Text = Field(description="如 争当勤学标兵")


class MemberStandard(Model):
    name: Text = Field(description="如 五带五争")
    pairs: list[MemberPledge] = Field(min_length=1)


class Category(Model):
    name: Text = Field(description="类别，如 农村、社区、机关")
    covers: list[Text] = Field(default_factory=list, description="归入本类的支部类别，如 学校、卫生")
    guidance: Text = Field(description="对这类党组织和党员的要求（一段话）")


class CampaignInfo(Model):
    name: Text = Field(description="活动名，如 创先争优活动")
    short: Text = Field(description="简称，如 创先争优")
    full_name: Text
    theme: Text
    period: Period
    duration_years: int = Field(ge=1, le=10)
    guiding_sessions: list[Text] = Field(min_length=1, description="贯彻的上级全会")
    milestones: list[Text] = Field(min_length=1, description="活动围绕的节点，如 建党90周年")
    goals: list[Goal] = Field(min_length=1)
    organization_standard: OrganizationStandard
    member_standard: MemberStandard
    methods: list[Text] = Field(min_length=1, description="如 公开承诺、领导点评…")
    principles: list[Text] = Field(min_length=1)
    phases: list[Phase] = Field(min_length=1)
    categories: list[Category] = Field(min_length=1)
    pledge_date: dt.date | None = Field(None, description="公开承诺的日期（默认为会议日期）")


class Contact(Model):
    name: Text = Field(description="联系人")
    phone: Text = Field(description="联系电话")


class Meeting(Model):
    name: Text = Field(description="会议名，如 全乡创先争优活动动员大会")
    date: dt.date
    time: str | None = Field(None, description="时刻，如 上午9时（会议通知用）")
    place: Text
    speaker: Person
    attendees: str | None = Field(None, description="每个支部的参会人员（会议通知用）")
    preparations: list[Text] = Field(default_factory=list, description="参会准备事项（会议通知用）")
    contact: Contact | None = Field(None, description="联系人及电话（会议通知用）")
    notice_date: dt.date | None = Field(None, description="通知的成文日期")


class Member(Model):
    name: Text = Field(description="姓名")
    post: Text = Field(description="职务：支部书记、支部委员、党员…")
    commitments: list[Text] = Field(min_length=1, description="承诺事项（五带五争）")
    deadline: dt.date = Field(description="承诺完成时限")
    supervisor: Text = Field(description="监督人")


class Branch(Model):
    name: Text = Field(description="支部名称")
    category: Text = Field(description="类别：农村、社区、机关、学校、卫生…")
    secretary: Text = Field(description="支部书记")
    member_count: int = Field(ge=1, description="党员人数")
    commitments: list[Text] = Field(default_factory=list, description="支部公开承诺事项（五好四强）")
    measures: list[Text] = Field(default_factory=list, description="落实措施")
    deadline: dt.date | None = Field(None, description="承诺完成时限")
    members: list[Member] = Field(default_factory=list, description="党员（个人承诺、承诺公示用）")


class OfficialDocument(Model):
    """The 版头 and 版记 facts of one issued 公文 (e.g. the 实施意见): GB/T 9704's elements."""

    number: Text = Field(description="发文字号，如 瓦委发〔2010〕12号（[2010]、【2010】、(2010) 也可）")
    date: dt.date = Field(description="成文日期")
    issuers: list[Text] = Field(
        default_factory=list, description="发文机关（联合行文时多个，主办机关在前）；默认为 organization.name"
    )
    addressees: list[Text] = Field(default_factory=list, description="主送机关")
    cc: list[Text] = Field(default_factory=list, description="抄送机关")
    printer: str | None = Field(None, description="印发机关（默认为 organization.office）")
    print_date: dt.date | None = Field(None, description="印发日期（默认为成文日期）")
    signer: str | None = Field(None, description="签发人（上行文）")
    copy_number: str | None = Field(None, description="份号（6位数字）")
    secrecy: str | None = Field(None, description="密级和保密期限，如 秘密★1年")
    urgency: str | None = Field(None, description="紧急程度：特急、加急")
    seal: str | None = Field(None, description="印章图片（红色 PNG），相对于数据文件")
    note: str | None = Field(None, description="附注，如 此件公开发布")
    status: str | None = Field(None, description="草稿、征求意见稿：加水印，不盖章")

    @field_validator("number")
    @classmethod
    def _number(cls, value: str) -> str:
        return zh.document_number(value)

    @field_validator("copy_number")
    @classmethod
    def _copy_number(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d{1,6}", value):
            raise ValueError(f"份号 '{value}' must be up to 6 digits")
        return value.zfill(6) if value else value


class Campaign(Model):
    """A township's campaign: who runs it, what it is, its meeting and its branches."""

    organization: Organization
    campaign: CampaignInfo
    meeting: Meeting
    branches: list[Branch] = Field(min_length=1)
    documents: dict[str, OfficialDocument] = Field(
        default_factory=dict, description="issued 公文 by template name, e.g. opinion: {number, date, cc…}"
    )

    @model_validator(mode="after")
    def _known_categories(self) -> Campaign:
        known = {c.name for c in self.campaign.categories} | {
            k for c in self.campaign.categories for k in c.covers
        }
        for index, branch in enumerate(self.branches):
            if branch.category not in known:
                raise ValueError(
                    f"branches[{index}] ({branch.name}): category '{branch.category}' is not one of "
                    f"{'、'.join(sorted(known))} (campaign.categories)"
                )
        return self


def json_schema() -> dict:
    """The JSON Schema editors use to autocomplete campaign files."""
    schema = Campaign.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "docgen campaign"
    return schema


def validate(loaded: LoadedData) -> tuple[Campaign, list[str]]:
    """Build the typed campaign, or raise one DocgenError naming file, line, field and the fix.

    Unknown keys are not fatal: each becomes a warning (with the nearest known name) and is left
    out; a misspelt required key then also shows up as missing, and that error names the misspelling.
    """
    values = copy.deepcopy(loaded.values)
    warnings: list[str] = []
    unknown: dict[tuple, str] = {}
    for _ in range(20):  # each pass drops the unknown keys pydantic reported
        try:
            return Campaign.model_validate(values), warnings
        except ValidationError as exc:
            errors = exc.errors()
            extras = [e for e in errors if e["type"] == "extra_forbidden"]
            if not extras:
                error = errors[0]
                path = tuple(error["loc"])
                raise DocgenError(_describe(error, path, unknown, loaded), loaded.spot(path)) from None
            for error in extras:
                path = tuple(error["loc"])
                unknown[path] = _describe(error, path)
                warnings.append(f"{loaded.spot(path)}: warning: {unknown[path]} (ignored)")
                _drop(values, path)
    raise DocgenError("too many unknown fields; check the file against `docgen schema`", loaded.file)


def _drop(values: Any, path: tuple) -> None:
    for part in path[:-1]:
        values = values[part]
    if isinstance(values, dict):
        values.pop(path[-1], None)


def _dotted(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _describe(error: dict, path: tuple, unknown: dict | None = None, loaded: LoadedData | None = None) -> str:
    kind = error["type"]
    where = _dotted(path)
    if kind == "missing":
        siblings = [p for p in (unknown or {}) if p[:-1] == path[:-1]]
        near = difflib.get_close_matches(str(path[-1]), [str(p[-1]) for p in siblings], n=1)
        if near and loaded is not None:
            line = loaded.spot((*path[:-1], near[0])).line
            return (f"{where}: required field is missing; `{near[0]}` at line {line} is not a known field — "
                    f"did you mean `{path[-1]}`?")
        return f"{where}: required field is missing; add `{path[-1]}:`"
    if kind == "extra_forbidden":
        parent = _model_at(path[:-1])
        guess = difflib.get_close_matches(str(path[-1]), list(parent.model_fields) if parent else [], n=1)
        hint = f"; did you mean `{guess[0]}`?" if guess else ""
        return f"{where}: unknown field{hint}"
    message = error["msg"].removeprefix("Value error, ")
    value = error.get("input")
    got = f" (got {value!r})" if isinstance(value, str | int | float) and kind != "value_error" else ""
    return f"{where}: {message}{got}"


def _model_at(path: tuple) -> type[BaseModel] | None:
    """The model class a path leads to, for suggesting field names."""
    model: type[BaseModel] | None = Campaign
    for part in path:
        if model is None or isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        annotation = field.annotation
        args = getattr(annotation, "__args__", ())
        candidates = [annotation, *args]
        model = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
    return model
