"""Draw the example's seal (examples/wadian/seal.png): a red ring, a star, the organ's name on an arc.

It is marked 示例 (specimen) so nobody mistakes it for a real seal. Run once; the PNG is committed.
Usage: .venv/bin/python scripts/make_example_seal.py [NAME] [OUT]
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from docgen.writers.fonts import resolve

RED = (230, 0, 18, 255)
SIZE = 600


def star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.382
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=RED)


def main() -> None:
    name = sys.argv[1] if len(sys.argv) > 1 else "中共瓦店乡委员会"
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "examples/wadian/seal.png")
    font_file = str(resolve()["title"].file)
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    c = SIZE / 2
    draw.ellipse([12, 12, SIZE - 12, SIZE - 12], outline=RED, width=18)
    star(draw, c, c, 95)
    glyph_font = ImageFont.truetype(font_file, 78)
    span = math.radians(230)
    for i, char in enumerate(name):
        angle = -math.pi / 2 - span / 2 + span * (i + 0.5) / len(name)
        tile = Image.new("RGBA", (110, 110), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((55, 55), char, font=glyph_font, fill=RED, anchor="mm")
        tile = tile.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        x, y = c + 205 * math.cos(angle), c + 205 * math.sin(angle)
        image.alpha_composite(tile, (int(x - 55), int(y - 55)))
    label = ImageFont.truetype(font_file, 56)
    draw.text((c, c + 160), "示例印章", font=label, fill=RED, anchor="mm")
    image.save(out, optimize=True)
    print(out)


if __name__ == "__main__":
    main()
