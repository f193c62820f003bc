#pragma once

#include <span>
#include <vector>

#include "plot/geometry.hpp"

// Min-max decimation in pixel space, as tracy draws long plots: the samples that fall in one
// pixel column become that column's lowest and highest sample, which the line joins with one
// vertical stroke. The picture is the same as drawing every sample; the cost is two points per
// column. Columns are floor(x); a run of consecutive samples in one column forms a group.
namespace rl::plot {

struct BandPoint {
    double x = 0, a = 0, b = 0;  // pixel x and the pixel y of the two edges
};

// Appends to `out` the decimated line. Non-finite points in `in` are breaks and are kept (one per
// break). Each group gives its minimum and maximum y in their original order; the first and
// last point of each piece between breaks are kept too, so the line starts and ends where the
// data do. Output: at most 2 points per group plus 2 per piece.
void decimate_line(std::span<const DPoint> in, std::vector<DPoint>& out);

// Appends to `out` the decimated band: each group becomes its envelope (the lowest and highest
// edge over the group) at the group's first and last x; a group of one point stays one point.
// Output entries have a <= b: a band is the region between its edges whichever is on top.
// Entries with a non-finite field are breaks and are kept (one per break).
void decimate_band(std::span<const BandPoint> in, std::vector<BandPoint>& out);

}  // namespace rl::plot
