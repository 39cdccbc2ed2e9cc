# modcert_add_httpd_module(<target> SOURCES <src>... [OUTPUT_DIR <dir>] [TSAN])
#
# Builds an httpd 2.4 module the way `apxs -c` would: position-independent,
# apxs' CFLAGS/CPPFLAGS (queried from apxs at configure time), the httpd and
# APR include directories, linked -shared with undefined httpd/APR symbols
# left for the host to provide. The output is <OUTPUT_DIR>/<target>.so with no
# "lib" prefix, like httpd's own modules. TSAN adds -fsanitize=thread (the
# harness's TSan detector needs an instrumented module).
execute_process(COMMAND ${APXS} -q CFLAGS OUTPUT_VARIABLE _apxs_cflags
    OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND ${APXS} -q CPPFLAGS OUTPUT_VARIABLE _apxs_cppflags
    OUTPUT_STRIP_TRAILING_WHITESPACE)
separate_arguments(MODCERT_APXS_CFLAGS UNIX_COMMAND
    "-fPIC -DPIC ${_apxs_cflags} ${_apxs_cppflags}")
set(MODCERT_APXS_CFLAGS ${MODCERT_APXS_CFLAGS} ${HTTPD_EXTRA_CPPFLAGS}
    CACHE INTERNAL "Compile flags apxs uses for module sources")
set(MODCERT_MODULES_DIR ${CMAKE_BINARY_DIR}/modules CACHE INTERNAL "")

function(modcert_add_httpd_module target)
    cmake_parse_arguments(M "TSAN" "OUTPUT_DIR" "SOURCES" ${ARGN})
    if(NOT M_OUTPUT_DIR)
        set(M_OUTPUT_DIR ${MODCERT_MODULES_DIR})
    endif()
    add_library(${target} MODULE ${M_SOURCES})
    set_target_properties(${target} PROPERTIES PREFIX "" SUFFIX ".so"
        LIBRARY_OUTPUT_DIRECTORY ${M_OUTPUT_DIR})
    if(M_TSAN)
        string(REGEX REPLACE "\\.tsan$" "" _base ${target})
        set_target_properties(${target} PROPERTIES OUTPUT_NAME ${_base}.tsan)
        target_compile_options(${target} PRIVATE -fsanitize=thread -fno-omit-frame-pointer)
        target_link_options(${target} PRIVATE -fsanitize=thread)
    endif()
    target_compile_options(${target} PRIVATE ${MODCERT_APXS_CFLAGS}
        -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers)
    if(MODCERT_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
    target_link_libraries(${target} PRIVATE modcert_httpd_headers)
    # Module symbols resolve against the host at load time, as in httpd.
    target_link_options(${target} PRIVATE -Wl,--allow-shlib-undefined)
endfunction()
