# Writes OUT with the source tree's commit (and "-dirty" when tracked files differ from it), at every
# build, so `hearth-cli --version` and bench's "hearth" key name what was built, not what was configured.
# The file is rewritten only when the text changes, so an unchanged commit recompiles nothing.
execute_process(COMMAND git rev-parse --short=10 HEAD WORKING_DIRECTORY ${SRC}
    OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE failed)
if(failed)
    set(commit "")
else()
    execute_process(COMMAND git diff --quiet HEAD -- WORKING_DIRECTORY ${SRC} RESULT_VARIABLE dirty ERROR_QUIET)
    if(dirty)
        string(APPEND commit "-dirty")
    endif()
endif()
set(text "#define HEARTH_GIT_COMMIT \"${commit}\"\n")
if(EXISTS ${OUT})
    file(READ ${OUT} old)
endif()
if(NOT "${old}" STREQUAL "${text}")
    file(WRITE ${OUT} "${text}")
endif()
