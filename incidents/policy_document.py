"""The setting's own policy on youth produced sexual imagery, assembled from its chosen values.

Like `incidents.rules`, this module imports nothing from Django: the document is plain data
(sections of blocks of text) that the web page, the preview, the PDF and the tests all read.

The wording is the project's own. It covers every section and requirement of the reference
guidance (`shared/reference/ypsi-policy-guidance.txt`, Wolverhampton Safeguarding Children
Board, 2016, after UKCCIS 2016) without copying it; the few phrases quoted are marked and
sourced. The immediate-referral criteria are not written here at all: they are printed from
`rules.describe_rule_set`, so the policy staff read and the recommendations the app makes come
from the same code and cannot disagree.

A value the setting has not yet chosen becomes a `Gap` in the text rather than an empty
string, so the preview can highlight it and adoption can refuse a document that has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from incidents import rules

# --- Values ---------------------------------------------------------------------------

# Every value the text may name, with the label a gap is shown under.
VALUE_LABELS: dict[str, str] = {
    "setting_name": "name of the setting",
    "place": "word for the setting (school, college or setting)",
    "child": "word for one child (pupil, student or young person)",
    "children": "word for the children",
    "dsl": "Designated Safeguarding Lead",
    "deputies": "deputy DSLs",
    "headteacher": "headteacher",
    "mash_phone": "MASH phone number",
    "mash_email": "MASH email",
    "police_phone": "police non-emergency number",
    "lado_phone": "LADO phone number",
    "lado_email": "LADO email",
    "curriculum": "where the curriculum teaches this",
    "next_review": "date of the next review",
}
# Optional values print a sentence without them instead of a gap.
OPTIONAL_VALUES = frozenset({"deputies", "mash_email", "lado_email"})

CHILD_TERMS: dict[str, str] = {"pupil": "pupils", "student": "students", "young person": "young people"}
PLACE_TERMS: tuple[str, ...] = ("school", "college", "setting")


@dataclass(frozen=True)
class PolicyValues:
    """What the setting chose. Empty strings are values not yet chosen."""

    setting_name: str = ""
    place: str = "school"
    child: str = "pupil"
    dsl: str = ""
    deputies: tuple[str, ...] = ()
    headteacher: str = ""
    mash_phone: str = ""
    mash_email: str = ""
    police_phone: str = "101"
    lado_phone: str = ""
    lado_email: str = ""
    curriculum: str = ""
    rule_set: str = rules.DEFAULT_RULE_SET
    # Already formatted for print, e.g. "25 November 2027".
    next_review: str = ""
    # Section key -> the setting's own words, added under that section.
    local_additions: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.place not in PLACE_TERMS:
            raise ValueError(f"Unknown word for the setting {self.place!r}: expected one of {', '.join(PLACE_TERMS)}.")
        if self.child not in CHILD_TERMS:
            raise ValueError(f"Unknown word for a child {self.child!r}: expected one of {', '.join(CHILD_TERMS)}.")
        rules.describe_rule_set(self.rule_set)  # raises ValueError for an unknown rule set
        unknown = set(self.local_additions) - set(SECTION_TITLES)
        if unknown:
            raise ValueError(f"Local additions for unknown sections: {', '.join(sorted(unknown))}.")

    def as_words(self) -> dict[str, str]:
        deputies = [name for name in self.deputies if name.strip()]
        return {
            "setting_name": self.setting_name.strip(),
            "place": self.place,
            "Place": self.place.capitalize(),
            "child": self.child,
            "children": CHILD_TERMS[self.child],
            "Children": CHILD_TERMS[self.child].capitalize(),
            "dsl": self.dsl.strip(),
            "deputies": _and_list(deputies),
            "headteacher": self.headteacher.strip(),
            "mash_phone": self.mash_phone.strip(),
            "mash_email": self.mash_email.strip(),
            "police_phone": self.police_phone.strip(),
            "lado_phone": self.lado_phone.strip(),
            "lado_email": self.lado_email.strip(),
            "curriculum": self.curriculum.strip(),
            "next_review": self.next_review.strip(),
        }


# --- The document as data -------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """A value the setting has not filled in yet."""

    key: str
    label: str
    # Templates cannot ask isinstance(); a str part has no such attribute.
    is_gap = True

    def __str__(self) -> str:
        return f"[not yet filled in: {self.label}]"


Text = tuple[str | Gap, ...]

PARAGRAPH = "paragraph"
BULLETS = "bullets"
SUBHEADING = "subheading"
# A marked box, e.g. where the rule set departs from national advice.
BOX = "box"
QUOTE = "quote"
LOCAL = "local"
BLOCK_KINDS = (PARAGRAPH, BULLETS, SUBHEADING, BOX, QUOTE, LOCAL)


@dataclass(frozen=True)
class Block:
    kind: str
    lines: tuple[Text, ...]
    # A box's or a quote's title/source.
    title: str = ""

    @property
    def is_paragraph(self) -> bool:
        return self.kind == PARAGRAPH

    @property
    def is_bullets(self) -> bool:
        return self.kind == BULLETS

    @property
    def is_subheading(self) -> bool:
        return self.kind == SUBHEADING

    @property
    def is_box(self) -> bool:
        return self.kind == BOX

    @property
    def is_quote(self) -> bool:
        return self.kind == QUOTE

    @property
    def is_local(self) -> bool:
        return self.kind == LOCAL


@dataclass(frozen=True)
class Section:
    key: str
    number: int
    title: str
    blocks: tuple[Block, ...]

    @property
    def anchor(self) -> str:
        return f"section-{self.key}"


@dataclass(frozen=True)
class Summary:
    """What every member of staff reads first: what to do, what never to do with imagery, how to report."""

    do: tuple[Text, ...]
    never: tuple[Text, ...]
    report: tuple[Text, ...]


@dataclass(frozen=True)
class Document:
    title: str
    rule_set: str
    departs_from_national: bool
    sections: tuple[Section, ...]
    summary: Summary

    def gaps(self) -> tuple[Gap, ...]:
        """Every value not yet filled in, once each, in the order the document first needs it."""
        seen: dict[str, Gap] = {}
        for text in self._texts():
            for part in text:
                if isinstance(part, Gap) and part.key not in seen:
                    seen[part.key] = part
        return tuple(seen.values())

    def _texts(self):
        yield (self.title,)
        for section in self.sections:
            for block in section.blocks:
                yield from block.lines
        for group in (self.summary.do, self.summary.never, self.summary.report):
            yield from group

    def plain_text(self) -> str:
        out = [self.title, ""]
        for section in self.sections:
            out += [f"{section.number}. {section.title}", ""]
            for block in section.blocks:
                if block.title:
                    out.append(block.title)
                for line in block.lines:
                    prefix = "- " if block.kind == BULLETS else ""
                    out.append(prefix + text_str(line))
                out.append("")
        return "\n".join(out)

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "rule_set": self.rule_set,
            "departs_from_national": self.departs_from_national,
            "sections": [
                {
                    "key": s.key,
                    "number": s.number,
                    "title": s.title,
                    "blocks": [
                        {"kind": b.kind, "title": b.title, "lines": [_text_to_json(t) for t in b.lines]}
                        for b in s.blocks
                    ],
                }
                for s in self.sections
            ],
            "summary": {
                name: [_text_to_json(t) for t in getattr(self.summary, name)] for name in ("do", "never", "report")
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        return cls(
            title=data["title"],
            rule_set=data["rule_set"],
            departs_from_national=data["departs_from_national"],
            sections=tuple(
                Section(
                    key=s["key"],
                    number=s["number"],
                    title=s["title"],
                    blocks=tuple(
                        Block(kind=b["kind"], title=b["title"], lines=tuple(_text_from_json(t) for t in b["lines"]))
                        for b in s["blocks"]
                    ),
                )
                for s in data["sections"]
            ),
            summary=Summary(
                **{name: tuple(_text_from_json(t) for t in data["summary"][name]) for name in ("do", "never", "report")}
            ),
        )


def text_str(text: Text) -> str:
    return "".join(str(part) for part in text)


def _text_to_json(text: Text) -> list[Any]:
    return [part if isinstance(part, str) else {"gap": part.key, "label": part.label} for part in text]


def _text_from_json(data: list[Any]) -> Text:
    return tuple(part if isinstance(part, str) else Gap(part["gap"], part["label"]) for part in data)


_TOKEN = re.compile(r"\{(\w+)\}")


def fill(template: str, words: dict[str, str]) -> Text:
    """`template` with each {name} replaced by its value, or by a Gap when it has none."""
    parts: list[str | Gap] = []
    position = 0
    for match in _TOKEN.finditer(template):
        parts.append(template[position : match.start()])
        name = match.group(1)
        if name not in words:
            raise KeyError(f"The policy text names an unknown value {{{name}}}.")
        value = words[name]
        parts.append(value if value else Gap(name, VALUE_LABELS.get(name, name)))
        position = match.end()
    parts.append(template[position:])
    # Adjacent strings merge so a filled document is one string per line.
    merged: list[str | Gap] = []
    for part in parts:
        if part == "":
            continue
        if merged and isinstance(part, str) and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return tuple(merged)


# --- Sources quoted -------------------------------------------------------------------

WSCB_2016 = "Wolverhampton Safeguarding Children Board, Youth Produced Sexual Imagery (sexting) Policy Guidance, 2016"
UKCCIS_2016 = "UKCCIS, Sexting in schools and colleges: responding to incidents and safeguarding young people, 2016"
KCSIE = "DfE, Keeping Children Safe in Education"
ACPO = "ACPO lead's position on self-taken images"
HOME_OFFICE = "Home Office counting rules, outcome 21 (January 2016)"

# --- The sections ---------------------------------------------------------------------

SECTION_TITLES: dict[str, str] = {
    "about": "About this policy",
    "background": "What this policy covers",
    "law": "The law, and avoiding criminalising children",
    "initial-response": "Our first response",
    "disclosures": "When someone tells us",
    "initial-review": "The initial review meeting",
    "referral-criteria": "When we refer at once",
    "not-referring": "Responding without other agencies",
    "assessing-risks": "Assessing the risks",
    "parents": "Telling parents and carers",
    "police-devices": "The police, and handing over devices",
    "social-care": "Children's social care and other agencies",
    "searching": "Searching devices",
    "viewing": "Viewing imagery, and not viewing it",
    "deletion": "Deleting imagery",
    "talking": "Talking with the young people involved",
    "recording": "Recording incidents",
    "online-removal": "Getting imagery removed online",
    "education": "Education",
    "training": "Staff training and knowing this policy",
    "contacts": "Contacts",
    "review": "Approval, review and versions",
    "further": "Further guidance",
}
REQUIRED_SECTIONS: tuple[str, ...] = tuple(SECTION_TITLES)

# Each heading of the reference guidance, and the section of ours that covers it; a test
# reads the reference file to check every heading is here and its section is in the document.
GUIDANCE_COVERAGE: dict[str, str] = {
    "Background": "background",
    "Context": "about",
    "Definitions": "background",
    "The Law": "law",
    "Police involvement and future DBS checks": "law",
    "An initial response": "initial-response",
    "Dealing with Disclosures": "disclosures",
    "Initial review meeting": "initial-review",
    "immediate referral": "referral-criteria",
    "respond to the incident without involving the MASH": "not-referring",
    "Assessing the risks": "assessing-risks",
    "Informing parents or carers": "parents",
    "Reporting incidents to the police": "police-devices",
    "Securing and handing over devices to the police": "police-devices",
    "Children's social care contact and referrals": "social-care",
    "Searching devices, viewing and deleting imagery": "searching",
    "Viewing the imagery": "viewing",
    "Deletion of images": "deletion",
    "Interviewing and talking to the young person/people involved": "talking",
    "Recording incidents": "recording",
    "Reporting youth produced sexual imagery online": "online-removal",
    "Educating Children/Young People": "education",
    "All members of staff (including non-teaching staff) will be made aware": "training",
    "Appropriate guidance and risk assessment tools": "further",
}


class Literal(str):
    """Text printed as it is, never read for {names}: the rules module's wording, the setting's own."""


# Raw section content: (kind, [lines], title). Lines are templates for `fill`, or Literals.
_Raw = tuple[str, tuple[str, ...], str]


def _p(*lines: str) -> list[_Raw]:
    return [(PARAGRAPH, (line,), "") for line in lines]


def _ul(*lines: str) -> _Raw:
    return (BULLETS, lines, "")


def _h(title: str) -> _Raw:
    return (SUBHEADING, (title,), "")


def _q(text: str, source: str) -> _Raw:
    return (QUOTE, (text,), source)


def _section_text(words: dict[str, str]) -> dict[str, list[_Raw]]:
    deputies_sentence = (
        "The deputy DSLs are {deputies}; when the DSL is away, a deputy acts in their place."
        if words["deputies"]
        else "No deputy DSL is named; when the DSL is away, the headteacher, {headteacher}, acts in their place."
    )
    mash_email = " or by email at {mash_email}" if words["mash_email"] else ""
    lado_email = " or by email at {lado_email}" if words["lado_email"] else ""
    return {
        "about": [
            *_p(
                "This is the policy of {setting_name} for responding to youth produced sexual imagery: photos "
                "or videos of a sexual nature made by anyone under 18, whoever they are later shared with. It "
                "applies to everyone who works at our {place}, paid or unpaid, teaching or not.",
                "We use the term \u201cyouth produced sexual imagery\u201d rather than \u201csexting\u201d, as "
                "the national advice recommends: \u201cyouth produced\u201d because it covers imagery young "
                "people make of themselves or of each other; \u201csexual\u201d because whether something is "
                "\u201cindecent\u201d is a judgement that depends on context; and \u201cimagery\u201d because it "
                "covers still photos and moving video alike. Imagery that has been generated or altered by "
                "software, including by AI, is treated in exactly the same way as a real photo or video.",
                "Young people test boundaries as they grow more aware of sex and relationships, and some will "
                "see sharing images as a normal part of a relationship. Even so, every incident is a "
                "safeguarding concern and is always acted on.",
                "Our approach is proportionate: the welfare and protection of the {children} involved comes "
                "first, and we do all we can not to criminalise children unnecessarily. This policy sits "
                "alongside our safeguarding and child protection policy, our online safety and anti-bullying "
                "policies, and the national and local guidance listed at the end.",
            ),
        ],
        "background": [
            *_p("This policy covers any incident in which a person under 18:"),
            _ul(
                "makes sexual imagery of themselves and shares it with another person under 18;",
                "shares sexual imagery that another person under 18 made, whether with someone under 18 or "
                "with an adult; or",
                "has in their possession sexual imagery that another person under 18 made.",
            ),
            *_p(
                "Incidents differ a great deal, and our response depends on what kind of incident it is. We "
                "use the two kinds described by Wolak and Finkelhor (\u201cSexting: a typology\u201d, 2011):"
            ),
            _ul(
                "Aggravated: there is something criminal or abusive beyond the making of an image, such as an "
                "adult being involved, sexual abuse, extortion or threats, malice arising from a falling-out, "
                "or imagery made, sent or shown without the knowledge or against the will of the young person "
                "pictured.",
                "Experimental: young people made and sent images of themselves within a relationship, to "
                "attract someone's interest, or to seek attention, with no criminal intent beyond making and "
                "sending them, no apparent malice and everyone taking part willingly.",
            ),
            *_p(
                "Deciding which kind an incident is calls for an informed, practical judgement by the DSL; it "
                "shapes what happens next, as the sections below explain."
            ),
        ],
        "law": [
            *_p(
                "Making, possessing, showing or distributing an indecent image of anyone under 18 is an offence "
                "under the Protection of Children Act 1978, as amended by the Sexual Offences Act 2003. This is "
                "true even when the young person pictured is the one who made or holds it.",
                "The law does not define \u201cindecent\u201d; in court it is decided against recognised "
                "standards of propriety. In practice, imagery of a naked young person, a topless girl, genitals "
                "or sexual acts (including masturbation) will usually be treated as indecent, and overtly "
                "sexual imagery of young people in underwear may be too.",
                "These laws were written to protect children from adults who abuse them, long before phones "
                "had cameras; they were not meant to criminalise children. A criminal record can follow a child "
                "into adult life, closing doors to education, work, travel and housing. Most young people who "
                "share imagery need education, support or safeguarding rather than punishment, and the "
                "National Police Chiefs' Council treats these incidents first as safeguarding matters. We "
                "therefore involve the police only when an incident needs it, and we explain this approach to "
                "parents and carers.",
            ),
            _q(
                "ACPO does not support the prosecution or criminalisation of children for taking indecent "
                "images of themselves and sharing them.",
                ACPO,
            ),
            _h("If the police are told"),
            *_p(
                "When the police are told about an incident they must record it as a crime, with the young "
                "person as a suspect. That is not a criminal record. Since January 2016 the police can close "
                "such a crime with \u201coutcome 21\u201d, recording that further action would not be in the "
                "public interest.",
                "Information short of a conviction or caution can appear only on an enhanced DBS certificate, "
                "and only if a chief officer decides it is relevant; for a single incident that is unlikely, "
                "but it cannot be ruled out. Prosecuting a child for a first offence of this kind is rare, and "
                "is decided case by case, weighing age, intent and vulnerability.",
            ),
        ],
        "initial-response": [
            *_p(
                "Every incident is handled as a safeguarding concern under our safeguarding and child "
                "protection policy. We act quickly and calmly so that the {children} involved are kept safe, "
                "supported and educated, guided by proportionality and by their welfare above all.",
                "When an incident comes to our attention:",
            ),
            _ul(
                "it is passed to the Designated Safeguarding Lead (DSL), {dsl}, as soon as possible;",
                "the DSL holds an initial review meeting with the right members of staff;",
                "the DSL may then talk with the {children} involved, where that is appropriate;",
                "parents or carers are told early and involved in what happens, unless there is good reason "
                "to think that telling them would put the {child} at risk of harm; and",
                "at any point, if there is a concern that a {child} has been harmed or is at risk of harm, a "
                "referral is made to children's social care and/or the police straight away.",
            ),
            *_p(deputies_sentence),
        ],
        "disclosures": [
            *_p(
                "A {child} may tell a class teacher, the DSL or any other member of staff; they may use one "
                "of our usual ways of reporting a worry; or a friend or parent may tell us, or go to the police "
                "directly. Every member of staff, including those who do not teach, knows how to recognise "
                "such a disclosure and how to pass it on to the DSL: this is part of our staff training.",
                "We take every disclosure seriously. A young person who tells us that imagery of them exists "
                "is likely to be embarrassed and anxious about what will happen, and may already have tried "
                "to sort it out alone before coming to us as a last resort. We reassure them that telling us "
                "was the right thing to do.",
                "Because we want to avoid criminalising children where we can, we ask parents and carers to "
                "come to the {place} first, unless an incident is serious enough to need the police at once.",
            ),
        ],
        "initial-review": [
            *_p(
                "The DSL holds an initial review meeting with the right members of staff. Using what is known "
                "so far, it decides:"
            ),
            _ul(
                "whether any young person is at immediate risk, and whether the incident is experimental or "
                "aggravated;",
                "whether to refer to the Multi-Agency Safeguarding Hub (MASH) and/or the police;",
                "whether anyone needs to view the imagery to safeguard the young person (in most cases no one should);",
                "what more needs to be found out before deciding how to respond;",
                "whether the imagery has spread, and through which services or platforms, if that is known;",
                "whether to act at once to delete or remove imagery from devices or online services;",
                "what is known about the young people involved that bears on the risk;",
                "whether another school, college, setting or person needs to be contacted; and",
                "whether to tell the parents or carers of the {children} involved (in most cases they are told).",
            ),
            *_p(
                "The meeting's questions, its answers and its decision are recorded in YSI, the system in "
                "which we keep these records."
            ),
        ],
        # The criteria themselves are added from the rules module (see `_referral_blocks`).
        "referral-criteria": [],
        "not-referring": [
            *_p(
                "When none of the criteria above applies, we may respond to the incident ourselves without "
                "involving the MASH or the police, and we may still escalate it at any time if more comes to "
                "light.",
                "We do so only when the DSL is confident they know enough to assess the risks to the {children} "
                "involved, and that those risks can be managed through our pastoral support and behaviour "
                "framework and, where appropriate, local support services.",
                "The DSL makes this decision with the headteacher, {headteacher}, and other staff where "
                "appropriate. It follows our safeguarding and child protection procedures, rests on the best "
                "interests of the young people, weighs proportionality together with their welfare and "
                "protection, is recorded, and is reviewed as the response goes on.",
                "An experimental incident (for example, imagery shared consensually within a relationship or "
                "as a joke, with no intended malice) may well be one we manage ourselves. An incident with "
                "aggravating factors, such as someone sharing another young person's imagery without consent "
                "and to hurt them, is referred to the MASH and/or the police.",
                "If we are unsure whether to involve other agencies, the DSL asks the MASH for advice. The "
                "police cannot give general advice: once a child is named or details are given, they must "
                "record and investigate any crime.",
            ),
        ],
        "assessing-risks": [
            *_p(
                "When the initial review decides not to refer, the DSL looks further into the incident, "
                "including by talking with the {children} involved, to establish the facts and assess the "
                "risks. The DSL considers:"
            ),
            _ul(
                "why the imagery was shared;",
                "whether the young person was pressured or coerced into making it;",
                "who has shared it, and where;",
                "whether the young person pictured knew it was being shared and received;",
                "whether any adult has been involved in sharing it;",
                "what effect it is having on the young people involved;",
                "whether any of them has additional vulnerabilities;",
                "whether the young person understands consent; and",
                "whether the young person has done anything like this before.",
            ),
            *_p(
                "The DSL always uses their professional judgement, together with colleagues. Tools that can "
                "help are listed under Further guidance."
            ),
        ],
        "parents": [
            *_p(
                "Parents or carers are told early and involved in what happens, unless telling them would put "
                "the {child} at risk of harm. A decision not to tell them is normally made with the MASH and/or "
                "the police, who then decide when they are told.",
                "The DSL may work with the young people on how best to tell their parents, and may support "
                "them to tell their parents themselves.",
            ),
        ],
        "police-devices": [
            *_p(
                "When a referral to the police is needed and no one is in immediate danger, we call the police "
                "on {police_phone}. In an emergency we call 999.",
                "Once a report is made, the police must record it and will investigate; this may include "
                "taking devices and interviewing the young people involved.",
            ),
            _h("Securing a device for the police"),
            *_p(
                "If a device needs to go to the police, it is confiscated and the police are called. The "
                "device is switched off and kept locked away until the police collect it. No one looks "
                "through it, copies anything from it or sends anything on from it in the meantime. We follow "
                "the Department for Education's advice \u201cSearching, screening and confiscation\u201d."
            ),
        ],
        "social-care": [
            *_p(
                "If the DSL knows that children's social care is working with a {child} involved, or has done "
                "so in the past, or thinks it may be, the DSL contacts them.",
                "If the DSL finds wider concerns that meet the threshold for children's social care, they "
                "refer under our child protection procedures. The MASH is reached on {mash_phone}" + mash_email + ".",
                "If an adult who works with children (including any member of our own staff or a volunteer) "
                "may be involved, the DSL or headteacher contacts the Local Authority Designated Officer "
                "(LADO) on {lado_phone}" + lado_email + " the same day.",
                "The DSL knows the local procedures, services and contacts that support settings with these "
                "incidents, and keeps this policy's contacts up to date.",
            ),
        ],
        "searching": [
            *_p(
                "The Department for Education's advice \u201cSearching, screening and confiscation\u201d gives "
                "schools the power to search {children} for devices, to search the data on a device and to "
                "delete youth produced sexual imagery. Even so, just as staff should not normally view "
                "imagery, we do not search through devices or delete imagery unless there is a good and clear "
                "reason to.",
                "Any search is decided by the DSL with the headteacher, follows that advice and our own "
                "search procedures, and is recorded with its reason.",
            ),
        ],
        "viewing": [
            *_p(
                "Staff do not view youth produced sexual imagery unless there is a good and clear reason to. "
                "Wherever possible, we respond on the basis of what the DSL has been told about what the "
                "imagery shows. Staff must never ask a young person to show or send them imagery.",
                "Only the DSL decides whether imagery is viewed, using their professional judgement and "
                "following our safeguarding and child protection policy. Imagery is never viewed if viewing "
                "it would cause the {child} significant distress or harm.",
                "Before deciding to view imagery, the DSL must be satisfied that viewing is:",
            ),
            _ul(
                "the only way to decide whether to involve other agencies, because the facts cannot be "
                "established from the young people involved;",
                "needed to report the imagery to a website, app or reporting body so that it is taken down, "
                "or to help the young person or a parent make that report; or",
                "unavoidable, because a young person has shown it directly to a member of staff or it has "
                "been found on one of our devices or networks.",
            ),
            *_p("If imagery has to be viewed, the DSL:"),
            _ul(
                "never copies, prints, shares, forwards or screenshots it: doing so is illegal;",
                "discusses the decision with the headteacher first;",
                "makes sure it is viewed only by the DSL, or by another member of the safeguarding team the "
                "headteacher has authorised;",
                "makes sure another member of staff is present in the room, ideally the headteacher or a "
                "senior leader, who does not need to look at the imagery;",
                "makes sure it is viewed on our premises wherever possible, ideally in the headteacher's or a "
                "senior leader's office;",
                "makes sure, wherever possible, that the person viewing is the same sex as the young person "
                "pictured; and",
                "records the viewing: who was present, why the imagery was viewed and what followed, signed "
                "and dated, to the standard Ofsted expects of safeguarding records.",
            ),
            *_p(
                "If a member of staff has seen imagery without meaning to, for example when a young person "
                "showed it to them or while monitoring our systems, the DSL makes sure they are offered "
                "support: seeing such imagery can upset adults as well as young people.",
                "YSI, the system in which we keep these records, never accepts, stores or shows imagery. "
                "Records describe imagery in words only.",
            ),
        ],
        "deletion": [
            *_p(
                "When we decide that other agencies do not need to be involved, we consider deleting the "
                "imagery from devices and online services to stop it spreading further.",
                "In most cases we ask the young people to delete the imagery themselves, from every device, "
                "online storage and social media account, by a set deadline, and to confirm that they have "
                "done so. We remind them that possessing the imagery is illegal, and that if they refuse, or "
                "are later found not to have deleted it, they are committing an offence and the police may "
                "become involved.",
                "Every decision is recorded with its date, time and reason. Parents and carers are told, "
                "unless that would put the young person at further risk.",
                "The headteacher and DSL may also decide to use our behaviour policy to discourage making, "
                "sharing or asking for imagery.",
            ),
        ],
        "talking": [
            *_p(
                "Once we have judged that a young person is not at immediate risk, the DSL may talk with them "
                "to decide what to do next. The DSL leads the conversation where possible, but if the young "
                "person would be more comfortable with another member of staff we arrange that where we can.",
                "In these conversations the DSL:",
            ),
            _ul(
                "recognises the pressure young people can be under to share imagery and, where it helps, "
                "supports parents to understand the wider reasons behind it;",
                "stays focused on solutions and avoids asking \u201cwhy did you do this?\u201d, which can stop "
                "a young person from talking;",
                "reassures the young person that they are not alone and that our {place} will do all it can to help;",
                "helps them understand what has happened, including the pressures they may face and why the "
                "person who passed the imagery on may have done so; and",
                "talks about consent and trust in healthy relationships: no one should make them feel "
                "uncomfortable, pressure them into things they do not want to do or show them things they do "
                "not want to see, and they can always come to the DSL if that happens.",
            ),
            *_p("The conversation aims to:"),
            _ul(
                "find out, without looking, what the imagery shows and whether anyone else is involved; and",
                "find out who has seen or shared it, and how to stop it spreading further.",
            ),
        ],
        "recording": [
            *_p(
                "We record every incident, whether or not it is referred to another agency. Our records are "
                "kept in YSI, where every change is kept in the incident's chronology.",
                "Ofsted looks at safeguarding records for the following, and our records of these incidents "
                "aim to show each of them:",
            ),
            _ul(
                "records are up to date and complete;",
                "they show that risks of harm were identified and managed well;",
                "they show sound decisions, fitting responses to concerns and timely referrals where needed;",
                "they show that action on concerns and allegations was taken in good time;",
                "they show concerns were followed up persistently with other agencies;",
                "they show effective partnership working and information sharing;",
                "they show attendance at, or contributions to, meetings with other agencies; and",
                "our rules on sharing information within the {place}, keeping records safe and passing them "
                "on when a {child} leaves are clear.",
            ),
            *_p(
                "When we decide not to refer an incident to the police or children's social care, we record "
                "why, and the headteacher signs that decision off."
            ),
        ],
        "online-removal": [
            *_p(
                "We help young people get imagery removed from devices and online services, especially when "
                "they are distressed. Most services let account holders report content, and some let someone "
                "else report it on a young person's behalf.",
                "Young people can also use Report Remove, run by Childline with the Internet Watch Foundation, "
                "to ask for sexual imagery of themselves to be taken down; the DSL can help them do so. Any "
                "report is made without staff copying or forwarding the imagery.",
            ),
        ],
        "education": [
            _q(
                "schools ... should ensure children are taught about safeguarding, including online, through "
                "teaching and learning opportunities",
                KCSIE,
            ),
            *_p(
                "We give the {children} age-appropriate chances to learn about youth produced sexual imagery. "
                "This is not taught on its own: it is part of {curriculum}, and reflects the National "
                "Curriculum for computing.",
                "These lessons are taught in an emotionally safe classroom, with ground rules agreed and the "
                "limits of what a teacher can keep confidential made clear. If a teacher suspects during a "
                "lesson that a young person is vulnerable or at risk, our safeguarding procedures are always "
                "followed.",
                "What we teach covers three things:",
            ),
            _ul(
                "facts about such imagery: what it is, how young people are most likely to come across it, "
                "what happens when someone asks for, forwards or provides it (including when that is "
                "abusive), the law, and the harm it can do to feelings and reputations;",
                "the skills to handle being asked or pressured to provide or forward imagery, or being sent "
                "it: knowing whom to tell and what to say, what to do and avoid, and where help can be found "
                "in and beyond the {place}; and",
                "the protective learning underneath both: communication, healthy relationships and trust, "
                "genuine consent, our right to be safe and to feel safe, recognising abusive or coercive "
                "language and behaviour, and our responsibility to respect other people's trust and safety.",
            ),
            *_p(
                "We recognise how hard it can be for a young person to refuse a request for imagery, "
                "especially from someone they like or whose approval they want, and how hard it can be to ask "
                "an adult for help after a decision they regret. Lessons build their confidence to use what "
                "they have learned, and explain this policy, so that they know we will support them if "
                "something goes wrong."
            ),
        ],
        "training": [
            *_p(
                "Every member of staff, including those who do not teach, is trained to recognise a "
                "disclosure of youth produced sexual imagery and to pass it on to the DSL. This is part of our "
                "safeguarding training, and the DSL keeps a record of who attended each session.",
                "When a new version of this policy is adopted, each member of staff is asked to read it, "
                "starting with a short summary, and to confirm that they have. YSI records each confirmation "
                "with the version and the time. Reading this policy is never a condition of reporting a "
                "concern: anyone can report at any time.",
                "The DSL regularly checks who has not yet read the current version or has had no training in "
                "the past year, and follows up.",
            ),
        ],
        "contacts": [
            _ul(
                "Designated Safeguarding Lead: {dsl}",
                "Deputy DSLs: {deputies}" if words["deputies"] else "Deputy DSLs: none named",
                "Headteacher: {headteacher}",
                "Multi-Agency Safeguarding Hub (MASH): {mash_phone}"
                + (", {mash_email}" if words["mash_email"] else ""),
                "Police (non-emergency): {police_phone}; in an emergency, 999",
                "Local Authority Designated Officer (LADO): {lado_phone}"
                + (", {lado_email}" if words["lado_email"] else ""),
            ),
        ],
        "review": [
            *_p(
                "This policy is drafted by the DSL, approved by the headteacher and, where our governance "
                "requires it, ratified by the governors. Each adopted version is kept unchanged; a new "
                "version never alters an earlier one.",
                "It is reviewed at least once a year, and sooner if national or local guidance changes. The "
                "next review is due by {next_review}.",
            ),
        ],
        "further": [
            *_p("This policy is written from, and should be read with:"),
            _ul(
                WSCB_2016 + ";",
                UKCCIS_2016 + ";",
                "UKCIS, Sharing nudes and semi-nudes: advice for education settings working with children "
                "and young people (2020, updated 2024);",
                "DfE, Keeping Children Safe in Education (current edition);",
                "DfE, Searching, screening and confiscation;",
                "our safeguarding and child protection, online safety, anti-bullying and behaviour policies.",
            ),
            *_p("Tools that can help in assessing risk include:"),
            _ul(
                "the local safeguarding partnership's risk assessment tools, thresholds guidance and "
                "protocols (including those on child sexual exploitation and on sexually active young people "
                "under 18); and",
                "Brook's Sexual Behaviours Traffic Light Tool.",
            ),
        ],
    }


def _referral_blocks(words: dict[str, str], rule_set: str) -> list[_Raw]:
    description = rules.describe_rule_set(rule_set)
    national = rules.describe_rule_set(rules.NATIONAL_RULE_SET)
    raw: list[_Raw] = [
        *_p(
            Literal(f"Our referral rules follow {description.title}: {description.source}."),
            Literal(description.summary),
            "The initial review refers an incident to the MASH ({mash_phone}) and/or the police at once "
            "when the following applies. This is the same rule that YSI applies when it proposes a "
            "decision to the DSL, printed from the same source, so this policy and the app cannot disagree.",
        ),
        (BULLETS, tuple(Literal(criterion.wording) for criterion in description.criteria), ""),
        *_p(Literal(description.combination)),
        *_p("The MASH may involve the police at this stage if it thinks that right."),
    ]
    if description.departs_from_national:
        raw.append(
            (
                BOX,
                (
                    Literal(
                        f"The current national advice is {national.title}. The rule set we follow differs from it:"
                    ),
                    *(Literal(line) for line in description.departs_from_national),
                    "The DSL may always refer an incident that the national advice would refer, even where our "
                    "own rules do not require it.",
                ),
                "Our rules depart from current national advice",
            )
        )
    elif rule_set == rules.NATIONAL_RULE_SET:
        raw += _p("This is the current national advice.")
    return raw


def _summary(words: dict[str, str]) -> Summary:
    def lines(*templates: str) -> tuple[Text, ...]:
        return tuple(fill(template, words) for template in templates)

    return Summary(
        do=lines(
            "Treat every incident of youth produced sexual imagery as a safeguarding concern.",
            "Listen, stay calm and reassure the {child} that telling you was the right thing to do.",
            "Tell the DSL, {dsl}, straight away, the same day.",
            "If a {child} is in immediate danger, call 999, then tell the DSL.",
        ),
        never=lines(
            "Never look at, ask to see or ask to be sent any imagery.",
            "Never copy, print, forward, screenshot or share it: doing so is illegal.",
            "Never search or delete anything on anyone's device yourself; if a device needs securing, the DSL decides.",
        ),
        report=lines(
            "Report your concern to the DSL, {dsl}, or a deputy, in person or through YSI.",
            "You can always report a concern, whether or not you have read this policy yet.",
        ),
    )


def assemble(values: PolicyValues) -> Document:
    """The whole policy for these values, with a Gap wherever a value is still missing."""
    words = values.as_words()
    raw_sections = _section_text(words)
    raw_sections["referral-criteria"] = _referral_blocks(words, values.rule_set)
    sections = []
    for number, key in enumerate(REQUIRED_SECTIONS, start=1):
        blocks = [
            Block(kind=kind, lines=tuple(_line(line, words) for line in lines), title=title)
            for kind, lines, title in raw_sections[key]
        ]
        addition = values.local_additions.get(key, "").strip()
        if addition:
            paragraphs = [p.strip() for p in re.split(r"\n\s*\n", addition) if p.strip()]
            # The setting's own words are printed as typed, never read for {names}.
            blocks.append(Block(kind=LOCAL, lines=tuple((p,) for p in paragraphs), title="Our local arrangements"))
        sections.append(Section(key=key, number=number, title=SECTION_TITLES[key], blocks=tuple(blocks)))
    name = words["setting_name"]
    return Document(
        title=f"{name}: youth produced sexual imagery policy" if name else "Youth produced sexual imagery policy",
        rule_set=values.rule_set,
        departs_from_national=bool(rules.describe_rule_set(values.rule_set).departs_from_national),
        sections=tuple(sections),
        summary=_summary(words),
    )


def _line(line: str, words: dict[str, str]) -> Text:
    return (str(line),) if isinstance(line, Literal) else fill(line, words)


def _and_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
