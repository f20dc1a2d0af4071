"""Command line: thin click commands calling ``effektspor.services``; Danish texts.

click's own messages are made Danish here, before any command module builds its options
(click names some parameter types, e.g. ``file``, when they are created).
"""

from effektspor.cli import danish

danish.install()
