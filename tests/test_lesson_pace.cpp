// A pace a class can follow: lessons play slowly enough to watch, a step whose text says what
// happens "by step 20" pauses there, and the presets' texts and pause points agree.

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "control/lab.hpp"
#include "io/presets.hpp"
#include "io/session_file.hpp"
#include "support/sessions.hpp"
#include "test_live_support.hpp"

namespace {

using rl::control::Lab;

// The number at `at` in `text` and where it ends; -1 when there is none.
int number_at(const std::string& text, std::size_t at, std::size_t& end) {
    end = at;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9')
        ++end;
    return end == at ? -1 : std::stoi(text.substr(at, end - at));
}

// The steps a lesson text names as the moment to look: "by step 20", "after 400 nights",
// "after 1000 steps", "around step 150 to 200" (the later one). Scanned by hand: std::regex
// trips GCC 12's -Wmaybe-uninitialized in the sanitizer builds.
std::set<int> steps_named(const std::string& text) {
    std::set<int> steps;
    for (const char* lead : {"by step ", "By step ", "after step ", "around step "}) {
        for (std::size_t at = text.find(lead); at != std::string::npos;
             at = text.find(lead, at + 1)) {
            std::size_t end = 0;
            int n = number_at(text, at + std::string(lead).size(), end);
            if (n < 0) continue;
            if (text.compare(end, 4, " to ") == 0) {
                std::size_t later_end = 0;
                if (const int later = number_at(text, end + 4, later_end); later >= 0) n = later;
            }
            steps.insert(n);
        }
    }
    for (const char* lead : {"after ", "After "}) {
        for (std::size_t at = text.find(lead); at != std::string::npos;
             at = text.find(lead, at + 1)) {
            std::size_t end = 0;
            const int n = number_at(text, at + std::string(lead).size(), end);
            if (n >= 0 &&
                (text.compare(end, 6, " steps") == 0 || text.compare(end, 7, " nights") == 0))
                steps.insert(n);
        }
    }
    return steps;
}

int frames_until_paused(Lab& lab, int limit) {
    for (int frame = 1; frame <= limit; ++frame) {
        lab.transport().tick(true);
        if (!lab.transport().playing()) return frame;
    }
    return -1;
}

}  // namespace

TEST_CASE("lesson pace: every preset step pauses at each step its text names, and only there") {
    std::vector<rl::io::PresetFile> presets = rl::io::list_presets(rl::io::find_asset_dir());
    REQUIRE(presets.size() >= 8);
    for (rl::io::PresetFile& p : rl::io::list_episode_presets(rl::io::find_asset_dir()))
        presets.push_back(std::move(p));
    int named = 0;
    for (const rl::io::PresetFile& p : presets) {
        const rl::io::SessionFileResult loaded =
            rl::io::load_preset_file(rl::io::find_asset_dir(), p.name);
        REQUIRE(loaded);
        for (std::size_t i = 0; i < loaded.document->lesson.steps.size(); ++i) {
            const rl::io::LessonStep& step = loaded.document->lesson.steps[i];
            CAPTURE(p.name);
            CAPTURE(i);
            const std::set<int> wanted = steps_named(step.text);
            CHECK(std::set<int>(step.pause_at.begin(), step.pause_at.end()) == wanted);
            named += static_cast<int>(wanted.size());
            // A step that claims something far off plays faster, so the class is not kept
            // waiting: at 60 frames a second it gets there within 20 s.
            for (const int at : wanted)
                CHECK(at / (60.0 * step.pace.value_or(rl::io::kLessonPace)) <= 20.0);
        }
    }
    CHECK(named >= 15);
}

TEST_CASE("lesson pace: a step that says 'by step 20' plays slowly and pauses at step 20") {
    Lab lab(rl_test::small_yes_no_maybe(16, 64), rl_test::cpu_options());
    REQUIRE(lab.load_preset("yes-no-maybe") == "");
    // The introduction already plays at the lesson pace.
    CHECK(lab.transport().pace().speed == rl::io::kLessonPace);
    REQUIRE(lab.show_lesson_step(2) == "");
    REQUIRE(lab.lesson().shown_step()->pause_at == std::vector<int>{20});
    CHECK(lab.transport().pace().speed == rl::io::kLessonPace);
    CHECK(lab.transport().playing());
    // One step every 1 / kLessonPace = 10 frames: step 20 after 200 frames, then a pause.
    const int frames = frames_until_paused(lab, 1000);
    CHECK(frames == 200);
    lab.transport().wait_idle();
    CHECK(lab.results_a()->steps_done == 20);
    bool said = false;
    for (const rl::live::Message& m : lab.take_messages())
        said = said || m.text.starts_with("Paused at step 20, where this lesson step says to look");
    CHECK(said);
    // Play goes on past it, and the next pause point, if any, is the next one.
    lab.transport().set_playing(true);
    for (int i = 0; i < 50; ++i)
        lab.transport().tick(true);
    lab.transport().wait_idle();
    CHECK(lab.results_a()->steps_done == 25);
    CHECK(lab.transport().playing());
}

TEST_CASE("lesson pace: unpaced (scripted runs) a step leaves the pace alone") {
    Lab lab(rl_test::small_yes_no_maybe(16, 64), rl_test::cpu_options());
    lab.set_lesson_paced(false);
    REQUIRE(lab.load_preset("yes-no-maybe") == "");
    CHECK(lab.transport().pace().speed == 1.0);
    REQUIRE(lab.show_lesson_step(2) == "");
    CHECK(lab.transport().pace().speed == 1.0);
    CHECK(lab.transport().pace().pause_at.empty());
    CHECK(frames_until_paused(lab, 30) == -1);
}

TEST_CASE("lesson pace: a session file's pace and pause points are checked") {
    const auto refusal = [](const std::string& step) {
        const std::string text =
            R"({"version":2,"actions":[{"name":"a","reward":"fixed","value":1},)"
            R"({"name":"b","reward":"fixed","value":0}],"lesson":[{"text":"t",)" +
            step + "}]}";
        return rl::io::session_file_from_json_text(text, "f.json").error;
    };
    CHECK(refusal(R"("pace":0.5,"pause_at":[20,200])") == "");
    CHECK(refusal(R"("pace":0)") == "f.json: lesson[0].pace: must be between 0.001 and 1");
    CHECK(refusal(R"("pace":2)") == "f.json: lesson[0].pace: must be between 0.001 and 1");
    CHECK(refusal(R"("pace":"fast")") == "f.json: lesson[0].pace: must be a number, got a string");
    CHECK(refusal(R"("pause_at":[20,10])") ==
          "f.json: lesson[0].pause_at[1]: must be greater than the step before it (20)");
    CHECK(
        refusal(R"("pause_at":[0])").starts_with("f.json: lesson[0].pause_at[0]: must be a whole"));
    CHECK(refusal(R"("pause_at":20)") ==
          "f.json: lesson[0].pause_at: must be a list of steps, got a number");
}
