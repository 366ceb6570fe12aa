# The Debian package. After building hearth and hearth-cli, `cpack -G DEB` in the build folder writes
# hearth_<version>_<arch>.deb: /usr/bin/hearth and hearth-cli, the .desktop entry and the SVG icon
# (install rules in app/CMakeLists.txt and app/cli/CMakeLists.txt). tests/app/test_deb_package.cpp builds
# it into a temporary folder, unpacks it and runs the installed programs.

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME hearth)
set(CPACK_PACKAGE_VENDOR Hearth)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION "Hearth is a desktop app for chatting with large language models locally, with an \
embedded inference engine that explains before loading what will run on this hardware, how well, and why. \
hearth-cli inspects, plans and runs models from a terminal.")
set(CPACK_PACKAGE_CONTACT "Hearth developers <hearth@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
# Built RelWithDebInfo, the binaries are mostly debug information: the package carries them stripped.
set(CPACK_STRIP_FILES ON)

# NOTE: CMake drops the build tree's RUNPATH when it installs (CMAKE_INSTALL_RPATH is empty), so the
# packaged binaries find their libraries in the standard places only; the package test checks it.
# NOTE: without this, cpack (and `ninja install`) would first build every target, the tests included; the
# package needs only hearth and hearth-cli.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)

# Dependencies: dpkg-shlibdeps reads the binaries' NEEDED entries (Qt 6, spdlog, fmt, PCRE2, libstdc++…) and
# names the packages that hold them on the building system. Plugins Qt opens at run time are not among
# them: the SQLite driver (conversations) and the SVG icon engine (the app icon) are declared by hand.
set(_hearth_runtime_plugins "libqt6sql6-sqlite, libqt6svg6")
find_program(HEARTH_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(HEARTH_DPKG_SHLIBDEPS)
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "${_hearth_runtime_plugins}")
else()
    # Debian bookworm names, with Ubuntu 24.04's (t64) as alternatives.
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6core6 (>= 6.4) | libqt6core6t64 (>= 6.4), \
libqt6gui6 (>= 6.4) | libqt6gui6t64 (>= 6.4), libqt6widgets6 (>= 6.4) | libqt6widgets6t64 (>= 6.4), \
libqt6sql6 (>= 6.4) | libqt6sql6t64 (>= 6.4), libqt6network6 (>= 6.4) | libqt6network6t64 (>= 6.4), \
libspdlog1.10 | libspdlog1.12 | libspdlog1.12-fmt9, libfmt9 | libfmt10, libpcre2-8-0, libstdc++6, libc6, \
${_hearth_runtime_plugins}")
endif()

include(CPack)
