"""Where the DejaVu Sans files are: Debian's fonts-dejavu-core, never a copy in the repository."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import DomainError
from ..settings import DEFAULT_FONT_DIR

REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"


class FontsMissing(DomainError):
    """The font files are not installed: printing is unavailable until they are (503)."""

    status_code = 503


@dataclass(frozen=True)
class Fonts:
    regular: Path
    bold: Path

    @classmethod
    def locate(cls, directory: Path | str = DEFAULT_FONT_DIR) -> Fonts:
        directory = Path(directory)
        missing = [name for name in (REGULAR, BOLD) if not (directory / name).is_file()]
        if missing:
            raise FontsMissing(
                f"Không in được PDF: thiếu phông chữ {', '.join(missing)} trong {directory}. "
                "Cài gói Debian fonts-dejavu-core (apt-get install fonts-dejavu-core) "
                "hoặc đặt CONGRESS_PDF_FONT_DIR là thư mục chứa DejaVu Sans.")
        return cls(regular=directory / REGULAR, bold=directory / BOLD)
