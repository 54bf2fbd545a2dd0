# The commit nfguard --version names: the source folder's HEAD when it is
# the top of a git checkout, else "unknown" (a release tarball unpacked
# inside some other repository must not take that one's HEAD). Configure
# runs again when HEAD moves, and only cli/version.c is rebuilt.
set(NFG_COMMIT unknown)
find_program(NFG_GIT git)
if(NFG_GIT)
  execute_process(
    COMMAND ${NFG_GIT} -c safe.directory=* rev-parse --show-toplevel HEAD
            --absolute-git-dir
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
    OUTPUT_VARIABLE nfg_rev OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE nfg_rc ERROR_QUIET)
  if(nfg_rc EQUAL 0)
    string(REPLACE "\n" ";" nfg_rev "${nfg_rev}")
    list(GET nfg_rev 0 nfg_top)
    list(GET nfg_rev 1 nfg_head)
    list(GET nfg_rev 2 nfg_gitdir)
    file(REAL_PATH "${nfg_top}" nfg_top)
    file(REAL_PATH "${CMAKE_CURRENT_SOURCE_DIR}" nfg_src)
    if(nfg_top STREQUAL nfg_src AND nfg_head MATCHES "^[0-9a-f]+$")
      set(NFG_COMMIT ${nfg_head})
      # HEAD's reflog changes with every commit, checkout and reset.
      if(EXISTS ${nfg_gitdir}/logs/HEAD)
        set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
                     ${nfg_gitdir}/logs/HEAD)
      endif()
    endif()
  endif()
endif()
set_property(SOURCE src/cli/version.c APPEND PROPERTY COMPILE_DEFINITIONS
             NFG_COMMIT="${NFG_COMMIT}")
