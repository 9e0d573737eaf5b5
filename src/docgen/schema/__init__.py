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

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from docgen import i18n, zh
from docgen.errors import DocgenError, report
from docgen.i18n import N_, _, ngettext
from docgen.schema import migrate, starter
from docgen.sources.base import LoadedData

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Model(BaseModel):
    """Unknown keys are refused (a typo would otherwise drop a value silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Faults(ValueError):
    """A model validator's faults, each at a path below the model, so that ``validate`` reports each at its
    value's own spot (a roster's cell) rather than at the model's (the campaign file's first line)."""

    def __init__(self, faults: list[tuple[tuple[str | int, ...], str]]) -> None:
        super().__init__("; ".join(message for _path, message in faults))
        self.faults = faults


class Person(Model):
    name: Text = Field(description="姓名")
    post: Text = Field(description="职务，如 乡党委书记")


class Superior(Model):
    """The organ above: a 乡 or 镇 sits under a 县, a 街道 under a 区, a 县 under a 市."""

    name: Text = Field(description="上级名称（地名，带层级字），如 丘山县、云江区、成都市；文中写作 丘山县委")
    level: Text = Field(description="上级层级用字：县、区、市、州…（县委、区委）")
    goal: str | None = Field(None, description="上级党委提出的发展目标，如 四川丘区强县（讲话引用时）")

    @property
    def committee(self) -> str:
        """The superior's Party committee as a document names it: 丘山县 + 县 → 丘山县委 (not 丘山县县委);
        云江 + 区 → 云江区委."""
        return self.name + ("委" if self.name.endswith(self.level) else f"{self.level}委")


COMMITTEES = ("党委", "党工委", "党组", "党总支", "党支部")


class Organization(Model):
    name: Text = Field(description="发文机关全称，如 中共瓦店乡委员会、中共金桥街道工作委员会")
    short_name: Text = Field(description="简称，如 瓦店乡党委、金桥街道党工委")
    committee: Text = Field("党委", description="党组织的类别：党委、党工委、党组、党总支、党支部")
    place: Text = Field(description="地名，如 瓦店乡、金桥街道")
    place_short: str | None = Field(None, description="地名简称，如 瓦店")
    level: Text = Field(description="层级用字：乡、镇、街道、县、区…（全乡、街道党工委）")
    superior: Superior = Field(description="上级：名称、层级（县、区、市）和它的发展目标")
    slogan: str | None = Field(None, description="本地的发展口号，如 绿色瓦店、生态之乡（讲话引用时）")
    office: Text = Field(description="承办科室，如 乡党委办公室、街道党工委办公室")

    @field_validator("committee")
    @classmethod
    def _committee(cls, value: str) -> str:
        if value not in COMMITTEES:
            raise ValueError(_("committee '{value}' is not one of {COMMITTEES}").format(
                value=value, COMMITTEES='、'.join(COMMITTEES)))
        return value

    @property
    def committee_name(self) -> str:
        """The committee by level: 乡党委, 街道党工委 (what a document calls its issuer in running text)."""
        return f"{self.level}{self.committee}"


class Period(Model):
    start: dt.date = Field(description="开始日期")
    end: dt.date = Field(description="结束日期")
    duration: str | None = Field(None, description="时间安排的说法，如 两年（默认由起止日期算出：四个月、一年半…）")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(_("end {end} is before start {start}").format(end=self.end, start=self.start))
        return self

    @property
    def months(self) -> int:
        """How many months the dates span, to the nearest month (6月1日—9月30日: 4; 2月25日—9月30日: 7, not
        the 8 calendar months it touches)."""
        days = (self.end - self.start).days + 1
        return max(1, round(days / (365.25 / 12)))

    @property
    def length(self) -> str:
        """时间安排: the data's own words, else 四个月, 一年, 一年半, 两年 … from the dates."""
        if self.duration:
            return self.duration
        years, months = divmod(self.months, 12)
        if not years:
            return f"{zh.numeral(months, counting=True)}个月"
        if months == 6:
            return f"{zh.numeral(years, counting=True)}年半"
        tail = f"{zh.numeral(months, counting=True)}个月" if months else ""
        return f"{zh.numeral(years, counting=True)}年{'零' if tail else ''}{tail}"


