"""Command line: thin click commands calling ``effektspor.services``; Danish texts."""
