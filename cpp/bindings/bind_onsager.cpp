#include "bindings.hpp"

namespace quasiion::bindings {

void bind_onsager(pybind11::module_& /*m*/) {}

}  // namespace quasiion::bindings
