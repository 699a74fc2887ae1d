"""Chart geometry for the SVG templates (``templates/insight/_charts.html``).

Plain SVG templates rather than a chart library such as pygal: pygal writes inline ``<style>``
and ``<script>`` into its SVG, which our Content-Security-Policy (no inline script or style)
blocks; its charts carry no accessible text alternative of our making; and the three chart
shapes needed here (bars, a heat map, lines) are a few dozen lines each. Colours come from
the theme's CSS classes, every value is also written as text (never colour alone), and each
chart is ``role="img"`` with a title and a summary, next to its table."""

from dataclasses import dataclass, field

#: The width of every chart in SVG units: on a phone a chart is shown at about this size, on a
#: wide screen a little larger (CSS), so the text stays readable on both.
WIDTH = 400


@dataclass
class Bar:
    label: str
    text: str  # the value as shown ("82 %", "< 5")
    y: float  # top of the row: the label, then the bar below it
    width: float
    text_x: float


@dataclass
class BarChart:
    kind = "bars"
    bars: list[Bar]
    height: float


def bar_chart(values: list[tuple[str, float | None, str]], maximum: float | None = None):
    """Bars, each under its label: (label, value or None when not shown, the value as text)."""
    row, scale_width = 48.0, WIDTH - 64.0
    top = max([v for _l, v, _t in values if v is not None] + [maximum or 0, 1])
    bars = []
    for index, (label, value, text) in enumerate(values):
        width = 0.0 if value is None else scale_width * value / top
        if value:
            width = max(width, 2.0)
        bars.append(Bar(label, text, 4 + index * row, width, width + 6))
    return BarChart(bars, 8 + len(values) * row)


@dataclass
class Cell:
    x: float
    y: float
    level: int  # 0 (none) to 4 (most): a CSS class
    text: str


@dataclass
class HeatMap:
    kind = "heat"
    rows: list[tuple[str, float]]  # label, y of its middle
    columns: list[tuple[str, float, float]]  # label, x of its middle, y
    cells: list[Cell]
    cell_width: float
    cell_height: float
    left: float
    top: float
    height: float


def heat_map(rows: list[str], columns: list[str], values, texts) -> HeatMap:
    """A matrix: ``values[r][c]`` (None when not shown) with ``texts[r][c]`` written in it."""
    left, top, cell_height = 92.0, 44.0, 36.0
    cell_width = (WIDTH - left) / max(len(columns), 1)
    top_value = max([v for row in values for v in row if v] + [1])
    cells = []
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            level = 0 if not value else 1 + min(3, int(4 * value / (top_value + 1)))
            cells.append(Cell(left + c * cell_width, top + r * cell_height, level, texts[r][c]))
    return HeatMap(
        [(label, top + (i + 0.5) * cell_height) for i, label in enumerate(rows)],
        # Column labels in two staggered rows, so that long names do not run into each other.
        [
            (label, left + (i + 0.5) * cell_width, 16.0 if i % 2 else 34.0)
            for i, label in enumerate(columns)
        ],
        cells,
        cell_width,
        cell_height,
        left,
        top,
        top + len(rows) * cell_height + 4,
    )


@dataclass
class Series:
    label: str
    marker: str  # "circle" or "square": told apart without colour
    points: list[tuple[float, float, str]] = field(default_factory=list)  # x, y, text

    @property
    def path(self) -> str:
        return " ".join(
            f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y, _t) in enumerate(self.points)
        )


@dataclass
class LineChart:
    kind = "lines"
    series: list[Series]
    ticks: list[tuple[str, float]]  # month label, x
    grid: list[tuple[str, float]]  # value label, y
    left: float
    right: float
    height: float


def line_chart(labels: list[str], series: list[tuple[str, list[float | None]]]) -> LineChart:
    """Lines over the months: (series label, values); at most two series (circle, square)."""
    left, right, top, bottom = 36.0, WIDTH - 16.0, 16.0, 180.0
    top_value = max([v for _l, vs in series for v in vs if v] + [4])
    step = (right - left) / max(len(labels) - 1, 1)
    made = []
    for (label, values), marker in zip(series, ("circle", "square"), strict=False):
        line = Series(label, marker)
        for i, value in enumerate(values):
            if value is not None:
                y = bottom - (bottom - top) * value / top_value
                line.points.append((left + i * step, y, f"{value:g}"))
        made.append(line)
    grid = [
        (
            f"{top_value * f:g}" if top_value * f == int(top_value * f) else "",
            bottom - (bottom - top) * f,
        )
        for f in (0, 0.5, 1)
    ]
    ticks = [(label, left + i * step) for i, label in enumerate(labels)]
    return LineChart(made, ticks, grid, left, right, bottom + 24)
