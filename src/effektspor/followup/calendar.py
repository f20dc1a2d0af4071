"""The follow-up calendar: a measure's follow-up dates, each with the rule behind it.

Pure: plain dates and rule sets in, dates with Danish justifications out. The rules:

* The **statutory deadline** of the first follow-up is the earlier of 3 months after the
  measure starts and the end of a parallel afdækning/undersøgelse (Barnets Lov §95,
  stk. 2). A due date never passes it: the first due date is the earlier of the rule
  set's date and the deadline.
* Each next date counts from the previous follow-up: the date it was held, or its due
  date while it is not held. Held follow-ups are matched to the due dates in order (the
  first held date is follow-up number 1, and so on).
* A phase ``hver 6 uger til 12 måneder`` covers due dates up to and including the day 12
  months after the start; a date past it falls to the next phase, counted from the same
  previous follow-up. When the phases end, the schedule is a decision (§95, stk. 3).
* A **decided schedule** replaces the rule set's cadence after the follow-up at which it
  was decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from effektspor.domain.followup import MEASURE_KINDS, DecidedSchedule, MeasureFacts
from effektspor.followup.dates import Interval, add_months, parse_interval
from effektspor.followup.rulesets import DECISION_TEXT, Rule, RuleSet

#: The statutory deadline of the first follow-up, in months after the start (§95, stk. 2).
FIRST_DEADLINE_MONTHS = 3
LAW_FIRST = "Barnets Lov §95, stk. 2"
LAW_DECISION = "Barnets Lov §95, stk. 3"


@dataclass(frozen=True, slots=True)
class DueFollowUp:
    """One follow-up of a measure: its number, due date, rule, deadline and reason."""

    case: str
    measure: str
    number: int
    due: date
    rule: str
    statutory_deadline: date | None
    justification: str
    held: date | None = None


@dataclass(frozen=True, slots=True)
class MeasureCalendar:
    """A measure's follow-ups up to a date, and what the calendar cannot decide."""

    measure: MeasureFacts
    follow_ups: tuple[DueFollowUp, ...]
    #: Danish text when the next date is a decision the caseworker must make.
    open_decision: str | None = None

    @property
    def not_held(self) -> tuple[DueFollowUp, ...]:
        """The follow-ups not yet held, in order."""
        return tuple(item for item in self.follow_ups if item.held is None)


def statutory_first_deadline(measure: MeasureFacts) -> tuple[date, str]:
    """The latest date of the first follow-up and the Danish reason (§95, stk. 2)."""
    three_months = add_months(measure.start, FIRST_DEADLINE_MONTHS)
    end = measure.investigation_end
    if end is not None and end < three_months:
        return end, (f"Første opfølgning senest ved afslutningen af den sideløbende "
                     f"afdækning/undersøgelse ({end.isoformat()}), som er før 3 måneder "
                     f"efter indsatsens start ({LAW_FIRST}).")
    return three_months, (f"Første opfølgning senest 3 måneder efter indsatsens start "
                          f"({measure.start.isoformat()}) ({LAW_FIRST}).")


def _label(rule_set: RuleSet, rule: Rule) -> str:
    return f"{rule_set.name}: {rule.name}"


def _first(measure: MeasureFacts, rule_set: RuleSet, rule: Rule | None) -> tuple:
    deadline, reason = statutory_first_deadline(measure)
    if rule is None or rule.first is None:
        return deadline, LAW_FIRST, reason
    proposed = rule.first.after(measure.start)
    source = f" ({rule.source})" if rule.source else ""
    if proposed <= deadline:
        return (proposed, f"{_label(rule_set, rule)}, første opfølgning {rule.first} efter "
                f"start", f"{rule_set.title}: første opfølgning {rule.first} efter "
                f"indsatsens start{source}. Lovfristen er {deadline.isoformat()} "
                f"({LAW_FIRST}).")
    return (deadline, LAW_FIRST, f"{reason} Regelsættets dato ({rule.first} efter start: "
            f"{proposed.isoformat()}) ville passere lovfristen, så lovfristen gælder.")


def _next_by_rule(measure: MeasureFacts, rule_set: RuleSet, rule: Rule | None,
                  previous: date, phase_index: int) -> tuple | None:
    """(due, rule label, reason, phase index) of the next date by the rule, or None."""
    if rule is None:
        return None
    for index in range(phase_index, len(rule.phases)):
        phase = rule.phases[index]
        candidate = phase.every.after(previous)
        if phase.until is not None and candidate > phase.until.after(measure.start):
            continue
        limit = (f" (gælder frister til og med {phase.until.after(measure.start).isoformat()},"
                 f" {phase.until} efter start)" if phase.until is not None else "")
        source = f" ({rule.source})" if rule.source else ""
        return (candidate, f"{_label(rule_set, rule)}, hver {phase.every}{limit}",
                f"{rule_set.title}: opfølgning hver {phase.every} regnet fra forrige "
                f"opfølgning ({previous.isoformat()}){limit}{source}.", index)
    return None


