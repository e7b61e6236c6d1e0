// LAPACK without linking it: the core holds function pointers to the Fortran-convention
// drivers it uses, filled in at run time by whoever has a LAPACK. The Python module takes
// them from scipy.linalg.cython_lapack.__pyx_capi__ (PyCapsules around scipy's own LAPACK)
// when quasiion is imported, so the wheel links no BLAS/LAPACK and uses the one scipy ships.
// A pure C++ build or an embedder may register its own LAPACK (LP64: 32-bit int) or none;
// without registration the dense solvers fall back to Eigen.
//
// Signatures are those of reference LAPACK with all arguments by pointer and no hidden
// string-length arguments (scipy's Cython wrappers add those themselves).
#pragma once

#include <complex>

namespace quasiion::lapack {

// zheevd: eigenvalues (and eigenvectors, divide and conquer) of a complex Hermitian matrix.
using zheevd_fn = void (*)(char* jobz, char* uplo, int* n, std::complex<double>* a, int* lda,
                           double* w, std::complex<double>* work, int* lwork, double* rwork,
                           int* lrwork, int* iwork, int* liwork, int* info);
// dsyevd: the same for a real symmetric matrix.
using dsyevd_fn = void (*)(char* jobz, char* uplo, int* n, double* a, int* lda, double* w,
                           double* work, int* lwork, int* iwork, int* liwork, int* info);

struct Functions {
  zheevd_fn zheevd = nullptr;
  dsyevd_fn dsyevd = nullptr;
  // Who provides them, for show_config (e.g. "scipy"); copied on registration.
  const char* provider = "";
  // Optional: sets the LAPACK/BLAS library's thread count and returns the previous one
  // (OpenBLAS's openblas_set_num_threads_local). Used by SingleThreadedScope.
  int (*set_num_threads)(int) = nullptr;
};

// Registers (both pointers non-null) or clears (both null) the functions. Not to be called
// while a solve is running on another thread.
void set_functions(const Functions& f);
// True once both pointers are registered.
bool available();
// The registered functions (null pointers if none).
const Functions& functions();
// Name of the provider ("" if none).
const char* provider();

// --- optional: the narrow-band route (banded_solver.hpp) ---------------------------------
// Band-to-tridiagonal reduction without Q (dsbtrd) and tridiagonal eigenvalues (dsterf).
// Registered separately from the dense drivers: a LAPACK without them keeps the dense route.
using dsbtrd_fn = void (*)(char* vect, char* uplo, int* n, int* kd, double* ab, int* ldab,
                           double* d, double* e, double* q, int* ldq, double* work, int* info);
using dsterf_fn = void (*)(int* n, double* d, double* e, int* info);

struct BandFunctions {
  dsbtrd_fn dsbtrd = nullptr;
  dsterf_fn dsterf = nullptr;
};

// Registers (all non-null) or clears (all null) the band routines; same rules as
// set_functions.
void set_band_functions(const BandFunctions& f);
// True once both are registered.
bool band_available();
const BandFunctions& band_functions();

// While alive, the registered library runs single-threaded (if it can be told so). Batches of
// many small solves spread over our own worker threads (Bloch bands over k, disorder
// realisations) open one around their parallel_for: a threaded BLAS called from several of
// our threads at once would otherwise start its own threads for every 16x16 matrix and
// oversubscribe the cores (measured: 10-20x slower on 2 cores). The setting is process-wide
// for that library (OpenBLAS has no per-thread count), restored on destruction.
class SingleThreadedScope {
 public:
  SingleThreadedScope();
  ~SingleThreadedScope();
  SingleThreadedScope(const SingleThreadedScope&) = delete;
  SingleThreadedScope& operator=(const SingleThreadedScope&) = delete;

 private:
  int previous_ = -1;
};

}  // namespace quasiion::lapack
