#pragma once

#include <string>
#include <vector>

#include "plot/recording.hpp"

// Markers in SVG: one definition per distinct marker look, centred on the origin, and a <use>
// per marker, which keeps a scatter of thousands of points small.
namespace rl::plot {

// The distinct looks of the recording's marker primitives, each as its first primitive.
class SvgMarkerStyles {
  public:
    explicit SvgMarkerStyles(const Recording& rec);

    // The position of p's look in the list; p must be one of the recording's markers.
    std::size_t index_of(const Primitive& p) const;
    // The <defs> children: an element with id "m<index>" per look, drawn as replay draws it.
    void append_definitions(std::string& out) const;

  private:
    std::vector<Primitive> m_styles;
};

}  // namespace rl::plot
