"""The classification area's use cases, called by ``cli/classification_commands.py`` and
``web/routers/classification.py`` alike (the contract: ``services/contract.py``).

* ``variables``: list the project's variables, define the municipality's own.
* ``values``: set one case's value (the sheet's save and ``klassificer``), import many,
  a value's history.
* ``sheet``: the classification sheet of one case (values, criteria, evidence).
* ``queue``: progress per variable and the cases still to be confirmed.
* ``suggestions``: suggest values from the case documents, list and decide them.
* ``tables``: the case table (one row per case with its confirmed values).
* ``shared``: building blocks other areas' services use inside their own use case.

The building blocks of ``shared`` are importable from here too, as other areas import
them (``from effektspor.services.classification import ensure_variables``); nothing else
is imported here, so a front end loads only the modules it calls.
"""

from effektspor.services.classification.shared import (
    CASE_COLUMN,
    DISCHARGE_TYPES,
    ENROLLMENT_COLUMN,
    TEAM_COLUMN,
    ValueChange,
    case_ids,
    case_rows,
    case_table,
    case_value_rows,
    current_value,
    current_values,
    ensure_variables,
    to_variable,
    validated_value,
    value_evidence,
    write_confirmed_value,
)

__all__ = ["CASE_COLUMN", "DISCHARGE_TYPES", "ENROLLMENT_COLUMN", "TEAM_COLUMN", "ValueChange", "case_ids",
           "case_rows", "case_table", "case_value_rows", "current_value", "current_values",
           "ensure_variables", "to_variable", "validated_value",
           "value_evidence", "write_confirmed_value"]
