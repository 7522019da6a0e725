// The prediction kernels for any x86-64 CPU (SSE2, 2 doubles a step).
#define CARTEIRA_KERNEL(name) name##Baseline
#include "src/models/prediction_kernels.inc"
