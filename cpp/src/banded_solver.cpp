#include "quasiion/banded_solver.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "quasiion/errors.hpp"
#include "quasiion/lapack.hpp"
#include "quasiion/spectrum.hpp"
#include "quasiion/validate.hpp"

namespace quasiion::banded {

namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();

// Adjacency of the pattern in compressed rows (no self loops, duplicates kept: harmless).
struct Graph {
  std::vector<int> start, next;
  int degree(int v) const { return start[v + 1] - start[v]; }
};

Graph graph_of(const SymmetricSparse& A, int n) {
  Graph g;
  g.start.assign(static_cast<std::size_t>(n) + 1, 0);
  for (const auto& ij : A.index)
    if (ij[0] != ij[1]) {
      ++g.start[ij[0] + 1];
      ++g.start[ij[1] + 1];
    }
  for (int v = 0; v < n; ++v) g.start[v + 1] += g.start[v];
  g.next.resize(static_cast<std::size_t>(g.start[n]));
  std::vector<int> fill(g.start.begin(), g.start.end() - 1);
  for (const auto& ij : A.index)
    if (ij[0] != ij[1]) {
      g.next[fill[ij[0]]++] = ij[1];
      g.next[fill[ij[1]]++] = ij[0];
    }
  return g;
}

// Breadth-first search from `root` over the vertices whose mark differs from `stamp`; returns
// the visit order (neighbours in increasing degree, ties by index: the Cuthill-McKee order),
// the number of levels and the last level.
std::vector<int> bfs(const Graph& g, int root, std::vector<int>& mark, int stamp, int* levels,
                     std::vector<int>* last_level) {
  std::vector<int> order{root};
  mark[root] = stamp;
  std::size_t level_begin = 0;
  int depth = 0;
  std::vector<int> nb;
  while (level_begin < order.size()) {
    const std::size_t level_end = order.size();
    ++depth;
    for (std::size_t q = level_begin; q < level_end; ++q) {
      const int v = order[q];
      nb.clear();
      for (int e = g.start[v]; e < g.start[v + 1]; ++e)
        if (mark[g.next[e]] != stamp) {
          mark[g.next[e]] = stamp;
          nb.push_back(g.next[e]);
        }
      std::sort(nb.begin(), nb.end(), [&](int a, int b) {
        return g.degree(a) != g.degree(b) ? g.degree(a) < g.degree(b) : a < b;
      });
      order.insert(order.end(), nb.begin(), nb.end());
    }
    if (order.size() == level_end && last_level)
      last_level->assign(order.begin() + static_cast<std::ptrdiff_t>(level_begin), order.end());
    level_begin = level_end;
  }
  if (levels) *levels = depth;
  return order;
}

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

void check_indices(const SymmetricSparse& A) {
  const auto n = A.diagonal.size();
  for (const auto& ij : A.index)
    for (int v : ij)
      if (v < 0 || v >= n)
        validate::fail("index", std::to_string(v), "an orbital index in [0, " + std::to_string(n) + ")");
}

void check(const SymmetricSparse& A) {
  validate::all_finite("diagonal", A.diagonal);
  validate::same_size("index", static_cast<Eigen::Index>(A.index.size()), "value",
                      static_cast<Eigen::Index>(A.value.size()));
  for (double v : A.value)
    if (!std::isfinite(v)) validate::fail("value", validate::format_value(v), "finite");
}

void lapack_error(const char* who, int info) {
  throw Error(std::string("banded eigenpairs: ") + who + " argument " + std::to_string(-info) +
              " had an illegal value (a bug in quasiion, please report)");
}

// LU with partial pivoting of A - sigma_l I for B shifts sigma_l at once (lanes), a band matrix
// with kl = ku = kd in LAPACK's general band layout per lane: A_l(r, c) at
// a[((c * ld) + 2 kd + r - c) * B + l], ld = 3 kd + 1 (the top kd rows take the fill-in of the
// pivoting). The algorithm of LAPACK's dgbtf2/dgbtrs, fused into plain loops with kd a
// compile-time constant for kd <= 4 (KD = 0: kd at run time). Why not dgbtrf/dgbtrs: for such
// narrow bands they spend their time in one BLAS call per column (measured ~0.25 ms per
// eigenvector at n = 2000 through scipy's LAPACK). Why lanes: one factorisation is a chain of
// dependent operations (pivot, divide, update the next column), latency-bound at ~15 ns per
// column; B independent shifts interleaved fill the pipeline and the update vectorises over
// the lanes. Row swaps and updates always span the 2 kd columns right of the pivot (zeros
// where the band ends early) so every loop has a fixed length. An exactly zero pivot is
// replaced by `tiny` (sigma is an eigenvalue to machine precision), which inverse iteration
// wants rather than a failure.
template <int KD, int B>
class BandLU {
 public:
  BandLU(int n, int kd) : n_(n), kd_(KD > 0 ? KD : kd) {
    const std::size_t ld = 3 * static_cast<std::size_t>(kd_) + 1;
    a_.assign(ld * (static_cast<std::size_t>(n) + 2 * kd_) * B, 0.0);  // + padding columns
    piv_.resize(static_cast<std::size_t>(n) * B);
    rpiv_.resize(static_cast<std::size_t>(n) * B);
  }

