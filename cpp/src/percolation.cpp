#include "quasiion/percolation.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "quasiion/errors.hpp"
#include "quasiion/validate.hpp"

namespace quasiion::percolation {

namespace {

double rho(const Cluster& c) { return std::exp(-c.Es_over_kT); }

// Element H(2i + a, 2j + b) for sites i < j within reach.
double coupling(const Cluster& c, int a, int b) {
  if (a == 0) return b == 0 ? c.P_AA : c.P_AB;
  return b == 0 ? c.P_BA : c.P_BB;
}

}  // namespace

void check(const Cluster& c) {
  if (c.n_sites < 1) validate::fail("n_sites", std::to_string(c.n_sites), ">= 1");
  validate::finite("U_A", c.U_A);
  validate::finite("U_B", c.U_B);
  validate::finite("P_AA", c.P_AA);
  validate::finite("P_AB", c.P_AB);
  validate::finite("P_BA", c.P_BA);
  validate::finite("P_BB", c.P_BB);
  validate::non_negative("Es_over_kT", c.Es_over_kT);
}

Truncation truncation(const Cluster& c, double tol, int max_reach) {
  check(c);
  validate::non_negative("tol", tol);
  const double row = std::max(std::fabs(c.P_AA) + std::fabs(c.P_AB) + std::fabs(c.P_AA) + std::fabs(c.P_BA),
                              std::fabs(c.P_BA) + std::fabs(c.P_BB) + std::fabs(c.P_AB) + std::fabs(c.P_BB));
  const double r = rho(c);
  const int full = c.n_sites - 1;
  const int cap = max_reach < 0 ? full : std::min(max_reach, full);
  // tail(L) = row * sum_{m=L+1}^{full} r^(m-1), summed from the far end (no cancellation).
  std::vector<double> tail(static_cast<std::size_t>(full) + 1, 0.0);
  for (int L = full - 1; L >= 0; --L)
    tail[static_cast<std::size_t>(L)] = tail[static_cast<std::size_t>(L) + 1] + row * std::pow(r, L);
  Truncation t;
  t.reach = cap;
  for (int L = 0; L <= cap; ++L)
    if (tail[static_cast<std::size_t>(L)] <= tol) {
      t.reach = L;
      break;
    }
  t.bound = tail[static_cast<std::size_t>(t.reach)];
  t.kd = t.reach == 0 ? 0 : 2 * t.reach + 1;
  return t;
}

namespace {

void check_reach(const Cluster& c, int reach) {
  check(c);
  if (reach < 0 || reach > c.n_sites - 1)
    validate::fail("reach", std::to_string(reach), "in [0, n_sites - 1 = " + std::to_string(c.n_sites - 1) + "]");
}

template <class Set>
void fill(const Cluster& c, int reach, const Set& set) {
  const int n = c.n_sites;
  const double r = rho(c);
  for (int i = 0; i < n; ++i) {
    set(2 * i, 2 * i, c.U_A);
    set(2 * i + 1, 2 * i + 1, c.U_B);
    double f = 1.0;  // rho^(m-1)
    for (int m = 1; m <= reach && i + m < n; ++m, f *= r) {
      const int j = i + m;
      for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 2; ++b) set(2 * j + b, 2 * i + a, coupling(c, a, b) * f);  // lower
    }
  }
}

}  // namespace

Eigen::MatrixXd band(const Cluster& c, int reach) {
  check_reach(c, reach);
  const int kd = reach == 0 ? 0 : 2 * reach + 1;
  const Eigen::Index N = 2 * static_cast<Eigen::Index>(c.n_sites);
  Eigen::MatrixXd B = Eigen::MatrixXd::Zero(kd + 1, N);
  fill(c, reach, [&](int row, int col, double v) { B(row - col, col) = v; });
  return B;
}

Eigen::MatrixXd dense(const Cluster& c, int reach) {
  check_reach(c, reach);
  const Eigen::Index N = 2 * static_cast<Eigen::Index>(c.n_sites);
  Eigen::MatrixXd H = Eigen::MatrixXd::Zero(N, N);
  fill(c, reach, [&](int row, int col, double v) {
    H(row, col) = v;
    H(col, row) = v;
  });
  return H;
}

lattice::Lattice to_lattice(const Cluster& c, int reach, double spacing) {
  check_reach(c, reach);
  validate::positive("spacing", spacing);
  const int N = 2 * c.n_sites;
  Eigen::VectorXd onsite(N);
  Eigen::MatrixXd pos(N, 1);
  std::vector<lattice::Hopping> hops;
  fill(c, reach, [&](int row, int col, double v) {
    if (row == col) {
      onsite[row] = v;
      pos(row, 0) = spacing * (row / 2);
    } else if (v != 0.0) {
      lattice::Hopping h;
      h.i = col;
      h.j = row;
      h.R = Eigen::VectorXi::Zero(1);
      h.t = v;
      hops.push_back(h);
    }
  });
  Eigen::MatrixXd vec(1, 1);
  vec(0, 0) = spacing * (c.n_sites + 1);
  return lattice::Lattice(vec, pos, onsite, hops);
}

}  // namespace quasiion::percolation
