#include <iostream>

// After a standard header, so that __GLIBC__ is known.
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "app/gui_main.hpp"
#include "app/headless_plots.hpp"
#include "io/cli.hpp"
#include "live/soak.hpp"
#include "plot/svg_export.hpp"

namespace {

std::string write_svgs(const rl::Session& session, const std::string& engine, int threads,
                       const std::string& out_dir, std::ostream& out) {
    return rl::app::write_plot_svgs(session, {engine, threads}, out_dir, out);
}

// The soak draws the plots as --svg does and turns them into SVG text, kept nowhere: what it
// checks is that drawing and exporting again and again leaves memory flat.
std::size_t draw_plots(const rl::live::Results& results) {
    const std::vector<rl::app::DrawnPlot> drawn = rl::app::draw_plots_headless(results, 900, 600);
    std::size_t exported = 0;
    for (const rl::app::DrawnPlot& d : drawn)
        exported += rl::plot::recording_to_svg(d.recording, {}).empty() ? 0 : 1;
    return exported;
}

int soak(const rl::io::SoakRequest& request, std::ostream& out, std::ostream& err) {
    rl::live::SoakOptions options;
    options.minutes = request.minutes;
    options.live = {request.engine, request.threads};
    options.out_dir = request.out_dir;
    options.draw_plots = draw_plots;
    return rl::live::soak_command(options, out, err);
}

}  // namespace

int main(int argc, char** argv) {
#if defined(__GLIBC__)
    // One malloc heap for every thread, set before any thread starts. With glibc's default of a
    // heap per thread (up to 8 per core), the engine threads that compare mode and each session
    // start scatter long-lived blocks across many heaps, and after a vocabulary-sized run their
    // free space cannot be handed back: the soak saw resident memory settle 10-20 MB higher at
    // random from one cycle to the next. The threads allocate little while they compute, so the
    // shared heap costs no measurable speed (reinforce-lab-bench, N = 50,000, 2 threads).
    mallopt(M_ARENA_MAX, 1);
#endif
    return rl::io::run_cli(argc, argv, std::cout, std::cerr, rl::app::run_gui, write_svgs, soak);
}