  // band: A in the general band layout (ld x n, one lane); sigma: B shifts.
  void factor(const double* band, const double* sigma, double tiny) {
    const int kd = KD > 0 ? KD : kd_, ld = 3 * kd + 1, kv = 2 * kd;
    const std::size_t cells = static_cast<std::size_t>(ld) * n_;
    for (std::size_t e = 0; e < cells; ++e)
      for (int l = 0; l < B; ++l) a_[e * B + l] = band[e];
    std::fill(a_.begin() + static_cast<std::ptrdiff_t>(cells * B), a_.end(), 0.0);
    for (int c = 0; c < n_; ++c)
      for (int l = 0; l < B; ++l) a_[(static_cast<std::size_t>(c) * ld + kv) * B + l] -= sigma[l];
    for (int j = 0; j < n_; ++j) {
      const int km = std::min(kd, n_ - 1 - j);
      double* col = &a_[(static_cast<std::size_t>(j) * ld + kv) * B];  // col[i B + l] = A_l(j + i, j)
      for (int l = 0; l < B; ++l) {
        int jp = 0;
        for (int i = 1; i <= km; ++i)
          jp = std::fabs(col[i * B + l]) > std::fabs(col[jp * B + l]) ? i : jp;
        piv_[static_cast<std::size_t>(j) * B + l] = j + jp;
        if (col[jp * B + l] == 0.0) col[jp * B + l] = tiny;
        // Column j + q holds A_l(j + i, j + q) at col[(q (ld - 1) + i) B + l]. Unconditional
        // swap (jp = 0 swaps in place): no branch.
        for (int q = 0; q <= kv; ++q) {
          double& top = col[(q * (ld - 1)) * B + l];
          double& other = col[(q * (ld - 1) + jp) * B + l];
          const double t = top;
          top = other;
          other = t;
        }
        rpiv_[static_cast<std::size_t>(j) * B + l] = 1.0 / col[l];
      }
      if (km == 0) continue;
      const double* inv = &rpiv_[static_cast<std::size_t>(j) * B];
      for (int i = 1; i <= kd; ++i)  // rows beyond km are zero
        for (int l = 0; l < B; ++l) col[i * B + l] *= inv[l];
      for (int q = 1; q <= kv; ++q) {
        double* cq = col + static_cast<std::ptrdiff_t>(q * (ld - 1)) * B;
        for (int i = 1; i <= kd; ++i)
          for (int l = 0; l < B; ++l) cq[i * B + l] -= col[i * B + l] * cq[l];
      }
    }
  }

