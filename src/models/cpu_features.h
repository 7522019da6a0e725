// Which instruction set the vector kernels may use on this CPU, asked once.
#ifndef CARTEIRA_SRC_MODELS_CPU_FEATURES_H_
#define CARTEIRA_SRC_MODELS_CPU_FEATURES_H_

namespace carteira::models::internal {

inline bool HasAvx2() {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
#else
  return false;
#endif
}

}  // namespace carteira::models::internal

#endif  // CARTEIRA_SRC_MODELS_CPU_FEATURES_H_
