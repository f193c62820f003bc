// Files a hostile or careless user might hand the reader: nesting deep enough to exhaust a
// recursive parser, strings and files of megabytes, keys given twice, things that are not files.
// Each is refused with one short line naming what is wrong, and nothing is built past the limit.

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/one_line.hpp"
#include "engine/cuda_fault_injection.hpp"
#include "io/session_file.hpp"
#include "io/strict_json.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using rl::io::session_file_from_json_text;
using rl_test::TempDir;

// A value nested `levels` deep, then another key in the same object: the shape that crashed the
// reader when the deep value was not the last in its object.
std::string deep_then_key(std::size_t levels) {
    std::string text = R"({"version":2,"title":)";
    text.append(levels, '[');
    text.append(levels, ']');
    text += R"(,"K":1})";
    return text;
}

std::string refusal(std::string_view text) {
    const rl::io::SessionFileResult r = session_file_from_json_text(text, "f.json");
    REQUIRE_FALSE(r);
    return r.error;
}

// One line a person can read: no line break, bounded length, starting with the source.
void check_one_short_line(const std::string& message) {
    INFO(message.substr(0, 300));
    CHECK(message.find('\n') == std::string::npos);
    CHECK(message.size() <= rl::core::kMaxMessageBytes + 100);
    CHECK(message.starts_with("f.json: "));
}

void write_bytes(const fs::path& file, const std::string& bytes) {
    std::ofstream out(file, std::ios::binary);
    out << bytes;
}

}  // namespace

TEST_CASE("hostile files: a deep value followed by a key is refused at 10k, 100k and 1M levels") {
    for (const std::size_t levels :
         {std::size_t{10'000}, std::size_t{100'000}, std::size_t{1'000'000}}) {
        CAPTURE(levels);
        const std::string message = refusal(deep_then_key(levels));
        check_one_short_line(message);
        CHECK(message.find("title") != std::string::npos);
        CHECK(message.find("nested deeper than 32 levels") != std::string::npos);
    }
}

TEST_CASE("hostile files: the depth limit lets a session file's own depth through") {
    rl::io::json::Json j;
    const auto nested = [](std::size_t levels) {
        std::string text(levels, '[');
        text.append(levels, ']');
        return text;
    };
    CHECK(rl::io::json::parse_strict(nested(32), j) == "");
    CHECK(j.is_array());
    CHECK(rl::io::json::parse_strict(nested(33), j).find("nested deeper than 32") !=
          std::string::npos);
    CHECK(j.is_null());
}

TEST_CASE("hostile files: a 20 MB string is refused naming its field") {
    std::string text = R"({"version":2,"title":")";
    text.append(20'000'000, 'x');
    text += R"(","K":1})";
    const std::string message = refusal(text);
    check_one_short_line(message);
    CHECK(message.find("title: a string of 20000000 bytes") != std::string::npos);
}

TEST_CASE("hostile files: a long invalid token is quoted cut, not echoed whole") {
    // An invalid escape at the end of a long string: the parser's message quotes the whole token.
    std::string text = R"({"version":2,"title":")";
    text.append(2'000'000, 'z');
    text += R"(\q"})";
    const std::string message = refusal(text);
    check_one_short_line(message);
    CHECK(message.find("invalid JSON: ") != std::string::npos);
    CHECK(message.find("[cut: ") != std::string::npos);
}

TEST_CASE("hostile files: a file over the size limit is refused without being parsed") {
    TempDir dir("rl-hostile-size");
    const fs::path file = dir.path / "huge.json";
    // Valid JSON, so only the size can be the reason.
    std::string bytes = R"({"version":2})";
    bytes.append(rl::io::kMaxSessionFileBytes, ' ');
    write_bytes(file, bytes);
    const rl::io::SessionFileResult r = rl::io::read_session_file(file);
    REQUIRE_FALSE(r);
    CHECK(r.error ==
          file.string() + ": refused: larger than 64 MiB (a session file is far smaller)");
    CHECK(refusal(bytes) == "f.json: refused: larger than 64 MiB (a session file is far smaller)");
}

TEST_CASE("hostile files: a key given twice is refused naming the key and where it is") {
    CHECK(refusal(R"({"version":2,"K":4,"K":5})") ==
          "f.json: K: this key appears twice in one object (each key may appear once)");
    const std::string nested =
        R"({"version":2,"step":2,"history":[{"until_step":1,"until_step":1}]})";
    CHECK(refusal(nested) ==
          "f.json: history[0].until_step: this key appears twice in one object "
          "(each key may appear once)");
}

TEST_CASE("hostile files: an object with more keys than any part of the format is refused") {
    std::string text = R"({"version":2,"set":{)";
    for (int i = 0; i < 5000; ++i) {
        text += i == 0 ? "\"k" : ",\"k";
        text += std::to_string(i);
        text += "\":0";
    }
    text += "}}";
    const std::string message = refusal(text);
    check_one_short_line(message);
    CHECK(message.find("set.k4096: more than 4096 keys in one object") != std::string::npos);
}

TEST_CASE("hostile files: what is not a regular file is refused at once, not waited on") {
    TempDir dir("rl-hostile-fifo");
    const fs::path fifo = dir.path / "session.json";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // No writer ever opens it: a blocking read would hang the test here.
    const rl::io::SessionFileResult r = rl::io::read_session_file(fifo);
    REQUIRE_FALSE(r);
    CHECK(r.error == fifo.string() + ": cannot read: not a regular file");
    const rl::io::SessionFileResult folder = rl::io::read_session_file(dir.path);
    REQUIRE_FALSE(folder);
    CHECK(folder.error == dir.path.string() + ": cannot read: Is a directory");
}

TEST_CASE("hostile files: one_line escapes control characters and cuts at a character boundary") {
    CHECK(rl::core::one_line("a\nb\tc\x1b") == "a\\nb\\tc\\u001b");
    CHECK(rl::core::one_line("short", 10) == "short");
    CHECK(rl::core::one_line("abcdefghij", 4) == "abcd [cut: 6 more bytes]");
    // "é" is two bytes; a cut between them would leave invalid UTF-8.
    CHECK(rl::core::one_line("ab\xc3\xa9z", 3) == "ab [cut: 3 more bytes]");
}

TEST_CASE("hostile files: RL_CUDA_FAULT with a line break is refused on one line") {
    const rl::engine::CudaFaultSwitch s = rl::engine::parse_cuda_fault("run\nstart\nalloc");
    CHECK_FALSE(s.plan);
    CHECK(s.error.find('\n') == std::string::npos);
    CHECK(s.error.starts_with("RL_CUDA_FAULT=run\\nstart\\nalloc: "));
    const rl::engine::CudaFaultSwitch huge = rl::engine::parse_cuda_fault(std::string(100000, 'q'));
    CHECK(huge.error.size() < 400);
}
