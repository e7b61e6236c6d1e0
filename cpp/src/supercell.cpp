#include "quasiion/supercell.hpp"

#include <cmath>
#include <limits>
#include <string>

#include <Eigen/Eigenvalues>

#include "quasiion/constants.hpp"
#include "quasiion/errors.hpp"
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

Spectrum dense_spectrum(const Eigen::MatrixXd& H, bool want_vectors) {
  if (H.rows() != H.cols())
    validate::fail("H", "a " + std::to_string(H.rows()) + "x" + std::to_string(H.cols()) + " matrix",
                   "square");
  Spectrum s;
  if (H.rows() == 0) return s;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(
      H, want_vectors ? Eigen::ComputeEigenvectors : Eigen::EigenvaluesOnly);
  if (es.info() != Eigen::Success) throw ConvergenceError("dense symmetric eigensolver did not converge", {});
  s.energies = es.eigenvalues();
  if (want_vectors) {
    s.vectors = es.eigenvectors();
    participation(s);
  }
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
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es;
  es.computeFromTridiagonal(diag, off, want_vectors ? Eigen::ComputeEigenvectors : Eigen::EigenvaluesOnly);
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
          Eigen::MatrixXd H = Eigen::MatrixXd::Zero(n, n);
          wellchain::assemble_narrow_well(
              n, U, B, kT, super.thermalisation, [&](Eigen::Index i, double v) { H(i, i) = v; },
              [&](Eigen::Index i, double t) {  // lower triangle (the solver reads only it)
                const Eigen::Index j = (i + 1) % n;
                if (n == 1) H(0, 0) += 2.0 * t;
                else if (j > i) H(j, i) += t;
                else H(i, j) += t;
              });
          Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(H, Eigen::EigenvaluesOnly);
          if (es.info() != Eigen::Success)
            throw ConvergenceError("dense symmetric eigensolver did not converge", {});
          e = es.eigenvalues();
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
