# SPDX-License-Identifier: LGPL-2.1-or-later
# vcb_write_if_changed(PATH TEXT): write a generated file only when its text
# changed, so what depends on it is rebuilt only then.
function(vcb_write_if_changed path text)
  set(old "")
  if(EXISTS "${path}")
    file(READ "${path}" old)
  endif()
  if(NOT old STREQUAL text)
    file(WRITE "${path}" "${text}")
  endif()
endfunction()
