#include "quasiion/spectrum.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "quasiion/errors.hpp"
#include "quasiion/lattice.hpp"
#include "quasiion/validate.hpp"

namespace quasiion::spectrum {

namespace {

using validate::fail;
using validate::format_value;

// ---- tridiagonal: Sturm sequences ----------------------------------------------------------
//
// q_0 = d_0 - E, q_i = (d_i - E) - e_{i-1}^2 / q_{i-1}; the number of negative q_i is the
// number of eigenvalues below E (Sylvester's law of inertia for the LDL^T factorisation of
// H - E I, whose pivots are the q_i). A pivot with |q| < pivmin is replaced by -pivmin
// (LAPACK dstebz): this is the count of a matrix whose diagonal differs by O(pivmin), it
// never divides by zero, and it needs no special case for e_i = 0 (decoupled blocks simply
// restart the recurrence). Kahan's analysis shows the computed count is exact for a matrix
// within a few ulps of H, however large the individual q_i grow.
struct PreparedTri {
  const double* d = nullptr;
  std::vector<double> e2;  // e2[0] = 0, e2[i] = off[i-1]^2
  std::int64_t n = 0;
  double pivmin = 0.0;

  explicit PreparedTri(const Tridiagonal& H) : d(H.diag.data()), n(H.n()) {
    e2.assign(static_cast<std::size_t>(n), 0.0);
    double emax = 0.0;
    for (std::int64_t i = 1; i < n; ++i) {
      const double e = H.off[i - 1];
      e2[static_cast<std::size_t>(i)] = e * e;
      emax = std::max(emax, e * e);
    }
    pivmin = std::numeric_limits<double>::min() * std::max(1.0, emax);
  }
};

// L shifts in one pass: the L recurrences are independent, so the loop over l is bound by the
// division throughput, not its latency. Counts are accumulated in doubles (exact below 2^53)
// so that the lane loop stays in one register type and vectorises.
#if defined(__GNUC__)
#define QI_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define QI_ALWAYS_INLINE inline
#endif

template <int L>
QI_ALWAYS_INLINE void sturm_lanes(const PreparedTri& P, const double* E, double* out) {
  double q[L], c[L];
  const double piv = P.pivmin;
  for (int l = 0; l < L; ++l) {
    double t = P.d[0] - E[l];
    t = std::fabs(t) < piv ? -piv : t;
    q[l] = t;
    c[l] = t < 0.0 ? 1.0 : 0.0;
  }
  const double* d = P.d;
  const double* e2 = P.e2.data();
  for (std::int64_t i = 1; i < P.n; ++i) {
    const double di = d[i], ei = e2[i];
    for (int l = 0; l < L; ++l) {
      double t = (di - E[l]) - ei / q[l];
      t = std::fabs(t) < piv ? -piv : t;
      q[l] = t;
      c[l] += t < 0.0 ? 1.0 : 0.0;
    }
  }
  for (int l = 0; l < L; ++l) out[l] = c[l];
}

constexpr int kTriLanes = 8;

// The 8-lane pass compiled twice, for baseline x86-64 (SSE2: 2 divisions per instruction)
// and for x86-64-v3 (AVX2: 4), chosen at load time by the CPU (GCC function multiversioning;
// no -march flag, the wheel runs everywhere). Results are identical: IEEE division and
// subtraction per lane, no contraction into FMAs (ISO mode).
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define QI_MULTIVERSION __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define QI_MULTIVERSION
#endif

#if defined(__GNUC__)
// GCC/Clang vector extensions: two 4-lane vectors, one AVX instruction each in the
// x86-64-v3 clone, two SSE2 instructions each in the default one (the autovectoriser does
// not vectorise the lane loop of sturm_lanes by itself).
typedef double qi_v4d __attribute__((vector_size(32)));
typedef long long qi_v4i __attribute__((vector_size(32)));

QI_MULTIVERSION void sturm8(const PreparedTri& P, const double* E, double* out) {
  static_assert(kTriLanes == 8, "sturm8 handles 8 lanes");
  const double piv = P.pivmin;
  const qi_v4d vpiv = {piv, piv, piv, piv}, vneg = -vpiv, zero = {0.0, 0.0, 0.0, 0.0};
  const qi_v4d E0 = {E[0], E[1], E[2], E[3]}, E1 = {E[4], E[5], E[6], E[7]};
  qi_v4i c0 = {0, 0, 0, 0}, c1 = {0, 0, 0, 0};
  qi_v4d q0 = P.d[0] - E0, q1 = P.d[0] - E1;
  q0 = (q0 < vpiv && q0 > vneg) ? vneg : q0;
  q1 = (q1 < vpiv && q1 > vneg) ? vneg : q1;
  c0 -= (q0 < zero);  // a true comparison is -1
  c1 -= (q1 < zero);
  const double* d = P.d;
  const double* e2 = P.e2.data();
  for (std::int64_t i = 1; i < P.n; ++i) {
    const double di = d[i], ei = e2[i];
    qi_v4d t0 = (di - E0) - ei / q0;
    qi_v4d t1 = (di - E1) - ei / q1;
    q0 = (t0 < vpiv && t0 > vneg) ? vneg : t0;
    q1 = (t1 < vpiv && t1 > vneg) ? vneg : t1;
    c0 -= (q0 < zero);
    c1 -= (q1 < zero);
  }
  for (int l = 0; l < 4; ++l) {
    out[l] = static_cast<double>(c0[l]);
    out[4 + l] = static_cast<double>(c1[l]);
  }
}
#else
void sturm8(const PreparedTri& P, const double* E, double* out) { sturm_lanes<kTriLanes>(P, E, out); }
#endif

// Counts at m shifts, blocks of kTriLanes in parallel (each block writes only its outputs).
void tri_counts(const PreparedTri& P, const double* E, std::size_t m, double* out,
                const Execution& exec) {
  const std::size_t blocks = (m + kTriLanes - 1) / kTriLanes;
  // A block is ~8 n divisions; keep ~1e5 of them per thread at least.
  const std::size_t per = std::max<std::size_t>(
      1, static_cast<std::size_t>(2e5 / (kTriLanes * static_cast<double>(std::max<std::int64_t>(P.n, 1)))));
  parallel_for(
      blocks,
      [&](std::size_t b) {
        double e[kTriLanes], c[kTriLanes];
        const std::size_t begin = b * kTriLanes;
        const std::size_t cnt = std::min<std::size_t>(kTriLanes, m - begin);
        for (std::size_t l = 0; l < static_cast<std::size_t>(kTriLanes); ++l)
          e[l] = E[begin + std::min(l, cnt - 1)];  // pad with the last shift
        if (cnt == 1) {
          sturm_lanes<1>(P, e, c);
        } else {
          sturm8(P, e, c);
        }
        for (std::size_t l = 0; l < cnt; ++l) out[begin + l] = c[l];
      },
      Execution{exec.threads, std::max(exec.min_items_per_thread, per)});
}

// ---- banded: inertia of L D L^T ------------------------------------------------------------
//
// Why Gaussian elimination WITHOUT pivoting: the inertia needs a congruence (L D L^T), so row
// interchanges (partial pivoting, LU) are not allowed, and symmetric pivoting (Bunch-Kaufman)
// swaps rows and columns that are up to n apart and destroys the band (fill-in up to the
// full matrix). Without pivoting the elimination stays inside the band, O(n kd^2) time, and
// in exact arithmetic the signs of the pivots are those of det(A_k)/det(A_{k-1}) (A_k the
// leading k x k block of H - E I), so their negatives count the eigenvalues below E.
// Making it safe: a pivot with |d| < pivmin is replaced by -pivmin (as in dstebz for the
// tridiagonal case), which is the exact count of a matrix with that diagonal entry moved by
// O(pivmin); pivmin = sqrt(DBL_MIN) max(1, max|H_ij|^2) keeps every multiplier below
// ~1e154 so the rank-one update that follows cannot overflow. A pivot that is small but
// above pivmin happens only when E lies within |d| of an eigenvalue of a leading block; the
// next pivots then carry an absolute error of order eps |H|^2 / |d| (element growth). Such a
// pivot (|d| < sqrt(eps) (|H| + |E|) with a non-zero column below it) is detected, and the
// count is then redone on the reversed matrix J H J (same eigenvalues, elimination from the
// bottom), whose pivots belong to the trailing blocks instead. Only a shift that is within
// sqrt(eps) |H| of an eigenvalue of a coupled leading block AND of a coupled trailing block
// keeps a growth warning; of the two counts the one with the smaller growth is returned.
// The tests evaluate counts exactly at eigenvalues of all leading blocks and of H, on
// degenerate and decoupled spectra, against dense diagonalisation.
struct PreparedBand {
  int kd = 0;
  std::int64_t n = 0;
  double pivmin = 0.0;
  double scale = 0.0;                 // max absolute row sum of H
  const double* band = nullptr;       // column-major (kd + 1, n)
  std::vector<double> reversed;       // the band of J H J, same layout

