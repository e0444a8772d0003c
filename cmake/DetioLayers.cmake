# detio is built from layers, each an OBJECT library over its own folders,
# which sees only the headers of the layers below it, so including a header
# from a layer above fails to compile (tests/layers also checks the rule):
#   detio_core    loop/src/{core,sync,streams}  loop/include
#   detio_real    loop/src/real (epoll, sockets, threads)  loop/include
#   detio_netsim  netsim/src (simulated network)  loop/ + netsim/include
#   detio_sim     sim/src (simulator runtime, traces, sweeps)  all three
# The one library users link, detio::detio, is the union of their objects.

# What every layer is compiled with (the build tree only).
add_library(detio_layer_flags INTERFACE)
target_compile_features(detio_layer_flags INTERFACE cxx_std_20)
target_link_libraries(detio_layer_flags INTERFACE detio_warnings fmt::fmt absl::any_invocable absl::cleanup)
# clang 14 with libstdc++ 12 and -std=c++20 compiles <coroutine> as is: no
# -fcoroutines-ts needed. Unlike g++, clang before 19 leaves C++14 sized
# deallocation (::operator delete(void*, std::size_t)) off unless asked.
target_compile_options(detio_layer_flags INTERFACE
  $<$<CXX_COMPILER_ID:Clang>:-fsized-deallocation>
  $<$<CXX_COMPILER_ID:GNU>:-foptimize-sibling-calls>)

# detio_add_layer(<name> FOLDERS <dir>... HEADERS <area>...)
function(detio_add_layer name)
  cmake_parse_arguments(PARSE_ARGV 1 layer "" "" "FOLDERS;HEADERS")
  set(globs "")
  foreach(folder IN LISTS layer_FOLDERS)
    list(APPEND globs "${PROJECT_SOURCE_DIR}/${folder}/*.cc")
  endforeach()
  # One .cc per concept; new files are picked up without editing this list.
  file(GLOB sources CONFIGURE_DEPENDS ${globs})
  add_library(${name} OBJECT ${sources})
  foreach(area IN LISTS layer_HEADERS)
    target_include_directories(${name} PRIVATE "${PROJECT_SOURCE_DIR}/${area}/include")
  endforeach()
  target_link_libraries(${name} PRIVATE detio_layer_flags)
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()

detio_add_layer(detio_core FOLDERS loop/src/core loop/src/sync loop/src/streams HEADERS loop)
detio_add_layer(detio_real FOLDERS loop/src/real HEADERS loop)
detio_add_layer(detio_netsim FOLDERS netsim/src HEADERS loop netsim)
detio_add_layer(detio_sim FOLDERS sim/src HEADERS loop netsim sim)
set(detio_layers detio_core detio_real detio_netsim detio_sim)
