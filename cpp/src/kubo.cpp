#include "quasiion/kubo.hpp"

#include <algorithm>
#include <atomic>
#include <array>
#include <cmath>
#include <complex>
#include <random>
#include <string>
#include <type_traits>
#include <utility>

#include <Eigen/Eigenvalues>
#include <Eigen/Sparse>

#include "quasiion/banded_solver.hpp"
#include "quasiion/constants.hpp"
#include "quasiion/errors.hpp"
#include "quasiion/fermi.hpp"
#include "quasiion/validate.hpp"

namespace quasiion::kubo {

namespace {

std::atomic<dgemm_fn> g_dgemm{nullptr};

// C (m x n, column-major, ldc = m) = op(A) * B with A, B column-major Eigen blocks.
void gemm(bool transpose_a, int m, int n, int k, const double* A, int lda, const double* B,
          int ldb, double* C, int ldc) {
  char ta = transpose_a ? 'T' : 'N', tb = 'N';
  double one = 1.0, zero = 0.0;
  g_dgemm.load()(&ta, &tb, &m, &n, &k, &one, const_cast<double*>(A), &lda,
                 const_cast<double*>(B), &ldb, &zero, C, &ldc);
}

using cd = std::complex<double>;
using SpMat = Eigen::SparseMatrix<cd, Eigen::RowMajor>;

struct Bond {
  int i, j;
  cd t;
  std::array<double, 3> d;  // r_j + R.A - r_i, Angstrom
};

std::vector<Bond> bonds_of(const lattice::Lattice& lat) {
  const int dim = lat.dim();
  const Eigen::MatrixXd& A = lat.vectors();
  const Eigen::MatrixXd& r = lat.positions();
  std::vector<Bond> out;
  out.reserve(lat.hoppings().size());
  for (const auto& h : lat.hoppings()) {
    Bond b{h.i, h.j, h.t, {0.0, 0.0, 0.0}};
    for (int a = 0; a < dim; ++a) {
      double x = r(h.j, a) - r(h.i, a);
      for (int c = 0; c < dim; ++c) x += h.R[c] * A(c, a);
      b.d[static_cast<std::size_t>(a)] = x;
    }
    out.push_back(b);
  }
  return out;
}

std::array<double, 3> pad3(const lattice::Lattice& lat, const Eigen::Ref<const Eigen::VectorXd>& v,
                           const char* name) {
  validate::same_size("lattice dimension", lat.dim(), name, v.size());
  validate::all_finite(name, v);
  std::array<double, 3> out{0.0, 0.0, 0.0};
  for (int a = 0; a < lat.dim(); ++a) out[static_cast<std::size_t>(a)] = v[a];
  return out;
}

std::array<double, 3> direction_of(const lattice::Lattice& lat, const Options& opt) {
  if (opt.direction.size() == 0) return {1.0, 0.0, 0.0};
  const auto u = pad3(lat, opt.direction, "direction");
  const double norm = std::sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
  if (!(std::fabs(norm - 1.0) < 1e-9))
    validate::fail("direction", "a vector of length " + validate::format_value(norm), "a unit vector");
  return u;
}

double dot3(const std::array<double, 3>& a, const std::array<double, 3>& b) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

// Bond term t e^{i k.d} times the factor of the operator: 1 (H), i u.d (dH/dk), (u.d)^2 (T2).
enum class Op { hamiltonian, velocity, t2 };
cd bond_term(const Bond& b, const std::array<double, 3>& k, const std::array<double, 3>& u, Op op) {
  const cd phase = std::polar(1.0, dot3(k, b.d));
  const double ud = dot3(u, b.d);
  switch (op) {
    case Op::hamiltonian: return b.t * phase;
    case Op::velocity: return cd(0.0, ud) * b.t * phase;
    case Op::t2: return ud * ud * b.t * phase;
  }
  return {};
}

SpMat assemble_sparse(const lattice::Lattice& lat, const std::vector<Bond>& bonds,
                      const std::array<double, 3>& k, const std::array<double, 3>& u, Op op) {
  const int n = lat.n_orbitals();
  std::vector<Eigen::Triplet<cd>> trip;
  trip.reserve(2 * bonds.size() + static_cast<std::size_t>(n));
  if (op == Op::hamiltonian)
    for (int i = 0; i < n; ++i) trip.emplace_back(i, i, cd(lat.onsite()[i], 0.0));
  for (const auto& b : bonds) {
    const cd v = bond_term(b, k, u, op);
    trip.emplace_back(b.i, b.j, v);
    trip.emplace_back(b.j, b.i, std::conj(v));
  }
  SpMat M(n, n);
  M.setFromTriplets(trip.begin(), trip.end());
  return M;
}

void assemble_dense(const lattice::Lattice& lat, const std::vector<Bond>& bonds,
                    const std::array<double, 3>& k, Eigen::MatrixXcd& H) {
  const int n = lat.n_orbitals();
  H.setZero(n, n);
  for (int i = 0; i < n; ++i) H(i, i) = lat.onsite()[i];
  const std::array<double, 3> none{0.0, 0.0, 0.0};
  for (const auto& b : bonds) {
    const cd v = bond_term(b, k, none, Op::hamiltonian);
    H(b.i, b.j) += v;
    H(b.j, b.i) += std::conj(v);
  }
}

double lorentzian(double x, double eta) { return (eta / M_PI) / (x * x + eta * eta); }

// F = (f(x_n) - f(x_m)) / (E_m - E_n) with x = (E - mu)/kT, written without cancellation:
// f(x_n) - f(x_m) = sinh(h) / (2 cosh(x_n/2) cosh(x_m/2)), h = (x_m - x_n)/2, and
// 1/(2 cosh(x/2)) = e^{-|x|/2} / (1 + e^{-|x|}); h - (|x_n| + |x_m|)/2 <= 0 keeps every
// exponential in range. At x_m = x_n it is -f'(E).
double window_factor(double xn, double xm, double kT) {
  const double h = 0.5 * (xm - xn);
  const double ah = std::fabs(h);
  const double an = std::fabs(xn), am = std::fabs(xm);
  const double den = (1.0 + std::exp(-an)) * (1.0 + std::exp(-am));
  double sinh_over_h;  // sinh(h)/h times e^{-(|x_n|+|x_m|)/2}
  if (ah < 0.5) {
    const double s = ah < 1e-8 ? 1.0 : std::sinh(ah) / ah;
    sinh_over_h = s * std::exp(-0.5 * (an + am));
  } else {
    sinh_over_h = 0.5 * std::exp(ah - 0.5 * (an + am)) * (-std::expm1(-2.0 * ah)) / ah;
  }
  // f_n - f_m = 2 sinh(h) e^{-(|x_n|+|x_m|)/2} / den, divided by kT (x_m - x_n) = 2 kT h.
  return sinh_over_h / (den * kT);
}

struct KSpectrum {
  Eigen::VectorXd E;  // ascending, eV
  Eigen::MatrixXd P;  // |<m|dH/dk|n>|^2, (eV*Angstrom)^2
};

// Real symmetric eigenpairs through the solver's real path when it has one
// (HermitianSolver::solve_symmetric), else Eigen's real solver.
template <class S, class = void>
struct has_solve_symmetric : std::false_type {};
template <class S>
struct has_solve_symmetric<S, std::void_t<decltype(std::declval<const S&>().solve_symmetric(
                                  std::declval<const Eigen::MatrixXd&>(), true,
                                  std::declval<Eigen::VectorXd&>(), std::declval<Eigen::MatrixXd&>()))>>
    : std::true_type {};

template <class S>
void solve_real(const S& solver, const Eigen::MatrixXd& H, Eigen::VectorXd& E, Eigen::MatrixXd& U) {
  if constexpr (has_solve_symmetric<S>::value) {
    solver.solve_symmetric(H, true, E, U);
  } else {
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(H, Eigen::ComputeEigenvectors);
    if (es.info() != Eigen::Success)
      throw ConvergenceError("kubo: no convergence of the real symmetric eigensolver for a " +
                                 std::to_string(H.rows()) + "x" + std::to_string(H.rows()) +
                                 " matrix",
                             {});
    E = es.eigenvalues();
    U = es.eigenvectors();
  }
}

// P_mn = |(U^dagger W)_mn|^2 in column blocks (never a full N x N product matrix). P is
// symmetric (|M_mn| = |M_nm| for the Hermitian M), so each block computes only the rows on
// and above the diagonal (half the flops) and the lower triangle is mirrored.
template <class MatU, class MatW>
void current_weights(const MatU& U, const MatW& W, Eigen::MatrixXd& P, const Execution& exec) {
  const Eigen::Index n = U.rows();
  P.resize(n, n);
  bool blas_done = false;
  if constexpr (std::is_same_v<typename MatU::Scalar, double>) {
    if (g_dgemm.load() != nullptr) {
      // The library's own threads run each block product; blocks are visited in order.
      constexpr Eigen::Index kWide = 256;
      Eigen::MatrixXd M;
      for (Eigen::Index c0 = 0; c0 < n; c0 += kWide) {
        const Eigen::Index w = std::min(kWide, n - c0);
        const Eigen::Index rows = c0 + w;
        M.resize(rows, w);
        gemm(true, static_cast<int>(rows), static_cast<int>(w), static_cast<int>(n), U.data(),
             static_cast<int>(n), W.data() + c0 * n, static_cast<int>(n), M.data(),
             static_cast<int>(rows));
        P.block(0, c0, rows, w) = M.cwiseAbs2();
      }
      blas_done = true;
    }
  }
  if (!blas_done) {
    constexpr Eigen::Index kBlock = 64;
    const Eigen::Index nb = (n + kBlock - 1) / kBlock;
    // Blocks in reverse order: the last blocks are the tallest, so chunks balance better.
    parallel_for(
        static_cast<std::size_t>(nb),
        [&](std::size_t bb) {
          const Eigen::Index b = nb - 1 - static_cast<Eigen::Index>(bb);
          const Eigen::Index c0 = b * kBlock;
          const Eigen::Index w = std::min(kBlock, n - c0);
          const Eigen::Index rows = c0 + w;
          using Scalar = typename MatU::Scalar;
          Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> M(rows, w);
          M.noalias() = U.leftCols(rows).adjoint() * W.middleCols(c0, w);
          P.block(0, c0, rows, w) = M.cwiseAbs2();
        },
        exec);
  }
  // The lower triangle from the upper.
  parallel_for(
      static_cast<std::size_t>(n),
      [&](std::size_t jj) {
        const auto j = static_cast<Eigen::Index>(jj);
        for (Eigen::Index i = j + 1; i < n; ++i) P(i, j) = P(j, i);
      },
      exec);
}

bool real_problem(const lattice::Lattice& lat, const std::array<double, 3>& k) {
  if (k[0] != 0.0 || k[1] != 0.0 || k[2] != 0.0) return false;
  for (const auto& h : lat.hoppings())
    if (h.t.imag() != 0.0) return false;
  return true;
}

// The narrow-band route for the real k = 0 Hamiltonian; false when it does not apply (the
// caller then goes dense), an error when it was required.
bool band_eigenpairs(const lattice::Lattice& lat, const std::vector<Bond>& bonds,
                     Options::Eigen_route route, const Execution& exec, Eigen::VectorXd& E,
                     Eigen::MatrixXd& U) {
  if (route == Options::Eigen_route::dense) return false;
  banded::SymmetricSparse A;
  A.diagonal = lat.onsite();
  A.index.reserve(bonds.size());
  A.value.reserve(bonds.size());
  for (const auto& b : bonds) {  // k = 0: every bond term is its real hopping
    A.index.push_back({b.i, b.j});
    A.value.push_back(b.t.real());
  }
  banded::Options bo;
  bo.force = route == Options::Eigen_route::band;
  const banded::Outcome o = banded::eigenpairs(A, E, U, bo, exec);
  if (!o.done && route == Options::Eigen_route::band)
    throw Error("kubo: the band eigensolver declined: " + o.reason);
  return o.done;
}

KSpectrum spectrum(const lattice::Lattice& lat, const std::vector<Bond>& bonds,
                   const std::array<double, 3>& k, const std::array<double, 3>& u,
                   const Execution& exec, const HermitianSolver& solver,
                   Options::Eigen_route route = Options::Eigen_route::dense) {
  KSpectrum s;
  if (real_problem(lat, k)) {
    // k = 0 with real hoppings: H real symmetric, dH/dk = i D with D real antisymmetric, so
    // |M_mn|^2 = ((U^T D U)_mn)^2 in real arithmetic (half the memory, a quarter the flops).
    Eigen::MatrixXd U;
    if (!band_eigenpairs(lat, bonds, route, exec, s.E, U)) {
      Eigen::MatrixXd H;
      {
        Eigen::MatrixXcd Hc;
        assemble_dense(lat, bonds, k, Hc);
        H = Hc.real();
      }
      solve_real(solver, H, s.E, U);
    }
    Eigen::MatrixXd W;
    {
      const SpMat V = assemble_sparse(lat, bonds, k, u, Op::velocity);
      const Eigen::SparseMatrix<double, Eigen::RowMajor> D = V.imag();
      W.noalias() = D * U;
    }
    current_weights(U, W, s.P, exec);
    return s;
  }
  Eigen::MatrixXcd U;
  {
    Eigen::MatrixXcd H;
    assemble_dense(lat, bonds, k, H);
    solver.solve(H, true, s.E, U);
  }  // H freed before the current matrix is built
  Eigen::MatrixXcd W;
  {
    const SpMat V = assemble_sparse(lat, bonds, k, u, Op::velocity);
    W.noalias() = V * U;
  }
  current_weights(U, W, s.P, exec);
  return s;
}

struct Checked {
  std::vector<Bond> bonds;
  std::array<double, 3> u;
  std::vector<std::array<double, 3>> k;
  std::vector<double> w;
  double C;
};

Checked check_inputs(const lattice::Lattice& lat, const Eigen::Ref<const Eigen::MatrixXd>& k,
                     const Eigen::Ref<const Eigen::ArrayXd>& k_weights, const Options& opt) {
  Checked c;
  c.C = prefactor(opt);
  c.u = direction_of(lat, opt);
  validate::non_empty("k", k.rows());
  validate::same_size("lattice dimension", lat.dim(), "k columns", k.cols());
  validate::all_finite("k", k);
  if (k_weights.size() != 0) {
    validate::same_size("k rows", k.rows(), "k_weights", k_weights.size());
    validate::all_finite("k_weights", k_weights);
    if ((k_weights < 0.0).any() || !(k_weights.sum() > 0.0))
      validate::fail("k_weights", "weights summing to " + validate::format_value(k_weights.sum()),
                     "non-negative weights with a positive sum");
  }
  const double total = k_weights.size() ? k_weights.sum() : static_cast<double>(k.rows());
  for (Eigen::Index q = 0; q < k.rows(); ++q) {
    c.k.push_back(pad3(lat, k.row(q).transpose(), "k"));
    c.w.push_back((k_weights.size() ? k_weights[q] : 1.0) / total);
  }
  c.bonds = bonds_of(lat);
  return c;
}

}  // namespace

void set_dgemm(dgemm_fn f) { g_dgemm.store(f); }
bool has_dgemm() { return g_dgemm.load() != nullptr; }

double broadening_from_tau(double tau_s) {
  validate::positive("tau", tau_s);
  return constants::hbar_eVs / tau_s;
}

double prefactor(const Options& opt) {
  validate::positive("eta", opt.eta);
  validate::positive("volume", opt.volume_cm3);
  validate::finite("charge_number", opt.charge_number);
  const double z = opt.charge_number;
  return z * z * M_PI * constants::elementary_charge * 1e-16 / (constants::hbar_eVs * opt.volume_cm3);
}

Eigen::ArrayXd conductivity(const lattice::Lattice& lat, const Eigen::Ref<const Eigen::MatrixXd>& k,
                            const Eigen::Ref<const Eigen::ArrayXd>& k_weights, const Options& opt,
                            const Eigen::Ref<const Eigen::ArrayXd>& mu,
                            const Eigen::Ref<const Eigen::ArrayXd>& T_kelvin, const Execution& exec,
                            const HermitianSolver& solver) {
  const Checked c = check_inputs(lat, k, k_weights, opt);
  validate::non_empty("mu", mu.size());
  validate::same_size("mu", mu.size(), "T", T_kelvin.size());
  validate::all_finite("mu", mu);
  validate::all_positive("T", T_kelvin);
  const Eigen::Index np = mu.size();
  const Eigen::Index n = lat.n_orbitals();
  const double eta = opt.eta;
  const double near = 1e-3 * constants::kT_eV(T_kelvin.minCoeff());
  Eigen::ArrayXd out = Eigen::ArrayXd::Zero(np);
  for (std::size_t q = 0; q < c.k.size(); ++q) {
    const KSpectrum s = spectrum(lat, c.bonds, c.k[q], c.u, exec, solver, opt.eigen_route);
    const Eigen::VectorXd& E = s.E;
    // Occupations f and 1 - f of every state at every pair (both accurate in their tails).
    Eigen::MatrixXd F(n, np), G(n, np);
    for (Eigen::Index p = 0; p < np; ++p) {
      const double kT = constants::kT_eV(T_kelvin[p]);
      for (Eigen::Index i = 0; i < n; ++i) {
        const double x = (E[i] - mu[p]) / kT;
        F(i, p) = fermi::occupation(x);
        G(i, p) = fermi::occupation(-x);
      }
    }
    // Far pairs: B_mn = P_mn L(E_m - E_n) / (E_n - E_m); near pairs excluded (zero).
    Eigen::MatrixXd B(n, n);
    parallel_for(
        static_cast<std::size_t>(n),
        [&](std::size_t jj) {
          const auto j = static_cast<Eigen::Index>(jj);
          for (Eigen::Index i = 0; i < n; ++i) {
            const double de = E[j] - E[i];
            B(i, j) = std::fabs(de) > near ? s.P(i, j) * lorentzian(de, eta) / de : 0.0;
          }
        },
        exec);
    Eigen::ArrayXd far(np);
    if (g_dgemm.load() != nullptr) {
      Eigen::MatrixXd Y(n, np);
      gemm(false, static_cast<int>(n), static_cast<int>(np), static_cast<int>(n), B.data(),
           static_cast<int>(n), G.data(), static_cast<int>(n), Y.data(), static_cast<int>(n));
      for (Eigen::Index p = 0; p < np; ++p) far[p] = 2.0 * F.col(p).dot(Y.col(p));
    }
    constexpr Eigen::Index kCols = 8;
    const Eigen::Index nc = g_dgemm.load() != nullptr ? 0 : (np + kCols - 1) / kCols;
    parallel_for(
        static_cast<std::size_t>(nc),
        [&](std::size_t b) {
          const Eigen::Index c0 = static_cast<Eigen::Index>(b) * kCols;
          const Eigen::Index w = std::min(kCols, np - c0);
          Eigen::MatrixXd Y(n, w);
          Y.noalias() = B * G.middleCols(c0, w);
          for (Eigen::Index p = 0; p < w; ++p)
            far[c0 + p] = 2.0 * F.col(c0 + p).dot(Y.col(p));
        },
        exec);
    B.resize(0, 0);
    // Near pairs (m >= n in the ascending order), the diagonal once and the others twice.
    std::vector<std::array<Eigen::Index, 2>> pairs;
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index j = i; j < n && E[j] - E[i] <= near; ++j) pairs.push_back({i, j});
    parallel_for(
        static_cast<std::size_t>(np),
        [&](std::size_t pp) {
          const auto p = static_cast<Eigen::Index>(pp);
          const double kT = constants::kT_eV(T_kelvin[p]);
          double sum = 0.0;
          for (const auto& ij : pairs) {
            const Eigen::Index i = ij[0], j = ij[1];
            const double fac = window_factor((E[i] - mu[p]) / kT, (E[j] - mu[p]) / kT, kT);
            sum += (i == j ? 1.0 : 2.0) * s.P(i, j) * lorentzian(E[j] - E[i], eta) * fac;
          }
          out[p] += c.w[q] * c.C * (sum + far[p]);
        },
        exec);
  }
  return out;
}

