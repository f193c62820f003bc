#include "app/shell/program.hpp"

#include <ostream>
#include <variant>

#include "app/shell/gui_main.hpp"
#include "app/views/headless_plots.hpp"
#include "core/allocation.hpp"
#include "core/memory_estimate.hpp"
#include "io/cli.hpp"
#include "io/headless.hpp"
#include "soak/soak.hpp"

namespace rl::app {

namespace {

int run_window(const io::CommandPlan& plan, std::ostream& out, std::ostream& err) {
    try {
        return run_gui(plan.document, plan.window, out, err);
    } catch (const std::bad_alloc& e) {
        io::report_error(err, core::allocation_message(e, "running the window"));
        return io::kExitFailure;
    } catch (const std::exception& e) {
        io::report_error(err, std::string("error: ") + e.what());
        return io::kExitFailure;
    }
}

// Whether the run fits the memory budget: the headless run, and with --svg the live run that
// draws the plots after it. "" or the refusal.
std::string memory_refusal(const core::Settings& settings, const io::CliOptions& o) {
    const core::MemoryLimit limit = core::memory_limit_from_option(o.memory_limit);
    std::string refusal =
        core::check_memory(settings, {core::RunMode::kHeadless, o.threads}, limit);
    if (refusal.empty() && o.svg)
        refusal = core::check_memory(settings, {core::RunMode::kWindow, o.threads}, limit);
    return refusal;
}

int run_headless(const io::CommandPlan& plan, std::ostream& out, std::ostream& err) {
    const io::CliOptions& o = plan.options;
    io::HeadlessOptions options{o.engine, o.threads, o.out_dir, {}};
    // The plots join the CSV files' set, so the folder shows all of them or none.
    if (o.svg) {
        options.more_outputs = [&](io::OutputSet& set) {
            std::string error =
                write_plot_svgs(plan.document.settings, {o.engine, o.threads, o.memory_limit}, set);
            if (!error.empty()) error.insert(0, "--svg: ");
            return error;
        };
    }
    try {
        if (const std::string refusal = memory_refusal(plan.document.settings, o); !refusal.empty())
            return io::usage_error(err, refusal);
        return io::run_headless(plan.document.settings, options, out, err);
    } catch (const std::bad_alloc& e) {
        io::report_error(err, core::allocation_message(e, "running headless"));
        return io::kExitFailure;
    } catch (const std::exception& e) {
        io::report_error(err, std::string("error: ") + e.what());
        return io::kExitFailure;
    }
}

int run_soak(const io::CommandPlan& plan, std::ostream& out, std::ostream& err) {
    const io::CliOptions& o = plan.options;
    soak::SoakOptions options;
    options.minutes = o.soak_minutes;
    options.live = {o.engine, o.threads, o.memory_limit};
    options.out_dir = o.out_dir;
    return soak::soak_command(options, out, err);
}

}  // namespace

int run_program(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    std::variant<io::CommandPlan, int> planned = io::plan_command(argc, argv, out, err);
    if (const int* code = std::get_if<int>(&planned)) return *code;
    const io::CommandPlan& plan = std::get<io::CommandPlan>(planned);
    using Mode = io::CommandPlan::Mode;
    switch (plan.mode) {
        case Mode::kVersion:
            out << "reinforce-lab " << io::program_version() << "\n";
            return io::kExitOk;
        case Mode::kListPresets:
            return io::list_presets_command(out, err);
        case Mode::kListSettings:
            out << io::settings_reference();
            return io::kExitOk;
        case Mode::kWindow:
            return run_window(plan, out, err);
        case Mode::kHeadless:
            return run_headless(plan, out, err);
        case Mode::kSoak:
            return run_soak(plan, out, err);
    }
    return io::kExitFailure;
}

}  // namespace rl::app
