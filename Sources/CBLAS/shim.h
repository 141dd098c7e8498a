// The CBLAS interface of OpenBLAS (Debian: libopenblas-dev). On macOS the library uses
// Accelerate instead and this target is not built.
#include <cblas.h>
