// The exception firewall and the thread-local last error shared by every
// exported function. Nothing thrown inside reaches the caller: it becomes a
// status plus a message (LightGBM's API_BEGIN/API_END, done once, here).
#ifndef CARTEIRA_CAPI_SRC_API_GUARD_H_
#define CARTEIRA_CAPI_SRC_API_GUARD_H_

#include <exception>
#include <new>
#include <string>

#include "absl/status/status.h"
#include "carteira/carteira.h"

namespace carteira::capi {

// Records `status` as this thread's last error (or clears it when OK) and
// returns its code.
carteira_status SetLastError(const absl::Status& status);
carteira_status SetLastError(carteira_status code, std::string message);
void ClearLastError();

}  // namespace carteira::capi

#define CARTEIRA_API_BEGIN() \
  ::carteira::capi::ClearLastError(); \
  try {
#define CARTEIRA_API_END()                                                               \
  }                                                                                      \
  catch (const std::bad_alloc&) {                                                        \
    return ::carteira::capi::SetLastError(CARTEIRA_RESOURCE_EXHAUSTED, "out of memory"); \
  }                                                                                      \
  catch (const std::exception& e) {                                                      \
    return ::carteira::capi::SetLastError(CARTEIRA_INTERNAL, e.what());                  \
  }                                                                                      \
  catch (...) {                                                                          \
    return ::carteira::capi::SetLastError(CARTEIRA_UNKNOWN, "unknown exception");        \
  }                                                                                      \
  /* A callback may have failed a nested call and recovered: success */                 \
  /* leaves no stale message. */                                                         \
  ::carteira::capi::ClearLastError();                                                    \
  return CARTEIRA_OK;

// Fails the call with INVALID_ARGUMENT when a required pointer is NULL.
#define CARTEIRA_CHECK_ARG(ptr)                                                     \
  do {                                                                              \
    if ((ptr) == nullptr) {                                                         \
      return ::carteira::capi::SetLastError(CARTEIRA_INVALID_ARGUMENT,              \
                                            std::string(__func__) + ": " #ptr " is NULL"); \
    }                                                                               \
  } while (0)

// Returns from the function with the status if it is not OK.
#define CARTEIRA_RETURN_IF_ERROR(expr)                           \
  do {                                                           \
    const ::absl::Status _carteira_status = (expr);              \
    if (!_carteira_status.ok()) {                                \
      return ::carteira::capi::SetLastError(_carteira_status);   \
    }                                                            \
  } while (0)

#endif  // CARTEIRA_CAPI_SRC_API_GUARD_H_