Eigen::ArrayXd optical_conductivity(const lattice::Lattice& lat,
                                    const Eigen::Ref<const Eigen::MatrixXd>& k,
                                    const Eigen::Ref<const Eigen::ArrayXd>& k_weights,
                                    const Options& opt, double mu, double T_kelvin,
                                    const Eigen::Ref<const Eigen::ArrayXd>& hbar_omega,
                                    const Execution& exec, const HermitianSolver& solver) {
  const Checked c = check_inputs(lat, k, k_weights, opt);
  validate::finite("mu", mu);
  validate::positive("T", T_kelvin);
  validate::non_empty("hbar_omega", hbar_omega.size());
  validate::all_finite("hbar_omega", hbar_omega);
  const double kT = constants::kT_eV(T_kelvin);
  const Eigen::Index n = lat.n_orbitals();
  Eigen::ArrayXd out = Eigen::ArrayXd::Zero(hbar_omega.size());
  for (std::size_t q = 0; q < c.k.size(); ++q) {
    const KSpectrum s = spectrum(lat, c.bonds, c.k[q], c.u, exec, solver, opt.eigen_route);
    Eigen::ArrayXd x = (s.E.array() - mu) / kT;
    parallel_for(
        static_cast<std::size_t>(hbar_omega.size()),
        [&](std::size_t ww) {
          const auto w = static_cast<Eigen::Index>(ww);
          double sum = 0.0;
          for (Eigen::Index j = 0; j < n; ++j)
            for (Eigen::Index i = 0; i < n; ++i)
              sum += s.P(i, j) * window_factor(x[i], x[j], kT) *
                     lorentzian(s.E[j] - s.E[i] - hbar_omega[w], opt.eta);
          out[w] += c.w[q] * c.C * sum;
        },
        exec);
  }
  return out;
}

