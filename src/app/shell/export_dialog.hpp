#pragma once

#include <string>

#include "app/export/exporter.hpp"
#include "app/panels/message_log.hpp"

// File > Export folder and recording: where exported files go, and how often Record takes a PNG.
namespace rl::app {

class ExportDialog {
  public:
    ExportDialog(const Exporter& exporter, int record_every)
        : m_folder_draft(exporter.folder().string()), m_record_every(record_every) {}

    int record_every() const { return m_record_every; }
    // remember: the folder chosen is kept for the next start (interactive runs).
    void draw(bool& open, Exporter& exporter, MessageLog& log, bool remember);

  private:
    std::string m_folder_draft;
    int m_record_every = 10;
};

}  // namespace rl::app