class Goal(Model):
    title: Text = Field(description="目标（“一是”之后的一句）")
    detail: Text = Field(description="展开的一段话")


class Task(Model):
    title: Text = Field(description="重点工作（“一是”之后的一句）")
    detail: Text = Field(description="展开的一段话")


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
            raise ValueError(_("a phase needs `start` (and `end`) dates, or a `timing` text"))
        if self.start and self.end and self.end < self.start:
            raise ValueError(_("end {end} is before start {start}").format(end=self.end, start=self.start))
        return self


class StandardPart(Model):
    name: Text = Field(title="分组名", description="如 五好、四强")
    items: list[Text] = Field(min_length=1, description="各项")


class Standard(Model):
    """A campaign's own named list of requirements (创先争优's 五好四强 and 五带五争): data, not schema."""

    key: Text = Field(description="模板引用的名字，如 organization、member")
    name: Text = Field(title="标准名", description="如 五好四强、五带五争")
    applies_to: Text = Field(description="对象：党组织、党员")
    parts: list[StandardPart] = Field(default_factory=list, description="分组，如 五好、四强")
    items: list[Text] = Field(default_factory=list, description="不分组时的各项，如 带头学习提高、争当勤学标兵")

    @model_validator(mode="after")
    def _has_items(self) -> Standard:
        if not self.parts and not self.items:
            raise ValueError(_("a standard needs `items` or `parts`"))
        return self

    @property
    def all_items(self) -> list[str]:
        return [item for part in self.parts for item in part.items] + list(self.items)


class Section(Model):
    """A run-in heading and its paragraph (主要内容, 组织领导 …)."""

    title: Text = Field(description="小标题（以句号结束的一句）")
    text: Text = Field(description="内容")


class Category(Model):
    name: Text = Field(description="类别，如 农村、社区、机关、两新组织")
    covers: list[Text] = Field(default_factory=list, description="归入本类的支部类别，如 学校、卫生")
    guidance: Text = Field(description="对这类党组织和党员的要求（一段话）")


class Guidance(Model):
    """What a campaign follows: the spirit it carries out and the thought it is guided by."""

    spirit: Text = Field(description="贯彻落实的精神（名词短语，不带“精神”二字，模板在后面加），"
                                     "如 党的二十大和二十届二中、三中全会")
    sessions: list[Text] = Field(default_factory=list, description="同时贯彻的上级全会，如 省委十二届六次全会")
    thought: Text = Field(description="指导思想（名词短语，模板写作“以……为指导”），如 习近平新时代中国特色社会主义思想")


class Pledge(Model):
    """The wording of the 公开承诺书 that belongs to the campaign."""

    member_aim: Text = Field(description="党员承诺书的表态，如 立足本职、争当优秀共产党员")
    branch_basis: str | None = Field(None, description="支部承诺依据，如 创建“五好四强”先进基层党组织")
    member_standard: str | None = Field(None, description="党员承诺依据的标准（standards 的 key），如 member")
    branch_standard: str | None = Field(None, description="支部承诺默认事项的标准（standards 的 key）")


