// The prediction kernels for CPUs with AVX2 and FMA (4 doubles a step,
// libmvec's _ZGVdN4v_exp / _ZGVdN4v_log).
#define CARTEIRA_KERNEL(name) name##Avx2
#include "src/models/prediction_kernels.inc"
