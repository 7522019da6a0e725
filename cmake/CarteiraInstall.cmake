# Install rules and the CMake package: find_package(carteira CONFIG) gives
# carteira::core (C++ core, static), carteira::hygiene (data hygiene, static),
# carteira::store (the embedded SQLite store, static)
# and carteira::c (libcarteira.so).
include(CMakePackageConfigHelpers)

install(TARGETS carteira_core carteira_hygiene carteira_store carteira_c carteira_cli
  EXPORT carteiraTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/carteira ${PROJECT_SOURCE_DIR}/capi/include/carteira
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/sample
  DESTINATION ${CMAKE_INSTALL_DATADIR}/carteira)
install(EXPORT carteiraTargets
  NAMESPACE carteira::
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/carteira)
configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/carteiraConfig.cmake.in
  ${PROJECT_BINARY_DIR}/carteiraConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/carteira)
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/carteiraConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMajorVersion)
install(FILES
  ${PROJECT_SOURCE_DIR}/cmake/FindPhoneNumber.cmake
  ${PROJECT_BINARY_DIR}/carteiraConfig.cmake
  ${PROJECT_BINARY_DIR}/carteiraConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/carteira)
