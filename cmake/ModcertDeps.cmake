# Locate every external dependency, failing with a message that names the
# missing Debian package (scripts/install-deps.sh installs them all).
find_package(PkgConfig REQUIRED)

function(modcert_require_pkg var module debpkg)
    pkg_check_modules(${var} QUIET IMPORTED_TARGET ${module})
    if(NOT ${var}_FOUND)
        message(FATAL_ERROR "modcert: '${module}' not found; install the Debian package "
            "'${debpkg}' (or run scripts/install-deps.sh)")
    endif()
endfunction()

modcert_require_pkg(APR apr-1 libapr1-dev)
modcert_require_pkg(APU apr-util-1 libaprutil1-dev)
modcert_require_pkg(JANSSON jansson libjansson-dev)
modcert_require_pkg(SODIUM libsodium libsodium-dev)
modcert_require_pkg(LIBELF libelf libelf-dev)
modcert_require_pkg(EXPAT expat libexpat1-dev)
modcert_require_pkg(CMOCKA cmocka libcmocka-dev)

# httpd headers: where apxs says they are.
find_program(APXS NAMES apxs apxs2 PATHS /usr/bin /usr/sbin)
if(NOT APXS)
    message(FATAL_ERROR "modcert: apxs not found; install the Debian package 'apache2-dev'")
endif()
execute_process(COMMAND ${APXS} -q INCLUDEDIR OUTPUT_VARIABLE HTTPD_INCLUDE_DIR
    OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND ${APXS} -q EXTRA_CPPFLAGS OUTPUT_VARIABLE HTTPD_EXTRA_CPPFLAGS
    OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT EXISTS "${HTTPD_INCLUDE_DIR}/httpd.h")
    message(FATAL_ERROR "modcert: httpd.h not found under '${HTTPD_INCLUDE_DIR}'; "
        "install the Debian package 'apache2-dev'")
endif()
separate_arguments(HTTPD_EXTRA_CPPFLAGS UNIX_COMMAND "${HTTPD_EXTRA_CPPFLAGS}")

# HTTP/1.1 parser (no pkg-config file in Debian).
find_path(HTTP_PARSER_INCLUDE_DIR http_parser.h)
find_library(HTTP_PARSER_LIBRARY http_parser)
if(NOT HTTP_PARSER_INCLUDE_DIR OR NOT HTTP_PARSER_LIBRARY)
    message(FATAL_ERROR "modcert: http_parser not found; install the Debian package 'libhttp-parser-dev'")
endif()
add_library(modcert_http_parser INTERFACE)
target_include_directories(modcert_http_parser INTERFACE ${HTTP_PARSER_INCLUDE_DIR})
target_link_libraries(modcert_http_parser INTERFACE ${HTTP_PARSER_LIBRARY})

# libclang 19 (analyzer front end only).
set(LLVM19_PREFIX /usr/lib/llvm-19 CACHE PATH "LLVM 19 prefix (libclang)")
find_path(LIBCLANG_INCLUDE_DIR clang-c/Index.h PATHS ${LLVM19_PREFIX}/include NO_DEFAULT_PATH)
find_library(LIBCLANG_LIBRARY NAMES clang-19 clang PATHS ${LLVM19_PREFIX}/lib NO_DEFAULT_PATH)
if(NOT LIBCLANG_INCLUDE_DIR OR NOT LIBCLANG_LIBRARY)
    message(FATAL_ERROR "modcert: libclang 19 not found under ${LLVM19_PREFIX}; "
        "install the Debian package 'libclang-19-dev'")
endif()
add_library(modcert_libclang INTERFACE)
target_include_directories(modcert_libclang SYSTEM INTERFACE ${LIBCLANG_INCLUDE_DIR})
target_link_libraries(modcert_libclang INTERFACE ${LIBCLANG_LIBRARY})

# httpd + APR headers as one interface target (the stub and modules use it).
add_library(modcert_httpd_headers INTERFACE)
target_include_directories(modcert_httpd_headers SYSTEM INTERFACE
    ${HTTPD_INCLUDE_DIR} ${APR_INCLUDE_DIRS} ${APU_INCLUDE_DIRS})
target_compile_options(modcert_httpd_headers INTERFACE ${HTTPD_EXTRA_CPPFLAGS})

# The real httpd, for conformance tests and benchmarks (optional at build time).
find_program(APACHE2_BIN apache2 PATHS /usr/sbin)
set(APACHE2_MODULES_DIR /usr/lib/apache2/modules CACHE PATH "Directory of httpd's module .so files")
find_program(CLANG19 NAMES clang-19 PATHS ${LLVM19_PREFIX}/bin)
