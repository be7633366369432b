"""The shop's logo on page one of the stakeholder report: an uploaded image checked and
redrawn before it is stored.

The file's name and claimed type are never trusted: Pillow must read it as a PNG or JPEG
by its content, within the size limits below, and what is stored is the picture redrawn
as a fresh PNG no larger than the report shows it (no metadata, no trailing bytes, nothing
a reader could execute). The HTML report embeds those bytes as a ``data:image/png`` URI,
so it stays one self-contained file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

MAX_FILE_BYTES = 2 * 1024 * 1024  # a logo is small; anything larger is not one
MAX_SOURCE_PIXELS = 4000 * 4000  # refuses decompression bombs before decoding
FORMATS = ("PNG", "JPEG")
BOX = (600, 240)  # px: the largest the report needs (about 50 x 20 mm at 300 dpi)


class LogoError(ValueError):
    """An uploaded file that is not a usable logo; the message says why."""


@dataclass(frozen=True)
class Logo:
    png: bytes  # a PNG written by this module
    width: int
    height: int


def read_logo(data: bytes) -> Logo:
    """The logo in ``data`` (the uploaded file's bytes), redrawn as a PNG that fits ``BOX``.

    Raises ``LogoError`` when ``data`` is empty, over ``MAX_FILE_BYTES``, not a PNG or
    JPEG by its content, larger than ``MAX_SOURCE_PIXELS`` or unreadable."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise LogoError("The file is empty.")
    if len(data) > MAX_FILE_BYTES:
        raise LogoError(f"The file is {len(data) / 1024 / 1024:.1f} MB; a logo may be at "
                        f"most {MAX_FILE_BYTES // 1024 // 1024} MB.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind, size = probe.format, probe.size
            if kind not in FORMATS:
                raise LogoError(f"The file is a {kind or 'unknown'} image: use a PNG or JPEG.")
            if size[0] * size[1] > MAX_SOURCE_PIXELS:
                raise LogoError(f"The image is {size[0]} x {size[1]} pixels; a logo may "
                                "have at most 16 million pixels.")
            probe.verify()  # checks the file's structure (PNG checksums) without decoding
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            picture = image.convert("RGBA")
    except LogoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError) as error:
        raise LogoError("The file is not a readable PNG or JPEG image.") from error
    picture.thumbnail(BOX)
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return Logo(out.getvalue(), picture.width, picture.height)


def logo_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels of a stored logo."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        return image.size
