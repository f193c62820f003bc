// Every input the fuzzers ever failed on (and a few hand-made nasty ones), replayed through the
// very checks the libFuzzer targets run (fuzz/fuzz_checks), so a fixed bug stays fixed.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/fuzz_checks.hpp"
#include "io/session_file.hpp"
#include "support/run_app.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputs_in(const fs::path& folder) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder))
        if (entry.is_regular_file()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

std::string bytes_of(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const fs::path kRegressions = RL_FUZZ_REGRESSION_DIR;

}  // namespace

TEST_CASE("fuzz regressions: session documents pass the document target's checks") {
    const std::vector<fs::path> files = inputs_in(kRegressions / "document");
    REQUIRE(files.size() >= 2);
    for (const fs::path& file : files)
        CHECK_MESSAGE(rl::fuzz::check_document_input(bytes_of(file)) == "", file.string());
}

TEST_CASE("fuzz regressions: --set lines pass the --set target's checks") {
    const std::vector<rl::io::SessionFile> presets = rl::fuzz::set_input_presets();
    REQUIRE(presets.size() >= 2);
    std::vector<fs::path> files = inputs_in(kRegressions / "set");
    // The committed seeds too: they are where every fuzzing run starts.
    const std::vector<fs::path> seeds = inputs_in(RL_FUZZ_SEED_DIR);
    files.insert(files.end(), seeds.begin(), seeds.end());
    REQUIRE(files.size() >= 2);
    for (const fs::path& file : files)
        CHECK_MESSAGE(rl::fuzz::check_set_input(bytes_of(file), presets) == "", file.string());
}

TEST_CASE("fuzz checks: a document that reads back different is reported") {
    // The oracle itself must be able to fail, or a green replay would prove nothing.
    const std::vector<rl::io::SessionFile> presets = rl::fuzz::set_input_presets();
    REQUIRE(!presets.empty());
    rl::io::SessionFile changed = presets.front();
    changed.settings.estimator.K += 1;
    CHECK(rl::fuzz::document_difference(presets.front(), changed).starts_with("session.K: "));
    CHECK(rl::fuzz::document_difference(presets.front(), presets.front()) == "");
    // A refused document must be one line naming the source: an empty input is refused so.
    CHECK(rl::fuzz::check_document_input("") == "");
    CHECK(rl::fuzz::check_document_input("{\"version\": 2}") == "");
}

TEST_CASE("fuzz checks: episode documents round-trip, and a changed table is reported") {
    for (const char* name : {"short-corridor", "one-bad-token"}) {
        CAPTURE(name);
        const std::string text =
            rl_test::read_text(std::filesystem::path(RL_TEST_ASSET_DIR) / "presets" / "episodes" /
                               (std::string(name) + ".json"));
        REQUIRE(!text.empty());
        CHECK(rl::fuzz::check_document_input(text) == "");
    }
    const rl::io::SessionFileResult corridor = rl::io::read_session_file(
        std::filesystem::path(RL_TEST_ASSET_DIR) / "presets" / "episodes" / "short-corridor.json");
    REQUIRE(corridor);
    rl::io::SessionFile changed = *corridor.document;
    changed.settings.table->transitions[2].prob = 0.5;
    CHECK(
        rl::fuzz::document_difference(*corridor.document, changed).starts_with("session.table: "));
    changed = *corridor.document;
    changed.settings.estimator.credit = rl::core::Credit::kFullReturn;
    CHECK(
        rl::fuzz::document_difference(*corridor.document, changed).starts_with("session.credit: "));
}
