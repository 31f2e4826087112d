"""The optional C extension; everything else is declared in pyproject.toml.

Built when a C compiler is present. Without one the install still succeeds (optional=True)
and the imports use their pure-Python fast paths, which give the same results, more slowly.
"""

from setuptools import Extension, setup

# Top-level, not epitool._fastrows: see the note at the head of the C file.
setup(ext_modules=[Extension("_epitool_fastrows", ["epitool/_fastrows.c", "epitool/_numbered.c",
                                                 "epitool/_households.c"], optional=True)])