class CampaignInfo(Model):
    name: Text = Field(description="活动名（名词短语；可以动词开头，模板不会写成“深入开展深入……”），如 党纪学习教育、"
                                   "深入贯彻中央八项规定精神学习教育、“两学一做”学习教育")
    short: str | None = Field(None, description="简称，如 创先争优")
    full_name: str | None = Field(None, description="全称")
    genre: Text = Field("实施意见", description="部署文件的文种：实施意见、实施方案、工作方案")
    audience: Text = Field("党组织和党员", description="开展范围（标题用），如 党组织和党员、全体党员")
    audience_full: str | None = Field(None, description="正文的开展范围，如 党的基层组织和党员（默认同 audience）")
    basis: Text = Field(description="开头的依据（动词短语，写在“为……，”之间），如 深入贯彻落实党中央关于……的部署要求")
    guidance: Guidance = Field(description="指导思想：贯彻的精神和指导思想")
    theme: Text = Field(description="主题（名词或动词短语，写在“以……为主题”之间），"
                                    "如 学习贯彻《中国共产党纪律处分条例》")
    content: str | None = Field(None, description="主要内容（“以……为主要内容”）")
    aim: str | None = Field(None, description="总体要求的其余部分（“……，在……中建功立业”）")
    practice: str | None = Field(None, description="建功立业的实践，如 推动科学发展、促进社会和谐（讲话引用时）")
    period: Period = Field(description="活动时间（起止日期）")
    goals: list[Goal] = Field(min_length=1, description="目标任务")
    sections: list[Section] = Field(default_factory=list, description="主要内容，各为小标题和一段")
    standards: list[Standard] = Field(default_factory=list, description="本活动自己的标准，如 五好四强、五带五争")
    methods: list[Text] = Field(default_factory=list, description="推进方法，如 公开承诺、领导点评…")
    principles: list[Text] = Field(default_factory=list,
                                   description="基本原则，每条一个短语；可以“坚持”开头，如 坚持学用结合、知行合一")
    phases: list[Phase] = Field(min_length=1, description="阶段安排")
    categories: list[Category] = Field(min_length=1, description="党组织类别及其要求")
    leadership: list[Section] = Field(default_factory=list, description="组织领导（小标题和一段）")
    milestones: list[Text] = Field(default_factory=list, description="活动围绕的节点，如 建党90周年")
    pledge: Pledge | None = Field(None, description="公开承诺书的表述")
    pledge_date: dt.date | None = Field(None, description="公开承诺的日期（默认为会议日期）")
    publicity: Period | None = Field(None, description="承诺公示期（起止日期）")

    def standard(self, key: str) -> Standard | None:
        return next((s for s in self.standards if s.key == key), None)


class Contact(Model):
    name: Text = Field(description="联系人")
    phone: Text = Field(description="联系电话")


class AgendaItem(Model):
    title: Text = Field(description="议程事项，如 传达上级会议精神")
    speaker: str | None = Field(None, description="报告人或主持人，如 乡党委副书记 张明")
    time: str | None = Field(None, description="时间，如 9:00—9:20")


class Absentee(Model):
    name: Text = Field(description="请假人姓名（可带单位、职务）")
    reason: str | None = Field(None, description="请假事由，如 因公出差")


class Meeting(Model):
    name: Text = Field(description="会议名（名词短语，写在“召开……”之后），"
                                   "如 全乡创先争优活动动员大会、党纪学习教育工作部署会")
    purpose: str | None = Field(None, description="会议的目的（动词短语，写在“为……，”之间），如 认真贯彻落实上级……部署")
    speech: Text = Field("讲话", description="讲话人作的讲话：动员讲话、部署讲话、讲话…")
    date: dt.date = Field(description="会议日期")
    time: str | None = Field(None, description="时刻，如 上午9时（会议通知用）")
    place: Text = Field(description="会议地点")
    speaker: Person = Field(description="讲话人：姓名和职务")
    attendees: str | None = Field(None, description="每个支部的参会人员（会议通知用），名词短语，"
                                                    "如 支部书记和党员代表2名、全体党员")
    delegates: int | None = Field(None, ge=1, description="每个支部参会的人数（含书记）；默认从 attendees 数出："
                                                            "每个职务一人，“党员代表2名”两人（签到表、通报的应出席人数用）")
    preparations: list[Text] = Field(default_factory=list, description="参会准备事项（会议通知用）")
    contact: Contact | None = Field(None, description="联系人及电话（会议通知用）")
    notice_date: dt.date | None = Field(None, description="通知的成文日期")
    chair: Person | None = Field(None, description="会议主持人（议程、纪要用）")
    agenda: list[AgendaItem] = Field(default_factory=list, description="会议议程：事项、报告人、时间（议程用）")
    attendees_list: list[Text | Person] = Field(
        default_factory=list, description="出席人员：姓名，或 {name, post}（签到表、纪要用）")
    absentees: list[Absentee] = Field(default_factory=list, description="请假人员：姓名和事由（纪要用）")
    observers: list[Text | Person] = Field(default_factory=list, description="列席人员（纪要用）")
    decisions: list[Text] = Field(default_factory=list, description="会议议定事项，一条一段（纪要用）")
    minutes_number: str | None = Field(None, description="纪要期号，如 第3期")


