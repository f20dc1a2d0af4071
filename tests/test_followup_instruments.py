"""Measuring instruments as data: the built-in ones, a municipality's definition with
subscales (scores only), Danish file/line errors, and measurements on each."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from effektspor.cli.main import cli
from effektspor.domain.errors import EffektsporError, ValidationError
from effektspor.followup.instruments import builtin_instruments, read_instrument
from effektspor.services.authorization import Actor, PermissionDenied, Role
from effektspor.services.contract import unit_of_work
from effektspor.services.followup import measurements, measures
from effektspor.services.project import create_project

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "eksempler" / "instrument-med-delskalaer.yaml"
ADMIN = Actor("admin", Role.ADMINISTRATOR)


def test_the_built_in_instruments():
    built = builtin_instruments()
    assert set(built) == {"skalering", "trivsel"}
    scaling = built["skalering"]
    assert (scaling.minimum, scaling.maximum, scaling.higher_is_better) == (0, 10, True)
    assert scaling.band(5) == "Noget bekymring" and scaling.band(8) == "Tryghed"
    assert built["trivsel"].total({"total": 4.0}) == 4.0


def test_a_definition_with_subscales_forms_its_total():
    own = read_instrument(EXAMPLE.read_text("utf-8"), source=EXAMPLE.name)
    assert [s.key for s in own.subscales] == ["individuelt", "relationer", "socialt",
                                              "generelt"]
    assert own.total({"individuelt": 5, "relationer": 6, "socialt": 7, "generelt": 8}) == 26
    assert own.band(26) == "Over grænseværdien"
    assert (own.reliability, own.reference_sd) == (0.85, 7.0)
    assert own.informants == ("barn", "mor", "far", "plejeforælder")


def test_definition_errors_name_file_line_and_field():
    text = ("instrument: Min Skala\n"
            "navn: Test\n"
            "skala: {min: 10, max: 0}\n"
            "højere_er_bedre: ja\n"
            "total: median\n"
            "bånd:\n"
            "  - {fra: 0, til: 99, etiket: For bredt}\n"
            "informanter: [nabo]\n"
            "spørgsmål: Hvordan har du det\n")
    with pytest.raises(ValidationError) as caught:
        read_instrument(text, source="min.yaml")
    messages = [str(p) for p in caught.value.problems]
    for expected in ("min.yaml, linje 1, felt 'instrument'", "felt 'version'",
                     "linje 3, felt 'max'", "linje 4, felt 'højere_er_bedre'",
                     "linje 5, felt 'total'", "linje 8, felt 'informanter'",
                     "linje 9, felt 'spørgsmål'"):
        assert any(expected in m for m in messages), (expected, messages)


def test_measurements_on_a_project_instrument(tmp_path):
    project = create_project(tmp_path / "p", "Instrumenter", actor="test")
    try:
        with unit_of_work(project) as session:
            base = {"session": session, "actor": ADMIN, "project_id": project.project_id}
            measures.create_measure(**base, case="S-1", measure="I-1", kind="forebyggende",
                                    start="2025-01-01")
            added = measurements.add_instrument(**base, text=EXAMPLE.read_text("utf-8"),
                                                source=EXAMPLE.name)
            assert added.key == "eksempel_fire_omraader"
            made = measurements.record_measurement(
                **base, case="S-1", instrument=added.key, day="2025-02-01", informant="mor",
                scores={"individuelt": "5", "relationer": "6", "socialt": 7, "generelt": 8})
            assert made.total == 26 and made.scores["socialt"] == 7
            with pytest.raises(ValidationError) as caught:
                measurements.record_measurement(
                    **base, case="S-1", instrument=added.key, day="2025-02-01",
                    informant="skole", scores={"individuelt": 11, "ukendt": 1})
            messages = " ".join(str(p) for p in caught.value.problems)
            assert "informant" in messages and "relationer' mangler" in messages
            assert "ingen delskala 'ukendt'" in messages and "0–10" in messages
            listed = measurements.list_instruments(session=session, actor=ADMIN,
                                                   project_id=project.project_id)
            assert [i.key for i in listed] == ["skalering", "trivsel", added.key]
            with pytest.raises(EffektsporError, match="indbygget"):
                measurements.add_instrument(
                    **base, text=EXAMPLE.read_text("utf-8").replace(
                        "instrument: eksempel_fire_omraader", "instrument: trivsel"))
            with pytest.raises(PermissionDenied):
                measurements.add_instrument(session=session, actor=Actor("k", Role.CODER),
                                            project_id=project.project_id, text="x")
    finally:
        project.close()


def test_the_cli_adds_an_instrument_and_records_subscale_scores(tmp_path):
    folder = tmp_path / "projekt"
    create_project(folder, "Instrument CLI", actor="test").close()
    runner = CliRunner()
    steps = [
        ["opfølgning", "indsats", "-p", str(folder), "--sag", "S-1", "--indsats", "I-1",
         "--type", "forebyggende", "--start", "2025-01-01"],
        ["opfølgning", "instrument", "-p", str(folder), str(EXAMPLE)],
        ["opfølgning", "måling", "-p", str(folder), "--sag", "S-1", "--instrument",
         "eksempel_fire_omraader", "--dato", "2025-02-01", "--informant", "barn",
         "--delscore", "individuelt=5", "--delscore", "relationer=6", "--delscore",
         "socialt=7", "--delscore", "generelt=8"],
    ]
    outputs = []
    for step in steps:
        result = runner.invoke(cli, step)
        assert result.exit_code == 0, (step, result.output)
        outputs.append(result.output)
    assert "delskalaer: individuelt" in outputs[1] and "26" in outputs[2]
