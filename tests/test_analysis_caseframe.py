"""Reading plain CSV files of cases: separators, encodings and Danish errors."""

from __future__ import annotations

import pytest

from effektspor.analysis.caseframe import read_case_csv, value_order
from effektspor.domain.errors import ValidationError


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_semicolon_utf8_with_bom_and_comma_cp1252_read_the_same(tmp_path):
    text = "sag_id;målopnåelse;problemgrad\nS1;På vej;Svær\nS2;I mål;Let\n"
    a = read_case_csv(write(tmp_path, "a.csv", b"\xef\xbb\xbf" + text.encode("utf-8")))
    b = read_case_csv(write(tmp_path, "b.csv", text.replace(";", ",").encode("cp1252")))
    for table in (a, b):
        assert table.case_ids == ["S1", "S2"]
        assert table.column("målopnåelse") == ["På vej", "I mål"]
        assert table.value_order("målopnåelse") == ["I mål", "På vej"]


def test_quoted_fields_may_hold_the_separator(tmp_path):
    table = read_case_csv(write(tmp_path, "q.csv", b'sag_id,note\nS1,"a, b"\n'))
    assert table.column("note") == ["a, b"]


def test_wrong_number_of_fields_names_file_and_line(tmp_path):
    path = write(tmp_path, "sager.csv", b"sag_id;a;b\nS1;1;2\nS2;1\n")
    with pytest.raises(ValidationError) as error:
        read_case_csv(path)
    assert "sager.csv, linje 3" in str(error.value.problems[0])
    assert "2 felter" in str(error.value.problems[0])


def test_duplicate_case_and_missing_id_are_reported_with_column(tmp_path):
    path = write(tmp_path, "sager.csv", b"sag_id;a\nS1;1\nS1;2\n;3\n")
    with pytest.raises(ValidationError) as error:
        read_case_csv(path)
    messages = [str(p) for p in error.value.problems]
    assert any("linje 3, felt 'sag_id'" in m and "linje 2" in m for m in messages)
    assert any("linje 4, felt 'sag_id'" in m and "mangler et id" in m for m in messages)


def test_empty_file_and_duplicate_header_are_rejected(tmp_path):
    with pytest.raises(ValidationError, match="tom"):
        read_case_csv(write(tmp_path, "tom.csv", b""))
    with pytest.raises(ValidationError) as error:
        read_case_csv(write(tmp_path, "dobbelt.csv", b"sag_id;a;a\nS1;1;2\n"))
    assert "står der to gange" in str(error.value.problems[0])


def test_missing_file_gives_danish_error(tmp_path):
    with pytest.raises(ValidationError, match="Kan ikke læse"):
        read_case_csv(tmp_path / "findes_ikke.csv")


def test_value_order_uses_declared_orders_only_when_every_value_fits():
    assert value_order(["Let", "Svær", "Mellem"]) == ["Svær", "Mellem", "Let"]
    assert value_order(["Ikke i mål", "I mål"]) == ["I mål", "Ikke i mål"]
    assert value_order(["Let", "Ukendt", "Svær"]) == ["Let", "Ukendt", "Svær"]


def test_declared_order_ignores_case_but_keeps_the_spelling():
    assert value_order(["let", "SVÆR", "Mellem"]) == ["SVÆR", "Mellem", "let"]
    assert value_order(["på vej", "i mål"]) == ["i mål", "på vej"]
