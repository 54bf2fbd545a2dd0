# Read by ctest (TEST_INCLUDE_FILES) before the tests are declared. Under
# NFGUARD_VALGRIND every run of the binary in an e2e script goes through
# valgrind, many times slower, and a test's TIMEOUT property overrides
# ctest --timeout: this raises the e2e timeouts to 1800 s for such a run only.
if(NOT "$ENV{NFGUARD_VALGRIND}" STREQUAL "")
  function(set_tests_properties name)
    _set_tests_properties(${ARGV})
    if(name MATCHES "^e2e/[0-9]")
      _set_tests_properties(${name} PROPERTIES TIMEOUT 1800)
    endif()
  endfunction()
endif()
