// Exception types of the quasiion core. Every input is validated at the core's boundary and
// rejected with an InvalidArgument whose message names the parameter, its value and what is
// allowed; an iteration that fails to converge throws ConvergenceError with its history.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace quasiion {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bad input. Mapped to Python's ValueError by the bindings.
class InvalidArgument : public Error {
 public:
  using Error::Error;
};

// A root search or self-consistent loop that did not converge. `history` holds what was tried
// (for a root search: the residuals or iterates, in order). Mapped to
// quasiion.ConvergenceError, which carries the history as an attribute.
class ConvergenceError : public Error {
 public:
  ConvergenceError(const std::string& what, std::vector<double> history)
      : Error(what), history_(std::move(history)) {}
  const std::vector<double>& history() const noexcept { return history_; }

 private:
  std::vector<double> history_;
};

// Work stopped on request (Execution::cancelled returned true, e.g. Ctrl-C in Python). Mapped
// to KeyboardInterrupt (or the Python error the hook set) by the bindings.
class Cancelled : public Error {
 public:
  using Error::Error;
};

}  // namespace quasiion
