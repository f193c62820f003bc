#include "app/shell/program.hpp"

#include <ostream>
#include <variant>

#include "app/shell/gui_main.hpp"
#include "app/views/headless_plots.hpp"
#include "io/cli.hpp"
#include "io/headless.hpp"
#include "soak/soak.hpp"

namespace rl::app {

namespace {

int run_window(const io::CommandPlan& plan, std::ostream& out, std::ostream& err) {
    try {
        return run_gui(plan.document, plan.window, out, err);
    } catch (const std::exception& e) {
        io::report_error(err, std::string("error: ") + e.what());
        return io::kExitFailure;
    }
}

int run_headless(const io::CommandPlan& plan, std::ostream& out, std::ostream& err) {
    const io::CliOptions& o = plan.options;
    io::HeadlessOptions options{o.engine, o.threads, o.out_dir, {}};
    // The plots join the CSV files' set, so the folder shows all of them or none.
    if (o.svg) {
        options.more_outputs = [&](io::OutputSet& set) {
            std::string error = write_plot_svgs(plan.document.settings, {o.engine, o.threads}, set);
            if (!error.empty()) error.insert(0, "--svg: ");
            return error;
        };
    }
    try {
        return io::run_headless(plan.document.settings, options, out, err);
    } catch (const std::exception& e) {
        io::report_error(err, std::string("error: ") + e.what());
        return io::kExitFailure;
    }
}

int run_soak(const io::CommandPlan& plan, std::ostream& out, std::ostream& err) {
    const io::CliOptions& o = plan.options;
    soak::SoakOptions options;
    options.minutes = o.soak_minutes;
    options.live = {o.engine, o.threads};
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
