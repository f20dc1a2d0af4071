"""Property tests of the import: whatever a file holds, it is imported or refused in Danish.

Random bytes, random CSV and JSONL structure, random XLSX contents and declared ranges and
random document files go through the import service into one project. Every import must
either succeed or raise ``EffektsporError`` (``ValidationError``) whose problems can be
printed; a refused import must leave every table as it was, and nothing stored may hold a
character the import refuses. Hypothesis runs derandomized (the same examples every
time), without a deadline and without an example database.
"""

from __future__ import annotations

import codecs
import itertools
import json
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from effektspor.domain.errors import EffektsporError
from effektspor.ingest.decoding import FORBIDDEN_CHARACTERS
from effektspor.services.importing.imports import import_paths
from effektspor.store import tables as t
from ingest_helpers import row_counts

_SETTINGS = dict(derandomize=True, deadline=None, database=None, print_blob=False,
                 suppress_health_check=[HealthCheck.function_scoped_fixture,
                                        HealthCheck.too_slow, HealthCheck.data_too_large,
                                        HealthCheck.large_base_example])

_folders = itertools.count()

KINDS = ["sager", "notater", "personer", "bevillinger", "dokumenter"]
FIELD_NAMES = ["sag_id", "dato", "opmærksomhedspunkt", "tekst", "forfatterrolle", "team",
               "startdato", "slutdato", "afsluttet", "rolle", "navn", "cpr", "dokumenttype",
               "notat_id", "bopæl", "", "Sag_ID ", "\ufeffsag_id", "sag_id\x00", "x\ud800"]
GOOD_VALUES = ["S1", "S2", "2019-02-01", "01-03-2019", "Samvær", "barn", "mor", "ja", "nej",
               "handleplan", "010112-1234", "Testmor Syntetisk", "43556", "2019", ""]
PREFIXES = [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE,
            codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, b"PK\x03\x04", b"%PDF-1.4\n",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"sag_id;tekst\n", b'{"sag_id": "S1"}\n']

#: Text with the characters that break readers: quotes, delimiters, line ends, controls,
#: lone surrogates, non-BMP characters and Danish letters.
hostile_text = st.text(alphabet=st.one_of(
    st.sampled_from(list(";,\t\"'\r\n \x00\x01\x0b\x1b\x7f\x85\ud800\udfff\ufeff–æøåÆØÅ€😀")),
    st.characters(codec="utf-8", categories=("L", "N", "P", "Z"))), max_size=30)
value = st.one_of(st.sampled_from(GOOD_VALUES), hostile_text)


def _new_folder(tmp_path: Path) -> Path:
    folder = tmp_path / f"e{next(_folders)}"
    folder.mkdir()
    return folder


def _stored_text(project) -> list[str]:
    with project.sessions() as session:
        texts = list(session.scalars(select(t.Note.text)))
        texts += session.scalars(select(t.Document.text))
        texts += session.scalars(select(t.Person.name))
        texts += session.scalars(select(t.Case.external_id))
        for attributes in session.scalars(select(t.Case.attributes)):
            texts += [f"{k}\n{v}" for k, v in (attributes or {}).items()]
    return texts


def _import(project, paths: list[Path], **options) -> bool:
    """Import; True if it succeeded. Fails the test on anything but a Danish refusal."""
    before = row_counts(project)
    try:
        import_paths(project, paths, actor="egenskab", **options)
    except EffektsporError as error:
        assert row_counts(project) == before
        str(error).encode("utf-8")
        for problem in getattr(error, "problems", []):
            str(problem).encode("utf-8")  # every problem can be printed
        event("afvist")
        return False
    event("importeret")
    assert not [text for text in _stored_text(project) if FORBIDDEN_CHARACTERS.search(text)]
    return True


# -- random bytes ----------------------------------------------------------------------

