# Writes OUT with "BIN completion SHELL" (run by cmake/completions.cmake);
# a failure of the binary fails the build and leaves no partial file.
get_filename_component(dir ${OUT} DIRECTORY)
file(MAKE_DIRECTORY ${dir})
execute_process(COMMAND ${BIN} completion ${SHELL}
                OUTPUT_FILE ${OUT}.tmp RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "${BIN} completion ${SHELL} failed: ${rc}")
endif()
file(RENAME ${OUT}.tmp ${OUT})
