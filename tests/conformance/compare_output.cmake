# Runs PROGRAM (with the arguments ARG1 and ARG2, if given) and fails unless
# its stdout equals the file EXPECTED exactly.
execute_process(COMMAND "${PROGRAM}" ${ARG1} ${ARG2} OUTPUT_VARIABLE actual ERROR_VARIABLE errors RESULT_VARIABLE status)
file(READ "${EXPECTED}" expected)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} ${ARG1} ${ARG2} exited with ${status}\nstderr:\n${errors}\nstdout:\n${actual}")
endif()
if(NOT actual STREQUAL expected)
  message(FATAL_ERROR "output differs from ${EXPECTED}\n--- expected\n${expected}--- actual\n${actual}--- stderr\n${errors}")
endif()