@settings(max_examples=80, **_SETTINGS)
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=600),
       target=st.sampled_from([(".csv", "notater"), (".csv", "personer"), (".tsv", "sager"),
                               (".jsonl", "notater"), (".ndjson", "sager"),
                               (".xlsx", "sager"), (".txt", None), (".pdf", None),
                               (".docx", None)]))
def test_random_bytes(project, tmp_path, prefix, body, target):
    suffix, kind = target
    folder = _new_folder(tmp_path)
    if kind is None:  # a document in a document folder
        docs = folder / "dokumenter"
        docs.mkdir()
        (docs / f"S1_2019-01-01_handleplan{suffix}").write_bytes(prefix + body)
        _import(project, [folder])
    else:
        path = folder / f"data{suffix}"
        path.write_bytes(prefix + body)
        _import(project, [path], kind=kind)


# -- random CSV structure -------------------------------------------------------------

def _encode(text: str, encoding: str) -> bytes:
    if encoding == "cp1252":
        return text.encode("cp1252", "replace")
    return text.encode(encoding, "surrogatepass")


@settings(max_examples=80, **_SETTINGS)
@given(kind=st.sampled_from(["sager", "notater", "personer"]),
       headers=st.lists(st.one_of(st.sampled_from(FIELD_NAMES + ["netværk"]), hostile_text),
                        min_size=1, max_size=6),
       rows=st.lists(st.lists(value, max_size=7), max_size=6),
       delimiter=st.sampled_from([";", ",", "\t"]), quote=st.booleans(),
       line_end=st.sampled_from(["\n", "\r\n", "\r"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32",
                                 "cp1252"]),
       via_mapping=st.booleans(), regular=st.booleans())
def test_random_csv(project, tmp_path, kind, headers, rows, delimiter, quote, line_end,
                    encoding, via_mapping, regular):
    if regular:  # case rows with ids, known or free columns, quoted: often imported
        kind, quote = "sager", True
        headers = ["sag_id"] + [h for h in headers if h in ("team", "bopæl", "netværk")]
        rows = [[f"S{i}"] + (row + [""] * len(headers))[1:len(headers)]
                for i, row in enumerate(rows)]

    def line(values: list[str]) -> str:
        if quote:
            values = ['"' + v.replace('"', '""') + '"' for v in values]
        return delimiter.join(values)

    text = line_end.join([line(headers)] + [line(row) for row in rows]) + line_end
    folder = _new_folder(tmp_path)
    path = folder / "data.csv"
    path.write_bytes(_encode(text, encoding))
    if via_mapping:
        mapping = folder / "tilknytning.yaml"
        mapping.write_text(f"kilder:\n  - fil: data.csv\n    art: {kind}\n", encoding="utf-8")
        _import(project, [folder], mapping_file=mapping)
    else:
        _import(project, [path], kind=kind)


@settings(max_examples=40, **_SETTINGS)
@given(texts=st.lists(hostile_text, min_size=1, max_size=5),
       encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_valid_csv_structure_with_hostile_text(project, tmp_path, texts, encoding):
    """Well-formed notes: they import unless a text has a character that is refused."""
    rows = [f'S{i};2019-02-0{1 + i % 9};Samvær;x;"{text.replace(chr(34), 2 * chr(34))}"'
            for i, text in enumerate(texts)]
    path = _new_folder(tmp_path) / "notater.csv"
    path.write_bytes(_encode(
        "sag_id;dato;opmærksomhedspunkt;forfatterrolle;tekst\n" + "\n".join(rows) + "\n",
        encoding))
    stored = _import(project, [path])
    if encoding == "utf-8":  # only then is every text in the file exactly as written
        # the reader strips white space, and some control characters are white space
        refused = any(FORBIDDEN_CHARACTERS.search(text.strip()) for text in texts)
        empty = any(not text.strip() for text in texts)
        assert stored == (not refused and not empty)


# -- random JSONL structure -----------------------------------------------------------

json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                        st.integers(min_value=10 ** 100, max_value=10 ** 130), value)
json_value = st.recursive(json_scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(hostile_text, inner, max_size=3)),
    max_leaves=6)
