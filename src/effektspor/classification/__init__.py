"""Case classification: value suggestions from text, re-coding samples and sheets.

Pure functions only (no database): the services combine them with the store.
"""
