# Builds and runs tests/consumer against this detio build, as a CTest test.
#   MODE=find_package    install the detio build tree into WORK_DIR/prefix,
#                        then find_package(detio) with CMAKE_PREFIX_PATH
#   MODE=add_subdirectory  add_subdirectory(DETIO_SOURCE_DIR)
# The consumer is configured with the same generator, compiler, build type
# and flags as the detio build that runs the test.
foreach(var MODE DETIO_SOURCE_DIR DETIO_BINARY_DIR WORK_DIR GENERATOR CXX_COMPILER)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_consumer.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT BUILD_TYPE)
  set(BUILD_TYPE Release)
endif()

function(run)
  string(REPLACE ";" " " shown "${ARGN}")
  message(STATUS "+ ${shown}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "command failed (${status}): ${shown}")
  endif()
endfunction()

set(consumer_source "${DETIO_SOURCE_DIR}/tests/consumer")
set(build_dir "${WORK_DIR}/${MODE}")
set(configure_args
  -S "${consumer_source}" -B "${build_dir}"
  -G "${GENERATOR}"
  "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
  "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}"
  "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
  "-DCMAKE_EXE_LINKER_FLAGS=${EXE_LINKER_FLAGS}")
if(MAKE_PROGRAM)
  list(APPEND configure_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()

if(MODE STREQUAL "find_package")
  set(prefix "${WORK_DIR}/prefix")
  file(REMOVE_RECURSE "${prefix}")
  run("${CMAKE_COMMAND}" --install "${DETIO_BINARY_DIR}" --prefix "${prefix}" --config "${BUILD_TYPE}")
  foreach(required include/detio/detio.h include/detio/sim/run.h)
    if(NOT EXISTS "${prefix}/${required}")
      message(FATAL_ERROR "install did not produce ${prefix}/${required}")
    endif()
  endforeach()
  # A fresh configure, so a stale detio_DIR can never hide an install bug.
  file(REMOVE "${build_dir}/CMakeCache.txt")
  list(APPEND configure_args "-DCMAKE_PREFIX_PATH=${prefix}" "-DCMAKE_FIND_PACKAGE_PREFER_CONFIG=ON")
elseif(MODE STREQUAL "add_subdirectory")
  list(APPEND configure_args "-DDETIO_SOURCE_DIR=${DETIO_SOURCE_DIR}")
else()
  message(FATAL_ERROR "run_consumer.cmake: unknown MODE '${MODE}'")
endif()

run("${CMAKE_COMMAND}" ${configure_args})
if(MODE STREQUAL "find_package")
  file(STRINGS "${build_dir}/CMakeCache.txt" found_dir REGEX "^detio_DIR:")
  if(NOT found_dir MATCHES "${prefix}")
    message(FATAL_ERROR "find_package(detio) did not use the fresh install in ${prefix}: ${found_dir}")
  endif()
endif()
run("${CMAKE_COMMAND}" --build "${build_dir}" --config "${BUILD_TYPE}" --parallel 2)
run("${build_dir}/consumer")