  // b[r B + l] <- (A - sigma_l I)^{-1} b for every lane l.
  void solve(double* b) const {
    const int kd = KD > 0 ? KD : kd_, ld = 3 * kd + 1, kv = 2 * kd;
    for (int j = 0; j + 1 < n_; ++j) {
      const int km = std::min(kd, n_ - 1 - j);
      for (int l = 0; l < B; ++l) {
        const int p = piv_[static_cast<std::size_t>(j) * B + l];
        const double t = b[static_cast<std::size_t>(p) * B + l];
        b[static_cast<std::size_t>(p) * B + l] = b[static_cast<std::size_t>(j) * B + l];
        b[static_cast<std::size_t>(j) * B + l] = t;
      }
      const double* col = &a_[(static_cast<std::size_t>(j) * ld + kv) * B];
      const double* bj = b + static_cast<std::size_t>(j) * B;
      for (int i = 1; i <= km; ++i)
        for (int l = 0; l < B; ++l) b[(static_cast<std::size_t>(j) + i) * B + l] -= col[i * B + l] * bj[l];
    }
    for (int j = n_ - 1; j >= 0; --j) {
      const double* col = &a_[(static_cast<std::size_t>(j) * ld + kv) * B];  // col[-i B + l] = U_l(j - i, j)
      double* bj = b + static_cast<std::size_t>(j) * B;
      for (int l = 0; l < B; ++l) bj[l] *= rpiv_[static_cast<std::size_t>(j) * B + l];
      const int lm = std::min(kv, j);
      for (int i = 1; i <= lm; ++i)
        for (int l = 0; l < B; ++l) bj[-i * B + l] -= col[-i * B + l] * bj[l];
    }
  }

 private:
  int n_, kd_;
  std::vector<double> a_;
  std::vector<int> piv_;
  std::vector<double> rpiv_;
};

// Inverse iteration for the eigenvalues j0 <= j < j1 (whole clusters), kLanes at a time; each
// vector into Z.col(j). sigma: the shifts (close eigenvalues of one cluster kept apart);
// cluster[j]: the first index of j's cluster. Returns the first j that did not converge, or -1.
constexpr int kLanes = 4;

template <int KD>
int inverse_iteration(const Eigen::MatrixXd& G0, int kd, const std::vector<double>& sigma,
                      const std::vector<int>& cluster, int j0, int j1, double scale,
                      Eigen::MatrixXd& Z) {
  constexpr int B = kLanes;
  const int n = static_cast<int>(sigma.size());
  // Converged when the residual 1/||y|| of the unit start vector is below this (LAPACK
  // dstein's growth test); one extra iteration then refines the direction.
  const double tol = 10.0 * n * std::sqrt(static_cast<double>(n)) * kEps * scale;
  BandLU<KD, B> lu(n, kd);
  std::vector<double> X(static_cast<std::size_t>(n) * B), Y(X.size());
  Eigen::MatrixXd x(n, B);  // the current iterates, one column per lane
  Eigen::VectorXd y(n);
  for (int j = j0; j < j1; j += B) {
    const int lanes = std::min(B, j1 - j);
    double shift[B];
    for (int l = 0; l < B; ++l) shift[l] = sigma[static_cast<std::size_t>(j + std::min(l, lanes - 1))];
    lu.factor(G0.data(), shift, kEps * scale);
    for (int l = 0; l < B; ++l) {  // pseudo-random starts in (-1, 1), fixed by the index alone
      std::uint64_t h = splitmix64(static_cast<std::uint64_t>(j + std::min(l, lanes - 1)));
      for (int i = 0; i < n; ++i) {
        h = h * 6364136223846793005ULL + 1442695040888963407ULL;
        x(i, l) = static_cast<double>(h >> 11) * 0x1.0p-52 - 1.0;
      }
      x.col(l).normalize();
    }
    int good[B] = {};
    for (int it = 0; it < 10; ++it) {
      for (int i = 0; i < n; ++i)
        for (int l = 0; l < B; ++l) Y[static_cast<std::size_t>(i) * B + l] = x(i, l);
      lu.solve(Y.data());
      bool all = true;
      for (int l = 0; l < lanes; ++l) {
        for (int i = 0; i < n; ++i) y[i] = Y[static_cast<std::size_t>(i) * B + l];
        const double growth = y.norm();
        if (!(growth > 0.0) || !std::isfinite(growth)) return j + l;
        // Against the finished members of its cluster, then the earlier lanes of the same one.
        const int jl = j + l;
        for (int k = cluster[static_cast<std::size_t>(jl)]; k < std::min(j, jl); ++k)
          y -= Z.col(k).dot(y) * Z.col(k);
        for (int m = 0; m < l; ++m)
          if (cluster[static_cast<std::size_t>(j + m)] == cluster[static_cast<std::size_t>(jl)])
            y -= x.col(m).dot(y) * x.col(m);
        x.col(l) = y / y.norm();
        if (1.0 / growth <= tol) ++good[l];
        all = all && good[l] >= 2;
      }
      if (all) break;
    }
    for (int l = 0; l < lanes; ++l) {
      if (good[l] < 2) return j + l;
      Z.col(j + l) = x.col(l);
    }
  }
  return -1;
}

}  // namespace

