# Warns, at configure time, when C++ coroutine code will be compiled by a
# g++ older than 13: g++ 12 destroys a by-value lambda temporary twice when
# it is an argument of a call inside a co_await expression, e.g.
#   co_await detio::start_server([tag](auto r, auto w) -> Task<void> {...}, host, 0);
# which corrupts the heap far from the cause (clang is fine). Included by
# detio's own CMakeLists.txt (so add_subdirectory users see it) and by the
# installed detioConfig.cmake (so find_package users see it). Runs once per
# configure; also usable as `cmake -DCMAKE_CXX_COMPILER_ID=GNU
# -DCMAKE_CXX_COMPILER_VERSION=12.2 -P DetioCompilerCheck.cmake`.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  get_property(detio_gcc_warned GLOBAL PROPERTY DETIO_GCC_COROUTINE_WARNED)
  if(NOT detio_gcc_warned)
    set_property(GLOBAL PROPERTY DETIO_GCC_COROUTINE_WARNED TRUE)
    message(WARNING
      "detio: g++ ${CMAKE_CXX_COMPILER_VERSION} miscompiles coroutines: a by-value lambda temporary that is an "
      "argument of a call inside a co_await expression is destroyed twice (heap corruption far from the cause; "
      "fixed in g++ 13). Build with clang++ (-DCMAKE_CXX_COMPILER=clang++, Debian 12: clang 14), or never write "
      "a capturing lambda, or a braced temporary, inside co_await: name it first. See detio's README, "
      "'g++ 12 and coroutines'.")
  endif()
endif()
