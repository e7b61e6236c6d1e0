#include "quasiion/hermitian_solver.hpp"

#include <algorithm>
#include <complex>
#include <climits>
#include <string>
#include <type_traits>
#include <vector>

#include <Eigen/Eigenvalues>

#include "quasiion/errors.hpp"
#include "quasiion/lapack.hpp"

namespace quasiion {

// ---- LAPACK registry -----------------------------------------------------------------------

namespace lapack {

namespace {
Functions g_functions;
std::string g_provider;
}  // namespace

void set_functions(const Functions& f) {
  if ((f.zheevd == nullptr) != (f.dsyevd == nullptr))
    throw InvalidArgument("lapack::set_functions: zheevd and dsyevd must be given together (or both null)");
  g_provider = f.zheevd ? (f.provider ? f.provider : "") : "";
  g_functions = f;
  g_functions.provider = g_provider.c_str();
}

bool available() { return g_functions.zheevd != nullptr && g_functions.dsyevd != nullptr; }

const Functions& functions() { return g_functions; }

const char* provider() { return g_provider.c_str(); }

namespace {
BandFunctions g_band;
}  // namespace

void set_band_functions(const BandFunctions& f) {
  if ((f.dsbtrd == nullptr) != (f.dsterf == nullptr))
    throw InvalidArgument("lapack::set_band_functions: dsbtrd and dsterf must be given together "
                          "(or both null)");
  g_band = f;
}

bool band_available() { return g_band.dsbtrd != nullptr && g_band.dsterf != nullptr; }

const BandFunctions& band_functions() { return g_band; }

SingleThreadedScope::SingleThreadedScope() {
  if (available() && g_functions.set_num_threads) previous_ = g_functions.set_num_threads(1);
}

SingleThreadedScope::~SingleThreadedScope() {
  if (previous_ > 0 && available() && g_functions.set_num_threads) g_functions.set_num_threads(previous_);
}

}  // namespace lapack

// ---- Eigen ---------------------------------------------------------------------------------

namespace {

[[noreturn]] void no_convergence(const char* who, Eigen::Index n) {
  throw ConvergenceError(std::string(who) + ": no convergence for a " + std::to_string(n) + "x" +
                             std::to_string(n) + " matrix",
                         {});
}

}  // namespace

void HermitianSolver::solve_symmetric(const Eigen::MatrixXd& H, bool want_vectors,
                                      Eigen::VectorXd& values, Eigen::MatrixXd& vectors) const {
  if (H.rows() == 0) {
    values.resize(0);
    vectors.resize(0, 0);
    return;
  }
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(
      H, want_vectors ? Eigen::ComputeEigenvectors : Eigen::EigenvaluesOnly);
  if (es.info() != Eigen::Success) no_convergence("EigenHermitianSolver", H.rows());
  values = es.eigenvalues();
  if (want_vectors) vectors = es.eigenvectors();
}

void EigenHermitianSolver::solve(const Eigen::MatrixXcd& H, bool want_vectors,
                                 Eigen::VectorXd& values, Eigen::MatrixXcd& vectors) const {
  if (H.rows() == 0) {
    values.resize(0);
    vectors.resize(0, 0);
    return;
  }
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> es(
      H, want_vectors ? Eigen::ComputeEigenvectors : Eigen::EigenvaluesOnly);
  if (es.info() != Eigen::Success) no_convergence("EigenHermitianSolver", H.rows());
  values = es.eigenvalues();  // ascending
  if (want_vectors) vectors = es.eigenvectors();
}

// ---- LAPACK --------------------------------------------------------------------------------

namespace {

const lapack::Functions& require_lapack() {
  if (!lapack::available())
    throw Error("LapackHermitianSolver: no LAPACK registered (import quasiion from Python, or call "
                "quasiion::lapack::set_functions)");
  return lapack::functions();
}

int lapack_size(Eigen::Index n) {
  if (n > INT_MAX / 2)
    throw InvalidArgument("H = a " + std::to_string(n) + "x" + std::to_string(n) +
                          " matrix: must have fewer than 2^30 rows for 32-bit LAPACK");
  return static_cast<int>(n);
}

void check_info(const char* who, int info, Eigen::Index n) {
  if (info < 0)
    throw Error(std::string(who) + ": argument " + std::to_string(-info) +
                " had an illegal value (a bug in quasiion, please report)");
  if (info > 0) no_convergence(who, n);
}

// Workspace of zheevd (Scalar complex: work, rwork, iwork) or dsyevd (double: work, iwork),
// remembered with the (n, jobz, routine) of its last query.
template <class Scalar>
struct EvdWork {
  std::vector<Scalar> work;
  std::vector<double> rwork;  // zheevd only
  std::vector<int> iwork;
  int n = -1, lwork = 0, lrwork = 0, liwork = 0;
  char jobz = ' ';
  void* fn = nullptr;
};

// zheevd or dsyevd (divide and conquer) on H's lower triangle; vectors overwrite a copy of H.
template <class Scalar>
void lapack_evd(const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>& H, bool want_vectors,
                Eigen::VectorXd& values, Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>& vectors) {
  using Mat = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  constexpr bool complex = !std::is_same_v<Scalar, double>;
  const char* who = complex ? "zheevd" : "dsyevd";
  const auto& f = require_lapack();
  void* const fn = complex ? reinterpret_cast<void*>(f.zheevd) : reinterpret_cast<void*>(f.dsyevd);
  const Eigen::Index n = H.rows();
  values.resize(n);
  if (n == 0) {
    vectors.resize(0, 0);
    return;
  }
  int nn = lapack_size(n), lda = nn, info = 0;
  char jobz = want_vectors ? 'V' : 'N', uplo = 'L';
  // The driver overwrites its input with the eigenvectors: work in `vectors` (or a scratch
  // copy). Small matrices (the Bloch case, many per thread) reuse per-thread buffers; large
  // ones allocate per call so that no thread keeps hundreds of MB after a supercell solve.
  const bool small = n <= 256;
  thread_local Mat tl_scratch;
  thread_local EvdWork<Scalar> tl_work;
  Mat local_scratch;
  EvdWork<Scalar> local_work;
  Mat& A = want_vectors ? vectors : (small ? tl_scratch : local_scratch);
  A = H;
  EvdWork<Scalar>& w = small ? tl_work : local_work;
  auto call = [&](Scalar* work, int* lwork, double* rwork, int* lrwork, int* iwork, int* liwork) {
    if constexpr (complex)
      f.zheevd(&jobz, &uplo, &nn, A.data(), &lda, values.data(), work, lwork, rwork, lrwork, iwork,
               liwork, &info);
    else
      f.dsyevd(&jobz, &uplo, &nn, A.data(), &lda, values.data(), work, lwork, iwork, liwork, &info);
  };
  // Workspace query (sizes -1), remembered per thread for the last (n, jobz, routine): a batch
  // of equal small matrices queries once.
  if (!(w.n == nn && w.jobz == jobz && w.fn == fn)) {
    Scalar wq = 0.0;
    double rq = 0.0;
    int iq = 0, m1 = -1, m2 = -1, m3 = -1;
    call(&wq, &m1, &rq, &m2, &iq, &m3);
    check_info(complex ? "zheevd (workspace query)" : "dsyevd (workspace query)", info, n);
    w.lwork = std::max(1, static_cast<int>(std::real(wq)));
    w.lrwork = std::max(1, static_cast<int>(rq));
    w.liwork = std::max(1, iq);
    w.n = nn;
    w.jobz = jobz;
    w.fn = fn;
  }
  int lwork = w.lwork, lrwork = w.lrwork, liwork = w.liwork;
  if (static_cast<int>(w.work.size()) < lwork) w.work.resize(static_cast<std::size_t>(lwork));
  if (complex && static_cast<int>(w.rwork.size()) < lrwork) w.rwork.resize(static_cast<std::size_t>(lrwork));
  if (static_cast<int>(w.iwork.size()) < liwork) w.iwork.resize(static_cast<std::size_t>(liwork));
  call(w.work.data(), &lwork, w.rwork.data(), &lrwork, w.iwork.data(), &liwork);
  check_info(who, info, n);
}

}  // namespace

void LapackHermitianSolver::solve(const Eigen::MatrixXcd& H, bool want_vectors,
                                  Eigen::VectorXd& values, Eigen::MatrixXcd& vectors) const {
  lapack_evd(H, want_vectors, values, vectors);
}

void LapackHermitianSolver::solve_symmetric(const Eigen::MatrixXd& H, bool want_vectors,
                                            Eigen::VectorXd& values, Eigen::MatrixXd& vectors) const {
  lapack_evd(H, want_vectors, values, vectors);
}

const HermitianSolver& default_hermitian_solver() {
  static const EigenHermitianSolver eigen;
  static const LapackHermitianSolver lapack_solver;
  if (lapack::available()) return lapack_solver;
  return eigen;
}

std::string active_dense_solver() {
  if (lapack::available()) return std::string("lapack (") + lapack::provider() + ")";
  return "eigen";
}

}  // namespace quasiion