Ordering narrow_band_ordering(const SymmetricSparse& A) {
  check_indices(A);
  const int n = static_cast<int>(A.diagonal.size());
  const Graph g = graph_of(A, n);
  Ordering out;
  out.perm.reserve(static_cast<std::size_t>(n));
  std::vector<int> done(static_cast<std::size_t>(n), -1), scratch(static_cast<std::size_t>(n), -1);
  int stamp = 0;
  for (int seed = 0; seed < n; ++seed) {
    if (done[seed] >= 0) continue;
    // Pseudo-peripheral start: repeat BFS from a least-degree vertex of the last level while
    // the eccentricity grows (Gibbs-Poole-Stockmeyer's first step).
    int root = seed, depth = 0;
    for (int round = 0; round < 8; ++round) {
      std::vector<int> last;
      int levels = 0;
      bfs(g, root, scratch, ++stamp, &levels, &last);
      if (round > 0 && levels <= depth) break;
      depth = levels;
      root = *std::min_element(last.begin(), last.end(), [&](int a, int b) {
        return g.degree(a) != g.degree(b) ? g.degree(a) < g.degree(b) : a < b;
      });
    }
    const std::vector<int> comp = bfs(g, root, done, 1, nullptr, nullptr);
    out.perm.insert(out.perm.end(), comp.begin(), comp.end());
  }
  std::reverse(out.perm.begin(), out.perm.end());
  std::vector<int> pos(static_cast<std::size_t>(n));
  for (int p = 0; p < n; ++p) pos[out.perm[p]] = p;
  for (const auto& ij : A.index) out.kd = std::max(out.kd, std::abs(pos[ij[0]] - pos[ij[1]]));
  return out;
}

