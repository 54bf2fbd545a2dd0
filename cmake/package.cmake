# The Debian package: "cpack -G DEB" in the build folder makes
# nfguard_VERSION_ARCH.deb from what cmake --install installs under /usr
# (binary, man page, rules, hooks, completions) plus the documents Debian
# asks for (packaging/deb/: copyright, changelog).
# Depends: is computed by dpkg-shlibdeps from the binary's libraries.
#
# lintian finds no error and no warning in it (e2e 1200 checks). Its
# informational tags (lintian -I) stay, as choices of the whole build
# rather than of the package: hardening-no-bindnow and
# hardening-no-fortify-functions (no -Wl,-z,now and no -D_FORTIFY_SOURCE
# in the project's flags yet), and binary-has-unneeded-section .comment
# (the compiler's ident string, which strip keeps).

# The package's changelog names the version it ships: it must be this one.
file(STRINGS ${CMAKE_CURRENT_SOURCE_DIR}/packaging/deb/changelog nfg_top
     LIMIT_COUNT 1)
if(NOT nfg_top MATCHES "^nfguard \\(${PROJECT_VERSION}\\) ")
  message(FATAL_ERROR "packaging/deb/changelog starts '${nfg_top}', not "
                      "version ${PROJECT_VERSION}: add its entry")
endif()

# Man pages and changelogs go compressed (gzip -9n: reproducible).
find_program(NFG_GZIP gzip REQUIRED)
set(nfg_gz ${CMAKE_CURRENT_BINARY_DIR}/packaging)
foreach(pair man/nfguard.1:nfguard.1.gz packaging/deb/changelog:changelog.gz)
  string(REPLACE ":" ";" pair ${pair})
  list(GET pair 0 in)
  list(GET pair 1 out)
  add_custom_command(
    OUTPUT ${nfg_gz}/${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${nfg_gz}
    COMMAND ${NFG_GZIP} -9n -c ${CMAKE_CURRENT_SOURCE_DIR}/${in}
            > ${nfg_gz}/${out}
    DEPENDS ${in}
    COMMENT "Compressing ${in}")
  list(APPEND nfg_gz_files ${nfg_gz}/${out})
endforeach()
add_custom_target(compressed_docs ALL DEPENDS ${nfg_gz_files})

install(FILES ${nfg_gz}/nfguard.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES README.md packaging/deb/copyright ${nfg_gz}/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# cpack (and make install) install what was built without building
# first: a package test run by ctest must not relink the binary that the
# other tests are running (configure reruns after each commit, see
# commit.cmake).
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(NFG_DEB_MAINTAINER "nfguard maintainers <maintainers@nfguard.invalid>"
    CACHE STRING "Maintainer field of the Debian package")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME nfguard)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${NFG_DEB_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "finds leaked Notiflows account tokens in files and git history")
# CPack puts the summary above this, as the synopsis line.
set(CPACK_PACKAGE_DESCRIPTION
    "nfguard scans files, folders, standard input and the whole history of git
repositories (every ref, every blob once, unreachable objects too) for
Notiflows account tokens (nf_at_...), also inside base64, UTF-16,
compressed streams and archives. It reports each token with its path,
line, column and, in history, the commit that introduced it, redacted
unless asked, as human text, JSON, JSONL or SARIF; verifies whether a
token is live and revokes it with consent; and installs git hooks that
stop a commit or a push holding one.")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libcurl and libarchive are loaded at run time (dlopen), so
# dpkg-shlibdeps cannot see them.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libcurl4 (>= 7.88.0), libarchive13 (>= 3.6.2)")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
    WORLD_READ WORLD_EXECUTE)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
