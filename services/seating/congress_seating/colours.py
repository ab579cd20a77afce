"""One colour per delegation, the same on the console's seat map and on the printed chart."""
from __future__ import annotations

import colorsys

# Distinct colours first (Kelly / Tableau), then golden-angle hues with alternating lightness.
BASE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
        "#7f7f7f", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#9edae5",
        "#dbdb8d", "#393b79")


def colour(index: int) -> str:
    if index < len(BASE):
        return BASE[index]
    hue = (index * 137.508) % 360 / 360
    light = (0.42, 0.58, 0.70)[index % 3]
    red, green, blue = colorsys.hls_to_rgb(hue, light, 0.55 + 0.2 * (index % 2))
    return f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"


def rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def text_on(hex_colour: str) -> tuple[int, int, int]:
    """Black or white, whichever reads better on the colour."""
    red, green, blue = rgb(hex_colour)
    return (0, 0, 0) if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else (255, 255, 255)
