#include "quasiion/lattice.hpp"

#include <cmath>
#include <map>
#include <string>

#include <Eigen/LU>

#include "quasiion/constants.hpp"
#include "quasiion/lapack.hpp"
#include "quasiion/lattice_transport.hpp"
#include "quasiion/validate.hpp"

namespace quasiion::lattice {

namespace {

std::string idx(const std::string& name, Eigen::Index i) {
  return name + "[" + std::to_string(i) + "]";
}

}  // namespace

Lattice::Lattice(const Eigen::MatrixXd& vectors, const Eigen::MatrixXd& positions,
                 const Eigen::VectorXd& onsite, const std::vector<Hopping>& hoppings)
    : vectors_(vectors), positions_(positions), onsite_(onsite), hoppings_(hoppings) {
  const Eigen::Index d = vectors.rows();
  if (d < 1 || d > 3)
    validate::fail("vectors", "a matrix with " + std::to_string(d) + " rows", "d x d with d = 1, 2 or 3");
  if (vectors.cols() != d)
    validate::fail("vectors", "a " + std::to_string(d) + " x " + std::to_string(vectors.cols()) + " matrix",
                   "square (d x d)");
  validate::all_finite("vectors", vectors);
  const double det = vectors.determinant();
  const double scale = vectors.rowwise().norm().prod();
  if (!(std::fabs(det) > 1e-12 * scale))
    validate::fail("vectors", "a matrix with determinant " + validate::format_value(det),
                   "linearly independent rows (non-zero cell volume)");
  validate::non_empty("onsite", onsite.size());
  validate::all_finite("onsite", onsite);
  if (positions.rows() != onsite.size() || positions.cols() != d)
    validate::fail("positions",
                   "a " + std::to_string(positions.rows()) + " x " + std::to_string(positions.cols()) + " matrix",
                   "n_orb x d = " + std::to_string(onsite.size()) + " x " + std::to_string(d) +
                       " (one row per on-site energy)");
  validate::all_finite("positions", positions);
  const int n = static_cast<int>(onsite.size());
  std::map<std::vector<int>, std::size_t> group_of;
  for (std::size_t h = 0; h < hoppings.size(); ++h) {
    const Hopping& hp = hoppings[h];
    const std::string name = "hoppings[" + std::to_string(h) + "]";
    if (hp.i < 0 || hp.i >= n)
      validate::fail(name + ".i", std::to_string(hp.i), "an orbital index in [0, " + std::to_string(n - 1) + "]");
    if (hp.j < 0 || hp.j >= n)
      validate::fail(name + ".j", std::to_string(hp.j), "an orbital index in [0, " + std::to_string(n - 1) + "]");
    if (hp.R.size() != d)
      validate::fail(name + ".R", "an offset of length " + std::to_string(hp.R.size()),
                     "of length d = " + std::to_string(d));
    if (!std::isfinite(hp.t.real()) || !std::isfinite(hp.t.imag()))
      validate::fail(name + ".t", validate::format_value(std::isfinite(hp.t.real()) ? hp.t.imag() : hp.t.real()),
                     "finite");
    if (hp.i == hp.j && hp.R.isZero())
      validate::fail(name, "a hopping from orbital " + std::to_string(hp.i) + " to itself at R = 0",
                     "a bond between different orbitals or cells (on-site energies go in onsite)");
    const std::vector<int> key(hp.R.data(), hp.R.data() + d);
    auto it = group_of.find(key);
    if (it == group_of.end()) {
      Offset off;
      off.Rc = {0.0, 0.0, 0.0};
      off.zero = hp.R.isZero();
      for (Eigen::Index a = 0; a < d; ++a) {
        double c = 0.0;
        for (Eigen::Index b = 0; b < d; ++b) c += static_cast<double>(hp.R[b]) * vectors(b, a);
        off.Rc[static_cast<std::size_t>(a)] = c;
      }
      it = group_of.emplace(key, offsets_.size()).first;
      offsets_.push_back(std::move(off));
    }
    Offset& g = offsets_[it->second];
    g.i.push_back(hp.i);
    g.j.push_back(hp.j);
    g.t.push_back(hp.t);
  }
}

Eigen::MatrixXd Lattice::reciprocal_vectors() const {
  // A B^T = 2 pi I  =>  B = 2 pi (A^-1)^T.
  return 2.0 * M_PI * vectors_.inverse().transpose();
}

void Lattice::hamiltonian_into(const double* k, Eigen::MatrixXcd& H) const {
  const int n = n_orbitals();
  const int d = dim();
  H.setZero(n, n);
  for (int i = 0; i < n; ++i) H(i, i) = onsite_[i];
  for (const Offset& g : offsets_) {
    std::complex<double> ph(1.0, 0.0);
    if (!g.zero) {
      double phase = 0.0;
      for (int a = 0; a < d; ++a) phase += k[a] * g.Rc[static_cast<std::size_t>(a)];
      ph = std::complex<double>(std::cos(phase), std::sin(phase));
    }
    for (std::size_t b = 0; b < g.t.size(); ++b) {
      const std::complex<double> v = g.t[b] * ph;
      H(g.i[b], g.j[b]) += v;
      H(g.j[b], g.i[b]) += std::conj(v);
    }
  }
}

void Lattice::derivative_into(const double* k, int a, Eigen::MatrixXcd& dH) const {
  const int n = n_orbitals();
  const int d = dim();
  dH.setZero(n, n);
  for (const Offset& g : offsets_) {
    const double Ra = g.Rc[static_cast<std::size_t>(a)];
    if (Ra == 0.0) continue;
    double phase = 0.0;
    for (int b = 0; b < d; ++b) phase += k[b] * g.Rc[static_cast<std::size_t>(b)];
    // d/dk_a [t e^{ik.R}] = i R_a t e^{ik.R}
    const std::complex<double> f = std::complex<double>(0.0, Ra) * std::complex<double>(std::cos(phase), std::sin(phase));
    for (std::size_t b = 0; b < g.t.size(); ++b) {
      const std::complex<double> v = g.t[b] * f;
      dH(g.i[b], g.j[b]) += v;
      dH(g.j[b], g.i[b]) += std::conj(v);
    }
  }
}

Eigen::MatrixXcd Lattice::hamiltonian(const Eigen::Ref<const Eigen::VectorXd>& k) const {
  validate::same_size("lattice dimension", dim(), "k", k.size());
  validate::all_finite("k", k);
  Eigen::VectorXd kk = k;
  Eigen::MatrixXcd H;
  hamiltonian_into(kk.data(), H);
  return H;
}

Eigen::MatrixXcd Lattice::derivative(const Eigen::Ref<const Eigen::VectorXd>& k, int a) const {
  validate::same_size("lattice dimension", dim(), "k", k.size());
  validate::all_finite("k", k);
  if (a < 0 || a >= dim())
    validate::fail("direction", std::to_string(a), "in [0, " + std::to_string(dim() - 1) + "]");
  Eigen::VectorXd kk = k;
  Eigen::MatrixXcd dH;
  derivative_into(kk.data(), a, dH);
  return dH;
}

namespace {

void check_kpoints(const Lattice& lat, const Eigen::Ref<const Eigen::MatrixXd>& k) {
  validate::non_empty("k", k.rows());
  if (k.cols() != lat.dim())
    validate::fail("k", "an array of shape (" + std::to_string(k.rows()) + ", " + std::to_string(k.cols()) + ")",
                   "of shape (nk, d) with d = " + std::to_string(lat.dim()));
  validate::all_finite("k", k);
}

}  // namespace

Bands solve_bands(const Lattice& lat, const Eigen::Ref<const Eigen::MatrixXd>& k,
                  const BandOptions& opt, const Execution& exec, const HermitianSolver& solver) {
  check_kpoints(lat, k);
  const Eigen::Index nk = k.rows();
  const int n = lat.n_orbitals();
  const int d = lat.dim();
  Bands out;
  out.energies.resize(nk, n);
  if (opt.eigenvectors) out.eigenvectors.resize(nk * n, n);
  if (opt.velocities) out.velocities.resize(nk, n * d);
  const bool need_vectors = opt.eigenvectors || opt.velocities;
  // Many small solves on our threads: keep the LAPACK library itself single-threaded.
  const lapack::SingleThreadedScope single_threaded_lapack;
  parallel_for(
      static_cast<std::size_t>(nk),
      [&](std::size_t qi) {
        const Eigen::Index q = static_cast<Eigen::Index>(qi);
        // Per-thread scratch (every item overwrites it completely): no allocation per k.
        double kq[3] = {0.0, 0.0, 0.0};
        for (int a = 0; a < d; ++a) kq[a] = k(q, a);
        thread_local Eigen::MatrixXcd H, U, dH;
        thread_local Eigen::VectorXd w;
        lat.hamiltonian_into(kq, H);
        solver.solve(H, need_vectors, w, U);
        out.energies.row(q) = w.transpose().array();
        if (opt.eigenvectors) out.eigenvectors.block(q * n, 0, n, n) = U;
        if (opt.velocities) {
          for (int a = 0; a < d; ++a) {
            lat.derivative_into(kq, a, dH);
            for (int m = 0; m < n; ++m)
              out.velocities(q, m * d + a) = (U.col(m).adjoint() * dH * U.col(m)).value().real();
          }
        }
      },
      [&exec] {
        Execution e = exec;  // keeps the cancellation and progress hooks
        e.min_items_per_thread = std::max<std::size_t>(exec.min_items_per_thread, 64);
        return e;
      }());
  return out;
}

Eigen::MatrixXd midpoint_kgrid(const Lattice& lat, const std::vector<int>& n) {
  const int d = lat.dim();
  if (static_cast<int>(n.size()) != d)
    validate::fail("nk", "a list of length " + std::to_string(n.size()),
                   "one count per dimension (d = " + std::to_string(d) + ")");
  Eigen::Index total = 1;
  for (int a = 0; a < d; ++a) {
    if (n[static_cast<std::size_t>(a)] < 1)
      validate::fail(idx("nk", a), std::to_string(n[static_cast<std::size_t>(a)]), ">= 1");
    total *= n[static_cast<std::size_t>(a)];
  }
  const Eigen::MatrixXd B = lat.reciprocal_vectors();
  Eigen::MatrixXd k(total, d);
  for (Eigen::Index q = 0; q < total; ++q) {
    Eigen::Index rest = q;
    Eigen::RowVectorXd kk = Eigen::RowVectorXd::Zero(d);
    // Last dimension fastest.
    for (int a = d - 1; a >= 0; --a) {
      const int na = n[static_cast<std::size_t>(a)];
      const Eigen::Index j = rest % na;
      rest /= na;
      const double f = -0.5 + (static_cast<double>(j) + 0.5) / na;
      kk += f * B.row(a);
    }
    k.row(q) = kk;
  }
  return k;
}

Eigen::ArrayXd boltzmann_conductivity(const Lattice& lat, const Eigen::Ref<const Eigen::MatrixXd>& k,
                                       const Eigen::Ref<const Eigen::VectorXd>& direction,
                                       const std::vector<int>& bands,
                                       const transport::Carriers& carriers,
                                       const Eigen::Ref<const Eigen::ArrayXd>& mu,
                                       const Eigen::Ref<const Eigen::ArrayXd>& T_kelvin,
                                       const Execution& exec, const HermitianSolver& solver) {
  validate::non_empty("mu", mu.size());
  validate::same_size("mu", mu.size(), "T", T_kelvin.size());
  validate::all_finite("mu", mu);
  validate::all_positive("T", T_kelvin);
  const double pref = transport::conductivity_prefactor(carriers);  // before the band work
  return pref * boltzmann_window(lat, k, direction, bands, exec, solver).pairs(mu, T_kelvin, exec);
}

}  // namespace quasiion::lattice
