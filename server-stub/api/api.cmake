# server-stub/api/api.cmake — build glue for the httpd API implementation in
# server-stub/api/*.c (owned by the stub-api engineer).
#
# include() it from any CMakeLists that compiles server-stub/api/*.c; it is
# idempotent. It provides:
#   MODCERT_STUB_API_SOURCES   every server-stub/api/*.c (CONFIGURE_DEPENDS)
#   modcert_stub_api_deps      INTERFACE target: httpd+APR headers, APR,
#                              APR-util and PCRE2 (ap_regex is PCRE2-based)
# Usage:  target_link_libraries(modcert-stub PRIVATE modcert_stub_api_deps)
#
# The API code calls these symbols that the host (stub-core) must define:
#   mc_stub_perturb()            server-stub/perturb.h
#   ap_server_root               http_main.h data symbol
#   ap_find_module_short_name()  http_config.h (module registry)
#   ap_mpm_query()               ap_mpm.h (log lines show tid only if threaded)
file(GLOB MODCERT_STUB_API_SOURCES CONFIGURE_DEPENDS
    ${CMAKE_CURRENT_LIST_DIR}/*.c)

if(NOT TARGET modcert_stub_api_deps)
    if(NOT TARGET PkgConfig::PCRE2)
        pkg_check_modules(PCRE2 QUIET IMPORTED_TARGET GLOBAL libpcre2-8)
        if(NOT PCRE2_FOUND)
            message(FATAL_ERROR "modcert: 'libpcre2-8' not found; install the "
                "Debian package 'libpcre2-dev' (or run scripts/install-deps.sh)")
        endif()
    endif()
    add_library(modcert_stub_api_deps INTERFACE)
    target_link_libraries(modcert_stub_api_deps INTERFACE
        modcert_httpd_headers PkgConfig::APR PkgConfig::APU PkgConfig::PCRE2)
endif()
