# Install rules and the CMake package: after `cmake --install`, consumers do
#   find_package(detio CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE detio::detio)
# Included at the end of the top-level CMakeLists.txt, once `detio` is final.
if(NOT DETIO_INSTALL)
  return()
endif()

set(DETIO_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/detio"
    CACHE STRING "Where detioConfig.cmake is installed, relative to the prefix")

install(TARGETS detio
  EXPORT detioTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

foreach(dir IN LISTS detio_include_dirs)
  # The trailing slash installs the contents: <prefix>/include/detio/...
  install(DIRECTORY "${dir}/" DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
    FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp" PATTERN "*.inc")
endforeach()

install(EXPORT detioTargets
  NAMESPACE detio::
  FILE detioTargets.cmake
  DESTINATION ${DETIO_INSTALL_CMAKEDIR})

# Every imported package that the exported target still refers to must be
# found again by consumers. A static library carries even its PRIVATE links
# (as $<LINK_ONLY:...>), so look at both lists and map target prefixes to
# packages. Add a row here when detio starts linking something new.
set(detio_dependency_map
  "Threads::=Threads"
  "absl::=absl"
  "fmt::=fmt")
get_target_property(detio_links detio LINK_LIBRARIES)
get_target_property(detio_interface_links detio INTERFACE_LINK_LIBRARIES)
set(detio_all_links "")
foreach(list_name IN ITEMS detio_links detio_interface_links)
  if(${list_name})
    list(APPEND detio_all_links ${${list_name}})
  endif()
endforeach()
set(DETIO_FIND_DEPENDENCIES "")
foreach(entry IN LISTS detio_dependency_map)
  string(REPLACE "=" ";" pair "${entry}")
  list(GET pair 0 prefix)
  list(GET pair 1 package)
  foreach(link IN LISTS detio_all_links)
    # $<BUILD_INTERFACE:...> parts never reach the installed package.
    if(link MATCHES "BUILD_INTERFACE")
      continue()
    endif()
    string(FIND "${link}" "${prefix}" at)
    if(NOT at EQUAL -1)
      if(package STREQUAL "Threads")
        string(APPEND DETIO_FIND_DEPENDENCIES "find_dependency(Threads)\n")
      else()
        string(APPEND DETIO_FIND_DEPENDENCIES "find_dependency(${package} CONFIG)\n")
      endif()
      break()
    endif()
  endforeach()
endforeach()

configure_package_config_file(
  "${CMAKE_CURRENT_LIST_DIR}/detioConfig.cmake.in"
  "${CMAKE_CURRENT_BINARY_DIR}/detioConfig.cmake"
  INSTALL_DESTINATION ${DETIO_INSTALL_CMAKEDIR})
write_basic_package_version_file(
  "${CMAKE_CURRENT_BINARY_DIR}/detioConfigVersion.cmake"
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES
  "${CMAKE_CURRENT_BINARY_DIR}/detioConfig.cmake"
  "${CMAKE_CURRENT_BINARY_DIR}/detioConfigVersion.cmake"
  "${CMAKE_CURRENT_LIST_DIR}/DetioCompilerCheck.cmake"
  DESTINATION ${DETIO_INSTALL_CMAKEDIR})