Outcome eigenpairs(const SymmetricSparse& A, Eigen::VectorXd& E, Eigen::MatrixXd& U,
                   const Options& opt, const Execution& exec) {
  check(A);
  Outcome out;
  int n = static_cast<int>(A.diagonal.size());  // non-const: LAPACK takes pointers
  if (n == 0) {
    E.resize(0);
    U.resize(0, 0);
    out.done = true;
    return out;
  }
  const Ordering ord = narrow_band_ordering(A);
  const int kd = out.kd = ord.kd;
  if (kd > opt.max_kd || (!opt.force && 8.0 * (kd + 1.0) * (kd + 1.0) > n)) {
    out.reason = "half-bandwidth " + std::to_string(kd) + " for " + std::to_string(n) +
                 " orbitals: the dense route is as fast (band route: kd <= " +
                 std::to_string(opt.max_kd) + " and 8 (kd + 1)^2 <= n)";
    return out;
  }
  // Without LAPACK the eigenvalues come from Sturm/inertia multisection (spectrum.hpp): correct
  // but ~50 inertia counts per eigenvalue, so only for small matrices.
  const bool have_lapack = lapack::band_available();
  if (kd > 0 && !have_lapack && n > opt.max_n_without_lapack) {
    out.reason = "no LAPACK band routines registered (and " + std::to_string(n) +
                 " orbitals is too many for multisection eigenvalues)";
    return out;
  }
  std::vector<int> pos(static_cast<std::size_t>(n));
  for (int p = 0; p < n; ++p) pos[ord.perm[p]] = p;

  // Upper band storage of the reordered matrix: AB(kd + r - c, c) = A(r, c), r <= c.
  const int ldab = kd + 1;
  Eigen::MatrixXd AB = Eigen::MatrixXd::Zero(ldab, n);
  for (int c = 0; c < n; ++c) AB(kd, c) = A.diagonal[ord.perm[c]];
  for (std::size_t p = 0; p < A.index.size(); ++p) {
    int r = pos[A.index[p][0]], c = pos[A.index[p][1]];
    if (r == c) {
      AB(kd, c) += 2.0 * A.value[p];  // a bond of an orbital to its own image
      continue;
    }
    if (r > c) std::swap(r, c);
    AB(kd + r - c, c) += A.value[p];
  }

  // Eigenvectors in the reordered basis, rows mapped back at the end.
  Eigen::MatrixXd Z;
  if (kd == 0) {
    std::vector<int> idx(static_cast<std::size_t>(n));
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) { return AB(0, a) < AB(0, b); });
    E.resize(n);
    Z = Eigen::MatrixXd::Zero(n, n);
    for (int j = 0; j < n; ++j) {
      E[j] = AB(0, idx[j]);
      Z(idx[j], j) = 1.0;
    }
  } else {
    const auto& L = lapack::band_functions();
    // Eigenvalues: band -> tridiagonal without Q (kd > 1), then the root-free QR of dsterf.
    Eigen::VectorXd lam(n), off(std::max(n - 1, 1));
    int info = 0;
    if (!have_lapack) {
      spectrum::SymmetricBand band;  // lower storage: band(r, c) = A(c + r, c)
      band.band = Eigen::MatrixXd::Zero(kd + 1, n);
      for (int c = 0; c < n; ++c)
        for (int r = 0; r <= kd && c + r < n; ++r) band.band(r, c) = AB(kd - r, c + r);
      const auto [lo, hi] = spectrum::gershgorin(band);
      std::vector<std::int64_t> ks(static_cast<std::size_t>(n));
      std::iota(ks.begin(), ks.end(), std::int64_t{0});
      const double tol = 4.0 * kEps * std::max({std::fabs(lo), std::fabs(hi), 1e-300});
      lam = spectrum::eigenvalues(band, ks, tol, exec);
    } else if (kd == 1) {
      lam = AB.row(1).transpose();
      for (int c = 0; c + 1 < n; ++c) off[c] = AB(0, c + 1);
    } else {
      Eigen::MatrixXd W = AB;
      std::vector<double> work(static_cast<std::size_t>(n));
      char vect = 'N', uplo = 'U';
      int kdv = kd, ld = ldab, ldq = 1;
      double q = 0.0;
      L.dsbtrd(&vect, &uplo, &n, &kdv, W.data(), &ld, lam.data(), off.data(), &q, &ldq, work.data(),
               &info);
      if (info < 0) lapack_error("dsbtrd", info);
    }
    if (have_lapack) {
      L.dsterf(&n, lam.data(), off.data(), &info);
      if (info < 0) lapack_error("dsterf", info);
      if (info > 0) {
        out.reason = "dsterf did not converge";
        return out;
      }
    }
    const double scale = std::max(std::fabs(lam[0]), std::fabs(lam[n - 1]));
    E = lam;
    Z.resize(n, n);
    if (scale == 0.0) {
      Z.setIdentity();
    } else {
      // Clusters of close eigenvalues: the members are orthogonalised against each other.
      std::vector<int> first{0};
      for (int j = 1; j < n; ++j)
        if (lam[j] - lam[j - 1] > opt.cluster_gap * scale) first.push_back(j);
      first.push_back(n);
      double work = 0.0;
      for (std::size_t c = 0; c + 1 < first.size(); ++c) {
        const int size = first[c + 1] - first[c];
        out.largest_cluster = std::max(out.largest_cluster, size);
        work += static_cast<double>(size) * size;
      }
      if (!opt.force && work > opt.max_cluster_work * static_cast<double>(n) * n) {
        out.reason = "a cluster of " + std::to_string(out.largest_cluster) +
                     " eigenvalues within " + validate::format_value(opt.cluster_gap * scale) +
                     " eV of each other: the dense route is as fast";
        return out;
      }
      // General band layout of A for BandLU: G(2 kd + r - c, c) = A(r, c), |r - c| <= kd.
      const int ldg = 3 * kd + 1;
      Eigen::MatrixXd G0 = Eigen::MatrixXd::Zero(ldg, n);
      for (int c = 0; c < n; ++c)
        for (int r = std::max(0, c - kd); r <= std::min(n - 1, c + kd); ++r)
          G0(2 * kd + r - c, c) = r <= c ? AB(kd + r - c, c) : AB(kd + c - r, r);
      // Shifts: equal eigenvalues of a cluster get distinct ones (as in dstein).
      const double pertol = 10.0 * kEps * scale;
      std::vector<int> cluster(static_cast<std::size_t>(n));
      std::vector<double> sigma(static_cast<std::size_t>(n));
      for (std::size_t c = 0; c + 1 < first.size(); ++c)
        for (int j = first[c]; j < first[c + 1]; ++j) {
          cluster[static_cast<std::size_t>(j)] = first[c];
          sigma[static_cast<std::size_t>(j)] =
              j > first[c] ? std::max(lam[j], sigma[static_cast<std::size_t>(j) - 1] + pertol) : lam[j];
        }
      // Work items: runs of whole clusters of about 64 eigenvalues (fixed by the spectrum alone,
      // so the result does not depend on the thread count).
      std::vector<int> chunk{0};
      for (std::size_t c = 1; c < first.size(); ++c)
        if (first[c] - chunk.back() >= 64 || first[c] == n) chunk.push_back(first[c]);
      std::atomic<int> failed{-1};
      parallel_for(
          chunk.size() - 1,
          [&](std::size_t cc) {
            const int j0 = chunk[cc], j1 = chunk[cc + 1];
            int bad = -1;
            switch (kd) {
              case 1: bad = inverse_iteration<1>(G0, kd, sigma, cluster, j0, j1, scale, Z); break;
              case 2: bad = inverse_iteration<2>(G0, kd, sigma, cluster, j0, j1, scale, Z); break;
              case 3: bad = inverse_iteration<3>(G0, kd, sigma, cluster, j0, j1, scale, Z); break;
              case 4: bad = inverse_iteration<4>(G0, kd, sigma, cluster, j0, j1, scale, Z); break;
              default: bad = inverse_iteration<0>(G0, kd, sigma, cluster, j0, j1, scale, Z);
            }
            if (bad >= 0) failed.store(bad);
          },
          exec);
      if (failed.load() >= 0) {
        out.reason = "inverse iteration did not converge for eigenvalue " +
                     std::to_string(failed.load());
        return out;
      }
    }
  }
  // Back to the original orbital order.
  U.resize(n, n);
  for (int j = 0; j < n; ++j)
    for (int p = 0; p < n; ++p) U(ord.perm[p], j) = Z(p, j);
  out.done = true;
  return out;
}

}  // namespace quasiion::banded
