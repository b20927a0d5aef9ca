"""Charts drawn on the server as SVG: no script, no external service, printable."""

from __future__ import annotations

from dataclasses import dataclass

from actionplan.enums import BULAN_SINGKAT

# (month, % approved, % submitted) of the slots due by the end of that month.
TrendPoint = tuple[int, float | None, float | None]

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 36


@dataclass(frozen=True)
class Series:
    name: str
    css: str
    points: list[tuple[float, float, float]]  # x, y, value

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in self.points)


def _x(month: int) -> float:
    return LEFT + (month - 1) * (WIDTH - LEFT - RIGHT) / 11


def _y(pct: float) -> float:
    return TOP + (100 - pct) * (HEIGHT - TOP - BOTTOM) / 100


def trend_chart(trend: list[TrendPoint]) -> dict:
    """Coordinates for the completion trend: approved and submitted % per month."""
    approved = [(_x(m), _y(a), a) for m, a, _s in trend if a is not None]
    submitted = [(_x(m), _y(s), s) for m, _a, s in trend if s is not None]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "series": [
            Series("Sudah mengirim bukti", "zi-line-submitted", submitted),
            Series("Disetujui", "zi-line-approved", approved),
        ],
        "grid": [{"y": _y(p), "label": f"{p}%"} for p in (0, 25, 50, 75, 100)],
        "months": [{"x": _x(m), "label": BULAN_SINGKAT[m - 1]} for m in range(1, 13)],
        "left": LEFT,
        "ylabel_x": LEFT - 6,
        "xlabel_y": HEIGHT - BOTTOM + 20,
        "right": WIDTH - RIGHT,
        "baseline": HEIGHT - BOTTOM,
        "empty": not approved and not submitted,
    }
