// e^y for y <= 0 without a branch or a call, so that loops of it vectorise (two lanes with
// SSE2, four in an AVX2 clone), unlike std::exp. y = n ln2 + r (Cody-Waite, |r| <= ln2/2),
// e^r by its Taylor polynomial of degree `Degree`, 2^n written into the exponent bits.
// Truncation relative to e^y: degree 8 ~3e-10, degree 13 ~4e-18 (then a few ulp of rounding).
// Valid for y in [-708, 0]; callers clamp below (e^-708 ~ 3e-308).
#pragma once

#include <cstdint>
#include <cstring>

namespace quasiion::vexp {

namespace detail {
// 1/k! for k = 0..16, exact to the last bit as literals of the double nearest to each.
inline constexpr double kInvFactorial[17] = {
    1.0, 1.0, 1.0 / 2.0, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0, 1.0 / 720.0, 1.0 / 5040.0,
    1.0 / 40320.0, 1.0 / 362880.0, 1.0 / 3628800.0, 1.0 / 39916800.0, 1.0 / 479001600.0,
    1.0 / 6227020800.0, 1.0 / 87178291200.0, 1.0 / 1307674368000.0, 1.0 / 20922789888000.0};

template <int K, int Degree>
inline double taylor(double r) {  // sum_{k = K..Degree} r^(k - K) / k!
  if constexpr (K == Degree) return kInvFactorial[K];
  else return kInvFactorial[K] + r * taylor<K + 1, Degree>(r);
}
}  // namespace detail

template <int Degree>
inline double exp_nonpositive(double y) {
  static_assert(Degree >= 1 && Degree <= 16, "degree 1..16");
  constexpr double kLog2e = 1.4426950408889634, kShift = 6755399441055744.0;  // 1.5 * 2^52
  constexpr double kLn2Hi = 6.93147180369123816490e-01, kLn2Lo = 1.90821492927058770002e-10;
  const double kd = y * kLog2e + kShift;  // round to nearest: n sits in the low mantissa bits
  const double n = kd - kShift;
  const double r = (y - n * kLn2Hi) - n * kLn2Lo;
  const double p = detail::taylor<0, Degree>(r);  // Horner, no loop left for the vectoriser
  std::uint64_t bits;
  std::memcpy(&bits, &kd, sizeof bits);
  bits = (bits + 1023u) << 52;  // the 12 low bits of n + 1023: the biased exponent of 2^n
  double scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

}  // namespace quasiion::vexp