def follow_up_calendar(measure: MeasureFacts, rule_set: RuleSet, *,
                       held: Sequence[date] = (), decided: DecidedSchedule | None = None,
                       until: date, up_to_number: int | None = None) -> MeasureCalendar:
    """The follow-ups of ``measure`` with due dates up to ``until`` (held ones are kept
    even when later), numbered from 1, each with its rule and Danish justification;
    with ``up_to_number``, no more than that many."""
    rule = rule_set.rule_for(measure.kind, measure.risk_level)
    held_dates = sorted(held)
    decided_every: Interval | None = parse_interval(decided.interval) if decided else None
    items: list[DueFollowUp] = []
    open_decision: str | None = None
    phase_index = 0
    number = 1
    due, rule_text, reason = _first(measure, rule_set, rule)
    deadline: date | None = statutory_first_deadline(measure)[0]
    if rule is None:
        kind = MEASURE_KINDS[measure.kind].label if measure.kind in MEASURE_KINDS \
            else measure.kind
        open_decision = (f"Regelsættet {rule_set.name} har ingen regel for {kind}; "
                         f"{DECISION_TEXT}")
    while True:
        was_held = held_dates[number - 1] if number <= len(held_dates) else None
        if was_held is None and due > until:
            break
        items.append(DueFollowUp(measure.case, measure.measure, number, due, rule_text,
                                 deadline, reason, was_held))
        if up_to_number is not None and number >= up_to_number:
            break
        previous = was_held or due
        if decided is not None and decided_every is not None and number >= decided.after_number:
            due = decided_every.after(previous)
            who = f" af {decided.decided_by}" if decided.decided_by else ""
            when = f" den {decided.decided_on.isoformat()}" if decided.decided_on else ""
            told = (f"; meddelt barnet og forældrene {decided.told_family_on.isoformat()}"
                    if decided.told_family_on else "")
            rule_text = f"besluttet plan: hver {decided_every}"
            reason = (f"Besluttet ved opfølgning nr. {decided.after_number}{who}{when}: "
                      f"hver {decided_every} regnet fra forrige opfølgning "
                      f"({previous.isoformat()}). Begrundelse: {decided.justification} "
                      f"({LAW_DECISION}{told}).")
            open_decision = None
        else:
            found = _next_by_rule(measure, rule_set, rule, previous, phase_index)
            if found is None:
                if rule is not None:
                    open_decision = rule.afterwards
                break
            due, rule_text, reason, phase_index = found
        deadline = None
        number += 1
    return MeasureCalendar(measure, tuple(items), open_decision)


@dataclass(frozen=True, slots=True)
class SideDeadline:
    """A statutory deadline shown alongside the follow-ups (not a follow-up itself)."""

    case: str
    measure: str
    what: str
    due: date
    justification: str


def side_deadlines(measure: MeasureFacts) -> tuple[SideDeadline, ...]:
    """Barnets plan within 3 months (§91–92; mandatory for placements) and, for placed
    children, at least two supervision visits in each year from the start (§156, stk. 5).
    The investigation's 4 months (§20, stk. 3) count from its own start, which a measure
    does not hold; it is shown where investigations are registered."""
    kind = MEASURE_KINDS.get(measure.kind)
    plan_due = add_months(measure.start, 3)
    out = []
    if kind is not None and kind.placement:
        out.append(SideDeadline(measure.case, measure.measure, "barnets plan", plan_due,
                                "Barnets plan udarbejdes senest 3 måneder efter "
                                "afgørelsen; det er obligatorisk ved anbringelse "
                                "(Barnets Lov §91–92)."))
        out.append(SideDeadline(measure.case, measure.measure, "2 tilsynsbesøg",
                                add_months(measure.start, 12),
                                "Mindst to tilsynsbesøg på anbringelsesstedet med samtale "
                                "med barnet i løbet af det første år (Barnets Lov §96 og "
                                "§156, stk. 5)."))
    else:
        out.append(SideDeadline(measure.case, measure.measure, "barnets plan (hvis den skal "
                                "udarbejdes)", plan_due,
                                "Hvis kommunen ved afgørelsen har besluttet at udarbejde "
                                "en barnets plan, skal den foreligge inden 3 måneder "
                                "(Barnets Lov §91–92)."))
    return tuple(out)
