#include <cmath>

#include "check.hpp"
#include "quasiion/errors.hpp"
#include "quasiion/fermi.hpp"
#include "quasiion/constants.hpp"
#include "quasiion/transport.hpp"

using namespace quasiion;

namespace {
double brute(const Eigen::ArrayXd& e, const Eigen::ArrayXd& w, double mu, double kT) {
  double s = 0;
  for (Eigen::Index i = 0; i < e.size(); ++i) s += w[i] * fermi::minus_derivative(e[i], mu, kT);
  return s;
}
}  // namespace

TEST_CASE("window sum equals the brute-force sum inside and far outside the band") {
  const int n = 2001;
  Eigen::ArrayXd e(n), w(n);
  for (int i = 0; i < n; ++i) {
    const double k = -M_PI + 2 * M_PI * i / n;
    e[i] = -0.3 + 0.1 * std::cos(k);  // unsorted on purpose
    w[i] = std::sin(k) * std::sin(k);
  }
  transport::FermiWindowSum s(e, w);
  for (double mu : {-0.5, -0.35, -0.3, -0.21, 0.0, 0.4})
    for (double kT : {0.005, 0.026, 0.1})
      CHECK_CLOSE(s(mu, kT), brute(e, w, mu, kT), 1e-12, 1e-300);
}

TEST_CASE("deep in a gap the sum stays relative-accurate where naive terms underflow") {
  Eigen::ArrayXd e(2), w(2);
  e << 0.0, 0.01;
  w << 1.0, 1.0;
  transport::FermiWindowSum s(e, w);
  const double kT = 0.001;
  // mu 0.5 eV below: x = 500 and 510; exact: e^-500 (1 + e^-10) / kT to leading order.
  const double v = s(-0.5, kT);
  const double expect = (std::exp(-500.0) + std::exp(-510.0)) / kT;
  CHECK_CLOSE(v, expect, 1e-12, 0);
}

TEST_CASE("grid matches pointwise evaluation, any thread count") {
  Eigen::ArrayXd e = Eigen::ArrayXd::LinSpaced(500, -1.0, 1.0), w = e.square();
  transport::FermiWindowSum s(e, w);
  Eigen::ArrayXd mu = Eigen::ArrayXd::LinSpaced(17, -1.2, 1.2), T(3);
  T << 100.0, 300.0, 1000.0;
  Execution one{1}, two{2};
  const Eigen::ArrayXXd g1 = s.grid(mu, T, one), g2 = s.grid(mu, T, two);
  CHECK((g1 == g2).all());
  CHECK_CLOSE(g1(3, 1), s(mu[3], constants::kT_eV(300.0)), 1e-13, 0);
}

TEST_CASE("tabulated evaluation (grid, pairs) equals the brute-force sum, in and far out of band") {
  const int n = 3000;
  Eigen::ArrayXd e(n), w(n);
  for (int i = 0; i < n; ++i) {
    const double k = -M_PI + 2 * M_PI * (i + 0.5) / n;
    e[i] = (i % 2 ? -0.5 : 0.2) + 0.15 * std::cos(k);  // two bands with a gap
    w[i] = 1.0 + std::sin(k) * std::sin(k);
  }
  transport::FermiWindowSum s(e, w);
  // Window reaches: in band, in the gap, and (at 20 K, 1 eV out) beyond the table's 600 kT.
  Eigen::ArrayXd mu(7), T(3);
  mu << -0.8, -0.5, -0.36, -0.15, 0.1, 0.35, 1.3;
  T << 20.0, 301.7, 1500.0;
  const Eigen::ArrayXXd g = s.grid(mu, T);
  for (int i = 0; i < mu.size(); ++i)
    for (int j = 0; j < T.size(); ++j) {
      const double kT = constants::kT_eV(T[j]);
      CHECK_CLOSE(g(i, j), brute(e, w, mu[i], kT), 1e-12, 1e-300);
    }
  // pairs: mixed temperatures, some repeated (tabulated) and some single (direct).
  Eigen::ArrayXd pm(9), pT(9);
  pm << -0.8, -0.5, -0.36, -0.15, 0.1, 0.35, 1.3, -0.2, 0.0;
  pT << 301.7, 301.7, 301.7, 301.7, 301.7, 20.0, 301.7, 800.0, 20.0;
  const Eigen::ArrayXd p = s.pairs(pm, pT);
  for (int i = 0; i < pm.size(); ++i)
    CHECK_CLOSE(p[i], brute(e, w, pm[i], constants::kT_eV(pT[i])), 1e-12, 1e-300);
  CHECK_THROWS(s.pairs(pm, pT.head(3)), InvalidArgument);
}

TEST_CASE("bad input is rejected") {
  Eigen::ArrayXd e(2), w(3), empty(0);
  e << 0.0, 1.0;
  w << 1.0, 1.0, 1.0;
  CHECK_THROWS(transport::FermiWindowSum(e, w), InvalidArgument);
  CHECK_THROWS(transport::FermiWindowSum(empty, empty), InvalidArgument);
  e[1] = NAN;
  CHECK_THROWS(transport::FermiWindowSum(e, w.head(2)), InvalidArgument);
  Eigen::ArrayXd ok(1);
  ok << 0.0;
  transport::FermiWindowSum s(ok, ok);
  CHECK_THROWS(s(0.0, 0.0), InvalidArgument);
  CHECK_THROWS(s(NAN, 0.1), InvalidArgument);
}

QI_TEST_MAIN
