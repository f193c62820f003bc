#include "io/strict_json.hpp"

#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace rl::io::json {

namespace {

// Builds the document as nlohmann's own DOM builder would, refusing as soon as an event breaks
// the limits: returning false stops the parser at once, so nothing past the limit is built.
class StrictBuilder {
  public:
    StrictBuilder(Json& root, const ParseLimits& limits) : m_root(root), m_limits(limits) {}

    bool null() { return add(nullptr); }
    bool boolean(bool v) { return add(v); }
    bool number_integer(Json::number_integer_t v) { return add(v); }
    bool number_unsigned(Json::number_unsigned_t v) { return add(v); }
    bool number_float(Json::number_float_t v, const Json::string_t&) { return add(v); }
    bool string(Json::string_t& v) {
        if (v.size() > m_limits.max_string_bytes) return refuse(too_long("a string", v.size()));
        return add(std::move(v));
    }
    bool binary(Json::binary_t&) { return refuse("binary values are not JSON"); }

    bool start_object(std::size_t) { return open(Json::object()); }
    bool start_array(std::size_t) { return open(Json::array()); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    bool key(Json::string_t& name) {
        Frame& top = m_open.back();
        if (name.size() > m_limits.max_string_bytes) return refuse(too_long("a key", name.size()));
        if (!top.keys.insert(name).second) {
            top.key = std::move(name);
            return refuse("this key appears twice in one object (each key may appear once)");
        }
        top.key = std::move(name);
        if (top.keys.size() > m_limits.max_keys_per_object)
            return refuse("more than " + std::to_string(m_limits.max_keys_per_object) +
                          " keys in one object");
        return true;
    }

    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
        // nlohmann prefixes "[json.exception.parse_error.101] " and quotes the last token read,
        // which can be the whole file (the message gives line and column); the caller cuts the
        // message to one bounded line.
        std::string what = e.what();
        if (const std::size_t close = what.find("] "); close != std::string::npos)
            what.erase(0, close + 2);
        m_error = "invalid JSON: " + what;
        return false;
    }

    const std::string& error() const { return m_error; }

  private:
    struct Frame {
        Json* value;
        std::unordered_set<std::string> keys;  // an object's keys so far
        std::string key;                       // the key whose value comes next
    };

    // Where the next value goes, as messages name fields: history[0].settings.K.
    std::string path() const {
        std::string where;
        for (std::size_t i = 0; i < m_open.size(); ++i) {
            const Frame& f = m_open[i];
            if (f.value->is_array()) {
                // An open child is the list's last element; at the top, the next one comes.
                // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "[" + std::string.
                const std::size_t size = f.value->size();
                where += '[';
                where += std::to_string(i + 1 < m_open.size() ? size - 1 : size);
                where += ']';
            } else {
                if (!where.empty()) where += '.';
                where += f.key;
            }
        }
        return where;
    }

    std::string too_long(const char* what, std::size_t bytes) const {
        return std::string(what) + " of " + std::to_string(bytes) + " bytes, longer than the " +
               std::to_string(m_limits.max_string_bytes) + " a session file allows";
    }

    bool refuse(const std::string& reason) {
        const std::string where = path();
        m_error = where.empty() ? reason : where + ": " + reason;
        return false;
    }

    Json* place(Json&& v) {
        if (m_open.empty()) {
            m_root = std::move(v);
            return &m_root;
        }
        Frame& top = m_open.back();
        if (top.value->is_array()) {
            top.value->push_back(std::move(v));
            return &top.value->back();
        }
        Json& slot = (*top.value)[top.key];
        slot = std::move(v);
        return &slot;
    }

    bool add(Json&& v) {
        place(std::move(v));
        return true;
    }

    // A container's parent is not changed while the container is open, so the pointer holds.
    bool open(Json&& container) {
        if (m_open.size() >= m_limits.max_depth)
            return refuse("nested deeper than " + std::to_string(m_limits.max_depth) +
                          " levels (a session file needs at most 7)");
        Json* value = place(std::move(container));
        m_open.push_back({value, {}, {}});
        return true;
    }

    bool close() {
        m_open.pop_back();
        return true;
    }

    Json& m_root;
    const ParseLimits& m_limits;
    std::vector<Frame> m_open;
    std::string m_error;
};

}  // namespace

std::string parse_strict(std::string_view text, Json& out, const ParseLimits& limits) {
    out = nullptr;
    Json document;
    StrictBuilder builder(document, limits);
    bool ok = false;
    try {
        ok = Json::sax_parse(text.begin(), text.end(), &builder);
    } catch (const Json::exception& e) {
        // A number too large for a double ("1e400") is out_of_range, thrown past the SAX calls.
        std::string what = e.what();
        if (const std::size_t close = what.find("] "); close != std::string::npos)
            what.erase(0, close + 2);
        return "invalid JSON: " + what;
    }
    if (!ok) return builder.error().empty() ? "invalid JSON" : builder.error();
    out = std::move(document);
    return {};
}

}  // namespace rl::io::json
