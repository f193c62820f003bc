#include <iostream>

#include "app/gui_main.hpp"
#include "io/cli.hpp"

int main(int argc, char** argv) {
    return rl::io::run_cli(argc, argv, std::cout, std::cerr, rl::app::run_gui);
}