class Member(Model):
    name: Text = Field(description="姓名")
    post: Text = Field(description="职务：支部书记、支部委员、党员…")
    commitments: list[Text] = Field(min_length=1, description="承诺事项（五带五争）")
    deadline: dt.date = Field(description="承诺完成时限")
    supervisor: Text = Field(description="监督人")
    extra: dict[str, Any] = Field(
        default_factory=dict,
        description="名册中 schema 没有的列（入党时间、出生年月、联系电话、籍贯…），按字段名或表头取值。"
                    "入党时间 joined、出生年月 birth_date 是日期；只写了年月（2014.06、2014年6月、2014-6）时是年月值"
                    "（docgen.zh.YearMonth）：模板中印作 2014年6月，{{ member.extra.joined | year_month('.') }} "
                    "印作 2014.06")


class Branch(Model):
    name: Text = Field(description="支部名称")
    category: Text = Field(
        description="类别：农村、社区、机关、学校、卫生…（须是 campaign.categories 的类别或其 covers）")

    @field_validator("category")
    @classmethod
    def _category(cls, value: str, info: ValidationInfo) -> str:
        known = (info.context or {}).get("categories")  # validate() passes them: the fault is then this value's
        if known is not None and value not in known:
            raise ValueError(_unknown_category(value, known))
        return value

    secretary: Text = Field(description="支部书记")
    member_count: int = Field(ge=1, description="党员人数")
    commitments: list[Text] = Field(default_factory=list, description="支部公开承诺事项（五好四强）")
    measures: list[Text] = Field(default_factory=list, description="落实措施")
    deadline: dt.date | None = Field(None, description="承诺完成时限")
    extra: dict[str, Any] = Field(default_factory=dict, description="名册中 schema 没有的列，按表头取值")
    members: list[Member] = Field(default_factory=list, description="党员（个人承诺、承诺公示用）")


