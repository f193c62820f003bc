#pragma once

#include <string>
#include <string_view>

// Text and numbers as an XML (SVG) writer needs them. Internal to the plot module's exporters.
namespace rl::plot {

// Appends `text` escaped for element content and attribute values alike. UTF-8 is kept; bytes
// that are not valid UTF-8 become U+FFFD and control characters other than tab and line breaks
// are dropped, since either would make the document ill-formed.
void append_xml_escaped(std::string& out, std::string_view text);

// Appends v rounded to `decimals` places with a '.' whatever the locale, without trailing zeros
// ("12.5", "3", "-0.25"); non-finite or absurdly large values are written as 0 so an attribute
// stays a number.
void append_number(std::string& out, double v, int decimals = 2);
// "x,y" as append_number writes them: a point in SVG's lists and paths.
void append_point(std::string& out, double x, double y);

}  // namespace rl::plot
