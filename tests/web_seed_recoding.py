"""Seed data of the recoding tests: first-coder values, a round and second-coder values.

Everything goes through the real services (``classification.values.set_value``, the recoding
area's ``draw_round`` and ``save_blind_values``); the data are synthetic.
"""

from __future__ import annotations

from classification_helpers import classify
from effektspor.services.authorization import Actor, Role
from effektspor.services.contract import unit_of_work
from effektspor.services.recoding.blind_sheet import save_blind_values
from effektspor.services.recoding.rounds import draw_round

VARIABLES = ("maalopnaaelse", "problemstilling", "problemgrad")
AGREED = {"maalopnaaelse": "I mål", "problemstilling": "Barneregulering",
          "problemgrad": "Mellem"}


def set_first_values(project, values: dict[str, dict[str, str]], *, coder: str) -> None:
    """Confirmed first-coder values ``{case external id: {variable: value}}``."""
    for case_id, per_variable in values.items():
        for variable, value in per_variable.items():
            classify(project, case_id, variable, value, coder=coder)


def assign(project, *, coder: str, teams: list[str], n_random: int = 0, seed: int = 7,
           by: str = "analytiker1", variables: list[str] | None = None) -> int:
    """A round of ``teams`` (+ ``n_random``) assigned to ``coder`` by the analytiker
    ``by``; returns its id."""
    with unit_of_work(project) as session:
        return draw_round(session=session, actor=Actor(by, Role.ANALYST),
                          project_id=project.project_id, coder=coder, seed=seed,
                          teams=teams, n_random=n_random, variables=variables).info.id


def code_blind(project, round_id: int, case_id: int, values: dict[str, str], *,
               coder: str, role: Role) -> None:
    """Save ``coder``'s blind values for one case as the web sheet does."""
    actor = Actor(coder, role)
    with unit_of_work(project) as session:
        save_blind_values(session=session, actor=actor, project_id=project.project_id,
                          round_id=round_id, case_id=case_id, values=values,
                          seen=dict.fromkeys(values, ""))


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
