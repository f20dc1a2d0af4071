"""Measuring instruments as data: YAML definitions, validated with file/line errors.

A definition gives the instrument's id (``instrument``), name, version, scale
(``skala: {min, max}``), whether higher is better, optional subscales (``delskalaer``:
id, navn, min, max) and how the total is formed (``total``: sum or gennemsnit), bands
with Danish labels (``bånd``: fra, til, etiket), reliability and reference SD (for
reliable change), the allowed informants and a licence note. Built in: a 0–10 scaling
question and a 1–5 well-being scale (``data/followup/instrumenter/``). Licensed
instruments (SDQ, ORS/SRS) are added by a municipality that holds the licence, as
scores only: a definition has no item wording.
"""

from __future__ import annotations

from importlib import resources

from effektspor.domain.errors import Problem, ValidationError
from effektspor.domain.followup import INFORMANTS, TOTAL_RULES, Band, Instrument, Subscale
from effektspor.followup.yamlfile import LineDict, Reader, load_yaml

BUILTIN = ("skalering", "trivsel")
_TOP = {"instrument", "navn", "version", "skala", "højere_er_bedre", "delskalaer", "total",
        "bånd", "reliabilitet", "reference_sd", "informanter", "licens"}
_ID_CHARS = set("abcdefghijklmnopqrstuvwxyzæøå0123456789_")


def _identifier(reader: Reader, mapping: LineDict, key: str) -> str:
    value = reader.text(mapping, key, required=True)
    if value and not set(value) <= _ID_CHARS:
        reader.problem(f"'{value}' må kun indeholde små bogstaver, tal og _", mapping, key)
    return value


def _range(reader: Reader, mapping: object, parent: LineDict, key: str) -> tuple:
    if not isinstance(mapping, LineDict):
        reader.problem("skal være en mapping med min og max", parent, key)
        return None, None
    low, high = reader.number(mapping, "min", required=True), reader.number(
        mapping, "max", required=True)
    if low is not None and high is not None and low >= high:
        reader.problem(f"min ({low:g}) skal være mindre end max ({high:g})", mapping, "max")
    return low, high


def read_instrument(text: str, *, source: str = "instrument") -> Instrument:
    """The instrument in YAML ``text``; :class:`ValidationError` lists every problem."""
    reader = Reader(source)
    data = load_yaml(text, source)
    if not isinstance(data, LineDict):
        raise ValidationError([Problem("filen skal være en instrumentdefinition (en "
                                       "YAML-mapping)", file=source)])
    reader.unknown_keys(data, _TOP, "instrumentet")
    key = _identifier(reader, data, "instrument")
    name = reader.text(data, "navn", required=True)
    version = reader.text(data, "version", required=True)
    low, high = _range(reader, data.get("skala"), data, "skala")
    better = data.get("højere_er_bedre")
    if not isinstance(better, bool):
        reader.problem("skal være true eller false", data, "højere_er_bedre")
    subscales = []
    raw_subscales = data.get("delskalaer") or []
    if not isinstance(raw_subscales, list):
        reader.problem("skal være en liste", data, "delskalaer")
        raw_subscales = []
    for raw in raw_subscales:
        if not isinstance(raw, LineDict):
            reader.problem("hver delskala skal være en mapping (id, navn, min, max)", data,
                           "delskalaer")
            continue
        reader.unknown_keys(raw, {"id", "navn", "min", "max"}, "delskalaen")
        sub_key = _identifier(reader, raw, "id")
        sub_low, sub_high = _range(reader, raw, data, "delskalaer")
        subscales.append(Subscale(sub_key, reader.text(raw, "navn") or sub_key,
                                  sub_low or 0.0, sub_high or 0.0))
    if len({sub.key for sub in subscales}) != len(subscales):
        reader.problem("to delskalaer har samme id", data, "delskalaer")
    total_rule = reader.text(data, "total") or "sum"
    if total_rule not in TOTAL_RULES:
        reader.problem(f"ukendt værdi '{total_rule}' (gyldige: {', '.join(TOTAL_RULES)})",
                       data, "total")
    bands = []
    for raw in data.get("bånd") or []:
        if not isinstance(raw, LineDict):
            reader.problem("hvert bånd skal være en mapping (fra, til, etiket)", data, "bånd")
            continue
        reader.unknown_keys(raw, {"fra", "til", "etiket"}, "båndet")
        lower = reader.number(raw, "fra", required=True)
        upper = reader.number(raw, "til", required=True)
        label = reader.text(raw, "etiket", required=True)
        if None not in (lower, upper, low, high) and not low <= lower <= upper <= high:
            reader.problem(f"båndet {lower:g}–{upper:g} ligger ikke inden for skalaen "
                           f"{low:g}–{high:g}", raw, "fra")
        if lower is not None and upper is not None:
            bands.append(Band(lower, upper, label))
    reliability = reader.number(data, "reliabilitet")
    if reliability is not None and not 0 < reliability < 1:
        reader.problem("skal ligge mellem 0 og 1", data, "reliabilitet")
    reference_sd = reader.number(data, "reference_sd")
    if reference_sd is not None and reference_sd <= 0:
        reader.problem("skal være større end 0", data, "reference_sd")
    informants = reader.words(data, "informanter", set(INFORMANTS), "informant") or INFORMANTS
    reader.fail_if_problems()
    return Instrument(key, name, version, low, high, better, tuple(informants),
                      reader.text(data, "licens"), tuple(subscales), total_rule, tuple(bands),
                      reliability, reference_sd)


def builtin_instruments() -> dict[str, Instrument]:
    """The built-in instruments by id."""
    folder = resources.files("effektspor") / "data" / "followup" / "instrumenter"
    return {key: read_instrument((folder / f"{key}.yaml").read_text("utf-8"),
                                 source=f"{key}.yaml") for key in BUILTIN}
