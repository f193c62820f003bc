#include "io/session_json.hpp"

#include "io/atomic_file.hpp"
#include "io/session_document.hpp"

namespace rl::io {

// A session file is a document whose settings are all these callers want; reading the whole
// document keeps one set of rules, so a file the GUI loads is one the command line loads.
SessionResult session_from_json_text(std::string_view text, std::string_view source) {
    DocumentResult result = document_from_json_text(text, source);
    if (!result) return {std::nullopt, std::move(result.error)};
    return {std::move(result.document->session), {}};
}

SessionResult read_session_file(const std::filesystem::path& path) {
    DocumentResult result = read_document_file(path);
    if (!result) return {std::nullopt, std::move(result.error)};
    return {std::move(result.document->session), {}};
}

std::string load_session_file(const std::filesystem::path& path, core::Session& target) {
    SessionResult result = read_session_file(path);
    if (!result) return result.error;
    target = std::move(*result.session);
    return {};
}

std::string session_to_json_text(const core::Session& s) {
    SessionDocument document;
    document.session = s;
    return document_to_json_text(document);
}

std::string write_session_file(const std::filesystem::path& path, const core::Session& s) {
    return write_file_atomically(path, session_to_json_text(s));
}

}  // namespace rl::io
