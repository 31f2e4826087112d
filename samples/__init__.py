"""Bundled sample files, installed as the package data `epitool.samples` for `epitool demo`."""