// --- KPM ---------------------------------------------------------------------------------

namespace {

// f(r0, r1) over blocks of `rows` consecutive rows of [0, n), in parallel (each row is
// written by one block only: results do not depend on the thread count).
template <class F>
void for_row_blocks(Eigen::Index n, Eigen::Index rows, F&& f, const Execution& exec) {
  const Eigen::Index nb = (n + rows - 1) / rows;
  parallel_for(
      static_cast<std::size_t>(nb),
      [&](std::size_t b) {
        const Eigen::Index r0 = static_cast<Eigen::Index>(b) * rows;
        f(r0, std::min(n, r0 + rows));
      },
      exec);
}

// y = A x.
void spmv(const SpMat& A, const Eigen::VectorXcd& x, Eigen::VectorXcd& y, const Execution& exec) {
  for_row_blocks(
      A.rows(), 1 << 14,
      [&](Eigen::Index r0, Eigen::Index r1) {
        for (Eigen::Index r = r0; r < r1; ++r) {
          cd acc = 0.0;
          for (SpMat::InnerIterator it(A, r); it; ++it) acc += it.value() * x[it.index()];
          y[r] = acc;
        }
      },
      exec);
}

// One Chebyshev step for two vectors in one pass over H (H read once, no temporaries):
// t0 <- 2 H t1 - t0 and s0 <- 2 H s1 - s0 (so (t0, t1) then hold (T_m, T_{m-1}) after a swap).
void chebyshev_step(const SpMat& H, const Eigen::VectorXcd& t1, Eigen::VectorXcd& t0,
                    const Eigen::VectorXcd& s1, Eigen::VectorXcd& s0, const Execution& exec) {
  for_row_blocks(
      H.rows(), 1 << 14,
      [&](Eigen::Index r0, Eigen::Index r1) {
        for (Eigen::Index r = r0; r < r1; ++r) {
          cd at = 0.0, as = 0.0;
          for (SpMat::InnerIterator it(H, r); it; ++it) {
            at += it.value() * t1[it.index()];
            as += it.value() * s1[it.index()];
          }
          t0[r] = 2.0 * at - t0[r];
          s0[r] = 2.0 * as - s0[r];
        }
      },
      exec);
}

// a[j] += c[j] tm and b[j] += c[j] sm for every energy j of the batch, in one pass over the
// rows (each block of tm and sm is read once from memory for all j).
void accumulate(std::vector<Eigen::VectorXcd>& a, std::vector<Eigen::VectorXcd>& b,
                const std::vector<double>& c, const Eigen::VectorXcd& tm, const Eigen::VectorXcd& sm,
                const Execution& exec) {
  for_row_blocks(
      tm.size(), 1 << 12,
      [&](Eigen::Index r0, Eigen::Index r1) {
        const auto tb = tm.segment(r0, r1 - r0);
        const auto sb = sm.segment(r0, r1 - r0);
        for (std::size_t j = 0; j < c.size(); ++j) {
          a[j].segment(r0, r1 - r0) += c[j] * tb;
          b[j].segment(r0, r1 - r0) += c[j] * sb;
        }
      },
      exec);
}

}  // namespace

