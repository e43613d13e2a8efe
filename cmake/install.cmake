# SPDX-License-Identifier: Apache-2.0
# What `cmake --install` puts under the prefix (docs/packaging.md): the
# libraries with an exported CMake package (find_package(femto-containers)),
# a pkg-config file, the public headers (include/fc, with the generated
# version.h); femto, femtod and the SDK install themselves in their folders.
include(CMakePackageConfigHelpers)

set(FC_EXPORTED_LIBS fc_core fc_core_compact fc_runtime fc_port_null fc_port_posix)
foreach(t ${FC_EXPORTED_LIBS})
  if(TARGET ${t})
    list(APPEND FC_INSTALLED_LIBS ${t})
  endif()
endforeach()
install(TARGETS ${FC_INSTALLED_LIBS} EXPORT femto-containers-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/include/fc DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT dev FILES_MATCHING PATTERN "*.h")
install(FILES ${CMAKE_BINARY_DIR}/include/fc/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/fc COMPONENT dev)

set(FC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/femto-containers)
install(EXPORT femto-containers-targets NAMESPACE femto-containers::
        DESTINATION ${FC_CMAKE_DIR} COMPONENT dev)
set(FC_SDK_INSTALL_DIR ${CMAKE_INSTALL_DATADIR}/femto/sdk/include)
configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/femto-containers-config.cmake.in
  ${CMAKE_BINARY_DIR}/cmake/femto-containers-config.cmake INSTALL_DESTINATION ${FC_CMAKE_DIR}
  PATH_VARS FC_SDK_INSTALL_DIR)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/cmake/femto-containers-config-version.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/cmake/femto-containers-config.cmake
              ${CMAKE_BINARY_DIR}/cmake/femto-containers-config-version.cmake
        DESTINATION ${FC_CMAKE_DIR} COMPONENT dev)

# pkg-config: a relocatable prefix (pcfiledir), the same libraries.
file(RELATIVE_PATH FC_PC_PREFIX_REL ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" FC_PC_PREFIX_REL "${FC_PC_PREFIX_REL}")
configure_file(${CMAKE_SOURCE_DIR}/cmake/femto-containers.pc.in
               ${CMAKE_BINARY_DIR}/cmake/femto-containers.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/cmake/femto-containers.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)
