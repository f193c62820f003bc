#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/policy.hpp"

// The generated action set of vocabulary mode (docs/SESSION.md): a language model's next-token
// step as a bandit. Tens of thousands of actions cannot be listed in a session file, so the file
// names the rule that makes them and the reader expands it.
namespace rl::core {

struct VocabularySpec {
    std::size_t N = 50000;        // tokens, named tok00000, tok00001, ... in rank order
    double zipf_s = 1.1;          // initial logit of rank a (from 0) is -zipf_s * log(a + 1)
    std::size_t good_every = 50;  // rank a is good when (a + 1) is a multiple of this
    double good_reward = 1.0;
    double other_reward = 0.0;

    bool operator==(const VocabularySpec&) const = default;
};

namespace limits {
// Far beyond any real Zipf exponent, and small enough that every logit stays within the session's
// logit range (100 * log(262144) is about 1250).
inline constexpr double kMaxZipfS = 100.0;
}  // namespace limits

// "tok00042": five digits at least, so the names of a 50k vocabulary sort in rank order.
std::string vocabulary_token_name(std::size_t rank);

bool is_good_token(const VocabularySpec& v, std::size_t rank);

// Empty when usable; otherwise "vocabulary.FIELD: reason".
std::string check_vocabulary(const VocabularySpec& v);

struct VocabularyActions {
    std::vector<std::string> names;
    std::vector<double> rewards;  // fixed rewards
    std::vector<double> logits;   // with a pinned parameterisation, shifted so the last is 0
};

// Expands a checked spec. Pinned logits are shifted rather than recomputed from probabilities,
// so the same spec always gives bit-identical logits (what compact writing relies on).
VocabularyActions expand_vocabulary(const VocabularySpec& v, Parameterization param);

struct Settings;

// Replaces the session's actions and initial policy with the expansion of `v` (checked), clears
// the reference (it would not fit the new actions) and remembers `v` for writing.
void apply_vocabulary(Settings& s, const VocabularySpec& v);

// The spec to write back: the remembered one while the actions, their rewards and the initial
// policy are still exactly what it expands to; otherwise none, and the full list is written.
const VocabularySpec* compact_vocabulary(const Settings& s);

}  // namespace rl::core
