#include "bindings.hpp"

namespace quasiion::bindings {

void bind_doping(pybind11::module_& /*m*/) {}

}  // namespace quasiion::bindings
