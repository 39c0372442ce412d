"""How a report's location is generalised to a coarse area before anything is counted.

Either an H3 hexagonal grid at a fixed resolution (cell ids such as ``881f1d4897fffff``) or the
city's named districts, given as lat/lon boxes or polygons. A point outside every district, or
a report without coordinates, has no area (``None``): it is counted without an area dimension.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import h3

LatLon = tuple[float, float]


@dataclass(frozen=True)
class District:
    """A named area; ``polygon`` is a closed ring of (lat, lon) vertices."""

    name: str
    polygon: tuple[LatLon, ...]

    def contains(self, lat: float, lon: float) -> bool:
        """Ray casting; a point on an edge may fall on either side, which is fine for counts."""
        inside = False
        ring = self.polygon
        for (lat1, lon1), (lat2, lon2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (lon1 > lon) != (lon2 > lon):
                crossing = lat1 + (lon - lon1) * (lat2 - lat1) / (lon2 - lon1)
                if lat < crossing:
                    inside = not inside
        return inside


def box(south: float, west: float, north: float, east: float) -> tuple[LatLon, ...]:
    """The polygon of a lat/lon box."""
    return ((south, west), (south, east), (north, east), (north, west))


@dataclass(frozen=True)
class Geography:
    """Exactly one of ``h3_resolution`` or ``districts`` is set (the loader makes sure)."""

    min_count: int
    h3_resolution: int | None = None
    districts: tuple[District, ...] = ()

    def area_for(self, lat: float | None, lon: float | None) -> str | None:
        """Coarse area id of a point: an H3 cell id, a district name, or None if unknown."""
        if lat is None or lon is None:
            return None
        if isinstance(lat, bool) or isinstance(lon, bool):
            return None
        try:
            lat, lon = float(lat), float(lon)
        except (TypeError, ValueError):
            return None
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return None
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            return None
        if self.h3_resolution is not None:
            return h3.latlng_to_cell(lat, lon, self.h3_resolution)
        for district in self.districts:
            if district.contains(lat, lon):
                return district.name
        return None

    def small_areas(self, area_counts: Mapping[str, int]) -> frozenset[str]:
        """Areas with fewer than ``min_count`` reports: counted as "area unknown" instead."""
        return frozenset(a for a, n in area_counts.items() if n < self.min_count)

    def describe(self) -> str:
        """One line for a DPO."""
        if self.h3_resolution is not None:
            area_km2 = h3.average_hexagon_area(self.h3_resolution, unit="km^2")
            how = f"H3 grid, resolution {self.h3_resolution} (cells of about {area_km2:.2f} km²)"
        else:
            how = f"{len(self.districts)} named districts"
        return f"{how}; at least {self.min_count} reports per area"
