"""What every document kind shares: the context it reads, and what a kind is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docgen.errors import SourceSpot
from docgen.markup import ReadText
from docgen.model import Document

if TYPE_CHECKING:
    from docgen.schema import Campaign
    from docgen.sources import LoadedData


@dataclass(frozen=True)
class FrameContext:
    """What a kind may read besides the template's front matter: the typed data and the run's options."""

    campaign: Campaign | None = None
    loaded: LoadedData | None = None
    status: str | None = None  # --draft / --status

    def names(self) -> list[str]:
        """Names a title must not split: the organization, its issuers, the campaign."""
        if not self.campaign:
            return []
        issuers = [name for document in self.campaign.documents.values() for name in document.issuers]
        campaign = self.campaign.campaign
        return [self.campaign.organization.name, *issuers, campaign.name, self.campaign.organization.place,
                campaign.guidance.thought]

    def people(self) -> tuple[str, ...]:
        """The persons the data names (speaker, chair, attendees, secretaries, members, supervisors,
        contacts, signers): names a line never splits (``docgen.linebreak.unbreakable``)."""
        if not self.campaign:
            return ()
        from docgen.linebreak.unbreakable import person_names

        meeting = self.campaign.meeting
        values: list[str | None] = [meeting.speaker.name, meeting.chair.name if meeting.chair else None,
                                    meeting.contact.name if meeting.contact else None]
        for person in [*meeting.attendees_list, *meeting.observers]:
            values.append(person if isinstance(person, str) else person.name)
        values += [absentee.name for absentee in meeting.absentees]
        values += [item.speaker for item in meeting.agenda]
        for branch in self.campaign.branches:
            values.append(branch.secretary)
            values += [value for member in branch.members for value in (member.name, member.supervisor)]
        for document in self.campaign.documents.values():
            values += [document.signer, document.contact.name if document.contact else None]
        return person_names(values)

    def spot(self, path: tuple[str | int, ...]) -> SourceSpot | None:
        return self.loaded.spot(path) if self.loaded else None


@dataclass(frozen=True)
class Kind:
    name: str
    description: str
    build: Callable[[ReadText, FrameContext], Document]


def lines_of(value: Any) -> list[str]:
    """A front-matter value that may be one line or a list of lines."""
    if value is None or value == "":
        return []
    return [str(x) for x in value] if isinstance(value, list) else [str(value)]