KpmResult kpm_sigma_E(const lattice::Lattice& lat, const Eigen::Ref<const Eigen::VectorXd>& k,
                      const Options& opt, const KpmOptions& kopt, const Execution& exec) {
  const double C = prefactor(opt);
  const auto u = direction_of(lat, opt);
  const auto kk = pad3(lat, k, "k");
  if (kopt.n_moments < 2) validate::fail("n_moments", std::to_string(kopt.n_moments), ">= 2");
  if (kopt.n_random < 1) validate::fail("n_random", std::to_string(kopt.n_random), ">= 1");
  if (kopt.n_energies < 0)
    validate::fail("n_energies", std::to_string(kopt.n_energies), ">= 0 (0: 2 n_moments)");
  validate::positive("memory_bytes", kopt.memory_bytes);
  const auto bonds = bonds_of(lat);
  const Eigen::Index n = lat.n_orbitals();
  SpMat H = assemble_sparse(lat, bonds, kk, u, Op::hamiltonian);
  const SpMat V = assemble_sparse(lat, bonds, kk, u, Op::velocity);
  // Gershgorin bounds of the Hermitian H, widened by 1 % so |x| < 1 strictly.
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (Eigen::Index r = 0; r < n; ++r) {
    double c0 = 0.0, rad = 0.0;
    for (SpMat::InnerIterator it(H, r); it; ++it)
      (it.index() == r ? c0 : rad) += it.index() == r ? it.value().real() : std::abs(it.value());
    lo = std::min(lo, c0 - rad);
    hi = std::max(hi, c0 + rad);
  }
  const double centre = 0.5 * (hi + lo);
  const double half = std::max(0.5 * (hi - lo), 1e-12) * 1.01;
  for (Eigen::Index r = 0; r < n; ++r)
    for (SpMat::InnerIterator it(H, r); it; ++it) {
      if (it.index() == r) it.valueRef() -= centre;
      it.valueRef() /= half;
    }
  const int M = kopt.n_moments;
  const int NE = kopt.n_energies > 0 ? kopt.n_energies : 2 * M;
  // Jackson kernel.
  std::vector<double> g(static_cast<std::size_t>(M));
  const double th = M_PI / (M + 1);
  for (int m = 0; m < M; ++m)
    g[static_cast<std::size_t>(m)] =
        ((M - m + 1) * std::cos(th * m) + std::sin(th * m) / std::tan(th)) / (M + 1);
  KpmResult res;
  res.e_min = centre - half;
  res.e_max = centre + half;
  res.resolution = M_PI * half / M;
  res.energy.resize(NE);
  std::vector<double> xs(static_cast<std::size_t>(NE));
  for (int j = 0; j < NE; ++j) {
    xs[static_cast<std::size_t>(j)] = -std::cos(M_PI * (j + 0.5) / NE);  // ascending
    res.energy[j] = centre + half * xs[static_cast<std::size_t>(j)];
  }
  const double per_vec = 16.0 * static_cast<double>(n);
  const int batch = static_cast<int>(std::clamp(std::floor(kopt.memory_bytes / (2.0 * per_vec)), 1.0,
                                                static_cast<double>(NE)));
  res.energy_batch = batch;
  res.sigma_E_samples.resize(kopt.n_random, NE);

  Eigen::VectorXcd r(n), vr(n), t0(n), t1(n), s0(n), s1(n), tmp(n);
  std::vector<Eigen::VectorXcd> a(static_cast<std::size_t>(batch)), b(static_cast<std::size_t>(batch));
  for (int rv = 0; rv < kopt.n_random; ++rv) {
    std::mt19937_64 gen(kopt.seed * 1000003ULL + static_cast<std::uint64_t>(rv));
    std::uniform_real_distribution<double> phase(0.0, 2.0 * M_PI);
    for (Eigen::Index i = 0; i < n; ++i) r[i] = std::polar(1.0, phase(gen));
    spmv(V, r, vr, exec);
    for (int j0 = 0; j0 < NE; j0 += batch) {
      const int nbj = std::min(batch, NE - j0);
      std::vector<std::vector<double>> coef(static_cast<std::size_t>(nbj));
      for (int j = 0; j < nbj; ++j) {
        const double x = xs[static_cast<std::size_t>(j0 + j)];
        const double norm = 1.0 / (half * M_PI * std::sqrt(1.0 - x * x));
        const double acx = std::acos(x);
        auto& cj = coef[static_cast<std::size_t>(j)];
        cj.resize(static_cast<std::size_t>(M));
        for (int m = 0; m < M; ++m)
          cj[static_cast<std::size_t>(m)] = (m == 0 ? 1.0 : 2.0) * g[static_cast<std::size_t>(m)] *
                                             std::cos(m * acx) * norm;
        a[static_cast<std::size_t>(j)].setZero(n);
        b[static_cast<std::size_t>(j)].setZero(n);
      }
      t0 = r;
      s0 = vr;
      std::vector<double> cm(static_cast<std::size_t>(nbj));
      for (int m = 0; m < M; ++m) {
        if (m == 1) {
          spmv(H, r, t1, exec);
          spmv(H, vr, s1, exec);
        } else if (m > 1) {
          // T_m = 2 H T_{m-1} - T_{m-2}; (t0, t1) hold (T_{m-2}, T_{m-1}).
          chebyshev_step(H, t1, t0, s1, s0, exec);
          std::swap(t0, t1);
          std::swap(s0, s1);
        }
        for (int j = 0; j < nbj; ++j)
          cm[static_cast<std::size_t>(j)] = coef[static_cast<std::size_t>(j)][static_cast<std::size_t>(m)];
        accumulate(a, b, cm, m == 0 ? t0 : t1, m == 0 ? s0 : s1, exec);
      }
      for (int j = 0; j < nbj; ++j) {
        spmv(V, a[static_cast<std::size_t>(j)], tmp, exec);
        res.sigma_E_samples(rv, j0 + j) = C * b[static_cast<std::size_t>(j)].dot(tmp).real();
      }
    }
  }
  res.sigma_E = res.sigma_E_samples.colwise().mean().transpose();
  return res;
}

