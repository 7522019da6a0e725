// What every plugin vtable of the C ABI (status rules, plan policies) needs
// on the library's side: the host's return code as a status code, and the
// promise to call the vtable's destroy exactly once, also when registering
// it fails.
#ifndef CARTEIRA_CAPI_SRC_PLUGIN_VTABLE_H_
#define CARTEIRA_CAPI_SRC_PLUGIN_VTABLE_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"

namespace carteira::capi {

// A callback's carteira_status as an absl code (UNKNOWN outside 1..16).
inline absl::StatusCode CallbackCode(int32_t rc) {
  return rc > 0 && rc <= 16 ? static_cast<absl::StatusCode>(rc) : absl::StatusCode::kUnknown;
}

// Calls `vtable->destroy(user_data)` when destroyed unless Adopted() was
// called: a registration that fails on any path releases the user data.
// The field is read only when the caller's struct_size holds it.
template <typename Vtable>
class DestroyUnlessAdopted {
 public:
  DestroyUnlessAdopted(const Vtable* vtable, void* user_data) : user_data_(user_data) {
    if (vtable != nullptr && vtable->struct_size >= offsetof(Vtable, destroy) + sizeof(vtable->destroy)) {
      destroy_ = vtable->destroy;
    }
  }
  ~DestroyUnlessAdopted() {
    if (destroy_ != nullptr) destroy_(user_data_);
  }
  DestroyUnlessAdopted(const DestroyUnlessAdopted&) = delete;
  DestroyUnlessAdopted& operator=(const DestroyUnlessAdopted&) = delete;
  void Adopted() { destroy_ = nullptr; }

 private:
  void (*destroy_)(void*) = nullptr;
  void* user_data_;
};

}  // namespace carteira::capi

#endif  // CARTEIRA_CAPI_SRC_PLUGIN_VTABLE_H_
