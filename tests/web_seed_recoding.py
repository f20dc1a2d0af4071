"""Seed data of the re-coding tests: first-coder values, a round and second-coder values.

Everything goes through the real services (``classification.values.set_value``, the round's
``create_round`` and the web service ``save_blind_values``); the data are synthetic.
"""

from __future__ import annotations

from classification_helpers import classify
from effektspor.services.authorization import Actor, Role
from effektspor.services.recoding_web import save_blind_values
from effektspor.services.reliability import draw_recoding_sample

VARIABLES = ("maalopnaaelse", "problemstilling", "problemgrad")
AGREED = {"maalopnaaelse": "I mål", "problemstilling": "Barneregulering",
          "problemgrad": "Mellem"}


def set_first_values(project, values: dict[str, dict[str, str]], *, coder: str) -> None:
    """Confirmed first-coder values ``{case external id: {variable: value}}``."""
    for case_id, per_variable in values.items():
        for variable, value in per_variable.items():
            classify(project, case_id, variable, value, coder=coder)


def assign(project, *, coder: str, teams: list[str], n_random: int = 0, seed: int = 7,
           by: str = "analytiker1") -> int:
    """A round of ``teams`` (+ ``n_random``) assigned to ``coder``; returns its id."""
    return draw_recoding_sample(project, coder=coder, seed=seed, teams=teams,
                                n_random=n_random, actor=by).id


def code_blind(project, round_id: int, case_id: int, values: dict[str, str], *,
               coder: str, role: Role) -> None:
    """Save ``coder``'s blind values for one case as the web sheet does."""
    actor = Actor(coder, role)
    with project.sessions() as session:
        save_blind_values(session, actor=actor, project_id=project.project_id,
                          round_id=round_id, case_id=case_id, values=values,
                          seen=dict.fromkeys(values, ""))
        session.commit()


def complete_round_for(server, coder: str, role: Role) -> dict:
    """In the route-matrix server: the Sandplay cases (S-1002, S-1005) first coded by koder1,
    a round assigned to ``coder`` and coded completely, disagreeing on S-1002's problemgrad."""
    project, ids = server.project, server.case_ids
    set_first_values(project, {"S-1002": AGREED, "S-1005": AGREED}, coder="koder1")
    round_id = assign(project, coder=coder, teams=["Sandplay"])
    code_blind(project, round_id, ids[1], {**AGREED, "problemgrad": "Let"}, coder=coder,
               role=role)
    code_blind(project, round_id, ids[4], AGREED, coder=coder, role=role)
    return {"round_id": round_id, "case_id": ids[4]}
