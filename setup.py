"""The optional C extension; everything else is declared in pyproject.toml.

Built when a C compiler is present. Without one the install still succeeds (optional=True)
and the imports use their pure-Python fast paths, which give the same results, more slowly.
"""

from setuptools import Extension, setup

# Top-level, not epitool._fastrows: see the note at the head of the C file.
SOURCES = ["_fastrows.c", "_fastrows_roster.c", "_fastrows_checkpoints.c", "_households.c",
           "_numbered.c", "_uids.c"]
setup(ext_modules=[Extension("_epitool_fastrows", [f"epitool/{name}" for name in SOURCES],
                             depends=["epitool/_fastrows.h"], optional=True)])
