"""REFI-QDA exchange: codebooks (.qdc) and projects (.qdpx) as the standard describes.

A .qdc file is a ``CodeBook`` XML document in the namespace ``urn:QDA-XML:codebook:1.0``
with nested ``Code`` elements. A .qdpx file is a zip archive holding ``project.qde``
(a ``Project`` document in ``urn:QDA-XML:project:1.0``: Users, CodeBook, Cases,
Sources with PlainTextSelection/Coding/CodeRef) and the plain texts under
``Sources/<guid>.txt``. Positions are zero-based character (code point) offsets.
GUIDs are derived deterministically, so exporting twice gives the same identifiers.
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from effektspor.coding.codebook import Codebook

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
ORIGIN = "effektspor"
_GUID_NAMESPACE = uuid.UUID("6f1d1f8e-3f43-4d0a-9a63-2f7d8f0b9c21")


def guid(kind: str, key: str) -> str:
    """A stable GUID for an object of ``kind`` identified by ``key``."""
    return str(uuid.uuid5(_GUID_NAMESPACE, f"{kind}:{key}"))


def code_guid(codebook: Codebook, code_id: str) -> str:
    """The GUID of a code of a codebook."""
    return guid("kode", f"{codebook.name}:{code_id}")


@dataclass(slots=True)
class RefiSelection:
    """A coded passage of a source: offsets, code GUID and the coding user."""

    start: int
    end: int
    code_guid: str
    user: str
    created: datetime | None = None


@dataclass(slots=True)
class RefiSource:
    """A text source (one note) with its selections."""

    guid: str
    name: str
    text: str
    selections: list[RefiSelection] = field(default_factory=list)


@dataclass(slots=True)
class RefiCase:
    """A case grouping sources."""

    guid: str
    name: str
    source_guids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RefiCode:
    """A code as read from a file: GUID, name, colour, description, parent GUID."""

    guid: str
    name: str
    colour: str | None
    description: str
    parent: str | None


@dataclass(slots=True)
class RefiProject:
    """What a .qdpx file holds, in plain data."""

    name: str
    sources: list[RefiSource]
    cases: list[RefiCase] = field(default_factory=list)
    codes: list[RefiCode] = field(default_factory=list)


def _timestamp(value: datetime | None = None) -> str:
    return (value or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _codes_element(parent: ET.Element, codebook: Codebook, ns: str) -> None:
    codes = ET.SubElement(parent, f"{{{ns}}}Codes")
    children: dict[str | None, list] = {}
    for code in codebook.codes:
        children.setdefault(code.parent, []).append(code)

    def emit(container: ET.Element, code) -> None:
        attributes = {"guid": code_guid(codebook, code.id), "name": code.name,
                      "isCodable": "true"}
        if code.colour:
            attributes["color"] = code.colour.upper()
        element = ET.SubElement(container, f"{{{ns}}}Code", attributes)
        description = "\n".join(part for part in (
            code.definition, code.inclusion and f"Inklusion: {code.inclusion}",
            code.exclusion and f"Eksklusion: {code.exclusion}") if part)
        if description:
            ET.SubElement(element, f"{{{ns}}}Description").text = description
        for child in children.get(code.id, ()):
            emit(element, child)

    for code in children.get(None, ()):
        emit(codes, code)


def codebook_to_qdc(codebook: Codebook) -> bytes:
    """The codebook as a REFI-QDA codebook document (.qdc)."""
    ET.register_namespace("", CODEBOOK_NS)
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": ORIGIN})
    _codes_element(root, codebook, CODEBOOK_NS)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def project_to_qde(project: RefiProject, codebook: Codebook) -> bytes:
    """The project document (project.qde) of a .qdpx archive."""
    ET.register_namespace("", PROJECT_NS)
    ns = PROJECT_NS
    users = sorted({s.user for source in project.sources for s in source.selections}
                   | {ORIGIN})
    user_guids = {name: guid("bruger", name) for name in users}
    root = ET.Element(f"{{{ns}}}Project", {
        "name": project.name, "origin": ORIGIN, "creationDateTime": _timestamp(),
        "creatingUserGUID": user_guids[ORIGIN]})
    users_element = ET.SubElement(root, f"{{{ns}}}Users")
    for name in users:
        ET.SubElement(users_element, f"{{{ns}}}User", {"guid": user_guids[name], "name": name})
    book = ET.SubElement(root, f"{{{ns}}}CodeBook")
    _codes_element(book, codebook, ns)
    if project.cases:
        cases = ET.SubElement(root, f"{{{ns}}}Cases")
        for case in project.cases:
            element = ET.SubElement(cases, f"{{{ns}}}Case", {"guid": case.guid,
                                                            "name": case.name})
            for source_guid in case.source_guids:
                ET.SubElement(element, f"{{{ns}}}SourceRef", {"targetGUID": source_guid})
    sources = ET.SubElement(root, f"{{{ns}}}Sources")
    for source in project.sources:
        element = ET.SubElement(sources, f"{{{ns}}}TextSource", {
            "guid": source.guid, "name": source.name,
            "plainTextPath": f"internal://{source.guid}.txt"})
        for index, selection in enumerate(source.selections):
            key = f"{source.guid}:{selection.start}:{selection.end}:{selection.code_guid}:" \
                  f"{selection.user}:{index}"
            created = _timestamp(selection.created)
            chosen = ET.SubElement(element, f"{{{ns}}}PlainTextSelection", {
                "guid": guid("udsnit", key), "name": source.text[selection.start:
                                                                 selection.end][:200],
                "startPosition": str(selection.start), "endPosition": str(selection.end),
                "creatingUser": user_guids[selection.user], "creationDateTime": created})
            coding = ET.SubElement(chosen, f"{{{ns}}}Coding", {
                "guid": guid("kodning", key), "creatingUser": user_guids[selection.user],
                "creationDateTime": created})
            ET.SubElement(coding, f"{{{ns}}}CodeRef", {"targetGUID": selection.code_guid})
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def write_qdpx(path: Path, project: RefiProject, codebook: Codebook) -> None:
    """Write a .qdpx archive: project.qde and Sources/<guid>.txt (UTF-8)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project_to_qde(project, codebook))
        for source in project.sources:
            archive.writestr(f"Sources/{source.guid}.txt", source.text.encode("utf-8"))


