// A minimal test harness: CHECK / CHECK_CLOSE / CHECK_THROWS record failures, and
// QI_TEST_MAIN runs every registered case and returns non-zero if any failed.
#pragma once

#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace qitest {

struct Case {
  const char* name;
  std::function<void()> fn;
};

inline std::vector<Case>& registry() {
  static std::vector<Case> cases;
  return cases;
}
inline int& failures() {
  static int n = 0;
  return n;
}
struct Register {
  Register(const char* name, std::function<void()> fn) { registry().push_back({name, std::move(fn)}); }
};

inline void report(const char* file, int line, const std::string& msg) {
  std::fprintf(stderr, "%s:%d: FAILED: %s\n", file, line, msg.c_str());
  ++failures();
}

inline std::string fmt(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

inline int run_all() {
  int ran = 0;
  for (auto& c : registry()) {
    const int before = failures();
    try {
      c.fn();
    } catch (const std::exception& e) {
      report(c.name, 0, std::string("unexpected exception: ") + e.what());
    }
    std::printf("%s %s\n", failures() == before ? "ok  " : "FAIL", c.name);
    ++ran;
  }
  std::printf("%d cases, %d failures\n", ran, failures());
  return failures() == 0 ? 0 : 1;
}

}  // namespace qitest

#define QI_CONCAT2(a, b) a##b
#define QI_CONCAT(a, b) QI_CONCAT2(a, b)
#define TEST_CASE(name)                                                        \
  static void QI_CONCAT(qi_case_, __LINE__)();                                 \
  static qitest::Register QI_CONCAT(qi_reg_, __LINE__)(name, QI_CONCAT(qi_case_, __LINE__)); \
  static void QI_CONCAT(qi_case_, __LINE__)()

#define CHECK(cond) \
  do { if (!(cond)) qitest::report(__FILE__, __LINE__, #cond); } while (0)

#define CHECK_CLOSE(a, b, rtol, atol)                                                   \
  do {                                                                                  \
    const double qa_ = (a), qb_ = (b);                                                  \
    if (!(std::fabs(qa_ - qb_) <= (atol) + (rtol) * std::fabs(qb_)))                    \
      qitest::report(__FILE__, __LINE__, std::string(#a " = ") + qitest::fmt(qa_) +  \
                                             " vs " #b " = " + qitest::fmt(qb_));    \
  } while (0)

#define CHECK_THROWS(expr, Type)                                                 \
  do {                                                                           \
    bool qi_thrown_ = false;                                                     \
    try { (void)(expr); } catch (const Type&) { qi_thrown_ = true; }             \
    if (!qi_thrown_) qitest::report(__FILE__, __LINE__, #expr " did not throw " #Type); \
  } while (0)

#define QI_TEST_MAIN \
  int main() { return qitest::run_all(); }
