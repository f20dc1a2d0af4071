"""Synthetic discharge reports and grant texts that give classification suggestions.

Used by the classification web tests and the browser test: the cases of
``web_seed.seed_cases`` get discharge reports with an effect assessment (effektvurdering)
and a grant text, and ``suggest_classifications`` reads them as it does for real data.
"""

from __future__ import annotations

from sqlalchemy import select

from classification_helpers import call
from effektspor.domain.text import content_hash
from effektspor.services.classification.suggestions import suggest_classifications
from effektspor.store import tables as t

#: Effect assessments by case number: what the suggestion for målopnåelse will be.
ASSESSMENTS = {
    "S-1001": ("Baggrund\nFamilien blev henvist på grund af konflikter ved sengetid.\n\n"
               "Effektvurdering\nFamilien er kommet i mål med alle problemstillinger.", "I mål"),
    "S-1002": ("Baggrund\nMor ønskede hjælp til overgange i hverdagen.\n\n"
               "Effektvurdering\nMålet er delvist nået.", "På vej"),
    "S-1004": ("Baggrund\nFar havde svært ved samværet.\n\n"
               "Effektvurdering\nMålene er desværre ikke nået.", "Ikke i mål"),
}
GRANT_TEXT = ("Bevilling af familiebehandling. Forældrene har svært ved at skabe struktur og "
              "faste rutiner i hverdagen. Familien er i krise.")


def seed_suggestions(project, *, actor: str = "test") -> dict[str, str]:
    """Rewrite the discharge reports of :data:`ASSESSMENTS`, add a grant text to each, and
    run the suggestions; returns case number → suggested målopnåelse."""
    with project.transaction() as session:
        cases = {c.external_id: c for c in session.scalars(select(t.Case).where(
            t.Case.project_id == project.project_id, t.Case.external_id.in_(ASSESSMENTS)))}
        for external_id, (text, _) in ASSESSMENTS.items():
            case = cases[external_id]
            report = session.scalar(select(t.Document).where(
                t.Document.case_id == case.id, t.Document.doc_type == "udskrivningsrapport"))
            report.text, report.content_hash = text, content_hash(external_id, text)
            session.add(t.Document(case_id=case.id, doc_type="bevilling", text=GRANT_TEXT,
                                   doc_date=case.start_date,
                                   content_hash=content_hash(external_id, GRANT_TEXT)))
    call(project, suggest_classifications, actor=actor)
    return {external_id: outcome for external_id, (_, outcome) in ASSESSMENTS.items()}
