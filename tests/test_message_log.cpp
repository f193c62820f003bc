#include <doctest/doctest.h>

#include "app/panels/message_log.hpp"

using rl::app::MessageLog;
using rl::live::Level;

TEST_CASE("status bar: a fresh warning is not pushed out by later info") {
    MessageLog log;
    log.add(Level::kWarning, "Switched to the CPU engine", 1.0);
    log.add(Level::kInfo, "Lesson step 2", 4.0);
    REQUIRE(log.shown(5.0) != nullptr);
    CHECK(log.shown(5.0)->message.text == "Switched to the CPU engine");
    // Once the warning has been up for the hold time, the newest message shows again.
    CHECK(log.shown(17.0)->message.text == "Lesson step 2");
}

TEST_CASE("status bar: the newest problem wins, and info alone shows the newest") {
    MessageLog log;
    CHECK(log.shown(0.0) == nullptr);
    log.add(Level::kInfo, "first", 0.0);
    log.add(Level::kInfo, "second", 1.0);
    CHECK(log.shown(2.0)->message.text == "second");
    log.add(Level::kWarning, "warned", 2.0);
    log.add(Level::kError, "diverged", 3.0);
    log.add(Level::kInfo, "third", 4.0);
    CHECK(log.shown(5.0)->message.text == "diverged");
    // An old problem that is also the newest entry stays: nothing newer replaced it.
    MessageLog quiet;
    quiet.add(Level::kError, "diverged", 0.0);
    CHECK(quiet.shown(100.0)->message.text == "diverged");
}
