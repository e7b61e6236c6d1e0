#include "bindings.hpp"

namespace quasiion::bindings {

void bind_bands(pybind11::module_& /*m*/) {}

}  // namespace quasiion::bindings
