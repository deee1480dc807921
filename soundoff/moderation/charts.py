"""Small bar charts drawn on the server as SVG: no script, no library, so
the dashboard stays under the site's Content-Security-Policy. Each chart
goes with a table of the same figures, for screen readers and for copying.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 600
HEIGHT = 160
AXIS = 20  # room under the bars for the first and last labels


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    peak: int
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def baseline(self) -> int:
        return self.height - AXIS


def bar_chart(points: list[tuple[str, int]]) -> BarChart:
    """Bars for ``points`` (label, value), scaled so the highest fills the
    chart; a chart of zeros is flat rather than divided by zero."""
    peak = max((value for _label, value in points), default=0)
    slot = WIDTH / max(len(points), 1)
    room = HEIGHT - AXIS
    bars = []
    for index, (label, value) in enumerate(points):
        height = room * value / peak if peak else 0
        bars.append(
            Bar(
                x=round(index * slot + slot * 0.1, 2),
                y=round(room - height, 2),
                width=round(slot * 0.8, 2),
                height=round(height, 2),
                label=label,
                value=value,
            )
        )
    return BarChart(bars=bars, peak=peak)
