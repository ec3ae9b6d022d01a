# SPDX-License-Identifier: LGPL-2.1-or-later
# vcb-version.cmake — run by every build (cmake -P): writes OUT with the
# source tree's `git describe --always --dirty`, and only when that changed,
# so a binary built from a tree with uncommitted changes says "-dirty" and an
# unchanged tree recompiles nothing. Outside a git checkout: what
# .vcb-describe says (a tree sent by `vcbench fleet --install`), else "unknown".
#   cmake -DSRC=<source dir> -DOUT=<header> -P vcb-version.cmake
include(${CMAKE_CURRENT_LIST_DIR}/vcb-write-if-changed.cmake)

# safe.directory: a root build of a checkout owned by someone else.
execute_process(COMMAND git -c safe.directory=* -C "${SRC}" describe --always --dirty --abbrev=12
                OUTPUT_VARIABLE describe OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE rc ERROR_QUIET)
# A tree that `vcbench fleet --install` sent has no .git: its describe came with it.
if((NOT rc EQUAL 0 OR describe STREQUAL "") AND EXISTS "${SRC}/.vcb-describe")
  file(STRINGS "${SRC}/.vcb-describe" describe LIMIT_COUNT 1)
  set(rc 0)
endif()
if(NOT rc EQUAL 0 OR describe STREQUAL "")
  set(describe "unknown")
endif()
set(text "/* Generated at build time by cmake/vcb-version.cmake. */\n#define VCB_GIT_DESCRIBE \"${describe}\"\n")
vcb_write_if_changed("${OUT}" "${text}")
