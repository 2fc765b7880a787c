"""Parallax: news articles from many outlets in, a cross-referenced picture of events out."""

__version__ = "0.1.0"
