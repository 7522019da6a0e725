# Finds Google's libphonenumber (Debian: libphonenumber-dev), which ships no
# CMake package or pkg-config file. Defines PhoneNumber::PhoneNumber.
#
# Its public headers include protobuf's (the PhoneNumber message) and
# Abseil's, and its shared library was built against Debian's protobuf and
# ICU, so users link protobuf too; Abseil comes with carteira::core.
# Installed beside carteiraConfig.cmake so that a consumer of the static
# carteira::hygiene finds the library the same way.
include(FindPackageHandleStandardArgs)

find_path(PhoneNumber_INCLUDE_DIR NAMES phonenumbers/phonenumberutil.h)
find_library(PhoneNumber_LIBRARY NAMES phonenumber)
find_path(PhoneNumber_PROTOBUF_INCLUDE_DIR NAMES google/protobuf/message_lite.h)
find_library(PhoneNumber_PROTOBUF_LIBRARY NAMES protobuf)

find_package_handle_standard_args(PhoneNumber
  REQUIRED_VARS PhoneNumber_LIBRARY PhoneNumber_INCLUDE_DIR
                PhoneNumber_PROTOBUF_LIBRARY PhoneNumber_PROTOBUF_INCLUDE_DIR)

if(PhoneNumber_FOUND AND NOT TARGET PhoneNumber::PhoneNumber)
  add_library(PhoneNumber::PhoneNumber UNKNOWN IMPORTED)
  set_target_properties(PhoneNumber::PhoneNumber PROPERTIES
    IMPORTED_LOCATION "${PhoneNumber_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${PhoneNumber_INCLUDE_DIR};${PhoneNumber_PROTOBUF_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${PhoneNumber_PROTOBUF_LIBRARY}")
endif()
mark_as_advanced(PhoneNumber_INCLUDE_DIR PhoneNumber_LIBRARY
                 PhoneNumber_PROTOBUF_INCLUDE_DIR PhoneNumber_PROTOBUF_LIBRARY)