json_row = st.fixed_dictionaries(
    {"sag_id": value},
    optional={"team": json_scalar, "dato": value, "startdato": json_scalar,
              "opmærksomhedspunkt": st.sampled_from(["Samvær", "Netværk", "x"]),
              "tekst": value, "dokumenttype": st.sampled_from(["handleplan", "bfu", "?"]),
              "bopæl": json_value}).map(lambda obj: json.dumps(obj, ensure_ascii=False))
json_line = st.one_of(
    json_row,
    st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), hostile_text), json_value,
                    max_size=6).map(lambda obj: json.dumps(obj, ensure_ascii=True)),
    st.dictionaries(st.sampled_from(FIELD_NAMES), json_scalar, max_size=6).map(
        lambda obj: json.dumps(obj, ensure_ascii=False)),
    st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "]" * n),
    st.integers(min_value=101, max_value=5000).map(lambda n: '{"sag_id": ' + "9" * n + "}"),
    hostile_text)


@settings(max_examples=60, **_SETTINGS)
@given(kind=st.sampled_from(["sager", "notater", "dokumenter"]),
       lines=st.lists(json_line, min_size=1, max_size=6),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_random_jsonl(project, tmp_path, kind, lines, encoding):
    path = _new_folder(tmp_path) / "data.jsonl"
    path.write_bytes(_encode("\n".join(lines) + "\n", encoding))
    _import(project, [path], kind=kind)


# -- random XLSX contents and declared ranges -----------------------------------------

xml_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
                   max_size=20)
cell_value = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10 ** 6, max_value=10 ** 6),
    st.integers(min_value=10_000, max_value=99_999), st.floats(allow_nan=False,
                                                               allow_infinity=False),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    st.sampled_from(["=1+1", "=A1", "#N/A", "#DIV/0!", "43556"] + GOOD_VALUES), xml_text)
column_letters = st.sampled_from(["A", "B", "E", "Z", "AA", "SS", "XFD"])


@settings(max_examples=40, **_SETTINGS)
@given(kind=st.sampled_from(["sager", "notater", "bevillinger"]),
       headers=st.lists(st.one_of(st.sampled_from(FIELD_NAMES[:15]), xml_text), max_size=5),
       cells=st.lists(st.tuples(st.integers(1, 40), st.integers(1, 12), cell_value),
                      max_size=40),
       dimension=st.one_of(st.none(), st.tuples(column_letters, st.integers(1, 1_048_576))),
       far_row=st.one_of(st.none(), st.integers(41, 2_000_000)),
       epoch_1904=st.booleans())
def test_random_xlsx(project, tmp_path, kind, headers, cells, dimension, far_row, epoch_1904):
    if kind == "sager" and len(headers) % 2:  # about half the sheets start like a real one
        headers = ["sag_id"] + headers
    workbook = openpyxl.Workbook()
    if epoch_1904:
        workbook.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    sheet = workbook.active
    for column, header in enumerate(headers, start=1):
        sheet.cell(1, column, header)
    for row, column, cell in cells:
        sheet.cell(row + 1, column, cell)
    path = _new_folder(tmp_path) / "data.xlsx"
    workbook.save(path)
    if dimension or far_row:
        with zipfile.ZipFile(path) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        xml = parts["xl/worksheets/sheet1.xml"]
        if dimension:
            ref = f"A1:{dimension[0]}{dimension[1]}".encode()
            xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="' + ref + b'"/>', xml)
        if far_row:
            xml = xml.replace(b"</sheetData>", b'<row r="%d"><c r="A%d" t="inlineStr"><is>'
                              b"<t>S9</t></is></c></row></sheetData>" % (far_row, far_row))
        parts["xl/worksheets/sheet1.xml"] = xml
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
    _import(project, [path], kind=kind)
