#include <iostream>

#include "io/cli.hpp"

int main(int argc, char** argv) {
    return rl::io::run_cli(argc, argv, std::cout, std::cerr);
}
