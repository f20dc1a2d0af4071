"""The mapping file (tilknytningsfil): how to read an export that is not in the standard layout.

A YAML file with Danish keys; the user guide (docs/brugervejledning/import.md) has a
full example. Every problem in the file itself is reported with the file and the key
(``kilder[2].kolonner``) before anything is read.
"""

from __future__ import annotations

import codecs
import re
from datetime import date, datetime
from pathlib import Path

import yaml

from effektspor.domain.errors import Problem
from effektspor.ingest.decoding import bom_encoding, forbidden_character
from effektspor.ingest.layout import SourcePlan, display_name
from effektspor.ingest.sources import KINDS, TABLE_FORMATS, SourceSpec, all_fields, is_skipped_name

TOP_KEYS = {"kilder", "beskrivelse", "version"}
SOURCE_KEYS = {"fil", "mappe", "art", "kolonner", "datoformat", "skilletegn", "tegnsæt", "ark",
               "filnavn", "dokumenttype", "skema"}
FILENAME_GROUPS = {"sag", "sag_id", "dato", "dokumenttype", "type", "titel"}


class _MappingReader:
    """Validates one mapping file and turns its sources into ``SourceSpec`` objects."""

    def __init__(self, mapping_file: Path):
        self.file = mapping_file
        self.name = mapping_file.name
        self.problems: list[Problem] = []

    def problem(self, message: str, key: str) -> None:
        self.problems.append(Problem(message, self.name, None, key))

    def load(self) -> list[dict] | None:
        raw = self.file.read_bytes()
        try:
            data = yaml.safe_load(raw.decode(bom_encoding(raw) or "utf-8"))
        except UnicodeDecodeError:
            self.problems.append(Problem("filen skal være gemt som UTF-8", self.name))
            return None
        except RecursionError:
            self.problems.append(Problem("filen er indlejret for dybt til at være en "
                                         "tilknytningsfil", self.name))
            return None
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            self.problems.append(Problem(
                f"filen er ikke gyldig YAML ({getattr(error, 'problem', None) or error})",
                self.name, mark.line + 1 if mark else None))
            return None
        if not isinstance(data, dict):
            self.problem("filen skal have nøglen 'kilder' med en liste af kilder", "kilder")
            return None
        try:
            bad = _forbidden_in(data, "")
        except RecursionError:
            bad = ("kilder", "for dybt indlejrede lister eller nøgler")
        if bad:
            where, description = bad
            self.problem(f"værdien indeholder {description}; fjern tegnet", where or "kilder")
            return None
        for key in data:
            if key not in TOP_KEYS:
                self.problem(f"ukendt nøgle (kendte: {', '.join(sorted(TOP_KEYS))})", str(key))
        sources = data.get("kilder")
        if not isinstance(sources, list) or not sources:
            self.problem("'kilder' skal være en liste med mindst én kilde", "kilder")
            return None
        return sources

    def source(self, index: int, entry: object, folders: list[Path]) -> list[SourceSpec]:
        where = f"kilder[{index}]"
        if not isinstance(entry, dict):
            self.problem("en kilde skal have nøgler som 'fil' og 'art'", where)
            return []
        before = len(self.problems)
        for key in entry:
            if key not in SOURCE_KEYS:
                self.problem(f"ukendt nøgle (kendte: {', '.join(sorted(SOURCE_KEYS))})",
                             f"{where}.{key}")
        kind = entry.get("art")
        if kind not in KINDS:
            self.problem(f"'art' skal være en af: {', '.join(KINDS)}", f"{where}.art")
            return []
        has_file, has_folder = "fil" in entry, "mappe" in entry
        if has_file == has_folder:
            self.problem("angiv enten 'fil' eller 'mappe' (præcis én af dem)", where)
            return []
        target = str(entry["fil"] if has_file else entry["mappe"])
        if has_folder and kind != "dokumenter":
            self.problem("'mappe' kan kun bruges med art: dokumenter", f"{where}.mappe")
        file_format = "folder" if has_folder else TABLE_FORMATS.get(Path(target).suffix.lower())
        if file_format is None:
            self.problem("filtypen kendes ikke (brug .csv, .xlsx eller .jsonl)", f"{where}.fil")
        columns = self.columns(entry.get("kolonner"), kind, f"{where}.kolonner")
        date_format = self.date_format(entry.get("datoformat"), f"{where}.datoformat")
        delimiter = entry.get("skilletegn")
        if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
            self.problem("'skilletegn' skal være ét tegn, fx ';' eller ','", f"{where}.skilletegn")
        encoding = entry.get("tegnsæt")
        if encoding is not None:
            try:
                codecs.lookup(str(encoding))
            except LookupError:
                self.problem(f"ukendt tegnsæt '{encoding}' (fx utf-8 eller cp1252)",
                             f"{where}.tegnsæt")
        sheet = entry.get("ark")
        if sheet is not None and file_format != "xlsx":
            self.problem("'ark' kan kun bruges med en .xlsx-fil", f"{where}.ark")
        pattern = self.filename_pattern(entry, has_folder, f"{where}.filnavn")
        doc_type = entry.get("dokumenttype")
        if doc_type is not None and kind != "dokumenter":
            self.problem("'dokumenttype' kan kun bruges med art: dokumenter",
                         f"{where}.dokumenttype")
        scheme = entry.get("skema")
        if scheme is not None and kind != "notater":
            self.problem("'skema' kan kun bruges med art: notater", f"{where}.skema")
        if len(self.problems) > before or file_format is None:
            return []
        specs = []
        for path in self.locations(target, folders, f"{where}.{'fil' if has_file else 'mappe'}"):
            specs.append(SourceSpec(
                kind, path, display_name(path), file_format, columns=columns,
                date_format=date_format, delimiter=delimiter,
                encoding=str(encoding) if encoding else None,
                sheet=str(sheet) if sheet is not None else None, filename_pattern=pattern,
                document_type=str(doc_type) if doc_type else None,
                scheme_version=str(scheme) if scheme is not None else None,
                strict_columns=False))
        return specs

    def columns(self, value: object, kind: str, key: str) -> dict[str, str] | None:
        if value is None:
            return None
        if not isinstance(value, dict) or not value:
            self.problem("'kolonner' skal parre kildekolonne: felt, fx 'Sagsnr: sag_id'", key)
            return None
        known = all_fields(kind)
        targets: dict[str, str] = {}
        for column, target in value.items():
            if str(target) not in known:
                self.problem(f"feltet '{target}' findes ikke for {kind} (felter: "
                             f"{', '.join(known)})", f"{key}.{column}")
            elif str(target) in targets:
                self.problem(f"feltet '{target}' er tildelt både '{targets[str(target)]}' og "
                             f"'{column}'", f"{key}.{column}")
            else:
                targets[str(target)] = str(column)
        return {str(c): str(f) for c, f in value.items()}

    def date_format(self, value: object, key: str) -> str | None:
        if value is None:
            return None
        text = str(value)
        sample = date(2019, 3, 7)
        try:
            ok = "%" in text and datetime.strptime(sample.strftime(text), text).date() == sample
        except ValueError:
            ok = False
        if not ok:
            self.problem("ugyldigt datoformat; brug fx '%d.%m.%Y' eller '%Y-%m-%d'", key)
            return None
        return text

    def filename_pattern(self, entry: dict, has_folder: bool, key: str) -> re.Pattern | None:
        value = entry.get("filnavn")
        if value is None:
            return None
        if not has_folder:
            self.problem("'filnavn' kan kun bruges med 'mappe'", key)
            return None
        try:
            pattern = re.compile(str(value))
        except re.error as error:
            self.problem(f"ugyldigt regulært udtryk ({error})", key)
            return None
        groups = set(pattern.groupindex)
        unknown = groups - FILENAME_GROUPS
        if unknown:
            self.problem(f"ukendte navngivne grupper: {', '.join(sorted(unknown))} (kendte: "
                         "sag, dato, dokumenttype, titel)", key)
        if not groups & {"sag", "sag_id"}:
            self.problem("mønsteret skal have gruppen (?P<sag>...)", key)
        if not groups & {"dokumenttype", "type"} and not entry.get("dokumenttype"):
            self.problem("mønsteret skal have gruppen (?P<dokumenttype>...), ellers angiv "
                         "'dokumenttype'", key)
        return pattern

    def locations(self, target: str, folders: list[Path], key: str) -> list[Path]:
        path = Path(target)
        candidates = [path] if path.is_absolute() else [folder / path for folder in folders]
        found = []
        for candidate in candidates:
            if candidate.exists():
                found.append(candidate)
            else:
                self.problem(f"'{display_name(candidate)}' findes ikke", key)
        return found


