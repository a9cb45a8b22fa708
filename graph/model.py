"""The parsed resolution: plain Python objects between reading a text and writing RDF.

Every reader (plain text, PDF, docx, AKN4UN XML, JSON Lines from ``resograph synth``) produces
a :class:`ParsedResolution`; :mod:`resograph.graph.rdf` turns it into triples. Keeping this
layer free of RDF lets the extractor be tested on facts, and lets ``resograph extract
--format json`` be a stable, documented contract: :meth:`ParsedResolution.to_json` and
:meth:`ParsedResolution.from_json` are exact inverses.

The JSON field names below are a public contract (other tools read them); add fields freely,
never rename or reshape the existing ones.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

#: Organ codes used throughout resograph (IRIs, symbols, JSON).
ORGANS = ("GA", "SC", "ECOSOC", "HRC", "CHR")

CitationType = Literal["resolution", "decision", "instrument", "document"]
ParagraphKind = Literal["preambular", "operative", "other"]


class ParseError(ValueError):
    """Raised when input cannot be read as a resolution; says which file and why.

    The only exception the readers and the extractor let escape on bad input.
    """

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        self.source = source
        self.line = line
        where = source or ""
        if line is not None:
            where = f"{where}:{line}" if where else f"line {line}"
        super().__init__(f"{where}: {message}" if where else message)
        self.reason = message


@dataclass
class Paragraph:
    """One paragraph of one language version.

    ``number`` is the ordinal among paragraphs of the same ``kind`` (1-based): operative
    paragraphs carry the number printed before them, preambular ones their position. It is
    unique within the paragraph's numbering scope, the part of ``key`` up to its last ``__``
    (``comp_1__``, ``s2__``: a resolution in parts or sections numbers each from 1).
    ``key`` aligns the same paragraph across languages (``pre{n}``/``op{n}``; AKN files add
    annex/component/section prefixes, see :func:`resograph.graph.akn._structural_keys`).
    """

    number: int
    kind: ParagraphKind
    verb: str | None = None
    text: str = ""
    verb_meaning: str | None = None  # SKOS concept local name, e.g. "recalling"
    key: str | None = None
    footnotes: list[str] = field(default_factory=list)
    eid: str | None = None  # AKN: the source's own eId (differs between languages; not a key)

    def __post_init__(self) -> None:
        if self.key is None:
            self.key = f"{'pre' if self.kind == 'preambular' else 'op'}{self.number}"


@dataclass
class Citation:
    """One cited work, as one paragraph cites it.

    ``target`` is canonical: a UN symbol (``A/RES/48/141``, ``S/RES/687 (1991)``,
    ``A/HRC/RES/5/1``) for resolutions, decisions and documents, or an instrument key
    (``charter``, ``udhr``, ``iccpr`` ...) for instruments.
    ``paragraph`` is the citing paragraph's ``key`` (None when the citation is in a
    title or a note not attached to a paragraph).
    """

    target: str
    type: CitationType
    verb: str | None = None
    paragraph: str | None = None
    as_cited_date: str | None = None  # ISO date as the text gives it
    pinpoint: str | None = None  # e.g. "paragraph 8"
    verb_meaning: str | None = None
    method: str = "text"  # how it was found: "text" (extractor), "akn-link" (editors' link)
    in_note: bool = False


@dataclass
class Request:
    """A request, invitation, call or decision addressed to someone in an operative paragraph."""

    addressee: str
    action: str
    paragraph: str | None = None
    verb: str | None = None
    verb_meaning: str | None = None
    object: str | None = None
    due_session: int | None = None
    due_organ: str | None = None
    due_date: str | None = None


@dataclass
class MemberVote:
    """One member state's vote on a resolution (``code`` is ISO 3166-1 alpha-3)."""

    code: str
    name: str
    vote: Literal["yes", "no", "abstain", "non-voting"]


@dataclass
class Adoption:
    """How the resolution was adopted."""

    method: Literal["without-vote", "unanimous", "vote", "unknown"] = "unknown"
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    non_voting: int | None = None
    votes: list[MemberVote] = field(default_factory=list)


@dataclass
class Subject:
    """A subject concept (UNBIS, EuroVoc, SDG) with the label the source gives."""

    iri: str
    label: str | None = None
    scheme: str | None = None


@dataclass
class ParsedResolution:
    """Everything one source document says about one language version of a resolution."""

    symbol: str
    organ: str
    language: str
    file: str | None = None
    kind: Literal["resolution", "decision"] = "resolution"
    session: str | None = None  # "56", "79", "XV", "S-2", "ES-10"; None for SC
    number: str | None = None  # "15", "1514", "687"
    year: int | None = None
    adopted: str | None = None  # ISO date
    title: str | None = None
    meeting: str | None = None
    agenda_item: str | None = None
    agenda_title: str | None = None
    adoption: Adoption = field(default_factory=Adoption)
    paragraphs: list[Paragraph] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    subjects: list[Subject] = field(default_factory=list)
    sponsors: list[str] = field(default_factory=list)
    documents: dict[str, str] = field(default_factory=dict)  # role -> symbol (report, draft)
    published: str | None = None
    marked_up: str | None = None  # AKN: date of the XML markup (FRBRManifestation)
    source_format: str = "text"  # text | pdf | docx | akn | jsonl
    source_sha256: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form (``resograph extract --format json``)."""
        data = asdict(self)
        # contract order: the fields first, extras after
        ordered = {k: data.pop(k) for k in (
            "file", "symbol", "organ", "language", "adopted", "session",
            "paragraphs", "citations", "requests")}
        ordered.update(data)
        return ordered

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ParsedResolution:
        """Inverse of :meth:`to_json`; unknown keys are ignored so older readers keep working."""
        known = {f.name for f in fields(cls)}
        kw = {k: v for k, v in data.items() if k in known}
        kw["paragraphs"] = [_build(Paragraph, p) for p in data.get("paragraphs", [])]
        kw["citations"] = [_build(Citation, c) for c in data.get("citations", [])]
        kw["requests"] = [_build(Request, r) for r in data.get("requests", [])]
        kw["subjects"] = [_build(Subject, s) for s in data.get("subjects", [])]
        adoption = dict(data.get("adoption") or {})
        adoption["votes"] = [_build(MemberVote, v) for v in adoption.get("votes", [])]
        kw["adoption"] = _build(Adoption, adoption)
        return cls(**kw)


def _build(cls: type, data: dict[str, Any]) -> Any:
    known = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in known})
