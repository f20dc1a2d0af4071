"""Pure analysis functions: crosstabs, exact tests, agreement, configurational analysis.

Modules: ``caseframe`` (cases from CSV), ``crosstab``, ``exact`` and ``inference`` (tests,
intervals, corrections), ``wording`` (Danish statements), ``agreement``, ``two_coders`` and
``character_agreement`` (reliability), ``comparison`` (year over year), ``hypothesis``
(Tabel 5-style tables) and ``qca`` (crisp-set QCA). None of them touches the database.
"""
