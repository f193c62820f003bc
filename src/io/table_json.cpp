// An episodic table in a session file (docs/SESSION.md): states by name, the start and terminal
// states, which logit block each state decides with, and the moves.

#include <algorithm>
#include <cmath>

#include "core/settings_fields.hpp"
#include "io/settings_json.hpp"

namespace rl::io::json {

namespace {

constexpr std::string_view kTableKeys[] = {"states", "start", "terminal", "state_block",
                                           "transitions"};
constexpr std::string_view kMoveKeys[] = {"from", "action", "to", "prob"};

std::vector<std::string> names_of(const Json& v, const std::string& field) {
    if (!v.is_array()) fail(field, "must be a list of names, got " + type_name(v));
    std::vector<std::string> names;
    for (std::size_t i = 0; i < v.size(); ++i)
        names.push_back(string_of(v[i], field + "[" + std::to_string(i) + "]"));
    return names;
}

std::uint32_t state_of(const std::vector<std::string>& states, const Json& v,
                       const std::string& field) {
    const std::string name = string_of(v, field);
    const auto it = std::find(states.begin(), states.end(), name);
    if (it == states.end()) fail(field, "no state is named '" + name + "'");
    return static_cast<std::uint32_t>(it - states.begin());
}

std::uint32_t index_of(const Json& v, const std::string& field, std::size_t count) {
    if (!v.is_number() || v.get<double>() != std::floor(v.get<double>()) || v.get<double>() < 0 ||
        v.get<double>() >= static_cast<double>(count))
        fail(field, "must be a whole number from 0 to " + std::to_string(count - 1));
    return static_cast<std::uint32_t>(v.get<double>());
}

}  // namespace

core::EpisodeTableSpec table_from_json(const Json& j, std::size_t actions) {
    if (!j.is_object()) fail("table", "must be an object, got " + type_name(j));
    for (const auto& [key, value] : j.items())
        if (std::find(std::begin(kTableKeys), std::end(kTableKeys), key) == std::end(kTableKeys))
            fail("table." + key,
                 "unknown key (expected states, start, terminal, state_block, transitions)");
    for (const char* key : {"states", "start", "transitions"})
        if (!j.contains(key)) fail(std::string("table.") + key, "missing");
    core::EpisodeTableSpec t;
    t.states = names_of(j["states"], "table.states");
    if (t.states.empty()) fail("table.states", "need at least one state");
    t.start = state_of(t.states, j["start"], "table.start");
    if (j.contains("terminal")) {
        const Json& terminal = j["terminal"];
        if (!terminal.is_array()) fail("table.terminal", "must be a list of state names");
        for (std::size_t i = 0; i < terminal.size(); ++i)
            t.terminal.push_back(
                state_of(t.states, terminal[i], "table.terminal[" + std::to_string(i) + "]"));
    }
    if (j.contains("state_block")) {
        const Json& blocks = j["state_block"];
        if (!blocks.is_array()) fail("table.state_block", "must be a list of block numbers");
        for (std::size_t i = 0; i < blocks.size(); ++i)
            t.state_block.push_back(index_of(
                blocks[i], "table.state_block[" + std::to_string(i) + "]", t.states.size()));
    }
    const Json& moves = j["transitions"];
    if (!moves.is_array()) fail("table.transitions", "must be a list, got " + type_name(moves));
    for (std::size_t i = 0; i < moves.size(); ++i) {
        const std::string where = "table.transitions[" + std::to_string(i) + "]";
        const Json& m = moves[i];
        if (!m.is_object()) fail(where, "must be an object, got " + type_name(m));
        for (const std::string_view key : kMoveKeys)
            if (!m.contains(key)) fail(where + "." + std::string(key), "missing");
        for (const auto& [key, value] : m.items()) {
            const core::ActionField* f = core::find_action_field(key);
            const bool reward_key = f && (f->key == "reward" || f->reward_kinds != 0);
            if (!reward_key &&
                std::find(std::begin(kMoveKeys), std::end(kMoveKeys), key) == std::end(kMoveKeys))
                fail(where + "." + key,
                     "unknown key (expected from, action, to, prob, reward and "
                     "the reward's values)");
        }
        core::TableTransition tr;
        tr.state = state_of(t.states, m["from"], where + ".from");
        tr.next = state_of(t.states, m["to"], where + ".to");
        tr.action = index_of(m["action"], where + ".action", actions);
        if (!m["prob"].is_number()) fail(where + ".prob", "must be a number");
        tr.prob = m["prob"].get<double>();
        tr.reward = reward_from_json(m, where);
        t.transitions.push_back(tr);
    }
    return t;
}

Json table_to_json(const core::EpisodeTableSpec& t) {
    Json j;
    j["states"] = t.states;
    j["start"] = t.states[t.start];
    Json terminal = Json::array();
    for (const std::uint32_t x : t.terminal)
        terminal.push_back(t.states[x]);
    j["terminal"] = terminal;
    if (!t.state_block.empty()) j["state_block"] = t.state_block;
    Json moves = Json::array();
    for (const core::TableTransition& tr : t.transitions) {
        Json m;
        m["from"] = t.states[tr.state];
        m["action"] = tr.action;
        m["to"] = t.states[tr.next];
        m["prob"] = tr.prob;
        reward_to_json(tr.reward, m);
        moves.push_back(std::move(m));
    }
    j["transitions"] = moves;
    return j;
}

}  // namespace rl::io::json
