#include "bindings.hpp"

namespace quasiion::bindings {

void bind_potential(pybind11::module_& /*m*/) {}

}  // namespace quasiion::bindings