class OfficialDocument(Model):
    """The 版头 and 版记 facts of one issued 公文 (e.g. the 实施意见): GB/T 9704's elements."""

    number: Text = Field(description="发文字号，如 瓦委发〔2010〕12号（[2010]、【2010】、(2010) 也可）；"
                                     "命令（令）写令号，如 第1号")
    title: str | None = Field(None, description="标题（默认按文种的格式由活动名生成）")
    date: dt.date = Field(description="成文日期")
    issuers: list[Text] = Field(
        default_factory=list, description="发文机关（联合行文时多个，主办机关在前）；默认为 organization.name"
    )
    addressees: list[Text] = Field(default_factory=list, description="主送机关")
    cc: list[Text] = Field(default_factory=list, description="抄送机关")
    printer: str | None = Field(None, description="印发机关（默认为发文机关全称加“办公室”，如 中共瓦店乡委员会办公室；"
                                                   "办公室发文时为该办公室）")
    print_date: dt.date | None = Field(None, description="印发日期（默认为成文日期）")
    signer: str | None = Field(None, description="签发人（上行文；命令的签发人姓名）")
    signer_post: str | None = Field(None, description="签发人职务（命令：职务在签名章左侧），如 乡党委书记")
    copy_number: str | None = Field(None, description="份号（6位数字）")
    secrecy: str | None = Field(None, description="密级和保密期限，如 秘密★1年")
    urgency: str | None = Field(None, description="紧急程度：特急、加急")
    seal: str | None = Field(None, description="印章图片（红色 PNG），相对于数据文件")
    note: str | None = Field(None, description="附注，如 此件公开发布")
    contact: Contact | None = Field(None, description="联系人及电话，印在附注里（请示必备）")
    status: str | None = Field(None, title="文稿状态", description="草稿、征求意见稿：加水印，不盖章")

    @field_validator("number")
    @classmethod
    def _number(cls, value: str) -> str:
        return zh.issued_number(value)

    @field_validator("copy_number")
    @classmethod
    def _copy_number(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d{1,6}", value):
            raise ValueError(_("份号 '{value}' must be up to 6 digits").format(value=value))
        return value.zfill(6) if value else value


class Campaign(Model):
    """A township's campaign: who runs it, what it is, its meeting and its branches."""

    organization: Organization = Field(description="发文机关")
    campaign: CampaignInfo = Field(description="活动")
    meeting: Meeting = Field(description="会议")
    branches: list[Branch] = Field(min_length=1, description="党支部")
    documents: dict[str, OfficialDocument] = Field(
        default_factory=dict, title="公文",
        description="issued 公文 by template name, e.g. opinion: {number, date, cc…}"
    )
    extra: dict[Any, Any] = Field(
        default_factory=dict, title="自由数据",
        description="free-form: any mapping, read as YAML reads it and not checked; a template's own fields "
                    "(合同编号、地址、物品清单…) as {{ extra.xxx }} in every template / 自由数据：任意结构，不校验"
    )

    @field_validator("extra", mode="before")
    @classmethod
    def _extra(cls, value: Any) -> Any:
        return {} if value is None else value  # `extra:` with nothing under it

    @property
    def roll(self) -> list:
        """Everyone invited to the meeting (``docgen.schema.roll``): what the 签到表 lists and the 通报 counts."""
        from docgen.schema import roll

        return roll.roll(self)

    @property
    def timeline(self):
        """The campaign's dated facts (``docgen.schema.timeline``): a document's tense, the facts out of order."""
        from docgen.schema.timeline import Timeline

        return Timeline(self)

    @model_validator(mode="after")
    def _known_categories(self) -> Campaign:
        """For a caller without ``validate``'s context (which checks each branch as it is read): every branch
        whose category the campaign does not have, each at its own ``category``."""
        known = {c.name for c in self.campaign.categories} | {
            k for c in self.campaign.categories for k in c.covers
        }
        faults = [(("branches", index, "category"), _unknown_category(branch.category, known))
                  for index, branch in enumerate(self.branches) if branch.category not in known]
        if faults:
            raise Faults(faults)
        return self


def _unknown_category(category: str, known: set[str] | frozenset[str]) -> str:
    near = difflib.get_close_matches(category, sorted(known), n=1, cutoff=0.5)
    hint = _("; did you mean '{near}'?").format(near=near[0]) if near else ""
    return _("'{category}' is not one of campaign.categories ({known}): add it there (or to a category's covers), "
             "or correct it{hint}").format(category=category, known="、".join(sorted(known)), hint=hint)


def _categories(values: Any) -> frozenset[str] | None:
    """The categories a branch may name, from the data as written (None when they cannot be read yet)."""
    try:
        names: set[str] = set()
        for category in values["campaign"]["categories"]:
            names.add(str(category["name"]).strip())
            names.update(str(item).strip() for item in category.get("covers") or [])
        return frozenset(names)
    except (KeyError, TypeError, AttributeError):
        return None


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
    if migrate.is_old(values):  # the first, 创先争优-shaped schema: read as the new one, lines kept
        written: list[migrate.Written] = []
        for old, new in migrate.upgrade(values, written=written):
            loaded.lines.update({(*new, *path[len(old):]): line for path, line in list(loaded.lines.items())
                                 if path[: len(old)] == old})
        warnings.append(_("{file}: warning: this file uses docgen's first campaign schema (county, guiding_sessions, "
                          "organization_standard…); it was read as the new one — `docgen migrate {file}` rewrites it, "
                          "comments kept").format(file=loaded.file))
        warnings += [_("{spot}: warning: {line}").format(spot=loaded.spot(path), line=line)
                     for path, line in migrate.written_report(written, values)]
    unknown: dict[tuple, str] = {}
    context = {"categories": _categories(values)}
    for _attempt in range(20):  # each pass drops the unknown keys pydantic reported
        try:
            model, errors = Campaign.model_validate(values, context=context), []
        except ValidationError as exc:
            model, errors = None, exc.errors()
            extras = [e for e in errors if e["type"] == "extra_forbidden"]
            if extras:
                for error in extras:
                    path = tuple(error["loc"])
                    unknown[path] = _describe(error, path)
                    warnings.append(_("{spot}: warning: {unknown} (ignored)").format(
                        spot=loaded.spot(path), unknown=unknown[path]))
                    _drop(values, path)
                continue
        # a source's faults (a roster's cells), the starter's placeholders still unfilled, then the schema's
        problems = [*loaded.problems, *starter.unfilled(loaded.values, loaded.spot)]
        told = {str(p.where) for p in problems if p.where}
        for path, error in _placed(errors):
            spot = loaded.spot(path)
            if str(spot) not in told:  # a cell the reader could not read is missing here too: said once
                problems.append(DocgenError(_describe(error, path, unknown, loaded), spot))
        if problems:
            raise report(problems)
        assert model is not None
        return model, warnings
    raise DocgenError(_("too many unknown fields; check the file against `docgen schema`"), loaded.file)


def _placed(errors: list[Any]) -> list[tuple[tuple, Any]]:
    """Each error with the path of its value: a model validator's ``Faults`` become one error per fault."""
    placed = []
    for error in errors:
        path = tuple(error["loc"])
        fault = (error.get("ctx") or {}).get("error")
        if isinstance(fault, Faults):
            for below, message in fault.faults:
                placed.append(((*path, *below), {"type": "value_error", "loc": (*path, *below), "msg": message,
                                                 "input": None, "ctx": {"error": message}}))
        else:
            placed.append((path, error))
    return placed


def _drop(values: Any, path: tuple) -> None:
    for part in path[:-1]:
        values = values[part]
    if isinstance(values, dict):
        values.pop(path[-1], None)


def _dotted(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or _("(top level)")


def _named(path: tuple) -> str:
    """The field's path, and in Chinese its name from the schema: ``meeting.date（会议日期）``."""
    where = _dotted(path)
    label = field_label(path) if i18n.is_chinese() else None
    return f"{where}（{label}）" if label else where


# pydantic's error types are stable codes; each maps to a message here (pydantic's own English words,
# so English output is what pydantic says) and through the catalog to Chinese. The message's fields
# come from the error's ctx, plus {value} (the input as the user wrote it). Types not listed keep
# pydantic's English message.
_PYDANTIC: dict[str, str] = {
    "string_type": N_("Input should be a valid string"),
    "string_pattern_mismatch": N_("String should match pattern '{pattern}'"),
    "int_type": N_("Input should be a valid integer"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "float_type": N_("Input should be a valid number"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "bool_type": N_("Input should be a valid boolean"),
    "bool_parsing": N_("Input should be a valid boolean, unable to interpret input"),
    "greater_than": N_("Input should be greater than {gt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than": N_("Input should be less than {lt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "list_type": N_("Input should be a valid list"),
    "dict_type": N_("Input should be a valid dictionary"),
    "model_type": N_("Input should be a valid dictionary or instance of {class_name}"),
    "model_attributes_type": N_("Input should be a valid dictionary or object to extract fields from"),
    "date_type": N_("Input should be a valid date"),
    "date_parsing": N_("Input should be a valid date in the format YYYY-MM-DD, {error}"),
    "date_from_datetime_parsing": N_("Input should be a valid date or datetime, {error}"),
    "date_from_datetime_inexact": N_("Datetimes provided to dates should have zero time - e.g. be exact dates"),
    "literal_error": N_("Input should be {expected}"),
    "enum": N_("Input should be {expected}"),
    "none_required": N_("Input should be None"),
}
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _shown_value(value: Any) -> str:
    """The input as the user wrote it; in Chinese a date as 2010年2月30日 (even one that cannot be)."""
    if isinstance(value, str):
        date = _DATE.fullmatch(value.strip())
        if date and i18n.is_chinese():
            year, month, day = (int(part) for part in date.groups())
            return f"{year}年{month}月{day}日"
        return value if i18n.is_chinese() else repr(value)
    return repr(value)


def _pydantic_message(error: dict) -> str:
    kind = error["type"]
    ctx = dict(error.get("ctx") or {})
    value = error.get("input")
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return str(ctx["error"])  # our own validators' messages, already in the user's language
    if kind in ("too_short", "too_long"):
        count = ctx.get("min_length" if kind == "too_short" else "max_length", 0)
        if kind == "too_short":
            template = ngettext("{field_type} should have at least {min_length} item after validation, "
                                "not {actual_length}",
                                "{field_type} should have at least {min_length} items after validation, "
                                "not {actual_length}", count)
        else:
            template = ngettext("{field_type} should have at most {max_length} item after validation, "
                                "not {actual_length}",
                                "{field_type} should have at most {max_length} items after validation, "
                                "not {actual_length}", count)
    elif kind == "string_too_short":
        template = ngettext("String should have at least {min_length} character",
                            "String should have at least {min_length} characters", ctx.get("min_length", 0))
    elif kind == "string_too_long":
        template = ngettext("String should have at most {max_length} character",
                            "String should have at most {max_length} characters", ctx.get("max_length", 0))
    elif kind in _PYDANTIC:
        template = _(_PYDANTIC[kind])
    else:
        return error["msg"].removeprefix("Value error, ")
    shown = _shown_value(value)
    try:
        message = template.format(**{**ctx, "value": shown})
    except (KeyError, IndexError, ValueError):  # a ctx this pydantic does not give: its own words
        return error["msg"]
    plain = isinstance(value, str | int | float) and not isinstance(value, bool) and value != ""
    if "{value" not in template and plain:
        message += _(" (got {value})").format(value=shown)
    return message


def _describe(error: dict, path: tuple, unknown: dict | None = None, loaded: LoadedData | None = None) -> str:
    kind = error["type"]
    where = _named(path)
    if kind == "missing":
        siblings = [p for p in (unknown or {}) if p[:-1] == path[:-1]]
        near = difflib.get_close_matches(str(path[-1]), [str(p[-1]) for p in siblings], n=1)
        if near and loaded is not None:
            line = loaded.spot((*path[:-1], near[0])).line
            return _("{where}: required field is missing; `{near}` at line {line} is not a known field — "
                     "did you mean `{field}`?").format(where=where, near=near[0], line=line, field=path[-1])
        return _("{where}: required field is missing; add `{field}:`").format(where=where, field=path[-1])
    if kind == "extra_forbidden":
        parent = _model_at(path[:-1])
        guess = difflib.get_close_matches(str(path[-1]), list(parent.model_fields) if parent else [], n=1)
        if guess:
            return _("{where}: unknown field; did you mean `{guess}`?").format(where=where, guess=guess[0])
        return _("{where}: unknown field").format(where=where)
    return _("{where}: {message}").format(where=where, message=_pydantic_message(error))


def field_label(path: tuple) -> str | None:
    """The Chinese name of the field a path ends in: its ``title``, else its description up to the
    first comma, bracket or colon (``会议日期``; ``发文机关全称，如 …`` → 发文机关全称)."""
    model: type[BaseModel] | None = Campaign
    info = None
    skip = False
    for part in path:
        if skip or isinstance(part, int):
            skip = False
            continue
        if model is None:
            return None
        info = model.model_fields.get(str(part))
        if info is None:
            return None
        args = getattr(info.annotation, "__args__", ())
        skip = getattr(info.annotation, "__origin__", None) is dict  # the next part is a key (documents.opinion)
        candidates = [info.annotation, *args, *(a for arg in args for a in getattr(arg, "__args__", ()))]
        model = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
    if info is None or isinstance(path[-1], int):
        return None
    if info.title:
        return info.title
    label = re.split(r"[，（：,(]", info.description or "", maxsplit=1)[0].strip()
    return label if label and not label.startswith("如") and len(label) <= 12 else None


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
