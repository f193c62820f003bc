# Included by the top-level CMakeLists.txt when RL_BUILD_FUZZERS is on: a clang build of only
# what the fuzz targets need, every object instrumented for libFuzzer with ASan and UBSan.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "RL_BUILD_FUZZERS needs clang (CXX=clang++); got ${CMAKE_CXX_COMPILER_ID}")
endif()
# No window, no GPU and no test suite in this build: the fuzzers need core, engine and io only.
set(RL_WITH_CUDA OFF)
set(RL_BUILD_TESTS OFF)
# UBSan findings must stop the run like ASan's, or libFuzzer would not save the input.
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                    -fno-omit-frame-pointer -g)
add_link_options(-fsanitize=address,undefined)
message(STATUS "REINFORCE Lab: fuzz build (libFuzzer, ASan, UBSan); no app, bench or tests")
