"""Where the shipped data live."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
PUBLISHED = DATA / "published"
