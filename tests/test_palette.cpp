// The plots' colours can be told apart: each theme's palette has at least twelve colours, and
// they, plus the grey of "the rest", differ pairwise by a visible amount in CIELAB for normal
// vision and under simulated protanopia, deuteranopia and tritanopia (full-severity simulation
// matrices), and every one stands out from the page.

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "app/views/plot_common.hpp"
#include "app/views/plot_theme.hpp"

namespace {

using Rgb = std::array<double, 3>;
using Matrix = std::array<Rgb, 3>;

// Smallest CIE76 difference we accept between two series colours; about 2.3 is a just-noticeable
// difference, so 8 is plainly visible side by side on lines a few pixels wide.
constexpr double kMinPairDifference = 8.0;
// Against the page a series must stand out clearly.
constexpr double kMinPageDifference = 30.0;

double to_linear(double c) {
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}
double to_srgb(double c) {
    c = std::clamp(c, 0.0, 1.0);
    return c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1.0 / 2.4) - 0.055;
}

Rgb lab(const Rgb& srgb) {
    const double r = to_linear(srgb[0]), g = to_linear(srgb[1]), b = to_linear(srgb[2]);
    const double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    const double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    const double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    const auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0; };
    return {116.0 * f(y) - 16.0, 500.0 * (f(x) - f(y)), 200.0 * (f(y) - f(z))};
}

// Machado, Oliveira and Fernandes' severity-1 matrices, applied in linear RGB.
const Matrix kProtan{{{0.152286, 1.052583, -0.204868},
                      {0.114503, 0.786281, 0.099216},
                      {-0.003882, -0.048116, 1.051998}}};
const Matrix kDeutan{{{0.367322, 0.860646, -0.227968},
                      {0.280085, 0.672501, 0.047413},
                      {-0.011820, 0.042940, 0.968881}}};
const Matrix kTritan{{{1.255528, -0.076749, -0.178779},
                      {-0.078411, 0.930809, 0.147602},
                      {0.004733, 0.691367, 0.303900}}};

Rgb simulate(const Rgb& srgb, const Matrix* m) {
    if (m == nullptr) return srgb;
    const Rgb lin{to_linear(srgb[0]), to_linear(srgb[1]), to_linear(srgb[2])};
    Rgb out{};
    for (int i = 0; i < 3; ++i)
        out[i] = to_srgb((*m)[i][0] * lin[0] + (*m)[i][1] * lin[1] + (*m)[i][2] * lin[2]);
    return out;
}

double difference(const Rgb& a, const Rgb& b) {
    const Rgb la = lab(a), lb = lab(b);
    return std::hypot(la[0] - lb[0], la[1] - lb[1], la[2] - lb[2]);
}

Rgb rgb(rl::plot::Rgba c) {
    return {c.r, c.g, c.b};
}

void check_theme(bool presenter) {
    const rl::app::ThemeSettings settings{.presenter = presenter};
    const rl::plot::PlotStyle style = rl::app::plot_style_for(settings);
    REQUIRE(style.palette.size() >= 12);
    std::vector<Rgb> colours;
    for (const rl::plot::Rgba& c : style.palette)
        colours.push_back(rgb(c));
    colours.push_back(rgb(style.rest));
    const Rgb page = rgb(rl::app::page_color_for(settings));
    const Matrix* visions[] = {nullptr, &kProtan, &kDeutan, &kTritan};
    const char* names[] = {"normal", "protan", "deutan", "tritan"};
    for (int v = 0; v < 4; ++v) {
        INFO((presenter ? "presenter" : "dark") << " theme, " << names[v] << " vision");
        for (std::size_t i = 0; i < colours.size(); ++i) {
            const Rgb a = simulate(colours[i], visions[v]);
            if (v == 0) CHECK(difference(a, page) >= kMinPageDifference);
            for (std::size_t j = i + 1; j < colours.size(); ++j) {
                INFO("colours " << i << " and " << j);
                CHECK(difference(a, simulate(colours[j], visions[v])) >= kMinPairDifference);
            }
        }
    }
}

}  // namespace

TEST_CASE("palette: twelve colours and the rest stay apart in every vision, presenter theme") {
    check_theme(true);
}

TEST_CASE("palette: twelve colours and the rest stay apart in every vision, dark theme") {
    check_theme(false);
}

TEST_CASE("palette: the few tokens vocabulary mode draws never share a colour") {
    // vocab-50k draws its most likely tokens: tok00049 and tok00001 are both look 1 mod 12.
    const std::vector<std::size_t> drawn = {49, 0, 1, 2, 3, 4, 5, 6};
    const std::vector<std::size_t> looks = rl::app::drawn_looks(drawn, 12);
    REQUIRE(looks.size() == drawn.size());
    for (std::size_t i = 1; i < drawn.size(); ++i)
        CHECK(looks[i] == drawn[i]);  // those without a clash keep their colour in every plot
    CHECK(looks[0] == 7);             // the first colour none of them has
    for (std::size_t i = 0; i < looks.size(); ++i)
        for (std::size_t j = i + 1; j < looks.size(); ++j)
            CHECK(looks[i] % 12 != looks[j] % 12);
    // The lower index keeps its colour whichever order the plot lists them in.
    CHECK(rl::app::drawn_looks(std::vector<std::size_t>{13, 1}, 12) ==
          std::vector<std::size_t>{0, 1});
    // More series than colours: each keeps its own look, whose round's dashes set it apart.
    std::vector<std::size_t> many(13);
    for (std::size_t i = 0; i < many.size(); ++i)
        many[i] = 12 - i;
    CHECK(rl::app::drawn_looks(many, 12) == many);
}
