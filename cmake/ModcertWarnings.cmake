# Warning and sanitizer flags for modcert's own code (not for sample modules,
# which are built with apxs' flags by ModcertModule.cmake).
set(MODCERT_WARNINGS
    -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
    -Wformat=2 -Wvla -Wpointer-arith -Wundef -Wno-unused-parameter)
if(MODCERT_WERROR)
    list(APPEND MODCERT_WARNINGS -Werror)
endif()

set(MODCERT_SAN_FLAGS "")
if(MODCERT_SANITIZE STREQUAL "address")
    set(MODCERT_SAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined
        -fno-omit-frame-pointer)
elseif(MODCERT_SANITIZE STREQUAL "thread")
    set(MODCERT_SAN_FLAGS -fsanitize=thread -fno-omit-frame-pointer)
elseif(NOT MODCERT_SANITIZE STREQUAL "")
    message(FATAL_ERROR "MODCERT_SANITIZE must be '', 'address' or 'thread', not '${MODCERT_SANITIZE}'")
endif()
if(MODCERT_SAN_FLAGS)
    add_compile_options(${MODCERT_SAN_FLAGS})
    add_link_options(${MODCERT_SAN_FLAGS})
endif()

# modcert_target(T): apply the house warnings to one of our own targets.
function(modcert_target t)
    target_compile_options(${t} PRIVATE ${MODCERT_WARNINGS})
    target_compile_definitions(${t} PRIVATE _GNU_SOURCE)
endfunction()
