"""Danish text processing: tokenising, word-form normalisation, search (KWIC), word frequencies."""
