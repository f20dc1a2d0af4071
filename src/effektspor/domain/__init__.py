"""Plain data classes, vocabularies and validation rules. Imports nothing else of the project."""
