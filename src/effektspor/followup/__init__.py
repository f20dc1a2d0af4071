"""The daily follow-up's pure rules (no database): the follow-up calendar with its rule
sets as data (``calendar``, ``rulesets``, ``dates``) and the caseload figures
(``caseload``). The services in ``services/followup/`` call them with stored facts; the
CLI contracts on plain files call them directly through those services."""
