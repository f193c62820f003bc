#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/panels/message_log.hpp"
#include "control/lab.hpp"
#include "io/session_file.hpp"

// File > Open session and File > Save session (one window, in either mode), and the "Welcome back"
// offer to resume the last session. They save and open through the lab, never holding anything of
// a runner's while they do.
namespace rl::app {

class SessionDialog {
  public:
    // Opens the window: saving proposes a new file in `folder`, opening lists `folder`'s files.
    void open(bool save, const std::filesystem::path& folder, const std::string& preset);
    bool is_open() const { return m_mode != Mode::kClosed; }
    // Draws it when open; true when it replaced the running session with an opened file.
    bool draw(control::Lab& lab, MessageLog& log);

  private:
    enum class Mode { kClosed, kOpen, kSave };
    void act(control::Lab& lab, MessageLog& log, bool& close, bool& loaded);

    Mode m_mode = Mode::kClosed;
    std::filesystem::path m_folder;
    std::string m_path;
    bool m_focus = false;            // give the path field the keyboard on the next frame
    bool m_confirm_replace = false;  // the file exists and Save was pressed once
    std::filesystem::path m_listed_folder;
    std::vector<std::filesystem::path> m_listed_files;
};

// The file a typed path means: a bare name goes in `folder`, and ".json" is added when the name
// has no extension.
std::filesystem::path session_path_for(const std::string& typed,
                                       const std::filesystem::path& folder);

class ResumeOffer {
  public:
    void offer(io::SessionFile file, core::Settings lesson_base, std::string what);
    bool pending() const { return m_file.has_value(); }
    // The modal question; true when the last session was resumed.
    bool draw(control::Lab& lab, MessageLog& log);

  private:
    std::optional<io::SessionFile> m_file;
    core::Settings m_base;
    std::string m_what;
};

}  // namespace rl::app
