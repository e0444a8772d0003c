# ctest cmake.compiler_check: cmake/DetioCompilerCheck.cmake warns for g++
# older than 13 and only then, and the generated detioConfig.cmake (what
# find_package users load) includes it.
#   cmake -DDETIO_SOURCE_DIR=... -DDETIO_BINARY_DIR=... -P compiler_check_test.cmake
set(check "${DETIO_SOURCE_DIR}/cmake/DetioCompilerCheck.cmake")

function(expect_warning id version expected)
  execute_process(
    COMMAND "${CMAKE_COMMAND}" -DCMAKE_CXX_COMPILER_ID=${id} -DCMAKE_CXX_COMPILER_VERSION=${version} -P "${check}"
    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${id} ${version}: the check failed (${status}): ${err}")
  endif()
  string(FIND "${err}" "detio: g++ ${version} miscompiles coroutines" at)
  if(expected AND at EQUAL -1)
    message(FATAL_ERROR "${id} ${version}: no warning; stderr was: ${err}")
  elseif(NOT expected AND NOT at EQUAL -1)
    message(FATAL_ERROR "${id} ${version}: unexpected warning: ${err}")
  endif()
endfunction()

expect_warning(GNU 12.2.0 TRUE)
expect_warning(GNU 11.4.0 TRUE)
expect_warning(GNU 13.1.0 FALSE)
expect_warning(Clang 14.0.6 FALSE)

set(config "${DETIO_BINARY_DIR}/detioConfig.cmake")
if(EXISTS "${config}")
  file(READ "${config}" text)
  string(FIND "${text}" "DetioCompilerCheck.cmake" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${config} does not include DetioCompilerCheck.cmake")
  endif()
endif()
message(STATUS "compiler check: ok")
