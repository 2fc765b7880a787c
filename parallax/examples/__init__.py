"""The bundled example corpus: invented outlets and events in every supported format."""

from pathlib import Path

ARTICLES_DIR = Path(__file__).parent / "articles"
