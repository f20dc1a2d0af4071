"""THE effect-assessment detector: does a discharge report hold an effect assessment, and
which outcome (I mål / På vej / Ikke i mål)?

Until issue 10 there were two detectors (``analysis.documentation.detect_effect_assessment``
and ``classification.outcome.suggest_outcome``) that agreed on the synthetic corpus but not
on hand-written wording. The phrasings below were written for this comparison (realistic
discharge-report wording, not the synthetic generator's templates); the first is the
issue's own example. ``bench/effect_assessment_eval.py`` measures the detector on them and
on the synthetic corpus; the figures of both old detectors are in
``bench/results/classification.md``.
"""

from __future__ import annotations

import pytest

from effektspor.classification.outcome import effect_assessment, suggest_outcome
from effektspor.synthetic import generate_cases

# (text, expected outcome; None = the report holds no effect assessment)
PHRASINGS: list[tuple[str, str | None]] = [
    # First batch (ten, written before measuring).
    ("Effektvurdering: Vi er kommet et godt stykke, men ikke helt i mål.", "På vej"),
    ("Effektvurdering: Familien er nået rigtig langt, og målene i handleplanen er opfyldt.",
     "I mål"),
    ("Samlet vurdering: Målet om faste sengetider er desværre ikke blevet indfriet.",
     "Ikke i mål"),
    ("Effektvurdering: Der er ikke sket nogen forbedring i løbet af forløbet.", "Ikke i mål"),
    ("Effektvurdering: Drengen møder nu stabilt i skole, og de opstillede mål er nået.",
     "I mål"),
    ("Effektvurdering: Forløbet har ikke haft den ønskede effekt; mor magter fortsat ikke "
     "morgenerne.", "Ikke i mål"),
    ("Effektvurdering: Familien er delvist i mål – samværet fungerer, men sengetiderne "
     "skrider stadig.", "På vej"),
    ("Effektvurdering: Mor har opnået alle de mål, vi aftalte ved start.", "I mål"),
    ("Effektvurdering: Målene er kun delvist indfriet, og familien har fortsat brug for "
     "støtte.", "På vej"),
    ("Effektvurdering: Vi har ikke nået målene for forløbet.", "Ikke i mål"),
    # Second batch.
    ("Effektvurdering: Der er sket en tydelig forbedring, men vi er ikke i mål endnu.",
     "På vej"),
    ("Effektvurdering: Forløbet er lykkedes, og sagen kan lukkes.", "I mål"),
    ("Samlet vurdering: Indsatsen har ikke medført nogen ændring i drengens trivsel.",
     "Ikke i mål"),
    ("Effektvurdering: Halvdelen af delmålene er nået.", "På vej"),
    ("Effektvurdering: Familien har rykket sig meget, og målet er fuldt opnået.", "I mål"),
    ("Effektvurdering: Pigen trives nu i skolen, men målet om samvær med far er ikke "
     "opfyldt.", "På vej"),
    ("Effektvurdering: Der er sket en positiv udvikling, men målet er ikke nået.", "På vej"),
    ("Effektvurdering: Familien er på rette vej, men har brug for mere tid.", "På vej"),
    ("Effektvurdering:\nDet vurderes, at målene for forløbet er nået, og at familien kan "
     "klare sig selv.", "I mål"),
    ("Effektvurdering: Pigen trives ikke i skolen, og målet om fremmøde er ikke opfyldt.",
     "Ikke i mål"),
    # No assessment.
    ("Forløbet blev afsluttet, fordi familien flyttede til en anden kommune.", None),
    ("Effektvurdering: Afventer statusmøde.", None),
    ("Anbefalinger: Familien bør fortsat have fokus på målene fra handleplanen.", None),
    ("Effektvurdering: Ikke relevant, da forløbet blev afbrudt efter to uger.", None),
]

# Formerly the tests of ``detect_effect_assessment``: labels, headings, running text.
LABELLED: list[tuple[str, str | None]] = [
    ("Effektvurdering: I mål.", "I mål"),
    ("Effektvurdering:\nMålene er nået.\n\nAnbefalinger: ingen", "I mål"),
    ("Samlet vurdering: Familien er kommet i mål med de opstillede mål.", "I mål"),
    ("Effektvurdering\n\nAlle mål i handleplanen er indfriet.", "I mål"),
    ("Effektvurdering: På vej.", "På vej"),
    ("Effektvurdering: Det vurderes, at Emil er på vej, men endnu ikke i mål.", "På vej"),
    ("Samlet vurdering: Delvis målopnåelse – nogle af målene er nået.", "På vej"),
    ("Effektvurdering: Familien er godt på vej, men ikke alle mål er nået.", "På vej"),
    ("Effektvurdering: Ikke i mål.", "Ikke i mål"),
    ("Effektvurdering: Målene er ikke nået.", "Ikke i mål"),
    ("Samlet vurdering: Der er ikke sket nogen målopnåelse i forløbet.", "Ikke i mål"),
    ("Effektvurdering: Ingen af målene er indfriet.", "Ikke i mål"),
    ("Samlet vurdering: Familien er ikke på vej.", "Ikke i mål"),
    ("Effektvurdering: Familien har opnået det, vi satte os for, og forløbet afsluttes.", "I mål"),
    ("Effektvurdering: Målet om skolegang er nået, men målet om samvær er ikke nået.", "På vej"),
    ("Effektvurdering: Der ses en positiv udvikling, men familien har fortsat brug for støtte.",
     "På vej"),
    ("Effektvurdering: Forløbet har ikke ført til de ønskede forandringer.", "Ikke i mål"),
    ("Effektvurdering: Der er ingen bedring i forhold til problemstillingerne.", "Ikke i mål"),
    ("Effektvurdering: Se statusrapport.", None),
    ("Effektvurdering: -", None),
    ("Forløbet er afsluttet før tid. Der er ikke foretaget en effektvurdering.", None),
    ("Mål 1: Mor etablerer faste rutiner.\n\nEffektvurdering: ikke udfyldt", None),
]


@pytest.mark.parametrize(("text", "expected"), PHRASINGS + LABELLED)
def test_effect_assessment_of_hand_written_phrasings(text, expected):
    assert effect_assessment(text) == expected, (text, suggest_outcome(text))


def test_the_phrasings_cover_every_answer():
    assert len(PHRASINGS) >= 20
    assert {v for _, v in PHRASINGS} == {"I mål", "På vej", "Ikke i mål", None}


@pytest.mark.parametrize("hard", [False, True])
def test_effect_assessment_agrees_with_the_synthetic_truth(hard):
    checked = 0
    for case in generate_cases(seed=11, n_cases=80, hard_wording=hard):
        for doc in case.documents:
            if doc.doc_type == "udskrivningsrapport":
                expected = case.truth.outcome if case.truth.discharge == "brugbar" else None
                assert effect_assessment(doc.text) == expected, doc.text
                checked += 1
    assert checked > 30
