# The shell completion scripts, written at build time by the binary just
# built (nfguard completion SHELL, from its own command and option tables)
# and installed where bash-completion, zsh and fish look under the prefix.
set(NFG_COMPLETIONS ${CMAKE_CURRENT_BINARY_DIR}/completions)
set(nfg_completion_files)
foreach(pair bash:nfguard zsh:_nfguard fish:nfguard.fish)
  string(REPLACE ":" ";" pair ${pair})
  list(GET pair 0 shell)
  list(GET pair 1 file)
  add_custom_command(
    OUTPUT ${NFG_COMPLETIONS}/${file}
    COMMAND ${CMAKE_COMMAND} -DBIN=$<TARGET_FILE:nfguard> -DSHELL=${shell}
            -DOUT=${NFG_COMPLETIONS}/${file}
            -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/completion-write.cmake
    DEPENDS nfguard ${CMAKE_CURRENT_SOURCE_DIR}/cmake/completion-write.cmake
    COMMENT "Writing the ${shell} completion")
  list(APPEND nfg_completion_files ${NFG_COMPLETIONS}/${file})
endforeach()
add_custom_target(completions ALL DEPENDS ${nfg_completion_files})
install(FILES ${NFG_COMPLETIONS}/nfguard
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${NFG_COMPLETIONS}/_nfguard
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${NFG_COMPLETIONS}/nfguard.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
