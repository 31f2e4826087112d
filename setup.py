"""The optional C extension; everything else is declared in pyproject.toml.

Built when a C compiler is present. Without one the install still succeeds (optional=True)
and the imports use their pure-Python fast paths, which give the same results, more slowly.
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("epitool._fastrows", ["epitool/_fastrows.c"], optional=True)])
