#include <iostream>

#include "app/gui_main.hpp"
#include "app/headless_plots.hpp"
#include "io/cli.hpp"

namespace {

std::string write_svgs(const rl::Session& session, const std::string& engine, int threads,
                       const std::string& out_dir, std::ostream& out) {
    return rl::app::write_plot_svgs(session, {engine, threads}, out_dir, out);
}

}  // namespace

int main(int argc, char** argv) {
    return rl::io::run_cli(argc, argv, std::cout, std::cerr, rl::app::run_gui, write_svgs);
}
