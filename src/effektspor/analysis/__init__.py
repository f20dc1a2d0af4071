"""Pure analysis functions: crosstabs, exact tests, agreement, configurational analysis."""
