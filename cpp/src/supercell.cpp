#include "quasiion/supercell.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <Eigen/Eigenvalues>

#include "quasiion/constants.hpp"
#include "quasiion/errors.hpp"
#include "quasiion/hermitian_solver.hpp"
#include "quasiion/validate.hpp"

namespace quasiion::supercell {

namespace {

constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

std::uint64_t mix(std::uint64_t z) {  // SplitMix64 finaliser
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

void check_d(double d) {
  if (!(std::isfinite(d) && d >= 0.0 && d < 1.0))
    validate::fail("d", validate::format_value(d), "in [0, 1) (the distortion level, 0.1 = 10 %)");
}

double scaled(double v, double d, double r) {
  return std::isinf(v) ? v : v * (1.0 + d * r);  // a wall stays a wall
}

}  // namespace

Stream::Stream(std::uint64_t seed, std::uint64_t index)
    : key_(mix(mix(seed + kGolden) ^ (index * 0xD1B54A32D192ED03ULL + 0x8CB92BA72F3D8DD7ULL))) {}

double Stream::symmetric(std::uint64_t j) const {
  const std::uint64_t z = mix(key_ + (j + 1) * kGolden);
  return static_cast<double>(z >> 11) * 0x1.0p-52 - 1.0;  // [0, 2) - 1
}

wellchain::WellChain distort(const wellchain::WellChain& chain, double d, std::uint64_t seed,
                             std::uint64_t index) {
  wellchain::check(chain);
  check_d(d);
  wellchain::WellChain out = chain;
  if (d == 0.0) return out;
  const Stream s(seed, index);
  for (Eigen::Index i = 0; i < chain.U.size(); ++i) {
    const auto u = static_cast<std::uint64_t>(i);
    out.U[i] = scaled(chain.U[i], d, s.symmetric(2 * u));
    out.barrier[i] = scaled(chain.barrier[i], d, s.symmetric(2 * u + 1));
  }
  return out;
}

void distorted_tridiagonal(const wellchain::WellChain& cell, int n_cells, double d, double T_kelvin,
                           std::uint64_t seed, std::uint64_t index, Eigen::VectorXd& diag,
                           Eigen::VectorXd& off) {
  wellchain::check(cell);
  check_d(d);
  validate::positive("T", T_kelvin);
  if (n_cells < 1) validate::fail("n_cells", std::to_string(n_cells), ">= 1");
  const Eigen::Index m = cell.U.size();
  const Eigen::Index n = m * static_cast<Eigen::Index>(n_cells);
  const Stream s(seed, index);
  // The same draws as distort(repeat(cell, n_cells)): well i uses draw 2i, barrier i 2i+1.
  const auto U = [&](Eigen::Index i) {
    return d == 0.0 ? cell.U[i % m]
                    : scaled(cell.U[i % m], d, s.symmetric(2 * static_cast<std::uint64_t>(i)));
  };
  const auto B = [&](Eigen::Index i) {
    return d == 0.0 ? cell.barrier[i % m]
                    : scaled(cell.barrier[i % m], d, s.symmetric(2 * static_cast<std::uint64_t>(i) + 1));
  };
  diag.resize(n);
  off.resize(n > 0 ? n - 1 : 0);
  wellchain::assemble_narrow_well(
      n, U, B, constants::kT_eV(T_kelvin), cell.thermalisation,
      [&](Eigen::Index i, double e) { diag[i] = e; },
      [&](Eigen::Index i, double t) {
        if (i + 1 < n) off[i] = t;  // the closing bond is dropped (open chain)
      });
}

namespace {

void participation(Spectrum& s) {
  s.participation = (s.vectors.array().abs2().square().colwise().sum()).inverse().transpose();
}

}  // namespace

namespace {

// All eigenvalues of a symmetric tridiagonal matrix by the root-free (rational) QL iteration
// of EISPACK's tqlrat: it works on the squared off-diagonals and needs no square root per
// rotation, so it runs several times faster than a QL with Givens rotations for the small
// matrices of an ensemble. Ascending on return. Throws ConvergenceError after 30 iterations
// on one eigenvalue.
Eigen::VectorXd rootfree_ql(const Eigen::VectorXd& diag, const Eigen::VectorXd& off) {
  const Eigen::Index n = diag.size();
  Eigen::VectorXd d = diag;
  if (n <= 1) return d;
  Eigen::VectorXd e2(n);
  for (Eigen::Index k = 0; k + 1 < n; ++k) e2[k] = off[k] * off[k];
  e2[n - 1] = 0.0;
  const double eps = std::numeric_limits<double>::epsilon();
  double f = 0.0, t = 0.0, b = 0.0, c = 0.0;
  for (Eigen::Index l = 0; l < n; ++l) {
    int iter = 0;
    const double hl = std::fabs(d[l]) + std::sqrt(e2[l]);
    if (t <= hl) {
      t = hl;
      b = t * eps;
      c = b * b;
    }
    Eigen::Index m = l;
    while (e2[m] > c) ++m;  // e2[n-1] = 0 stops it
    if (m != l) {
      for (;;) {
        if (iter == 30) throw ConvergenceError("tridiagonal QL: no convergence in 30 iterations", {});
        ++iter;
        const double s0 = std::sqrt(e2[l]);
        double g = d[l];
        double p = (d[l + 1] - g) / (2.0 * s0);
        const double r0 = std::sqrt(p * p + 1.0);
        d[l] = s0 / (p + (p >= 0.0 ? r0 : -r0));
        double h = g - d[l];
        for (Eigen::Index i = l + 1; i < n; ++i) d[i] -= h;
        f += h;
        g = d[m];
        if (g == 0.0) g = b;
        h = g;
        double s = 0.0;
        for (Eigen::Index i = m - 1; i >= l; --i) {
          p = g * h;
          const double r = p + e2[i];
          e2[i + 1] = s * r;
          s = e2[i] / r;
          d[i + 1] = h + s * (h + d[i]);
          g = d[i] - e2[i] / g;
          if (g == 0.0) g = b;
          h = g * p / r;
        }
        e2[l] = s * g;
        d[l] = h;
        if (h == 0.0) break;
        if (std::fabs(e2[l]) <= std::fabs(c / h)) break;
        e2[l] = h * e2[l];
        if (e2[l] == 0.0) break;
      }
    }
    const double p = d[l] + f;
    Eigen::Index i = l;
    for (; i > 0; --i) {  // insertion into the sorted head
      if (p >= d[i - 1]) break;
      d[i] = d[i - 1];
    }
    d[i] = p;
  }
  return d;
}

}  // namespace

Spectrum dense_spectrum(const Eigen::MatrixXd& H, bool want_vectors) {
  if (H.rows() != H.cols())
    validate::fail("H", "a " + std::to_string(H.rows()) + "x" + std::to_string(H.cols()) + " matrix",
                   "square");
  Spectrum s;
  if (H.rows() == 0) return s;
  // The solver seam: LAPACK's dsyevd when registered (the Python module), else Eigen.
  default_hermitian_solver().solve_symmetric(H, want_vectors, s.energies, s.vectors);
  if (want_vectors) participation(s);
  return s;
}

Spectrum tridiagonal_spectrum(const Eigen::VectorXd& diag, const Eigen::VectorXd& off,
                              bool want_vectors) {
  if (off.size() != std::max<Eigen::Index>(diag.size() - 1, 0))
    validate::fail("off", "an array of length " + std::to_string(off.size()),
                   "of length len(diag) - 1 = " + std::to_string(diag.size() - 1));
  Spectrum s;
  if (diag.size() == 0) return s;
  if (diag.size() == 1) {
    s.energies = diag;
    if (want_vectors) {
      s.vectors = Eigen::MatrixXd::Ones(1, 1);
      participation(s);
    }
    return s;
  }
  if (!want_vectors) {
    s.energies = rootfree_ql(diag, off);
    return s;
  }
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es;
  es.computeFromTridiagonal(diag, off, Eigen::ComputeEigenvectors);
  if (es.info() != Eigen::Success) throw ConvergenceError("tridiagonal eigensolver did not converge", {});
  s.energies = es.eigenvalues();
  if (want_vectors) {
    s.vectors = es.eigenvectors();
    participation(s);
  }
  return s;
}

GapAtFilling gap_at_filling(const Eigen::Ref<const Eigen::VectorXd>& e, int n_occupied) {
  if (n_occupied < 1 || n_occupied >= e.size())
    validate::fail("n_occupied", std::to_string(n_occupied),
                   "in [1, " + std::to_string(e.size() - 1) + "] (states: " + std::to_string(e.size()) +
                       ")");
  GapAtFilling g;
  g.homo = e[n_occupied - 1];
  g.lumo = e[n_occupied];
  g.gap = g.lumo - g.homo;
  return g;
}

namespace {

// Position of ring site i in the zig-zag order 0, 1, n-1, 2, n-2, ...: ring neighbours end up
// at most two apart, so the periodic chain becomes a pentadiagonal matrix.
Eigen::Index zigzag(Eigen::Index i, Eigen::Index n) {
  if (i == 0) return 0;
  return i <= n / 2 ? 2 * i - 1 : 2 * (n - i);
}

// Reduces the symmetric pentadiagonal A (dense storage, n x n, overwritten) to tridiagonal
// form by Givens rotations, chasing each bulge down the band (Schwarz's band reduction):
// O(n^2) work against the O(n^3) of a dense Householder tridiagonalisation.
void pentadiagonal_to_tridiagonal(Eigen::MatrixXd& A, Eigen::VectorXd& diag, Eigen::VectorXd& off) {
  const Eigen::Index n = A.rows();
  const auto rotate = [&](Eigen::Index p, Eigen::Index r, double c, double s, Eigen::Index lo,
                          Eigen::Index hi) {
    for (Eigen::Index k = lo; k < hi; ++k) {  // rows p, r
      const double ap = A(p, k), ar = A(r, k);
      A(p, k) = c * ap + s * ar;
      A(r, k) = -s * ap + c * ar;
    }
    for (Eigen::Index k = lo; k < hi; ++k) {  // columns p, r
      const double ap = A(k, p), ar = A(k, r);
      A(k, p) = c * ap + s * ar;
      A(k, r) = -s * ap + c * ar;
    }
  };
  for (Eigen::Index j = 0; j + 2 < n; ++j) {
    Eigen::Index c = j, p = j + 1, r = j + 2;  // zero A(r, c) against A(p, c)
    while (r < n) {
      const double a = A(p, c), b = A(r, c);
      if (b != 0.0) {
        const double h = std::sqrt(a * a + b * b);  // eV-sized entries: no overflow; hypot is slow
        const Eigen::Index lo = c, hi = std::min<Eigen::Index>(n, r + 3);
        rotate(p, r, a / h, b / h, lo, hi);
        A(r, c) = A(c, r) = 0.0;
      }
      c = p;
      p = r + 1;
      r = r + 2;
    }
  }
  diag = A.diagonal();
  off = A.diagonal(-1);
}

}  // namespace

Ensemble ensemble(const wellchain::WellChain& cell, const EnsembleOptions& opt, std::uint64_t seed,
                  std::uint64_t first_index, std::size_t count, const Execution& exec) {
  wellchain::check(cell);
  check_d(opt.d);
  validate::positive("T", opt.T);
  if (opt.n_cells < 1) validate::fail("n_cells", std::to_string(opt.n_cells), ">= 1");
  const Eigen::Index n = cell.U.size() * static_cast<Eigen::Index>(opt.n_cells);
  const int n_occ = opt.n_occupied < 0 ? opt.n_cells : opt.n_occupied;
  if (n_occ < 1 || n_occ >= n)
    validate::fail("n_occupied", std::to_string(n_occ), "in [1, " + std::to_string(n - 1) + "]");
  const auto rows = static_cast<Eigen::Index>(count);
  Ensemble out;
  out.seed = seed;
  out.first_index = first_index;
  out.gap.resize(rows);
  out.homo.resize(rows);
  out.lumo.resize(rows);
  if (opt.keep_energies) out.energies.resize(rows, n);
  wellchain::WellChain super = wellchain::repeat(cell, opt.n_cells);
  super.periodic = opt.periodic;
  const double kT = constants::kT_eV(opt.T);
  parallel_for(
      count,
      [&](std::size_t r) {
        const auto row = static_cast<Eigen::Index>(r);
        const Stream s(seed, first_index + r);
        const auto U = [&](Eigen::Index i) {
          return scaled(super.U[i], opt.d, s.symmetric(2 * static_cast<std::uint64_t>(i)));
        };
        const auto B = [&](Eigen::Index i) {
          return scaled(super.barrier[i], opt.d, s.symmetric(2 * static_cast<std::uint64_t>(i) + 1));
        };
        Eigen::VectorXd e;
        if (opt.periodic) {
          // The ring in zig-zag order is pentadiagonal: band-reduce it to tridiagonal form
          // and take all eigenvalues by implicit QL, O(n^2) per realisation.
          Eigen::MatrixXd A = Eigen::MatrixXd::Zero(n, n);
          wellchain::assemble_narrow_well(
              n, U, B, kT, super.thermalisation,
              [&](Eigen::Index i, double v) { A(zigzag(i, n), zigzag(i, n)) = v; },
              [&](Eigen::Index i, double t) {
                const Eigen::Index a = zigzag(i, n), b = zigzag((i + 1) % n, n);
                if (n == 1) {
                  A(0, 0) += 2.0 * t;
                } else {
                  A(a, b) += t;
                  A(b, a) += t;
                }
              });
          Eigen::VectorXd diag, off;
          pentadiagonal_to_tridiagonal(A, diag, off);
          e = tridiagonal_spectrum(diag, off, false).energies;
        } else {
          Eigen::VectorXd diag(n), off(std::max<Eigen::Index>(n - 1, 0));
          wellchain::assemble_narrow_well(
              n, U, B, kT, super.thermalisation, [&](Eigen::Index i, double v) { diag[i] = v; },
              [&](Eigen::Index i, double t) {
                if (i + 1 < n) off[i] = t;
              });
          e = tridiagonal_spectrum(diag, off, false).energies;
        }
        const GapAtFilling g = gap_at_filling(e, n_occ);
        out.gap[row] = g.gap;
        out.homo[row] = g.homo;
        out.lumo[row] = g.lumo;
        if (opt.keep_energies) out.energies.row(row) = e.transpose();
      },
      exec);
  return out;
}

}  // namespace quasiion::supercell
