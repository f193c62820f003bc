#include <iostream>

// After a standard header, so that __GLIBC__ is known.
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "app/shell/program.hpp"

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
    return rl::app::run_program(argc, argv, std::cout, std::cerr);
}
