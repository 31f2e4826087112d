"""The trend of the key counts drawn: sparklines, an inline SVG chart or a PNG."""

from __future__ import annotations

import html
from typing import IO, Any

SERIES = ("under_follow_up", "visited", "fevers")  # drawn in charts
COLOURS = {"under_follow_up": "#1f5fa8", "visited": "#2e8b57", "fevers": "#c0392b"}
SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[int]) -> str:
    top = max(values, default=0)
    if top == 0:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[min(7, round(7 * v / top))] for v in values)


def svg_chart(rows: list[dict[str, Any]], labels: dict[str, str], width: int = 640,
              height: int = 220) -> str:
    """A small line chart, inline SVG: self-contained, sharp in print."""
    e = html.escape
    left, right, top, bottom = 40, 120, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([r[k] for r in rows for k in SERIES] + [1])
    step = plot_w / max(len(rows) - 1, 1)

    def point(i: int, v: int) -> str:
        return f"{left + i * step:.1f},{top + plot_h - plot_h * v / peak:.1f}"

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-size="11" font-family="sans-serif">',
             f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" '
             'stroke="#ccc"/>',
             f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{peak}</text>',
             f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>']
    for i, row in enumerate(rows):
        if i in (0, len(rows) - 1) or len(rows) <= 8 or i % max(1, len(rows) // 6) == 0:
            parts.append(f'<text x="{left + i * step:.1f}" y="{height - 10}" '
                         f'text-anchor="middle">{e(row["date"][5:])}</text>')
    for n, key in enumerate(SERIES):
        points = " ".join(point(i, r[key]) for i, r in enumerate(rows))
        parts.append(f'<polyline fill="none" stroke="{COLOURS[key]}" stroke-width="2" '
                     f'points="{points}"/>')
        y = top + 14 + 16 * n
        parts.append(f'<line x1="{width - right + 10}" y1="{y - 4}" x2="{width - right + 26}" '
                     f'y2="{y - 4}" stroke="{COLOURS[key]}" stroke-width="2"/>'
                     f'<text x="{width - right + 30}" y="{y}">{e(labels[key])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def write_png(rows: list[dict[str, Any]], labels: dict[str, str], title: str,
              handle: IO[bytes]) -> None:
    """The same chart as a PNG, for offices that paste it into a WeChat group."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    cjk = [f.name for f in font_manager.fontManager.ttflist
           if any(k in f.name for k in ("CJK", "WenQuanYi", "Hei", "Song", "YaHei"))]
    if cjk:
        plt.rcParams["font.sans-serif"] = [cjk[0], "DejaVu Sans"]
    figure, axes = plt.subplots(figsize=(8, 3), dpi=120)
    days = [r["date"][5:] for r in rows]
    for key in SERIES:
        axes.plot(days, [r[key] for r in rows], label=labels[key] if cjk else key,
                  color=COLOURS[key], linewidth=2)
    axes.set_title(title if cjk else "epitool trend")
    axes.legend(loc="upper left", fontsize=8)
    axes.grid(alpha=0.3)
    from matplotlib.ticker import MaxNLocator

    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts of people
    axes.tick_params(axis="x", labelrotation=45, labelsize=7)
    figure.tight_layout()
    figure.savefig(handle, format="png")
    plt.close(figure)
