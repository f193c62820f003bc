#pragma once

#include <new>
#include <string>
#include <string_view>
#include <utility>

// Running out of memory as a message a person can act on. A bare std::bad_alloc says only
// "std::bad_alloc"; the places that allocate what grows with the settings wrap it in an
// AllocationFailure naming what it was, and the boundaries (the headless run, the runner's tick,
// a load) print what() as their one line.
namespace rl::core {

// Still a std::bad_alloc, so code that handles running out of memory keeps handling it.
class AllocationFailure : public std::bad_alloc {
  public:
    explicit AllocationFailure(std::string what) : m_what(std::move(what)) {}
    const char* what() const noexcept override { return m_what.c_str(); }

  private:
    std::string m_what;
};

// "out of memory allocating WHAT". The message is built only after the allocation failed, so a
// call costs nothing while memory lasts.
inline std::string out_of_memory_message(std::string_view what) {
    std::string text = "out of memory allocating ";
    text += what;
    return text;
}

// Runs `allocate`; a std::bad_alloc from it becomes an AllocationFailure naming `what` (one that
// already names something deeper passes through). `what` is a callable returning the name, so
// the name's arithmetic is done only on failure.
template <typename Allocate, typename Name>
decltype(auto) allocating(Name&& what, Allocate&& allocate) {
    try {
        return std::forward<Allocate>(allocate)();
    } catch (const AllocationFailure&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw AllocationFailure(out_of_memory_message(std::forward<Name>(what)()));
    }
}

// For a boundary: the one line for any std::bad_alloc, with `during` saying what was being done
// when a bare one (not named where it was thrown) reached it.
inline std::string allocation_message(const std::bad_alloc& e, std::string_view during) {
    if (dynamic_cast<const AllocationFailure*>(&e) != nullptr) return e.what();
    std::string text = "out of memory while ";
    text += during;
    return text;
}

}  // namespace rl::core