Eigen::ArrayXXd kpm_thermal_average(const KpmResult& r, const Eigen::Ref<const Eigen::ArrayXd>& mu,
                                    const Eigen::Ref<const Eigen::ArrayXd>& T_kelvin) {
  validate::same_size("mu", mu.size(), "T", T_kelvin.size());
  validate::all_finite("mu", mu);
  validate::all_positive("T", T_kelvin);
  const Eigen::Index ne = r.energy.size();
  const Eigen::Index R = r.sigma_E_samples.rows();
  // Trapezoid weights on the ascending grid.
  Eigen::ArrayXd tw = Eigen::ArrayXd::Zero(ne);
  for (Eigen::Index j = 0; j + 1 < ne; ++j) {
    const double h = r.energy[j + 1] - r.energy[j];
    tw[j] += 0.5 * h;
    tw[j + 1] += 0.5 * h;
  }
  Eigen::ArrayXXd out(mu.size(), 2);
  for (Eigen::Index p = 0; p < mu.size(); ++p) {
    const double kT = constants::kT_eV(T_kelvin[p]);
    Eigen::ArrayXd w(ne);
    for (Eigen::Index j = 0; j < ne; ++j)
      w[j] = tw[j] * fermi::minus_derivative_x((r.energy[j] - mu[p]) / kT) / kT;
    const Eigen::ArrayXd per = (r.sigma_E_samples.matrix() * w.matrix()).array();
    const double mean = per.mean();
    out(p, 0) = mean;
    out(p, 1) = R > 1 ? std::sqrt((per - mean).square().sum() / static_cast<double>(R - 1) /
                                  static_cast<double>(R))
                      : 0.0;
  }
  return out;
}

}  // namespace quasiion::kubo