def _forbidden_in(value: object, where: str, seen: set[int] | None = None
                  ) -> tuple[str, str] | None:
    """The first key or text in the loaded YAML with a forbidden character (see decoding).

    Every list and mapping is visited once, however often YAML aliases repeat it.
    """
    if isinstance(value, str):
        bad = forbidden_character(value)
        return (where, bad) if bad else None
    seen = set() if seen is None else seen
    if not isinstance(value, dict | list) or id(value) in seen:
        return None
    seen.add(id(value))
    items = value.items() if isinstance(value, dict) else enumerate(value, start=1)
    for key, item in items:
        inner = f"{where}[{key}]" if isinstance(key, int) else f"{where}.{key}".lstrip(".")
        found = _forbidden_in(key, where, seen) if isinstance(key, str) else None
        if found is None:
            found = _forbidden_in(item, inner, seen)
        if found:
            return found
    return None


def plan_from_mapping(mapping_file: Path, paths: list[Path]) -> SourcePlan:
    """The sources a mapping file names, found in each export folder of ``paths``.

    Files in the folders that the mapping does not name are listed as skipped.
    """
    reader = _MappingReader(mapping_file)
    plan = SourcePlan()
    folders = []
    for path in paths:
        if path.is_dir():
            folders.append(path)
        else:
            plan.problems.append(Problem(
                "med en tilknytningsfil skal STI være eksportmappen, filerne står i "
                "tilknytningsfilen", display_name(path)))
    entries = reader.load()
    if entries is not None:
        for index, entry in enumerate(entries, start=1):
            plan.sources.extend(reader.source(index, entry, folders))
    plan.problems.extend(reader.problems)
    used = {spec.path.resolve() for spec in plan.sources}
    for folder in folders:
        for entry in sorted(folder.iterdir()):
            if entry.resolve() in used or entry.resolve() == mapping_file.resolve():
                continue
            note = "" if is_skipped_name(entry.name) else " (ikke nævnt i tilknytningsfilen)"
            plan.skipped.append(display_name(entry) + note)
    return plan
