#include "io/summary_csv.hpp"

#include <map>
#include <set>

#include "core/allocation.hpp"
#include "core/memory_limit.hpp"

namespace rl::io {

std::vector<std::string> tracked_action_columns(const core::Settings& s,
                                                std::span<const std::uint32_t> tracked) {
    std::vector<std::string> stems;
    std::map<std::string, int> uses;
    for (std::uint32_t a : tracked) {
        stems.push_back(sanitize_column_name(s.actions.at(a).name));
        ++uses[stems.back()];
    }
    // Stems used once keep their name; the others get the action's index, and a further suffix
    // while that is still taken ("a", "a" and "a_0" would otherwise give "a_0" twice).
    std::set<std::string> taken;
    for (const std::string& stem : stems)
        if (uses[stem] == 1) taken.insert(stem);
    for (std::size_t i = 0; i < stems.size(); ++i) {
        if (uses[stems[i]] == 1) continue;
        std::string name = stems[i] + "_" + std::to_string(tracked[i]);
        for (int n = 2; taken.count(name) > 0; ++n)
            name = stems[i] + "_" + std::to_string(tracked[i]) + "_" + std::to_string(n);
        taken.insert(name);
        stems[i] = std::move(name);
    }
    return stems;
}

SummaryCsv::SummaryCsv(const core::Settings& s, std::span<const std::uint32_t> tracked) {
    for (const char* column :
         {"step", "J_mean", "J_p10", "J_p50", "J_p90", "best_prob_share", "opt_action_share"})
        m_csv.text(column);
    for (const std::string& stem : tracked_action_columns(s, tracked)) {
        for (const char* stat : {"_mean", "_p10", "_p50", "_p90"})
            m_csv.text(std::string("p_").append(stem).append(stat));
    }
    m_csv.end_row();
}

void SummaryCsv::add(std::span<const engine::StepSummary> steps) {
    const auto quantiles = [this](const engine::Quantiles& q) {
        m_csv.number(q.mean).number(q.p10).number(q.p50).number(q.p90);
    };
    for (const engine::StepSummary& step : steps) {
        core::allocating(
            [&] {
                std::string name = "the summary.csv text (";
                name += core::format_bytes(static_cast<double>(m_csv.str().size()));
                name += " at step ";
                name += std::to_string(step.step);
                name += ")";
                return name;
            },
            [&] {
                m_csv.integer(step.step);
                quantiles(step.J);
                m_csv.number(step.best_prob_share).number(step.opt_action_share);
                for (const engine::Quantiles& q : step.action_probs)
                    quantiles(q);
                m_csv.end_row();
            });
    }
}

}  // namespace rl::io
