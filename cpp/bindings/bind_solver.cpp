// quasiion._core: the dense solver seam. LAPACK registration from scipy's PyCapsules,
// active_dense_solver() for show_config, and quasiion._core.dense (eigenpairs of dense
// Hermitian / real symmetric matrices). Conversion, GIL release and error mapping only.
#include <cstdint>
#include <cstring>
#include <string>

#include <pybind11/complex.h>
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "quasiion/banded_solver.hpp"
#include "quasiion/errors.hpp"
#include "quasiion/hermitian_solver.hpp"
#include "quasiion/lapack.hpp"

namespace py = pybind11;

namespace quasiion::bindings {

namespace {

// The function pointer inside one of scipy's cython_lapack capsules, after checking that the
// capsule's signature string starts as expected (so a changed ABI fails loudly, not in a crash).
void* capsule_pointer(const py::object& capsule, const char* routine, const char* signature_start) {
  PyObject* c = capsule.ptr();
  if (!PyCapsule_CheckExact(c))
    throw InvalidArgument(std::string(routine) + " = a " + std::string(py::str(capsule.get_type())) +
                          ": must be a PyCapsule from scipy.linalg.cython_lapack.__pyx_capi__");
  const char* name = PyCapsule_GetName(c);
  if (name == nullptr || std::strncmp(name, signature_start, std::strlen(signature_start)) != 0)
    throw InvalidArgument(std::string(routine) + " = a capsule with signature '" + (name ? name : "(null)") +
                          "': must start with '" + signature_start + "'");
  void* p = PyCapsule_GetPointer(c, name);
  if (p == nullptr) throw py::error_already_set();
  return p;
}

// The diagonal and the off-diagonal pairs (rows[p], cols[p]) of a banded::SymmetricSparse
// (values left to the caller).
banded::SymmetricSparse sparse_pattern(const Eigen::VectorXd& diagonal, const Eigen::VectorXi& rows,
                                       const Eigen::VectorXi& cols) {
  if (rows.size() != cols.size())
    throw InvalidArgument("rows and cols: lengths " + std::to_string(rows.size()) + " and " +
                          std::to_string(cols.size()) + ": must be equal");
  banded::SymmetricSparse A;
  A.diagonal = diagonal;
  for (Eigen::Index p = 0; p < rows.size(); ++p) A.index.push_back({rows[p], cols[p]});
  return A;
}

const HermitianSolver& pick(const std::string& solver) {
  static const EigenHermitianSolver eigen;
  static const LapackHermitianSolver lapack_solver;
  if (solver == "default") return default_hermitian_solver();
  if (solver == "eigen") return eigen;
  if (solver == "lapack") return lapack_solver;
  throw InvalidArgument("solver = '" + solver + "': must be one of 'default', 'eigen', 'lapack'");
}

}  // namespace

void bind_solver(py::module_& m) {
  m.def("active_dense_solver", &active_dense_solver,
        "The dense eigensolver in use: 'lapack (scipy)' once scipy's LAPACK is registered, "
        "else 'eigen'.");
  m.def(
      "_register_lapack",
      [](const py::object& zheevd, const py::object& dsyevd, const std::string& provider,
         std::uintptr_t set_num_threads) {
        lapack::Functions f;
        f.zheevd = reinterpret_cast<lapack::zheevd_fn>(
            capsule_pointer(zheevd, "zheevd", "void (char *, char *, int *, __pyx_t_double_complex *, int *"));
        f.dsyevd = reinterpret_cast<lapack::dsyevd_fn>(capsule_pointer(dsyevd, "dsyevd", "void (char *, char *, int *, "));
        f.provider = provider.c_str();
        f.set_num_threads = reinterpret_cast<int (*)(int)>(set_num_threads);
        lapack::set_functions(f);
      },
      py::arg("zheevd"), py::arg("dsyevd"), py::arg("provider"), py::arg("set_num_threads") = 0,
      "Registers LAPACK's zheevd and dsyevd from scipy.linalg.cython_lapack capsules; "
      "set_num_threads: address of the library's int(int) thread-count setter or 0.");
  m.def(
      "_register_band_lapack",
      [](const py::object& dsbtrd, const py::object& dsterf) {
        lapack::BandFunctions f;
        f.dsbtrd = reinterpret_cast<lapack::dsbtrd_fn>(
            capsule_pointer(dsbtrd, "dsbtrd", "void (char *, char *, int *, int *, __pyx_t_"));
        f.dsterf = reinterpret_cast<lapack::dsterf_fn>(capsule_pointer(dsterf, "dsterf", "void (int *, __pyx_t_"));
        lapack::set_band_functions(f);
      },
      py::arg("dsbtrd"), py::arg("dsterf"),
      "Registers LAPACK's dsbtrd and dsterf (scipy.linalg.cython_lapack capsules) for the "
      "narrow-band eigensolver.");
  m.def(
      "_unregister_band_lapack", [] { lapack::set_band_functions(lapack::BandFunctions{}); },
      "Disables the narrow-band eigensolver (for tests and comparisons).");
  m.def("_has_band_lapack", &lapack::band_available);
  m.def(
      "_unregister_lapack", [] { lapack::set_functions(lapack::Functions{}); },
      "Falls back to Eigen (for tests and comparisons).");

  auto b = m.def_submodule("banded", "All eigenpairs of narrow sparse real symmetric matrices");
  b.def(
      "eigh",
      [](const Eigen::VectorXd& diagonal, const Eigen::VectorXi& rows, const Eigen::VectorXi& cols,
         const Eigen::VectorXd& values, bool force, double cluster_gap, int threads) {
        banded::SymmetricSparse A = sparse_pattern(diagonal, rows, cols);
        A.value.assign(values.data(), values.data() + values.size());
        banded::Options o;
        o.force = force;
        o.cluster_gap = cluster_gap;
        Eigen::VectorXd w;
        Eigen::MatrixXd U;
        banded::Outcome r;
        {
          py::gil_scoped_release release;
          r = banded::eigenpairs(A, w, U, o, Execution{threads});
        }
        py::dict info;
        info["done"] = r.done;
        info["reason"] = r.reason;
        info["kd"] = r.kd;
        info["largest_cluster"] = r.largest_cluster;
        if (!r.done) return py::tuple(py::make_tuple(py::none(), py::none(), info));
        return py::tuple(py::make_tuple(py::cast(std::move(w)), py::cast(std::move(U)), info));
      },
      py::arg("diagonal"), py::arg("rows"), py::arg("cols"), py::arg("values"),
      py::arg("force") = false, py::arg("cluster_gap") = 1e-5, py::arg("threads") = 0,
      "(eigenvalues ascending, eigenvectors as columns, info) or (None, None, info) when the "
      "band route declines; each off-diagonal pair (rows[p], cols[p]) given once.");
  b.def(
      "ordering",
      [](const Eigen::VectorXd& diagonal, const Eigen::VectorXi& rows, const Eigen::VectorXi& cols) {
        banded::SymmetricSparse A = sparse_pattern(diagonal, rows, cols);
        A.value.assign(A.index.size(), 1.0);
        const banded::Ordering o = banded::narrow_band_ordering(A);
        return py::make_tuple(o.perm, o.kd);
      },
      py::arg("diagonal"), py::arg("rows"), py::arg("cols"),
      "(perm, kd): reverse Cuthill-McKee order (perm[new] = old) and its half-bandwidth.");

  auto d = m.def_submodule("dense", "Eigenpairs of dense Hermitian and real symmetric matrices");
  d.def(
      "eigh_complex",
      [](const Eigen::MatrixXcd& H, bool vectors, const std::string& solver) {
        const HermitianSolver& s = pick(solver);
        Eigen::VectorXd w;
        Eigen::MatrixXcd U;
        {
          py::gil_scoped_release release;
          s.solve(H, vectors, w, U);
        }
        return py::make_tuple(py::cast(std::move(w)), vectors ? py::cast(std::move(U)) : py::none());
      },
      py::arg("H"), py::arg("eigenvectors") = true, py::arg("solver") = "default",
      "(eigenvalues ascending, eigenvectors as columns or None); lower triangle read.");
  d.def(
      "eigh_real",
      [](const Eigen::MatrixXd& H, bool vectors, const std::string& solver) {
        const HermitianSolver& s = pick(solver);
        Eigen::VectorXd w;
        Eigen::MatrixXd U;
        {
          py::gil_scoped_release release;
          s.solve_symmetric(H, vectors, w, U);
        }
        return py::make_tuple(py::cast(std::move(w)), vectors ? py::cast(std::move(U)) : py::none());
      },
      py::arg("H"), py::arg("eigenvectors") = true, py::arg("solver") = "default",
      "(eigenvalues ascending, eigenvectors as columns or None); lower triangle read.");
}

}  // namespace quasiion::bindings