def _read_codes(container: ET.Element, ns: str, parent: str | None,
                found: list[RefiCode]) -> None:
    for element in container.findall(f"{{{ns}}}Code"):
        description = element.find(f"{{{ns}}}Description")
        found.append(RefiCode(element.get("guid", ""), element.get("name", ""),
                              element.get("color"),
                              description.text or "" if description is not None else "",
                              parent))
        _read_codes(element, ns, element.get("guid"), found)


def read_qdc(data: bytes) -> list[RefiCode]:
    """The codes of a .qdc document (``ValueError`` in Danish if it is not one)."""
    root = _parse(data)
    if root.tag != f"{{{CODEBOOK_NS}}}CodeBook":
        raise ValueError("filen er ikke en REFI-QDA-kodebog (CodeBook-elementet mangler)")
    codes = root.find(f"{{{CODEBOOK_NS}}}Codes")
    found: list[RefiCode] = []
    if codes is not None:
        _read_codes(codes, CODEBOOK_NS, None, found)
    return found


def read_qdpx(path: Path) -> RefiProject:
    """Read a .qdpx archive into plain data (``ValueError`` in Danish on bad structure)."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise ValueError("filen er ikke et zip-arkiv (.qdpx)") from error
    with archive:
        names = set(archive.namelist())
        if "project.qde" not in names:
            raise ValueError("project.qde mangler i arkivet")
        root = _parse(archive.read("project.qde"))
        ns = PROJECT_NS
        if root.tag != f"{{{ns}}}Project":
            raise ValueError("project.qde er ikke et REFI-QDA-projekt (Project-elementet)")
        users = {u.get("guid"): u.get("name") for u in root.iter(f"{{{ns}}}User")}
        codes: list[RefiCode] = []
        book = root.find(f"{{{ns}}}CodeBook/{{{ns}}}Codes")
        if book is not None:
            _read_codes(book, ns, None, codes)
        sources = []
        for element in root.iter(f"{{{ns}}}TextSource"):
            source_guid = element.get("guid", "")
            path_attribute = element.get("plainTextPath", f"internal://{source_guid}.txt")
            member = "Sources/" + path_attribute.removeprefix("internal://")
            if member not in names:
                raise ValueError(f"teksten til kilden '{element.get('name')}' mangler "
                                 f"({member})")
            text = archive.read(member).decode("utf-8")
            source = RefiSource(source_guid, element.get("name", ""), text)
            for chosen in element.findall(f"{{{ns}}}PlainTextSelection"):
                start, end = int(chosen.get("startPosition")), int(chosen.get("endPosition"))
                for coding in chosen.findall(f"{{{ns}}}Coding"):
                    ref = coding.find(f"{{{ns}}}CodeRef")
                    user = users.get(coding.get("creatingUser")) or users.get(
                        chosen.get("creatingUser")) or "ukendt"
                    if ref is not None:
                        source.selections.append(RefiSelection(start, end,
                                                               ref.get("targetGUID"), user))
            sources.append(source)
        cases = [RefiCase(c.get("guid", ""), c.get("name", ""),
                          [r.get("targetGUID") for r in c.findall(f"{{{ns}}}SourceRef")])
                 for c in root.iter(f"{{{ns}}}Case")]
        return RefiProject(root.get("name", ""), sources, cases, codes)


def _parse(data: bytes) -> ET.Element:
    try:
        return ET.fromstring(data)
    except ET.ParseError as error:
        raise ValueError(f"XML-fejl: {error}") from error