  explicit PreparedBand(const SymmetricBand& H) : kd(H.kd()), n(H.n()), band(H.band.data()) {
    double amax = 0.0;
    Eigen::VectorXd rowsum = Eigen::VectorXd::Zero(n);
    for (std::int64_t j = 0; j < n; ++j)
      for (int r = 0; r <= kd && j + r < n; ++r) {
        const double a = std::fabs(H.band(r, j));
        amax = std::max(amax, a);
        rowsum[j] += a;
        if (r > 0) rowsum[j + r] += a;
      }
    scale = n > 0 ? rowsum.maxCoeff() : 0.0;
    pivmin = std::sqrt(std::numeric_limits<double>::min()) * std::max(1.0, amax * amax);
    const std::size_t m = static_cast<std::size_t>(kd + 1);
    reversed.assign(m * static_cast<std::size_t>(n), 0.0);
    // (J H J)(j + r, j) = H(n-1-j-r, n-1-j) = band(r, n-1-j-r).
    for (std::int64_t j = 0; j < n; ++j)
      for (int r = 0; r <= kd && j + r < n; ++r)
        reversed[static_cast<std::size_t>(j) * m + static_cast<std::size_t>(r)] = H.band(r, n - 1 - j - r);
  }
};

struct BandCount {
  double count = 0.0;
  double growth = 0.0;  // largest |coupling| / |pivot| seen after a small pivot (0 if none)
};

// Right-looking elimination with the active (kd + 1) columns of the Schur complement in a
// circular buffer: slot (c mod m) holds S(c + r, c), r = 0..kd.
// Slot (c mod m) <- column c of H - E I (band part, zero past the end).
inline void band_load(const double* band, int m, std::int64_t n, std::int64_t c, double E, double* W) {
  double* col = W + static_cast<std::size_t>(c % m) * static_cast<std::size_t>(m);
  const int len = static_cast<int>(std::min<std::int64_t>(m, n - c));
  std::memcpy(col, band + c * m, sizeof(double) * static_cast<std::size_t>(len));
  for (int r = len; r < m; ++r) col[r] = 0.0;
  col[0] -= E;
}

// Multiversioned like sturm8 (AVX2 doubles the width of the rank-one update loop).
QI_MULTIVERSION BandCount band_count_pass(const PreparedBand& P, const double* band, double E,
                                          std::vector<double>& W) {
  const int m = P.kd + 1;
  const std::int64_t n = P.n;
  const double small = std::sqrt(std::numeric_limits<double>::epsilon()) * (P.scale + std::fabs(E));
  W.assign(static_cast<std::size_t>(m) * static_cast<std::size_t>(m), 0.0);
  for (std::int64_t c = 0; c < std::min<std::int64_t>(m, n); ++c) band_load(band, m, n, c, E, W.data());
  BandCount out;
  for (std::int64_t k = 0; k < n; ++k) {
    double* ck = &W[static_cast<std::size_t>(k % m) * static_cast<std::size_t>(m)];
    double d = ck[0];
    if (std::fabs(d) < P.pivmin) d = -P.pivmin;
    if (d < 0.0) out.count += 1.0;
    const int lim = static_cast<int>(std::min<std::int64_t>(P.kd, n - 1 - k));
    const double inv = 1.0 / d;
    const bool is_small = std::fabs(d) < small;
    for (int j = 1; j <= lim; ++j) {
      const double f = ck[j] * inv;
      if (f == 0.0) continue;  // decoupled or sparse band: nothing to update
      if (is_small) out.growth = std::max(out.growth, std::fabs(f));
      double* cj = &W[static_cast<std::size_t>((k + j) % m) * static_cast<std::size_t>(m)];
      const double* src = ck + j;
      const int len = lim - j + 1;
      for (int r = 0; r < len; ++r) cj[r] -= f * src[r];
    }
    if (k + m < n) band_load(band, m, n, k + m, E, W.data());
  }
  return out;
}

double band_count_one(const PreparedBand& P, double E, std::vector<double>& W) {
  const BandCount fwd = band_count_pass(P, P.band, E, W);
  if (fwd.growth == 0.0) return fwd.count;
  const BandCount bwd = band_count_pass(P, P.reversed.data(), E, W);
  return bwd.growth < fwd.growth ? bwd.count : fwd.count;
}

void band_counts(const PreparedBand& P, const double* E, std::size_t m, double* out,
                 const Execution& exec) {
  const double work = static_cast<double>(P.n) * (P.kd + 1) * (P.kd + 1);
  const std::size_t per = std::max<std::size_t>(1, static_cast<std::size_t>(2e5 / std::max(work, 1.0)));
  parallel_for(
      m,
      [&](std::size_t i) {
        thread_local std::vector<double> W;
        out[i] = band_count_one(P, E[i], W);
      },
      Execution{exec.threads, std::max(exec.min_items_per_thread, per)});
}

// ---- multisection --------------------------------------------------------------------------
//
// Finds eigenvalues k in `ks` with an invariant per target: count(lo) <= k < count(hi). Each
// round places p points inside every distinct active interval and counts them all in one
// batch; p is chosen so that a round is one batch of `width` shifts (the number evaluated in
// the time of one). Stops when hi - lo <= 2 tol (midpoint within tol) or the interval has no
// interior floating-point number.
template <class Batch>
Eigen::VectorXd multisect(Batch&& batch, std::int64_t n, std::pair<double, double> bounds,
                          const std::vector<std::int64_t>& ks, double tol, std::size_t width) {
  const std::size_t nt = ks.size();
  for (std::size_t t = 0; t < nt; ++t)
    if (ks[t] < 0 || ks[t] >= n)
      fail("k", std::to_string(ks[t]), "an eigenvalue index in [0, " + std::to_string(n - 1) + "]");
  validate::positive("tol", tol);
  std::vector<double> lo(nt, bounds.first), hi(nt, bounds.second);
  auto done = [&](std::size_t t) {
    const double mid = 0.5 * (lo[t] + hi[t]);
    return hi[t] - lo[t] <= 2.0 * tol || !(mid > lo[t] && mid < hi[t]);
  };
  std::vector<double> pts, cnt;
  for (int round = 0; round < 4000; ++round) {
    // Distinct active intervals (targets with the same interval share their points).
    std::vector<std::pair<double, double>> groups;
    for (std::size_t t = 0; t < nt; ++t) {
      if (done(t)) continue;
      const std::pair<double, double> g{lo[t], hi[t]};
      if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
    }
    if (groups.empty()) {
      Eigen::VectorXd out(static_cast<Eigen::Index>(nt));
      for (std::size_t t = 0; t < nt; ++t) out[static_cast<Eigen::Index>(t)] = 0.5 * (lo[t] + hi[t]);
      return out;
    }
    const std::size_t p = std::max<std::size_t>(1, width / groups.size());
    pts.clear();
    for (const auto& g : groups)
      for (std::size_t j = 1; j <= p; ++j)
        pts.push_back(g.first + (g.second - g.first) * static_cast<double>(j) / static_cast<double>(p + 1));
    cnt.assign(pts.size(), 0.0);
    batch(pts.data(), pts.size(), cnt.data());
    for (std::size_t t = 0; t < nt; ++t) {
      if (done(t)) continue;
      const auto it = std::find(groups.begin(), groups.end(), std::pair<double, double>{lo[t], hi[t]});
      const std::size_t base = static_cast<std::size_t>(it - groups.begin()) * p;
      const double k = static_cast<double>(ks[t]);
      for (std::size_t j = 0; j < p; ++j) {
        const double x = pts[base + j];
        if (cnt[base + j] <= k) {
          lo[t] = std::max(lo[t], x);
        } else {
          hi[t] = std::min(hi[t], x);
          break;
        }
      }
    }
  }
  throw ConvergenceError("spectrum: eigenvalue search did not converge in 4000 rounds", {});
}

template <class Counter>
Gap gap_from(const Counter& eigs, std::int64_t n_occupied) {
  const Eigen::VectorXd v = eigs(std::vector<std::int64_t>{n_occupied - 1, n_occupied});
  Gap g;
  g.homo = v[0];
  g.lumo = v[1];
  g.gap = v[1] - v[0];
  g.n_occupied = n_occupied;
  return g;
}

void check_filling(std::int64_t n_occupied, std::int64_t n) {
  if (n_occupied < 1 || n_occupied > n - 1)
    fail("n_occupied", std::to_string(n_occupied),
         "in [1, n - 1] = [1, " + std::to_string(n - 1) + "] (one state below and one above the gap)");
}

void check_mu_count(double mu, std::int64_t c, std::int64_t n, std::pair<double, double> b) {
  if (c < 1 || c > n - 1)
    fail("mu", format_value(mu),
         "inside the spectrum (at least one eigenvalue below and one above; the spectrum lies in [" +
             format_value(b.first) + ", " + format_value(b.second) + "] eV, " + std::to_string(c) +
             " of " + std::to_string(n) + " eigenvalues are below mu)");
}

void check_energies(const char* name, const Eigen::Ref<const Eigen::ArrayXd>& e) {
  validate::all_finite(name, e);
}

}  // namespace

// ---- checks and bounds ---------------------------------------------------------------------

void check(const Tridiagonal& H) {
  validate::non_empty("diag", H.diag.size());
  if (H.off.size() != H.diag.size() - 1)
    fail("off", "an array of length " + std::to_string(H.off.size()),
         "of length n - 1 = " + std::to_string(H.diag.size() - 1));
  validate::all_finite("diag", H.diag);
  validate::all_finite("off", H.off);
}

void check(const SymmetricBand& H) {
  if (H.band.rows() < 1 || H.band.cols() < 1)
    fail("band", "an array of shape (" + std::to_string(H.band.rows()) + ", " + std::to_string(H.band.cols()) + ")",
         "of shape (kd + 1, n) with kd >= 0 and n >= 1");
  for (std::int64_t j = 0; j < H.n(); ++j)
    for (int r = 0; r <= H.kd() && j + r < H.n(); ++r)
      if (!std::isfinite(H.band(r, j)))
        fail("band[" + std::to_string(r) + ", " + std::to_string(j) + "]", format_value(H.band(r, j)), "finite");
}

std::pair<double, double> gershgorin(const Tridiagonal& H) {
  const std::int64_t n = H.n();
  double lo = std::numeric_limits<double>::infinity(), hi = -lo, scale = 0.0;
  for (std::int64_t i = 0; i < n; ++i) {
    double r = 0.0;
    if (i > 0) r += std::fabs(H.off[i - 1]);
    if (i + 1 < n) r += std::fabs(H.off[i]);
    lo = std::min(lo, H.diag[i] - r);
    hi = std::max(hi, H.diag[i] + r);
    scale = std::max(scale, std::fabs(H.diag[i]) + r);
  }
  // Widen by rounding-error terms so that count(lo) = 0 and count(hi) = n hold in floating point.
  const double pad = 4.0 * std::numeric_limits<double>::epsilon() * scale * static_cast<double>(n) +
                     std::numeric_limits<double>::min();
  return {lo - pad, hi + pad};
}

std::pair<double, double> gershgorin(const SymmetricBand& H) {
  const std::int64_t n = H.n();
  const int kd = H.kd();
  Eigen::VectorXd radius = Eigen::VectorXd::Zero(n);
  for (std::int64_t j = 0; j < n; ++j)
    for (int r = 1; r <= kd && j + r < n; ++r) {
      const double a = std::fabs(H.band(r, j));
      radius[j] += a;
      radius[j + r] += a;
    }
  double lo = std::numeric_limits<double>::infinity(), hi = -lo, scale = 0.0;
  for (std::int64_t j = 0; j < n; ++j) {
    lo = std::min(lo, H.band(0, j) - radius[j]);
    hi = std::max(hi, H.band(0, j) + radius[j]);
    scale = std::max(scale, std::fabs(H.band(0, j)) + radius[j]);
  }
  const double pad = 4.0 * std::numeric_limits<double>::epsilon() * scale * static_cast<double>(n) *
                         static_cast<double>(kd + 1) +
                     std::numeric_limits<double>::min();
  return {lo - pad, hi + pad};
}

// ---- counts --------------------------------------------------------------------------------

std::int64_t count_below(const Tridiagonal& H, double E) {
  check(H);
  validate::finite("E", E);
  const PreparedTri P(H);
  double c = 0.0;
  sturm_lanes<1>(P, &E, &c);
  return static_cast<std::int64_t>(c);
}

std::int64_t count_below(const SymmetricBand& H, double E) {
  check(H);
  validate::finite("E", E);
  const PreparedBand P(H);
  std::vector<double> W;
  return static_cast<std::int64_t>(band_count_one(P, E, W));
}

Eigen::ArrayXd count_below(const Tridiagonal& H, const Eigen::Ref<const Eigen::ArrayXd>& energies,
                           const Execution& exec) {
  check(H);
  check_energies("energies", energies);
  const PreparedTri P(H);
  Eigen::ArrayXd e = energies, out(energies.size());
  tri_counts(P, e.data(), static_cast<std::size_t>(e.size()), out.data(), exec);
  return out;
}

Eigen::ArrayXd count_below(const SymmetricBand& H, const Eigen::Ref<const Eigen::ArrayXd>& energies,
                           const Execution& exec) {
  check(H);
  check_energies("energies", energies);
  const PreparedBand P(H);
  Eigen::ArrayXd e = energies, out(energies.size());
  band_counts(P, e.data(), static_cast<std::size_t>(e.size()), out.data(), exec);
  return out;
}

namespace {
void check_edges(const Eigen::Ref<const Eigen::ArrayXd>& edges) {
  if (edges.size() < 2) fail("edges", "an array of length " + std::to_string(edges.size()), "of length >= 2");
  check_energies("edges", edges);
  for (Eigen::Index i = 1; i < edges.size(); ++i)
    if (!(edges[i] > edges[i - 1]))
      fail("edges[" + std::to_string(i) + "]", format_value(edges[i]),
           "strictly increasing (> edges[" + std::to_string(i - 1) + "] = " + format_value(edges[i - 1]) + ")");
}
Eigen::ArrayXd diff(const Eigen::ArrayXd& c) {
  return c.tail(c.size() - 1) - c.head(c.size() - 1);
}
}  // namespace

Eigen::ArrayXd histogram(const Tridiagonal& H, const Eigen::Ref<const Eigen::ArrayXd>& edges,
                         const Execution& exec) {
  check_edges(edges);
  return diff(count_below(H, edges, exec));
}

Eigen::ArrayXd histogram(const SymmetricBand& H, const Eigen::Ref<const Eigen::ArrayXd>& edges,
                         const Execution& exec) {
  check_edges(edges);
  return diff(count_below(H, edges, exec));
}

// ---- eigenvalues and gaps ------------------------------------------------------------------

Eigen::VectorXd eigenvalues(const Tridiagonal& H, const std::vector<std::int64_t>& ks, double tol_eV,
                            const Execution& exec) {
  check(H);
  const PreparedTri P(H);
  const std::size_t width = static_cast<std::size_t>(kTriLanes) * static_cast<std::size_t>(exec.resolved_threads());
  return multisect([&](const double* E, std::size_t m, double* out) { tri_counts(P, E, m, out, exec); },
                   H.n(), gershgorin(H), ks, tol_eV, width);
}

Eigen::VectorXd eigenvalues(const SymmetricBand& H, const std::vector<std::int64_t>& ks, double tol_eV,
                            const Execution& exec) {
  check(H);
  const PreparedBand P(H);
  const std::size_t width = static_cast<std::size_t>(exec.resolved_threads());
  return multisect([&](const double* E, std::size_t m, double* out) { band_counts(P, E, m, out, exec); },
                   H.n(), gershgorin(H), ks, tol_eV, width);
}

double eigenvalue(const Tridiagonal& H, std::int64_t k, double tol_eV, const Execution& exec) {
  return eigenvalues(H, std::vector<std::int64_t>{k}, tol_eV, exec)[0];
}

double eigenvalue(const SymmetricBand& H, std::int64_t k, double tol_eV, const Execution& exec) {
  return eigenvalues(H, std::vector<std::int64_t>{k}, tol_eV, exec)[0];
}

Gap gap_at_filling(const Tridiagonal& H, std::int64_t n_occupied, double tol_eV, const Execution& exec) {
  check(H);
  check_filling(n_occupied, H.n());
  return gap_from([&](const std::vector<std::int64_t>& ks) { return eigenvalues(H, ks, tol_eV, exec); },
                  n_occupied);
}

Gap gap_at_filling(const SymmetricBand& H, std::int64_t n_occupied, double tol_eV, const Execution& exec) {
  check(H);
  check_filling(n_occupied, H.n());
  return gap_from([&](const std::vector<std::int64_t>& ks) { return eigenvalues(H, ks, tol_eV, exec); },
                  n_occupied);
}

Gap gap_at_mu(const Tridiagonal& H, double mu, double tol_eV, const Execution& exec) {
  check(H);
  validate::finite("mu", mu);
  const std::int64_t c = count_below(H, mu);
  check_mu_count(mu, c, H.n(), gershgorin(H));
  return gap_at_filling(H, c, tol_eV, exec);
}

Gap gap_at_mu(const SymmetricBand& H, double mu, double tol_eV, const Execution& exec) {
  check(H);
  validate::finite("mu", mu);
  const std::int64_t c = count_below(H, mu);
  check_mu_count(mu, c, H.n(), gershgorin(H));
  return gap_at_filling(H, c, tol_eV, exec);
}

// ---- from a lattice ------------------------------------------------------------------------

namespace {

// Validates an open real lattice and returns the largest |i - j| over its bonds.
int open_real_width(const lattice::Lattice& lat) {
  int w = 0;
  const auto& hs = lat.hoppings();
  for (std::size_t h = 0; h < hs.size(); ++h) {
    const auto& hp = hs[h];
    const std::string name = "hoppings[" + std::to_string(h) + "]";
    if (!hp.R.isZero())
      fail(name + ".R", "a non-zero cell offset",
           "zero for an open cluster (a periodic lattice has Bloch bands: use solve_bands)");
    if (hp.t.imag() != 0.0)
      fail(name + ".t", "a complex amplitude with imaginary part " + format_value(hp.t.imag()),
           "real (the real symmetric solvers take real hoppings)");
    w = std::max(w, std::abs(hp.i - hp.j));
  }
  return w;
}

}  // namespace

Tridiagonal tridiagonal_from_lattice(const lattice::Lattice& lat) {
  const int w = open_real_width(lat);
  if (w > 1)
    fail("lattice", "a cluster with a bond between orbitals " + std::to_string(w) + " apart",
         "tridiagonal (bonds only between orbitals i and i + 1); use band_from_lattice");
  const int n = lat.n_orbitals();
  Tridiagonal T;
  T.diag = lat.onsite();
  T.off = Eigen::VectorXd::Zero(std::max(0, n - 1));
  for (const auto& hp : lat.hoppings()) T.off[std::min(hp.i, hp.j)] += hp.t.real();
  return T;
}

SymmetricBand band_from_lattice(const lattice::Lattice& lat, int kd) {
  const int w = open_real_width(lat);
  const int n = lat.n_orbitals();
  if (kd == -1) kd = w;
  if (kd < w || kd > std::max(0, n - 1))
    fail("kd", std::to_string(kd),
         "-1 (automatic) or in [" + std::to_string(w) + ", " + std::to_string(std::max(0, n - 1)) +
             "] (the largest |i - j| of a bond is " + std::to_string(w) + ")");
  SymmetricBand B;
  B.band = Eigen::MatrixXd::Zero(kd + 1, n);
  B.band.row(0) = lat.onsite().transpose();
  for (const auto& hp : lat.hoppings()) {
    const int lo = std::min(hp.i, hp.j), hi = std::max(hp.i, hp.j);
    B.band(hi - lo, lo) += hp.t.real();
  }
  return B;
}

}  // namespace quasiion::spectrum
