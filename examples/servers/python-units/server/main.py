"""Unit converter MCP server (stdio).

Pure computation: no network, no file access of its own, no subprocesses.
Every tool here must also be declared in ../manifest.json (MTF CD-01); the
test suite compares the two.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from mcp.server.fastmcp import FastMCP

Dimension = Literal["length", "mass", "volume", "temperature"]

# Linear units: how many of the dimension's base unit (metre, kilogram, litre)
# one unit is. Exact fractions so round trips do not drift.
_LINEAR: dict[str, dict[str, Fraction]] = {
    "length": {
        "mm": Fraction(1, 1000),
        "cm": Fraction(1, 100),
        "m": Fraction(1),
        "km": Fraction(1000),
        "in": Fraction(254, 10000),
        "ft": Fraction(3048, 10000),
        "yd": Fraction(9144, 10000),
        "mi": Fraction(1609344, 1000),
    },
    "mass": {
        "mg": Fraction(1, 1_000_000),
        "g": Fraction(1, 1000),
        "kg": Fraction(1),
        "t": Fraction(1000),
        "oz": Fraction(28349523125, 1_000_000_000_000),
        "lb": Fraction(45359237, 100_000_000),
    },
    "volume": {
        "ml": Fraction(1, 1000),
        "l": Fraction(1),
        "m3": Fraction(1000),
        "us_gal": Fraction(3785411784, 1_000_000_000),
        "imp_gal": Fraction(454609, 100_000),
    },
}
# Temperatures are affine, not linear: (scale, offset) to kelvin.
_TEMPERATURE: dict[str, tuple[Fraction, Fraction]] = {
    "K": (Fraction(1), Fraction(0)),
    "C": (Fraction(1), Fraction(27315, 100)),
    "F": (Fraction(5, 9), Fraction(45967, 180)),
}

mcp = FastMCP("unit-converter")


def _dimension_of(unit: str) -> str:
    if unit in _TEMPERATURE:
        return "temperature"
    for dimension, units in _LINEAR.items():
        if unit in units:
            return dimension
    raise ValueError(f"unknown unit {unit!r}; call list_units for the supported ones")


@mcp.tool()
def convert_units(value: float, from_unit: str, to_unit: str) -> dict[str, object]:
    """Convert a value between two units of the same dimension (length, mass, volume or temperature)."""
    source, target = _dimension_of(from_unit), _dimension_of(to_unit)
    if source != target:
        raise ValueError(f"cannot convert {source} ({from_unit}) to {target} ({to_unit})")
    exact = Fraction(value)
    if source == "temperature":
        scale_in, offset_in = _TEMPERATURE[from_unit]
        scale_out, offset_out = _TEMPERATURE[to_unit]
        kelvin = exact * scale_in + offset_in
        result = (kelvin - offset_out) / scale_out
    else:
        units = _LINEAR[source]
        result = exact * units[from_unit] / units[to_unit]
    return {"value": float(result), "unit": to_unit, "dimension": source}


@mcp.tool()
def list_units(dimension: Dimension | None = None) -> dict[str, list[str]]:
    """List the supported units, optionally only those of one dimension."""
    table = {name: sorted(units) for name, units in _LINEAR.items()}
    table["temperature"] = sorted(_TEMPERATURE)
    if dimension is not None:
        return {dimension: table[dimension]}
    return table


if __name__ == "__main__":
    mcp.run()  # stdio transport by default
