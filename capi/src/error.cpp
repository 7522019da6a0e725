// The one definition of the thread-local last error (unlike LightGBM, whose
// header-static buffer gives every translation unit its own copy).
#include <string>

#include "capi/src/api_guard.h"

namespace carteira::capi {

struct LastError {
  carteira_status code = CARTEIRA_OK;
  std::string message;
};

LastError& LastErrorForThread() {
  thread_local LastError error;
  return error;
}

carteira_status SetLastError(carteira_status code, std::string message) {
  LastError& e = LastErrorForThread();
  e.code = code;
  e.message = std::move(message);
  return code;
}

carteira_status SetLastError(const absl::Status& status) {
  if (status.ok()) {
    ClearLastError();
    return CARTEIRA_OK;
  }
  return SetLastError(static_cast<carteira_status>(status.code()), std::string(status.message()));
}

void ClearLastError() {
  LastError& e = LastErrorForThread();
  e.code = CARTEIRA_OK;
  e.message.clear();
}

}  // namespace carteira::capi

extern "C" {

const char* carteira_last_error_message(void) {
  // Never throws: the string exists from the thread's first call on.
  return carteira::capi::LastErrorForThread().message.c_str();
}

carteira_status carteira_last_error_code(void) { return carteira::capi::LastErrorForThread().code; }

}  // extern "C"
